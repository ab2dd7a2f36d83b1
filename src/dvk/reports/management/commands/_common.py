from django.core.management.base import CommandError

from dvk.orgs.models import Unit
from dvk.phases.models import Phase


def resolve_phase_unit(phase_code: str, unit_code: str, year: int | None):
    """The phase and unit named on the command line; exit 1 with a message otherwise."""
    phase = Phase.objects.filter(code=phase_code).first()
    if phase is None:
        raise CommandError(f"Không có giai đoạn “{phase_code}”.", returncode=1)
    if year is not None and year not in phase.years:
        raise CommandError(f"Năm {year} không thuộc giai đoạn {phase.code}.", returncode=1)
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{unit_code}”.", returncode=1)
    else:
        unit = Unit.objects.filter(parent__isnull=True).current().order_by("path").first()
        if unit is None:
            raise CommandError("Chưa có đơn vị nào; hãy nhập cây tổ chức trước.", returncode=1)
    return phase, unit
