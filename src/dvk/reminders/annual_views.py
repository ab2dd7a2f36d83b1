"""The annual report sent up: the unit's own (send, resend after a return), the units below
(who sent, who is late), one report (frozen vs live figures, return with a reason)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
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

from . import annual
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
        "report": report, "differences": annual.differences(report.figures, live),
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
