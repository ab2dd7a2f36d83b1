"""The secretariat's screens: the queue, accept/return, exceptional, assign, conflicts,
decide (in bulk), promote."""
from __future__ import annotations

from dvk.common.text import small_int, small_ints

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.forms import form_errors
from dvk.common.pagination import bounded_count, bounded_counts
from dvk.common.rules import check
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase, default_year

from .. import forms, queries, services
from ..enums import ConflictStatus, ExceptionalStatus, State
from ..queries import appraisals_for, registrations_for
from ..workflow import TransitionRefused
from ._common import _detail, _registration, _registrations_page
from .decisions import after_bulk_decision

# --- secretariat: queue, accept/return, exceptional, assign, conflicts, decide, promote ----

OVERDUE_SHOWN = 30
QUEUE_CAP = 1_000  # where the tabs' badges and the tab's count stop
QUEUE_TABS = [State.SUBMITTED, State.ACCEPTED, State.REPORTED, State.APPRAISED,
              State.RETURNED, State.RECOGNIZED, State.NOT_RECOGNIZED]


def _phase_and_year(request):
    """(every phase newest first, the one asked for or the current one, the year asked for
    or the phase's default): the queue and its late cards read the same."""
    phases = list(Phase.objects.order_by("-start_year"))
    phase = next((p for p in phases if p.code == request.GET.get("phase")), None) \
        or current_phase(phases)
    year = small_int(request.GET.get("year") or "", 1900, 2200) or default_year(phase)
    return phases, phase, year


@login_required
def queue(request):
    scope = request.scope
    check("registration.queue", scope)
    phases, phase, year = _phase_and_year(request)
    tab = request.GET.get("tab") or State.SUBMITTED
    base = queries.committee_queue(scope, phase) if phase else registrations_for(scope).none()
    # Each tab's badge counts no further than 1,000 ("1.000+"), all in one query: nine
    # counts of a national queue read 9,000 index entries at most (common/pagination).
    counts = bounded_counts(cap=QUEUE_CAP, parts={
        **{s.value: base.filter(state=s) for s in QUEUE_TABS},
        "proposals": base.filter(promoted_from__isnull=False, state=State.SUBMITTED),
        "exceptional": base.filter(is_exceptional=True,
                                   exceptional_status=ExceptionalStatus.PENDING)})
    params = request.GET.copy()
    params.pop("phase", None)
    params.pop("tab", None)
    params.pop("page", None)
    listed = queries.filter_registrations(base, params)
    if tab == "proposals":
        listed = listed.filter(promoted_from__isnull=False, state=State.SUBMITTED)
    elif tab == "exceptional":
        listed = listed.filter(is_exceptional=True, exceptional_status=ExceptionalStatus.PENDING)
    else:
        tab = State(tab) if tab in State.values else State.SUBMITTED
        listed = listed.filter(state=tab)
    page = _registrations_page(request, listed, cap=QUEUE_CAP)
    # The decision tab shows what the appraisers found, so the decider sees it per model.
    if tab == State.APPRAISED:
        page.object_list = list(page.object_list)
        summaries = queries.appraisal_summaries(page.object_list)
        for r in page.object_list:
            r.appraisal_summary = summaries.get(r.pk)
    ctx = {"phase": phase, "phases": phases, "year": year, "tab": str(tab),
           "tabs": [(s.value, s.label, *counts[s.value]) for s in QUEUE_TABS],
           "proposals_count": counts["proposals"],
           "exceptional_count": counts["exceptional"],
           "page_obj": page, "return_form": forms.ReturnForm(),
           "decision_form": forms.DecisionForm(),
           # What the table shows, by join (six joins cost 10 ms to plan for no row).
           "conflicts": list(appraisals_for(scope).filter(conflict_status=ConflictStatus.PENDING)
                             .select_related(None)
                             .select_related("registration__initiative", "appraiser")[:50])}
    return render(request, "initiatives/queue.html", ctx)


@login_required
def queue_overdue(request):
    """The queue's "what is late" cards (units that registered nothing by their deadline,
    achievement reports overdue) for the queue's phase and year: fetched by htmx once the
    queue is on screen, or a page of its own. They scan the year's registrations of the
    whole subtree, so they never hold the committee's work list back."""
    scope = request.scope
    check("registration.queue", scope)
    _phases, phase, year = _phase_and_year(request)
    ctx = {"phase": phase, "year": year}
    if phase is not None:
        # What the page shows of each part: its first rows, and how many more there are.
        late = queries.overdue(scope, phase, year)
        late["not_reported"] = late["not_reported"].order_by("-year", "-id")  # an index order
        shown = {key: list(late[key][:OVERDUE_SHOWN]) for key in ("units", "not_reported")}
        more = {key: bounded_count(late[key], QUEUE_CAP) for key in shown
                if len(shown[key]) == OVERDUE_SHOWN}
        ctx["overdue"] = {**late, **shown, "more": {
            key: (n - OVERDUE_SHOWN, capped) for key, (n, capped) in more.items()}}
    template = ("initiatives/_queue_overdue.html" if request.htmx
                else "initiatives/queue_overdue.html")
    return render(request, template, ctx)


