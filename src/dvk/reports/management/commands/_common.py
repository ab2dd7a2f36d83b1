from django.core.management.base import CommandError

from dvk.orgs.models import Unit
from dvk.phases.models import Phase
from dvk.reports.summary import STRUCTURES


def add_scope_arguments(parser) -> None:
    """--phase, --unit, --year, --structure: what every report command is asked for."""
    parser.add_argument("--phase", required=True, help="mã giai đoạn, ví dụ 2016-2020")
    parser.add_argument("--unit", default="", help="mã đơn vị (mặc định: đơn vị gốc)")
    parser.add_argument("--year", type=int, default=None, help="chỉ một năm của giai đoạn")
    parser.add_argument("--structure", choices=STRUCTURES, default="time",
                        help="time: theo tổ chức của thời kỳ; today: theo tổ chức hiện nay")


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
