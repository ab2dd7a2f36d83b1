"""The annual report sent up: the unit's own (send, resend after a return), the units below
(who sent, who is late), one report (frozen vs live figures, return with a reason)."""
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.rules import allowed, check
from dvk.common.text import small_int
from dvk.orgs.scope import get_or_404
from dvk.phases.calendar import UP_REPORT, deadline_of
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase, default_year
from dvk.phases.rules import committee_of
from dvk.reports.summary import build_summary

from . import annual, assembled
from .models import AnnualReport


def _phase_year(params):
    phases = list(Phase.objects.order_by("-start_year"))
    phase = next((p for p in phases if p.code == params.get("phase")), None) \
        or current_phase(phases)
    year = small_int(params.get("year"))
    year = year if phase and year in phase.years else default_year(phase)
    return phase, year


@login_required
def index(request):
    scope = request.scope
    check("reminders.lagging", scope)
    phase, year = _phase_year(request.GET)
    ctx = {"phase": phase, "year": year}
    if phase is not None and scope.unit is not None:
        committee = committee_of(scope, phase)
        ctx["committee"] = committee
        ctx["own"] = AnnualReport.objects.within(scope).filter(
            unit=scope.unit, phase=phase, year=year).first()
        ctx["own_deadline"] = deadline_of(scope.unit, phase, year, UP_REPORT)
        ctx["can_send"] = allowed("annual_report.send", scope, phase) and (
            ctx["own"] is None or ctx["own"].state == AnnualReport.State.RETURNED)
        if committee is not None:
            ctx["arrivals"] = annual.arrivals(scope, committee, year)
    return render(request, "reminders/annual_index.html", ctx)


@login_required
@require_POST
def send(request):
    phase, year = _phase_year(request.POST)
    if phase is None:
        return redirect("annual:index")
    annual.send_report(scope=request.scope, phase=phase, year=year,
                       note=(request.POST.get("note") or "").strip())
    messages.success(request, _("The annual report was sent with its figures frozen."))
    return redirect(f"{reverse('annual:index')}?phase={phase.code}&year={year}")


@login_required
def detail(request, report_id):
    scope = request.scope
    report = get_or_404(AnnualReport.objects.within(scope).select_related("unit", "phase"),
                        pk=report_id)
    live = build_summary(report.phase, report.unit, year=report.year)
    return render(request, "reminders/annual_detail.html", {
        "report": report, "differences": [(annual.describe(where), then, now) for where, then, now
                                          in annual.differences(report.figures, live)],
        "frozen_levels": report.figures.get("levels", []),
        "can_return": report.state == AnnualReport.State.SENT
        and allowed("annual_report.return", scope, report)})


@login_required
@require_POST
def return_report(request, report_id):
    report = get_or_404(AnnualReport.objects.within(request.scope), pk=report_id)
    annual.return_report(report, scope=request.scope, reason=request.POST.get("reason") or "")
    messages.success(request, _("The report was returned to the unit."))
    return redirect("annual:detail", report_id=report.pk)


def _assembled(request):
    """(phase, year, committee, the assembled report or None) for the acting committee."""
    scope = request.scope
    check("reminders.lagging", scope)
    phase, year = _phase_year(request.GET)
    committee = committee_of(scope, phase) if phase is not None and scope.unit else None
    report = assembled.assemble(scope, committee, year) if committee is not None else None
    return phase, year, committee, report


@login_required
def assembled_report(request):
    """The acting committee's own annual report, built from what arrived from below."""
    phase, year, committee, report = _assembled(request)
    return render(request, "reminders/annual_assembled.html", {
        "phase": phase, "year": year, "committee": committee, "assembled": report})


@login_required
def assembled_download(request):
    phase, year, committee, report = _assembled(request)
    if report is None:
        messages.error(request, _("Your unit has no steering committee in the current phase."))
        return redirect("annual:assembled")
    safe = re.sub(r"[^A-Za-z0-9_-]", "", committee.unit.code) or str(committee.unit.pk)
    response = HttpResponse(assembled.assembled_xlsx(report), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-nam-{year}-tong-hop-{safe}.xlsx"')
    return response
