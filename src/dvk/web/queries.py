"""Reads behind the home page: each is ONE aggregate query over the user's scope."""
from __future__ import annotations

from django.db.models import Count, Q

from dvk.initiatives.enums import REGISTERED, State
from dvk.orgs.scope import Scope
from dvk.initiatives.queries import registrations_for
from dvk.phases.models import Phase


def state_counts(scope: Scope, phase: Phase) -> list[dict]:
    """[{state, label, count}] for every workflow state, zeros included (one query)."""
    rows = (registrations_for(scope).filter(phase=phase).order_by()
            .values("state").annotate(n=Count("id")))
    found = {r["state"]: r["n"] for r in rows}
    return [{"state": s.value, "label": s.label, "count": found.get(s.value, 0)} for s in State]


def level_figures(scope: Scope, phase: Phase) -> list[dict]:
    """Registered / recognised per level of the phase in the scope (one query).

    "Registered" follows the contract: every state except draft and withdrawn.
    """
    rows = (registrations_for(scope).filter(phase=phase).order_by()
            .values("level_id")
            .annotate(registered=Count("id", filter=Q(state__in=REGISTERED)),
                      recognized=Count("id", filter=Q(state=State.RECOGNIZED)),
                      not_recognized=Count("id", filter=Q(state=State.NOT_RECOGNIZED)),
                      exceptional=Count("id", filter=Q(state__in=REGISTERED, is_exceptional=True))))
    by_level = {r["level_id"]: r for r in rows}
    from dvk.common.formatting import recognition_rate

    out = []
    for level in phase.levels.all():  # ordered by "order" (Meta)
        r = by_level.get(level.pk, {})
        reg, rec = r.get("registered", 0), r.get("recognized", 0)
        out.append({"level": level, "registered": reg, "recognized": rec,
                    "not_recognized": r.get("not_recognized", 0),
                    "exceptional": r.get("exceptional", 0),
                    "rate": recognition_rate(rec, reg)})
    return out
