"""Reads behind the home page: each is ONE aggregate query over the user's scope, with the
figures' definitions of initiatives/figures.py (the dashboard and summary use the same)."""
from __future__ import annotations

from dvk.initiatives import figures
from dvk.initiatives.queries import registrations_for
from dvk.orgs.scope import Scope
from dvk.phases.models import Phase


def state_counts(scope: Scope, phase: Phase) -> list[dict]:
    return figures.state_counts(registrations_for(scope).filter(phase=phase))


def level_figures(scope: Scope, phase: Phase) -> list[dict]:
    """Registered / recognised per level of the phase in the scope (LEVELROWs)."""
    return figures.level_rows_of(registrations_for(scope).filter(phase=phase),
                                 phase.ordered_levels())
