"""Everyone's award pages: the awards list, the proposals list, one award decision."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import render

from dvk.common.rules import allowed
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase

from ..enums import Occasion, ProposalState, RecipientType
from ..models import AwardKind
from ..queries import (award_decisions_for, award_totals, awards_for, filter_awards,
                       money_total, proposals_for)

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def awards(request):
    qs = filter_awards(awards_for(request.scope), request.GET)
    ctx = {"page_obj": _page(request, qs.select_related("registration__initiative", "decision")
                             .order_by("-year", "level__order", "kind__order", "unit__path",
                                       "id")),
           "totals": award_totals(qs), "phases": Phase.objects.order_by("-start_year"),
           "kinds": AwardKind.objects.all(), "occasions": Occasion.choices,
           "recipients": RecipientType.choices, "params": request.GET}
    return render(request, "awards/awards.html", ctx)


@login_required
def proposals(request):
    qs = proposals_for(request.scope)
    if request.GET.get("phase"):
        qs = qs.filter(phase__code=request.GET["phase"])
    if request.GET.get("state") in ProposalState.values:
        qs = qs.filter(state=request.GET["state"])
    qs = qs.annotate(n_items=Count("items"), money=Sum("items__amount")) \
        .select_related("award_decision__decision").order_by("-year", "-created_at", "-id")
    return render(request, "awards/proposals.html", {
        "page_obj": _page(request, qs), "phases": Phase.objects.order_by("-start_year"),
        "states": ProposalState.choices, "params": request.GET,
        "can_create": allowed("proposal.create", request.scope)})


@login_required
def award_decision(request, decision_id):
    decision = get_or_404(award_decisions_for(request.scope), decision_id=decision_id)
    items = awards_for(request.scope).filter(decision_id=decision_id) \
        .select_related("registration__initiative").order_by("unit__path", "id")
    return render(request, "awards/decision.html", {
        "ad": decision, "d": decision.decision, "awards": items,
        "total": money_total(items)})
