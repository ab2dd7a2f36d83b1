"""Numbers as Vietnamese officials write them, the same in pages, spreadsheets and documents.

Rates: recognition_rate() rounds half-up to 2 decimals (the JSON contract); displays show
one decimal, rounded half-up from that value (79,55 → "79,6%"). We round rather than
truncate as report 552-BC/TU did, and say so in docs/figures.md.
"""
from decimal import ROUND_HALF_UP, Decimal


def recognition_rate(recognized: int, registered: int) -> float | None:
    """100 × recognized / registered, 2 decimals; None when nothing is registered."""
    if not registered:
        return None
    value = Decimal(100 * recognized) / Decimal(registered)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def vn_int(n) -> str:
    """7995 → "7.995"."""
    if n is None:
        return ""
    return f"{int(n):,}".replace(",", ".")


def vn_decimal(x, digits: int = 1) -> str:
    if x is None:
        return ""
    q = Decimal(str(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{q:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = vn_int(abs(int(whole)))
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def vn_percent(rate, digits: int = 1) -> str:
    """79.55 → "79,6%"; None → "–"."""
    if rate is None:
        return "–"
    return vn_decimal(rate, digits) + "%"
