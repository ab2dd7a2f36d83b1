"""Where units sat in the tree in a given year, with later moves undone (CONTRACTS §6).

A unit sits under the parent it had in the registration's year, on the last day of that year
on which it existed (31 December, or the day before it retired). Moves rewrite paths
(orgs/structure.py), so today's paths are right for every unit that never moved and no
ancestor of which ever moved; only the subtrees of moved units (`affected_q`) need their
chain of ancestors rebuilt from the move events (`chain`). Without any move this costs one
small query.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable

from django.db.models import Q

from .enums import UnitEventKind
from .models import Unit, UnitEvent

ONE_DAY = dt.timedelta(days=1)


class TreeOfTime:
    def __init__(self):
        moves: dict[int, list[tuple[dt.date, int | None]]] = {}
        for date, unit_id, old_parent in (UnitEvent.objects.filter(kind=UnitEventKind.MOVE)
                                          .order_by("date", "id")
                                          .values_list("date", "sources", "old_parent_id")):
            if unit_id is not None:
                moves.setdefault(unit_id, []).append((date, old_parent))
        self.moves = moves
        self.dates = {pk: [d for d, _ in m] for pk, m in moves.items()}
        self.units: dict[int, tuple[int | None, str, dt.date | None]] = {}
        self.moved_paths: list[str] = []
        if moves:
            self.units = {pk: (parent, path, until) for pk, parent, path, until in
                          Unit.objects.values_list("pk", "parent_id", "path", "valid_until")}
            paths = sorted(self.units[pk][1] for pk in moves if pk in self.units)
            # Keep the outermost subtrees only (a moved unit inside another one is covered).
            for path in paths:
                if not self.moved_paths or not path.startswith(self.moved_paths[-1]):
                    self.moved_paths.append(path)
        self._chains: dict[tuple[int, dt.date], tuple[int, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self.moved_paths)

    def affected_q(self, unit_field: str = "unit") -> Q:
        """Rows whose unit lies in the subtree of a moved unit (today's tree)."""
        prefix = f"{unit_field}__path" if unit_field else "path"
        q = Q(pk__in=[])
        for path in self.moved_paths:
            q |= Q(**{f"{prefix}__gte": path, f"{prefix}__lt": path[:-1] + "0"})
        return q

    def is_affected(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.moved_paths)

    def day_of(self, unit_id: int, year: int) -> dt.date:
        """The last day of `year` on which the unit existed."""
        day = dt.date(year, 12, 31)
        until = self.units.get(unit_id, (None, "", None))[2]
        return min(day, until - ONE_DAY) if until is not None else day

    def parent_on(self, unit_id: int, on: dt.date) -> int | None:
        dates = self.dates.get(unit_id)
        if dates:
            i = bisect_right(dates, on)  # the first move after `on` held the parent of then
            if i < len(dates):
                return self.moves[unit_id][i][1]
        return self.units[unit_id][0] if unit_id in self.units else None

    def chain(self, unit_id: int, year: int) -> tuple[int, ...]:
        """(the unit, its parent, …, the root) as they stood in `year`."""
        on = self.day_of(unit_id, year)
        key = (unit_id, on)
        found = self._chains.get(key)
        if found is None:
            chain, node, seen = [], unit_id, set()
            while node is not None and node not in seen:  # bad data could hold a cycle
                seen.add(node)
                chain.append(node)
                node = self.parent_on(node, on)
            found = self._chains[key] = tuple(chain)
        return found

    def inside(self, unit_id: int, year: int, ancestor_id: int) -> bool:
        return ancestor_id in self.chain(unit_id, year)

    def inside_q(self, ancestor: Unit, years: Iterable[int], unit_field: str = "unit",
                 year_field: str = "year") -> Q:
        """Rows of affected units that were inside `ancestor`'s subtree in their year."""
        years = sorted(set(years))
        groups: dict[tuple[int, ...], list[int]] = {}
        for pk, (_, path, _) in self.units.items():
            if self.is_affected(path):
                inside = tuple(y for y in years if self.inside(pk, y, ancestor.pk))
                if inside:
                    groups.setdefault(inside, []).append(pk)
        q = Q(pk__in=[])
        for inside, ids in groups.items():
            q |= Q(**{f"{unit_field}_id__in": ids, f"{year_field}__in": inside})
        return q
