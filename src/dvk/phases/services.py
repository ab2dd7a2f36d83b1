"""Phase rules as plain functions."""
from django.db import transaction

from .models import DEFAULT_LEVELS, PHASE_CODE, Level, Phase


def get_or_create_phase(code: str) -> tuple[Phase, bool]:
    """CONTRACTS §2: a phase named YYYY-YYYY is created on demand with Cơ sở/Huyện/Tỉnh."""
    m = PHASE_CODE.match(code or "")
    if not m or int(m[1]) > int(m[2]):
        raise ValueError(f"Mã giai đoạn «{code}» không hợp lệ; dùng dạng YYYY-YYYY, ví dụ 2016-2020.")
    with transaction.atomic():
        phase, created = Phase.objects.get_or_create(
            code=code,
            defaults={"start_year": int(m[1]), "end_year": int(m[2]),
                      "name": f"Giai đoạn {m[1]}–{m[2]}"},
        )
        if created:
            Level.objects.bulk_create([
                Level(phase=phase, name=name, aliases=aliases, order=i, yearly=yearly)
                for i, (name, aliases, yearly) in enumerate(DEFAULT_LEVELS, start=1)
            ])
    return phase, created
