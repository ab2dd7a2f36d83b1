"""Downloads of the registration forms: Mẫu 1 (one registration) and Mẫu 2 (a unit's
summary for a year), as Word or Excel, an appraisal's minutes, and a decision's documents
(the decision with its list in Word, its certificates in one PDF); built from what the
acting scope sees."""
from dvk.common.text import small_int
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dvk.common.rules import check
from dvk.initiatives.appraisal import appraisal_minutes_docx
from dvk.initiatives.enums import State
from dvk.initiatives.queries import appraisals_for, decisions_for, registrations_for
from dvk.orgs.scope import get_or_404, unit_for, within
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase, default_year

from . import registration_forms, registration_sheets
from .decisions import decision_filename, papers_for, recognition_decision_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PDF = "application/pdf"


def _download(content: bytes, filename: str):
    ctype = DOCX if filename.endswith(".docx") else PDF if filename.endswith(".pdf") else XLSX
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
    year = small_int(year_param, 1900, 2200) or default_year(phase)
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



# --- a decision's documents -------------------------------------------------------------------

def certificates_sync_limit() -> int:
    """Up to this many certificates the PDF is made while the request waits (LibreOffice
    takes about 2 s to start and well under a second for 40 pages); beyond, a background
    job with progress."""
    return int(getattr(settings, "DVK_CERTIFICATES_SYNC_LIMIT", 60))


def _decision(request, decision_id):
    return get_or_404(decisions_for(request.scope), pk=decision_id)


@login_required
@require_GET
def decision_docx(request, decision_id):
    decision = _decision(request, decision_id)
    papers = papers_for(request.scope, decision)
    return _download(recognition_decision_docx(papers), decision_filename(decision, "docx"))


@login_required
@require_GET
def certificates(request, decision_id):
    """The certificates of every model the decision recognised, one page each, one PDF."""
    from .pdf import ConversionError

    decision = _decision(request, decision_id)
    papers = papers_for(request.scope, decision)
    back = redirect("initiatives:decision", decision_id=decision.pk)
    n = len(papers.recognized)
    if not n:
        messages.error(request, _("This decision recognises no model: there is no certificate "
                                  "to print."))
        return back
    if n > certificates_sync_limit() or request.GET.get("async") == "1":
        from dvk.common.jobs import start_job

        from .tasks import render_certificates

        return start_job(request, kind="certificates", unit=decision.unit,
                         task=render_certificates,
                         title=_("Certificates of decision %(number)s (PDF, %(n)d pages)")
                         % {"number": decision.number, "n": n},
                         params={"decision": decision.pk})
    from .certificates import certificates_pdf

    try:
        pdf = certificates_pdf(papers)
    except ConversionError as exc:
        messages.error(request, exc.message)
        return back
    return _download(pdf, decision_filename(decision, "pdf"))
