"""The movement's figures, defined once: what "registered", "recognised" and the recognition
rate mean (CONTRACTS §5), for the home page, the dashboard and the summary alike.

Registered = every state except draft and withdrawn (exceptional ones included);
recognition rate = 100 × recognised / registered, 2 decimals, None when nothing is
registered. Each function takes an already scoped registration queryset: who may see what
stays with the visibility functions.
"""
from __future__ import annotations

from typing import Iterable

from django.db.models import Count, Q, QuerySet

from dvk.common.formatting import recognition_rate

from .enums import REGISTERED, State

LEVEL_AGGREGATES = dict(
    registered=Count("id", filter=Q(state__in=REGISTERED)),
    recognized=Count("id", filter=Q(state=State.RECOGNIZED)),
    not_recognized=Count("id", filter=Q(state=State.NOT_RECOGNIZED)),
    exceptional=Count("id", filter=Q(state__in=REGISTERED, is_exceptional=True)),
)


def level_row(level_name: str, registered: int = 0, recognized: int = 0,
              not_recognized: int = 0, exceptional: int = 0) -> dict:
    """One LEVELROW of CONTRACTS §5."""
    return {"level": level_name, "registered": registered, "recognized": recognized,
            "not_recognized": not_recognized, "exceptional": exceptional,
            "recognition_rate": recognition_rate(recognized, registered)}


def level_row_of(level, aggregates: dict | None) -> dict:
    """The LEVELROW (plus `level_id`, for links) of a level from LEVEL_AGGREGATES values."""
    aggregates = aggregates or {}
    return {**level_row(level.name, *(aggregates.get(k, 0) for k in LEVEL_AGGREGATES)),
            "level_id": level.pk}


def level_and_state_counts(registrations: QuerySet, levels: Iterable) -> tuple[list[dict], list[dict]]:
    """(state_counts(), level_rows_of()) of a scoped queryset from ONE GROUP BY (level,
    state, exceptional): the home page's two cards cost one scan, not two."""
    levels = list(levels)
    by_state: dict[str, int] = {}
    by_level: dict[int, dict] = {}
    for level_id, state, exceptional, n in (registrations.order_by()
                                            .values("level_id", "state", "is_exceptional")
                                            .annotate(n=Count("pk"))
                                            .values_list("level_id", "state", "is_exceptional",
                                                         "n")):
        by_state[state] = by_state.get(state, 0) + n
        row = by_level.setdefault(level_id, dict.fromkeys(LEVEL_AGGREGATES, 0))
        if state in REGISTERED:
            row["registered"] += n
            row["exceptional"] += n if exceptional else 0
        if state == State.RECOGNIZED:
            row["recognized"] += n
        elif state == State.NOT_RECOGNIZED:
            row["not_recognized"] += n
    states = [{"state": s.value, "label": s.label, "count": by_state.get(s.value, 0)}
              for s in State]
    return states, [level_row_of(level, by_level.get(level.pk)) for level in levels]
