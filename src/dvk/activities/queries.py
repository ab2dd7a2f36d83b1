"""Who sees which activities: the subtree of the acting unit (orgs.scope.Scope.restrict).

Non-test code reads these models only through these functions; the few reads over a
given unit's whole subtree (the import, the summary) say why on their line."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from dvk.orgs.scope import Scope

from .enums import FollowUp
from .models import (BudgetLine, FollowUpAssignment, FollowUpVisit, InspectionRound,
                     InspectionVisit, PressEntry, Review, TrainingClass)


def trainings_for(scope: Scope) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.within(scope).select_related("unit", "phase")


def rounds_for(scope: Scope) -> QuerySet[InspectionRound]:
    return (InspectionRound.objects.within(scope).select_related("unit", "phase")
            .annotate(n_visits=Count("visits"),
                      n_open=Count("visits", filter=~Q(visits__status=FollowUp.CLOSED)))
            .order_by("-start_date", "code"))


def visits_for(scope: Scope) -> QuerySet[InspectionVisit]:
    """Visits of the rounds the scope sees (a visit belongs to its round's host)."""
    return InspectionVisit.objects.within(scope).select_related("unit", "round", "round__unit")


def press_for(scope: Scope) -> QuerySet[PressEntry]:
    return PressEntry.objects.within(scope).select_related("unit", "phase", "initiative")


def reviews_for(scope: Scope) -> QuerySet[Review]:
    return Review.objects.within(scope).select_related("unit", "phase")


def budget_for(scope: Scope) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.within(scope).select_related("unit", "phase")


def assignments_for(scope: Scope) -> QuerySet[FollowUpAssignment]:
    """Who follows which registration, for the registrations of the subtree."""
    return FollowUpAssignment.objects.within(scope).select_related("member",
                                                                   "member__committee")


def followup_visits_for(scope: Scope) -> QuerySet[FollowUpVisit]:
    """Follow-up visits to the registrations of the subtree."""
    return FollowUpVisit.objects.within(scope).select_related(
        "member", "registration", "registration__initiative", "registration__unit")