def _back_to_queue(request):
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("initiatives:queue")


@login_required
@require_POST
def bulk(request):
    """Accept / return / decide several registrations chosen with checkboxes."""
    scope = request.scope
    check("registration.queue", scope)
    action = request.POST.get("action")
    ids = small_ints(request.POST.getlist("ids"))
    regs = list(registrations_for(scope).filter(pk__in=ids))
    if not regs:
        messages.error(request, _("Select at least one registration."))
        return _back_to_queue(request)
    svc = services
    if action == "decide":
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return _back_to_queue(request)
        d = form.cleaned_data
        try:
            decision = svc.decide(regs, scope=request.scope, recognized=d["recognized"],
                                  decision_number=d["decision_number"],
                                  decision_date=d["decision_date"], signer=d["signer"])
        except TransitionRefused as exc:  # every registration with its reason, on the queue
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision %(number)s recorded for %(n)d registrations.")
                             % {"number": decision.number, "n": len(regs)})
            return after_bulk_decision(decision)  # its page: the list and its documents
        return _back_to_queue(request)
    comment = request.POST.get("comment", "").strip()
    if action == "return" and not comment:
        messages.error(request, _("Write what the unit must correct before returning."))
        return _back_to_queue(request)
    if action not in ("accept", "return"):
        messages.error(request, _("Unknown action."))
        return _back_to_queue(request)
    done = 0
    for reg in regs:
        try:
            if action == "accept":
                svc.accept(reg, scope=request.scope, comment=comment)
            else:
                svc.return_to_unit(reg, scope=request.scope, comment=comment)
            done += 1
        except TransitionRefused as exc:
            messages.error(request, f"{reg.initiative.title}: {exc.message}")
    if done:
        messages.success(request, (_("%(n)d registrations accepted.") if action == "accept"
                                   else _("%(n)d registrations returned to their units."))
                         % {"n": done})
    return _back_to_queue(request)


@login_required
@require_POST
def accept(request, registration_id):
    reg = _registration(request, registration_id)
    services.accept(reg, scope=request.scope, comment=request.POST.get("comment", ""))
    messages.success(request, _("The registration was accepted."))
    return _detail(reg)


@login_required
@require_POST
def return_to_unit(request, registration_id):
    reg = _registration(request, registration_id)
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        if form.has_error("comment", "required"):
            messages.error(request, _("Write what the unit must correct before returning."))
        else:  # too long: the field's label and the reason
            form_errors(request, form)
        return _detail(reg)
    report = reg.state == State.REPORTED
    services.send_back(reg, scope=request.scope,
                          comment=form.cleaned_data["comment"])
    messages.success(request, _("The achievement report was returned to the unit.") if report
                     else _("The registration was returned to the unit."))
    return _detail(reg)


@login_required
@require_POST
def approve_exceptional(request, registration_id):
    reg = _registration(request, registration_id)
    approve = request.POST.get("approve") == "1"
    services.approve_exceptional(reg, scope=request.scope, approve=approve,
                                    comment=request.POST.get("comment", ""))
    messages.success(request, _("The exceptional registration was approved.") if approve
                     else _("The exceptional registration was refused."))
    return _detail(reg)


def _assign_form(scope, reg, data=None):
    teams = queries.teams_judging(scope, reg).order_by("committee__unit__path", "name")
    appraisers = (get_user_model().objects.filter(appraisal_seats__team__in=teams)
                  .distinct().order_by("last_name", "first_name", "username"))
    return forms.AssignForm(data, teams=teams, appraisers=appraisers)


@login_required
@require_POST
def assign(request, registration_id):
    reg = _registration(request, registration_id)
    form = _assign_form(request.scope, reg, request.POST)
    if form.is_valid():
        services.assign_appraisal(reg, scope=request.scope, team=form.cleaned_data["team"],
                                     appraiser=form.cleaned_data["appraiser"])
        messages.success(request, _("The appraisal was assigned."))
    else:
        form_errors(request, form)  # each error with its field's label
    return _detail(reg)


@login_required
@require_POST
def promote(request, registration_id):
    reg = _registration(request, registration_id)
    upper = services.propose_promotion(reg, scope=request.scope)
    messages.success(request, _("Proposed for registration at level %(level)s.")
                     % {"level": upper.level.name})
    return _detail(upper)


@login_required
@require_POST
def rule_conflict(request, appraisal_id):
    appraisal = get_or_404(appraisals_for(request.scope), pk=appraisal_id)
    services.rule_on_conflict(appraisal, scope=request.scope,
                                 accept=request.POST.get("accept") == "1")
    messages.success(request, _("The ruling on the conflict of interest was recorded."))
    return _back_to_queue(request)
