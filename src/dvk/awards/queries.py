"""Who sees which awards, proposals and award decisions: the subtree of the acting unit.

Every read of the awards app goes through a function here that takes the scope.
"""
from __future__ import annotations

from dvk.common.text import small_int

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from dvk.initiatives.enums import AppraisalStatus, State
from dvk.initiatives.models import Appraisal, Initiative, Registration
from dvk.initiatives.queries import registrations_for
from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope, units_for, within

from .enums import Occasion, RecipientType
from .models import Award, AwardDecision, Proposal, ProposalItem


def awards_for(scope: Scope) -> QuerySet[Award]:
    return Award.objects.within(scope).select_related("kind", "unit", "phase", "level")


def proposals_for(scope: Scope) -> QuerySet[Proposal]:
    """Proposals of the committees of the subtree (the acting unit's own included)."""
    return Proposal.objects.within(scope).select_related("unit", "phase", "level")


def proposal_items_for(scope: Scope) -> QuerySet[ProposalItem]:
    """Proposed recipients inside the subtree."""
    return ProposalItem.objects.within(scope).select_related(
        "kind", "unit", "registration__initiative", "registration__unit")


def award_decisions_for(scope: Scope) -> QuerySet[AwardDecision]:
    return AwardDecision.objects.within(scope).select_related(
        "decision__unit", "decision__phase", "decision__level", "proposal")


# --- one recipient ---------------------------------------------------------------------------

def _recipient(qs, recipient_type, registration, unit):
    qs = qs.filter(recipient_type=recipient_type)
    if recipient_type == RecipientType.MODEL:
        # The model is the recipient, whichever of its registrations is named.
        return qs.filter(registration__initiative_id=registration.initiative_id)
    return qs.filter(unit=unit)


def recipient_awards(scope: Scope, recipient_type, *, registration=None, unit=None):
    return _recipient(awards_for(scope), recipient_type, registration, unit)


def recipient_items(scope: Scope, recipient_type, *, registration=None, unit=None):
    return _recipient(proposal_items_for(scope), recipient_type, registration, unit)


def award_history(scope: Scope, obj, limit: int = 100) -> list[Award]:
    """The awards of a model (a registration or an initiative: every registration of the
    model) or of a unit (to the unit, its models and its people), newest first."""
    qs = awards_for(scope).select_related("registration__initiative", "decision")
    if isinstance(obj, Registration):
        qs = qs.filter(registration__initiative_id=obj.initiative_id)
    elif isinstance(obj, Initiative):
        qs = qs.filter(registration__initiative_id=obj.pk)
    elif isinstance(obj, Unit):
        qs = qs.filter(unit=obj)
    else:
        return []
    return list(qs.order_by("-year", "-phase__start_year", "-level__order", "kind__order",
                            "-id")[:limit])


def review_awards(scope: Scope, review) -> QuerySet[Award]:
    """The awards given at a review (sơ kết, tổng kết): the occasion of its kind, decided on
    the proposal of the same unit's committee in the same phase. `review` is any object with
    `unit_id`, `phase_id` and `kind` ("interim" / "final", the occasions' own values)."""
    if getattr(review, "kind", None) not in (Occasion.INTERIM, Occasion.FINAL):
        return Award.objects.none()
    return (awards_for(scope).select_related("registration__initiative", "decision")
            .filter(occasion=review.kind, phase_id=review.phase_id,
                    decision__unit_id=review.unit_id)
            .order_by("decision__date", "unit__path", "id"))


# --- the proposal screen -----------------------------------------------------------------------

def candidates(scope: Scope, proposal: Proposal) -> QuerySet[Registration]:
    """Recognised registrations the proposal's committee may propose: its level, phase and
    year, inside its unit's subtree, with the appraisal score and conclusion (the last
    completed appraisal) for the committee to choose from, and whether the model was
    already awarded at this level (`awarded`: it cannot get the same kind twice)."""
    done = (Appraisal.objects.unscoped("the appraisals of registrations found in scope")
            .filter(registration_id=OuterRef("pk"), status=AppraisalStatus.COMPLETED)
            .order_by("-completed_at", "-id"))
    qs = registrations_for(scope).filter(phase_id=proposal.phase_id,
                                         level_id=proposal.level_id, year=proposal.year,
                                         state=State.RECOGNIZED)
    return (within(qs, proposal.unit)
            .annotate(score=Subquery(done.values("total")[:1]),
                      conclusion=Subquery(done.values("conclusion")[:1]),
                      awarded=Exists(Award.objects.unscoped("a yes/no of a registration in "
                                                            "scope").filter(
                          registration_id=OuterRef("pk"))))
            .order_by("unit__path", "initiative__sort_key"))


def subtree_units(scope: Scope, proposal: Proposal) -> QuerySet[Unit]:
    """Units a proposal may name (the committee's unit and those below it)."""
    return within(units_for(scope), proposal.unit, "").current().order_by("path")


def money_total(qs) -> int:
    """Sum of the money of awards or proposal items (None counts as 0)."""
    return qs.order_by().aggregate(total=Sum("amount"))["total"] or 0


# --- lists ---------------------------------------------------------------------------------

def filter_awards(qs: QuerySet, params) -> QuerySet:
    """phase (code) · year · kind (id) · occasion · recipient · unit (code: its subtree,
    narrowing only) · decision (number). Invalid values are ignored."""
    get = params.get
    if get("phase"):
        qs = qs.filter(phase__code=get("phase"))
    if (year := small_int(get("year"))) is not None:
        qs = qs.filter(year=year)
    if (kind := small_int(get("kind"))) is not None:
        qs = qs.filter(kind_id=kind)
    if get("occasion") in Occasion.values:
        qs = qs.filter(occasion=get("occasion"))
    if get("recipient") in RecipientType.values:
        qs = qs.filter(recipient_type=get("recipient"))
    if get("unit"):
        unit = Unit.objects.filter(code=get("unit")).only("pk", "path").first()
        qs = within(qs, unit) if unit else qs.none()
    return qs


def award_totals(qs: QuerySet) -> dict:
    """{"count": n, "money": đồng} of an award queryset, in one query."""
    row = qs.order_by().aggregate(count=Count("id"), money=Sum("amount"))
    return {"count": row["count"], "money": row["money"] or 0}


def proposal_counts(qs: QuerySet) -> dict:
    return qs.order_by().aggregate(items=Count("items"),
                                   money=Sum("items__amount", filter=Q(items__amount__gt=0)))
