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


def level_rows_of(registrations: QuerySet, levels: Iterable) -> list[dict]:
    """LEVELROWs of a scoped queryset for every level given, zeros included (one query)."""
    rows = {r["level_id"]: r for r in registrations.order_by().values("level_id")
            .annotate(**LEVEL_AGGREGATES)}
    return [level_row_of(level, rows.get(level.pk)) for level in levels]


def state_counts(registrations: QuerySet) -> list[dict]:
    """[{state, label, count}] for every workflow state, zeros included (one query)."""
    found = dict(registrations.order_by().values("state").annotate(n=Count("id"))
                 .values_list("state", "n"))
    return [{"state": s.value, "label": s.label, "count": found.get(s.value, 0)} for s in State]
