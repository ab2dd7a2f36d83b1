"""Phase rules as plain functions."""
from django.db import transaction

from .models import DEFAULT_LEVELS, PHASE_CODE, Level, Phase


class PhaseOverlap(Exception):
    """A new phase would share years with an existing one (every year belongs to one phase:
    reports by year and the registration calendar depend on it)."""


def get_or_create_phase(code: str) -> tuple[Phase, bool]:
    """CONTRACTS §2: a phase named YYYY-YYYY is created on demand with Cơ sở/Huyện/Tỉnh.
    ValueError: a malformed code; PhaseOverlap: a new code whose years an existing phase
    already covers (2016-2019 while 2016-2020 exists)."""
    m = PHASE_CODE.match(code or "")
    if not m or int(m[1]) > int(m[2]):
        raise ValueError(f"Mã giai đoạn «{code}» không hợp lệ; dùng dạng YYYY-YYYY, ví dụ 2016-2020.")
    start, end = int(m[1]), int(m[2])
    with transaction.atomic():
        phase = Phase.objects.filter(code=code).first()
        if phase is not None:
            return phase, False
        other = (Phase.objects.filter(start_year__lte=end, end_year__gte=start)
                 .order_by("start_year").first())
        if other is not None:
            raise PhaseOverlap(
                f"Giai đoạn {code} trùng thời gian với giai đoạn {other.code} đã có "
                f"({other.start_year}–{other.end_year}); hãy nhập vào giai đoạn {other.code} "
                "hoặc dùng một mã giai đoạn không trùng năm.")
        phase, created = Phase.objects.get_or_create(
            code=code, defaults={"start_year": start, "end_year": end,
                                 "name": f"Giai đoạn {m[1]}–{m[2]}"})
        if created:
            Level.objects.bulk_create([
                Level(phase=phase, name=name, aliases=aliases, order=i, yearly=yearly)
                for i, (name, aliases, yearly) in enumerate(DEFAULT_LEVELS, start=1)
            ])
    return phase, created
