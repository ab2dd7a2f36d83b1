"""Numbers as Vietnamese officials write them, the same in pages, spreadsheets and documents.

Rates are rounded half-up, once, from the exact ratio: the JSON contract carries 2 decimals
(6.360 / 7.995 → 79.55), displays carry 1 (→ "79,5%", because 79,5497… rounds to 79,5).
Rounding the already-rounded 79.55 again would print 79,6%: `Rate` keeps the exact fraction
so that never happens. Report 552-BC/TU truncated instead ("79%"); see docs/figures.md.
"""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class Rate(float):
    """A percentage rounded to 2 decimals that remembers its exact value (`exact`, a Fraction)."""

    exact: Fraction

    def __new__(cls, recognized: int, registered: int):
        exact = Fraction(100 * recognized, registered)
        rounded = _round(exact, 2)
        obj = super().__new__(cls, float(rounded))
        obj.exact = exact
        return obj

    def ratio(self) -> float:
        """The exact share as a fraction of 1, for spreadsheets' percentage formats."""
        return float(self.exact / 100)


def _round(value, digits: int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        value = Decimal(str(value))
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def recognition_rate(recognized: int, registered: int) -> Rate | None:
    """100 × recognized / registered, 2 decimals; None when nothing is registered."""
    if not registered:
        return None
    return Rate(recognized, registered)


def vn_int(n) -> str:
    """7995 → "7.995"."""
    if n is None:
        return ""
    return f"{int(n):,}".replace(",", ".")


def vn_decimal(x, digits: int = 1) -> str:
    if x is None:
        return ""
    q = _round(getattr(x, "exact", x), digits)
    whole, _, frac = f"{q:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = vn_int(abs(int(whole)))
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def vn_percent(rate, digits: int = 1) -> str:
    """Rate(6360, 7995) → "79,5%"; 83.7 → "83,7%"; None → "–"."""
    if rate is None:
        return "–"
    return vn_decimal(rate, digits) + "%"
