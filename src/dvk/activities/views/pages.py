"""The activities section: its overview, the four modules' screens, and the visits of a
round (findings, recommendations, follow-up until closed)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dvk.common.rules import allowed, check
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase

from .. import services
from ..enums import FollowUp
from ..forms import VisitForm
from ..enums import BudgetKind
from ..queries import budget_for, press_for, reviews_for, rounds_for, trainings_for, visits_for
from . import base
from .modules import BUDGET, MODULES, PRESS, REVIEW, ROUND, TRAINING


@login_required
def index(request):
    """What the acting unit's subtree recorded in a phase, module by module."""
    scope = request.scope
    phase = Phase.objects.filter(code=request.GET.get("phase", "")).first() or current_phase()
    of = (lambda qs: qs.filter(phase=phase)) if phase else (lambda qs: qs.none())
    training = of(trainings_for(scope)).aggregate(n=Count("pk"), people=Sum("attendances"))
    visits = visits_for(scope).filter(round__phase=phase) if phase else visits_for(scope).none()
    cards = [
        (TRAINING, training["n"], training["people"] or 0),
        (ROUND, of(rounds_for(scope)).count(), visits.count()),
        (PRESS, of(press_for(scope)).count(),
         of(press_for(scope)).exclude(provincial_prize="").count()),
        (REVIEW, of(reviews_for(scope)).exclude(held_as="").count(),
         of(reviews_for(scope)).count()),
        (BUDGET, *of(budget_for(scope)).order_by().aggregate(
            a=Sum("amount", filter=Q(kind=BudgetKind.ALLOCATION), default=0),
            s=Sum("amount", filter=Q(kind=BudgetKind.SPENDING), default=0)).values()),
    ]
    open_visits = visits.exclude(status=FollowUp.CLOSED).count()
    return render(request, "activities/index.html", {
        "phase": phase, "phases": base.phases(), "cards": cards, "open_visits": open_visits,
        "can_record": allowed("activities.record", scope),
        "can_import": allowed("activities.import", scope)})


def _round_extra(request, rnd):
    visits = list(visits_for(request.scope).filter(round=rnd).order_by("date", "unit__path"))
    counts = {s: sum(1 for v in visits if v.status == s) for s in FollowUp}
    return {"visits": visits, "follow_up": [(s.label, counts[s]) for s in FollowUp]}


ROUND.extra = _round_extra


def _round(request, round_id):
    return get_or_404(rounds_for(request.scope), pk=round_id)


def _visit_form(request, rnd, visit=None):
    check("activities.record", request.scope, visit or rnd)
    form = VisitForm(request.POST or None, scope=request.scope, round=rnd, instance=visit)
    if request.method == "POST" and form.is_valid():
        services.save_form(form, scope=request.scope, action="visit", round=rnd)
        messages.success(request, _("Saved."))
        return redirect("activities:round", round_id=rnd.pk)
    return render(request, "activities/form.html", {
        "module": ROUND, "form": form, "obj": visit, "round": rnd,
        "cancel": ROUND.url("detail", rnd)})


@login_required
def visit_new(request, round_id):
    return _visit_form(request, _round(request, round_id))


@login_required
def visit_edit(request, visit_id):
    visit = get_or_404(visits_for(request.scope), pk=visit_id)
    return _visit_form(request, visit.round, visit)


VIEWS = {m.key: {"list": base.list_view(m), "detail": base.detail_view(m),
                 "new": base.new_view(m), "edit": base.edit_view(m),
                 "export": base.export_view(m),
                 "file": base.file_view(m) if m.file_field else None} for m in MODULES}
__all__ = ["index", "visit_new", "visit_edit", "VIEWS"]
