"""Reading the tree through time.

Two ways to answer a report for past data (docs/org-tree.md):
- by the structure of the time: units in force then (`units_as_of`), under the parents they
  had then (`parent_map_as_of`, `subtree_ids_as_of` undo later moves);
- rolled up to today's units: each retired unit's data goes to the unit carrying it today
  (`current_unit_map`, `carriers`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from .enums import UnitEventKind
from .models import Unit, UnitEvent


def units_as_of(on: dt.date) -> QuerySet[Unit]:
    """Units in force on a date (retired later or never)."""
    return Unit.objects.current(on)


def current_unit_map() -> dict[int, int]:
    """{retired unit id: id of the unit that carries its data today}, following successor
    chains (A merged into B, B merged into C → A ↦ C). Units without a successor are absent
    (they map to themselves). Cycles, which bad data could create, stop the walk."""
    successor = dict(Unit.objects.filter(successor__isnull=False)
                     .values_list("id", "successor_id"))
    result = {}
    for start in successor:
        seen = {start}
        target = successor[start]
        while target in successor and successor[target] not in seen:
            seen.add(target)
            target = successor[target]
        result[start] = target
    return result


def carriers(unit_ids: Iterable[int]) -> dict[int, Unit]:
    """{unit id: the unit carrying its data today} for the given units (itself when it has
    no successor), e.g. for the units that have registrations in a report."""
    mapping = current_unit_map()
    ids = set(unit_ids)
    targets = {mapping.get(i, i) for i in ids}
    units = Unit.objects.in_bulk(targets)
    return {i: units[mapping.get(i, i)] for i in ids if mapping.get(i, i) in units}


def carrier_of(unit: Unit) -> Unit:
    """The unit carrying `unit`'s data today (itself when it was never retired)."""
    return carriers([unit.pk]).get(unit.pk, unit)


def roll_up_ids(current_unit: Unit) -> set[int]:
    """Ids of every unit whose data belongs to `current_unit`'s subtree today: the subtree
    itself and every retired unit whose successor chain ends inside it."""
    inside = set(Unit.objects.subtree_of(current_unit).values_list("pk", flat=True))
    return inside | {old for old, new in current_unit_map().items() if new in inside}


def parent_map_as_of(on: dt.date) -> dict[int, int | None]:
    """{unit id: parent id} as the tree stood on `on`: today's parents with every move dated
    after `on` undone, latest first. Units created later are still listed; combine with
    `units_as_of` when only units in force matter."""
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    moves = (UnitEvent.objects.filter(kind=UnitEventKind.MOVE, date__gt=on)
             .order_by("-date", "-id").prefetch_related("sources"))
    for event in moves:
        for unit in event.sources.all():
            parents[unit.pk] = event.old_parent_id
    return parents


def subtree_ids_as_of(unit: Unit, on: dt.date) -> set[int]:
    """Ids of `unit` and all units below it in the structure of `on` (moves undone)."""
    children: dict[int | None, list[int]] = {}
    for child, parent in parent_map_as_of(on).items():
        children.setdefault(parent, []).append(child)
    result, stack = set(), [unit.pk]
    while stack:
        node = stack.pop()
        if node in result:
            continue
        result.add(node)
        stack.extend(children.get(node, ()))
    return result
