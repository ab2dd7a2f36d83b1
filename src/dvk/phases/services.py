"""Phase rules as plain functions."""
from django.db import transaction

from .models import DEFAULT_LEVELS, PHASE_CODE, Level, Phase


class PhaseOverlap(Exception):
    """A new phase would share years with an existing one (every year belongs to one phase:
    reports by year and the registration calendar depend on it)."""


def phase_years(code: str) -> tuple[int, int]:
    """(first year, last year) of a code YYYY-YYYY; ValueError in Vietnamese otherwise."""
    m = PHASE_CODE.match((code or "").strip())
    if not m or int(m[1]) > int(m[2]):
        raise ValueError(f"Mã giai đoạn «{code}» không hợp lệ; dùng dạng YYYY-YYYY, ví dụ 2016-2020.")
    return int(m[1]), int(m[2])


def _refuse_overlap(code: str, start: int, end: int) -> None:
    other = (Phase.objects.filter(start_year__lte=end, end_year__gte=start)
             .order_by("start_year").first())
    if other is not None:
        raise PhaseOverlap(
            f"Giai đoạn {code} trùng thời gian với giai đoạn {other.code} đã có "
            f"({other.start_year}–{other.end_year}); hãy nhập vào giai đoạn {other.code} "
            "hoặc dùng một mã giai đoạn không trùng năm.")


def get_or_create_phase(code: str) -> tuple[Phase, bool]:
    """CONTRACTS §2: a phase named YYYY-YYYY is created on demand with Cơ sở/Huyện/Tỉnh.
    ValueError: a malformed code; PhaseOverlap: a new code whose years an existing phase
    already covers (2016-2019 while 2016-2020 exists)."""
    start, end = phase_years(code)
    with transaction.atomic():
        phase = Phase.objects.filter(code=code).first()
        if phase is not None:
            return phase, False
        _refuse_overlap(code, start, end)
        phase, created = Phase.objects.get_or_create(
            code=code, defaults={"start_year": start, "end_year": end,
                                 "name": f"Giai đoạn {start}–{end}"})
        if created:
            Level.objects.bulk_create([
                Level(phase=phase, name=name, aliases=aliases, order=i, yearly=yearly)
                for i, (name, aliases, yearly) in enumerate(DEFAULT_LEVELS, start=1)
            ])
    return phase, created


def level_names(text: str) -> list[str]:
    """The levels typed one per line, lowest first; ValueError when none or repeated."""
    from dvk.common.text import clean, fold

    names = [clean(line) for line in (text or "").splitlines() if clean(line)]
    if not names:
        raise ValueError("Giai đoạn phải có ít nhất một cấp công nhận.")
    limit = Level._meta.get_field("name").max_length
    seen = set()
    for name in names:
        if len(name) > limit:  # PostgreSQL would refuse it with a server error
            shown = name if len(name) <= 40 else name[:40] + "…"
            raise ValueError(f"Cấp «{shown}» dài {len(name)} ký tự, vượt giới hạn {limit} "
                             "ký tự.")
        if fold(name) in seen:
            raise ValueError(f"Cấp «{name}» được nhập hai lần.")
        seen.add(fold(name))
    return names


def create_phase(*, code: str, name: str = "", levels: list[str], calendar: dict | None = None,
                 actor=None) -> Phase:
    """A phase made in the app, with its own ordered levels (lowest first; the lowest is
    registered every year, as grassroots models are) and yearly calendar. ValueError or
    PhaseOverlap (Vietnamese) when refused; nothing is written then."""
    from dvk.common.history import record

    start, end = phase_years(code)
    code = code.strip()
    with transaction.atomic():
        if Phase.objects.filter(code=code).exists():
            raise ValueError(f"Giai đoạn {code} đã có.")
        _refuse_overlap(code, start, end)
        phase = Phase(code=code, start_year=start, end_year=end,
                      name=name.strip() or f"Giai đoạn {start}–{end}", **(calendar or {}))
        phase.full_clean()
        phase.save()
        Level.objects.bulk_create([Level(phase=phase, name=level, order=i, yearly=(i == 1))
                                   for i, level in enumerate(levels, start=1)])
        record(phase, "phase.created", actor=actor,
               changes={"levels": [None, " / ".join(levels)]})
    return phase
