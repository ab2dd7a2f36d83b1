"""The movement's figures, defined once: what "registered", "recognised" and the recognition
rate mean (CONTRACTS §5), for the home page, the dashboard and the summary alike.

Registered = every state except draft and withdrawn (exceptional ones included);
recognition rate = 100 × recognised / registered, 2 decimals, None when nothing is
registered. Each function takes an already scoped registration queryset: who may see what
stays with the visibility functions.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from django.db.models import Count, Q, QuerySet

from dvk.common.formatting import recognition_rate

from .enums import OPEN, REGISTERED, State


def level_row(level_name: str, registered: int = 0, recognized: int = 0,
              not_recognized: int = 0, exceptional: int = 0) -> dict:
    """One LEVELROW of CONTRACTS §5."""
    return {"level": level_name, "registered": registered, "recognized": recognized,
            "not_recognized": not_recognized, "exceptional": exceptional,
            "recognition_rate": recognition_rate(recognized, registered)}


class LevelCounts:
    """Counts per level id, filled from rows grouped by (level, state, is_exceptional)."""

    __slots__ = ("by_level",)

    def __init__(self):
        self.by_level: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(self, level_id: int, state: str, exceptional: bool, n: int) -> None:
        c = self.by_level[level_id]
        c[0] += n  # every row comes from a queryset restricted to REGISTERED states
        if state == State.RECOGNIZED:
            c[1] += n
        elif state == State.NOT_RECOGNIZED:
            c[2] += n
        if exceptional:
            c[3] += n

    def add_counts(self, level_id: int, exceptional: bool, registered: int, recognized: int,
                   not_recognized: int) -> None:
        c = self.by_level[level_id]
        c[0] += registered
        c[1] += recognized
        c[2] += not_recognized
        if exceptional:
            c[3] += registered

    def merge(self, other: "LevelCounts") -> None:
        for level_id, counts in other.by_level.items():
            mine = self.by_level[level_id]
            for i, n in enumerate(counts):
                mine[i] += n

    def rows(self, levels) -> list[dict]:
        return [level_row(level.name, *self.by_level.get(level.pk, (0, 0, 0, 0)))
                for level in levels]


def level_and_state_counts(registrations: QuerySet, levels: Iterable) -> tuple[list[dict], list[dict]]:
    """(counts per workflow state, LEVELROWs with `level_id`) of a scoped queryset from ONE
    GROUP BY (level, state, exceptional): the home page's two cards cost one scan, not two."""
    levels = list(levels)
    by_state: dict[str, int] = {}
    counts = LevelCounts()
    for level_id, state, exceptional, n in (registrations.order_by()
                                            .values("level_id", "state", "is_exceptional")
                                            # COUNT(state): state is in the covering
                                            # index, the id is not (no table read).
                                            .annotate(n=Count("state"))
                                            .values_list("level_id", "state", "is_exceptional",
                                                         "n")):
        by_state[state] = by_state.get(state, 0) + n
        if state in REGISTERED:
            counts.add(level_id, state, exceptional, n)
    states = [{"state": s.value, "label": s.label, "count": by_state.get(s.value, 0)}
              for s in State]
    return states, [{**row, "level_id": level.pk}
                    for row, level in zip(counts.rows(levels), levels)]



def per_phase(registrations: QuerySet) -> list[dict]:
    """Registered, recognised and still open per phase, newest phase first, of a scoped
    queryset (a unit's page): one aggregate query."""
    return list(registrations.order_by()
                .values("phase__code", "phase__name", "phase__start_year")
                .annotate(registered=Count("id", filter=Q(state__in=REGISTERED)),
                          recognized=Count("id", filter=Q(state=State.RECOGNIZED)),
                          open=Count("id", filter=Q(state__in=OPEN)))
                .order_by("-phase__start_year"))
