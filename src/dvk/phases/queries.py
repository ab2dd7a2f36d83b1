"""Who sees which committees and appraisal teams: the subtree of the acting unit."""
from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from dvk.orgs.scope import Scope

from .models import AppraisalTeam, Phase, SteeringCommittee


def committees_for(scope: Scope) -> QuerySet[SteeringCommittee]:
    return scope.restrict(SteeringCommittee.objects.select_related("unit", "phase"))


def teams_for(scope: Scope) -> QuerySet[AppraisalTeam]:
    return scope.restrict(AppraisalTeam.objects.select_related("committee", "committee__phase"),
                          unit_field="committee__unit")


def current_phase(phases=None) -> Phase | None:
    """The phase that contains this year; else the latest one that has started; else any."""
    year = timezone.localdate().year
    phases = list(phases if phases is not None else Phase.objects.order_by("-start_year"))
    for p in phases:
        if p.start_year <= year <= p.end_year:
            return p
    started = [p for p in phases if p.start_year <= year]
    return started[0] if started else (phases[0] if phases else None)


def default_year(phase) -> int:
    """This year when `phase` covers it, else the phase's first year."""
    year = timezone.localdate().year
    if phase is not None and not (phase.start_year <= year <= phase.end_year):
        year = phase.start_year
    return year
