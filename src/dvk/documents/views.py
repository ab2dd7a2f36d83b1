"""Downloads of the registration forms: Mẫu 1 (one registration) and Mẫu 2 (a unit's
summary for a year), as Word or Excel, and an appraisal's minutes; built from what the
acting scope sees."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from dvk.common.rules import check
from dvk.initiatives.appraisal import appraisal_minutes_docx
from dvk.initiatives.enums import State
from dvk.initiatives.queries import appraisals_for, registrations_for
from dvk.orgs.scope import get_or_404, unit_for, within
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase, default_year

from . import registration_forms, registration_sheets

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str):
    ctype = DOCX if filename.endswith(".docx") else XLSX
    resp = HttpResponse(content, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


@login_required
def form1(request, registration_id, fmt):
    reg = get_or_404(registrations_for(request.scope).prefetch_related("targets"),
                     pk=registration_id)
    if fmt == "docx":
        return _download(registration_forms.form1_docx(reg), f"mau1-dang-ky-{reg.pk}.docx")
    return _download(registration_sheets.form1_xlsx(reg), f"mau1-dang-ky-{reg.pk}.xlsx")


@login_required
def form2(request, unit_code, fmt):
    scope = request.scope
    unit = unit_for(scope, unit_code)
    phases = list(Phase.objects.order_by("-start_year"))
    phase = next((p for p in phases if p.code == request.GET.get("phase")), None) \
        or current_phase(phases)
    if phase is None:
        raise Http404
    year_param = request.GET.get("year") or ""
    year = int(year_param) if year_param.isdigit() else default_year(phase)
    regs = (within(registrations_for(scope), unit).filter(phase=phase, year=year)
            .exclude(state__in=(State.DRAFT, State.WITHDRAWN))
            .prefetch_related("targets").order_by("level__order", "initiative__sort_key"))
    if fmt == "docx":
        return _download(registration_forms.form2_docx(unit, phase, year, regs),
                         f"mau2-tong-hop-{unit.code}-{year}.docx")
    return _download(registration_sheets.form2_xlsx(unit, phase, year, regs),
                     f"mau2-tong-hop-{unit.code}-{year}.xlsx")


@login_required
def appraisal_minutes(request, appraisal_id):
    appr = get_or_404(appraisals_for(request.scope), pk=appraisal_id)
    # The same rule as the appraisal page: another appraiser's minutes are not found.
    check("appraisal.view", request.scope, appr)
    return _download(appraisal_minutes_docx(appr), f"bien-ban-tham-dinh-{appr.pk}.docx")

