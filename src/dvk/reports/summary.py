"""The statistics of a phase for one unit's subtree (CONTRACTS §5) and smaller selectors.

Everything is counted in the database with one GROUP BY per unit (unit, field, sector,
level, exceptional), the states counted by FILTER: the covering index
`registration_summary` (initiatives/models.py) lets PostgreSQL stream those groups from the
index alone, without a join or a hash table.
Python then folds the per-unit rows into per-child rows: paths have fixed-width segments
(orgs/models.py), so the first len(unit.path) + SEGMENT + 1 characters of a unit's path are
the path of the child of `unit` that holds it (or the unit's own, shorter path). Comparing
those prefixes is aggregation, not access control: the subtree itself is selected through
dvk.orgs.scope.within(). On 1,000,000 registrations this is what keeps the whole-country
summary under a second (bench/run.py, docs/benchmarks.md).

Two structures:
- "time"  — a registration stays with the unit it was made under (retired units included);
- "today" — a registration of a retired unit is first moved to the unit that carries its
  data today (dvk.orgs.history.current_unit_map) and then grouped by today's tree. A
  registration whose unit maps to a unit outside the subtree leaves the subtree. Rows that
  land under a retired child without a successor count in the totals but not in by_unit
  (that child is no longer part of today's tree).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum

from dvk.activities.figures import activities_summary
from dvk.initiatives.figures import LevelCounts
from dvk.initiatives.enums import NOT_REGISTERED, REGISTERED, State
from dvk.orgs.models import SEGMENT, Sector, Unit
from dvk.orgs.scope import within

STRUCTURES = ("time", "today")
# The tree as it stands, retired units where they sit now: how the registrations list
# selects a unit's subtree, so the dashboard's counts equal the list each one links to.
AS_LISTED = "listed"
NO_SECTOR = "Chưa xác định khối"
COUNT_KEYS = ("registered", "recognized", "not_recognized", "exceptional")


# --- counting ------------------------------------------------------------------------------

GROUP = ("level_id", "state", "is_exceptional")


def _grouped(qs: QuerySet, *keys: str):
    """(key values…, level_id, state, is_exceptional, n) tuples of a registration queryset."""
    # COUNT(*), not COUNT(id): the id is not in the covering index.
    return (qs.order_by().values(*keys, *GROUP).annotate(n=Count("*"))
            .values_list(*keys, *GROUP, "n"))


def _raw_rows(qs: QuerySet) -> list[tuple]:
    """The rows of a values_list() queryset fetched through a plain cursor: the same SQL,
    without Django's per-row converters (a country is ~150,000 grouped rows)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


SUMMARY_KEYS = ("unit_id", "field_id", "sector_id", "level_id", "is_exceptional")


def _counted(qs: QuerySet) -> QuerySet:
    """Per-unit rows (SUMMARY_KEYS…, registered, recognized, not_recognized): the GROUP BY
    follows the covering index `registration_summary` column by column, and states are
    counted with FILTER instead of being a group key, so PostgreSQL streams ~70,000 groups
    for a million registrations straight from the index. (COUNT(state), not COUNT(id):
    the id is not in the index, and state is never NULL.)"""
    return (qs.order_by().values(*SUMMARY_KEYS)
            .annotate(registered=Count("state", filter=~Q(state__in=NOT_REGISTERED)),
                      recognized=Count("state", filter=Q(state=State.RECOGNIZED)),
                      not_recognized=Count("state", filter=Q(state=State.NOT_RECOGNIZED)))
            .values_list(*SUMMARY_KEYS, "registered", "recognized", "not_recognized"))


# The summary is of the unit it is asked for (reports.view checked the asker may see it);
# its queries restrict to that unit's subtree, or structure, themselves.
FOR_ITS_UNIT = "the summary restricts to its unit's subtree"


def in_phase(phase, *, year: int | None = None) -> QuerySet:
    """Every registration of a phase, drafts and withdrawn ones included (callers drop them)."""
    from dvk.initiatives.models import Registration

    qs = Registration.objects.unscoped(FOR_ITS_UNIT).filter(phase=phase)
    return qs.filter(year=year) if year is not None else qs


def registered(phase, *, year: int | None = None) -> QuerySet:
    """Registrations of a phase that count as registered (REGISTERED states), all units."""
    from dvk.initiatives.models import Registration

    qs = Registration.objects.unscoped(FOR_ITS_UNIT).filter(phase=phase, state__in=REGISTERED)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def level_rows(qs: QuerySet, levels: Iterable) -> list[dict]:
    """LEVELROWs (CONTRACTS §5) for an already scoped registration queryset.

    `qs` should contain registered registrations only (see registered())."""
    counts = LevelCounts()
    for level_id, state, exc, n in _grouped(qs):
        counts.add(level_id, state, exc, n)
    return counts.rows(levels)


# --- the scope of a summary ----------------------------------------------------------------

class _Subtree:
    """Which registrations (or awards) belong to `unit` under a structure, and where each
    rolls up among the unit's direct children."""

    def __init__(self, unit: Unit, structure: str):
        if structure not in (*STRUCTURES, AS_LISTED):
            raise ValueError(f"structure must be one of {STRUCTURES}")
        self.unit = unit
        self.structure = structure
        self.key_len = len(unit.path) + SEGMENT + 1
        self.moved: dict[int, str] = {}  # retired unit id → today's carrier path (in subtree)
        if structure == "today":
            from dvk.orgs.history import current_unit_map

            mapping = current_unit_map()
            if mapping:
                paths = dict(Unit.objects.filter(pk__in=set(mapping.values()))
                             .values_list("pk", "path"))
                low = unit.path
                self.moved = {src: paths[tgt] for src, tgt in mapping.items()
                              if tgt in paths and paths[tgt].startswith(low)}

    def filter(self, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
        inside = within(qs, self.unit, unit_field)
        if self.structure == "time":
            return inside
        stays = inside.filter(**{f"{unit_field}__successor__isnull": True})
        if not self.moved:
            return stays
        return stays | qs.filter(**{f"{unit_field}_id__in": list(self.moved)})

    def counted_rows(self, qs: QuerySet, owners: "Owners | None" = None):
        """{(child key, field_id, sector_id, level_id, is_exceptional): [registered,
        recognized, not_recognized]} for the registrations of the subtree. The child key is
        a child's path, or the unit's own shorter path; with `owners`, the id of the owner
        whose subtree holds the row (rows under no owner are left out)."""
        # unit id → (path, has a successor), for every unit of the subtree, retired included.
        units = {pk: (path, succ is not None) for pk, path, succ in
                 within(Unit.objects.all(), self.unit, "").values_list("pk", "path",
                                                                       "successor_id")}
        folded: dict[tuple, list[int]] = {}
        key_len, today, moved = self.key_len, self.structure == "today", self.moved

        def fold(path, row):
            # Hot loop (one row per unit and combination: ~70,000 for a country).
            if owners is None:
                key = (path[:key_len],) + row[1:5]
            else:
                owner = owners.of_path(path)
                if owner is None:
                    return
                key = (owner,) + row[1:5]
            counts = folded.get(key)
            if counts is None:
                folded[key] = list(row[5:])
            else:
                counts[0] += row[5]
                counts[1] += row[6]
                counts[2] += row[7]

        for row in _raw_rows(_counted(within(qs, self.unit))):
            path, retired_with_successor = units[row[0]]
            if today and retired_with_successor:
                path = moved.get(row[0])
                if path is None:  # its data is carried by a unit outside this subtree
                    continue
            fold(path, row)
        outside = [pk for pk in moved if pk not in units]
        if outside:  # retired units elsewhere whose data is carried inside this subtree
            for row in _raw_rows(_counted(qs.filter(unit_id__in=outside))):
                fold(moved[row[0]], row)
        return folded

    def key_of(self, child: Unit) -> str:
        """The key of `child`'s rows in counted_rows()."""
        return child.path

    def children(self) -> list[Unit]:
        qs = within(Unit.objects.all(), self.unit, "").filter(parent=self.unit)
        if self.structure == "today":
            qs = qs.current()
        return list(qs.order_by("path"))


def subtree_for(unit: Unit, structure: str, phase) -> _Subtree:
    """The scope of a summary; "time" places units that moved where they were then."""
    if structure == "time":
        from .summary_time import TimeSubtree

        return TimeSubtree(unit, phase.years)
    if structure == AS_LISTED:
        return _Subtree(unit, "time")  # today's paths, nothing moved back or forward
    return _Subtree(unit, structure)


class Owners:
    """Where a row counts among `units` (none inside another, all in one subtree) as each
    one's own summary (structure "time") counts it: under the unit whose subtree holds the
    row's unit by today's path or, for units that moved (orgs.history_time), under the
    first of them in the row's unit's chain of ancestors in the row's year. Keys are ids."""

    def __init__(self, units):
        self.by_path = {u.path: u.pk for u in units}
        self.ids = set(self.by_path.values())
        self._of_path: dict[str, int | None] = {}

    def of_path(self, path: str) -> int | None:
        found = self._of_path.get(path, -1)
        if found == -1:  # the path itself, then its ancestors' (fixed-width segments)
            found = next((self.by_path[path[:n]] for n in range(len(path), 1, -SEGMENT - 1)
                          if path[:n] in self.by_path), None)
            self._of_path[path] = found
        return found

    def of_chain(self, chain) -> int | None:
        return next((a for a in chain if a in self.ids), None)

    def rows(self, qs: QuerySet, top: Unit, year: int, unit_field: str, *values: str,
             tree=None, **aggregates):
        """(owner id, *values, *aggregates) of ONE grouped query over `qs` (rows of `year`)
        in `top`'s subtree, each row placed as above; rows under no owner are left out."""
        from dvk.orgs.history_time import TreeOfTime

        tree = TreeOfTime() if tree is None else tree
        inside = within(qs, top, unit_field)
        if tree:  # rows of moved subtrees may have sat under `top` in their year
            inside = inside | qs.filter(tree.affected_q(unit_field))
        for unit_id, path, *rest in (
                inside.order_by().values(f"{unit_field}_id", f"{unit_field}__path", *values)
                .annotate(**aggregates)
                .values_list(f"{unit_field}_id", f"{unit_field}__path", *values, *aggregates)):
            owner = (self.of_chain(tree.chain(unit_id, year)) if tree and tree.is_affected(path)
                     else self.of_path(path))
            if owner is not None:
                yield (owner, *rest)


# --- the summary ---------------------------------------------------------------------------

@dataclass
class Tally:
    """The registration figures of a unit's subtree from ONE grouped scan: totals, per
    field, per sector and per direct child, each per level (LevelCounts). The summary, the
    dashboard and the annual report all read their counts from here."""

    levels: list
    subtree: "_Subtree"
    children: list[Unit]
    total: LevelCounts
    by_field: dict[int, LevelCounts]
    by_sector: dict[int | None, LevelCounts]
    per_child: dict[str, LevelCounts]
    owners: "Owners | None" = None  # when counted for owners (per_child keyed by their ids)

    def of_child(self, child: Unit) -> LevelCounts:
        return self.per_child.get(self.subtree.key_of(child), LevelCounts())

    def of_owner(self, owner: Unit) -> LevelCounts:
        """An owner's counts, when the tally was made for `owners`."""
        return self.per_child.get(owner.pk, LevelCounts())


def tally(phase, unit, *, structure: str = "time", year: int | None = None,
          owners: list[Unit] | None = None) -> Tally:
    """Count `unit`'s subtree in `phase` (optionally one year); see the module docstring.
    With `owners` (units of the subtree, none inside another; structure "time"), per_child
    counts each of them instead of the direct children: an upper unit's report assembled
    from the units it follows counts each as its own summary would."""
    levels = list(phase.ordered_levels())
    subtree = subtree_for(unit, structure, phase)
    if owners is not None and structure != "time":
        raise ValueError("owners are counted in the structure of the time")
    placed = Owners(owners) if owners is not None else None
    base = in_phase(phase, year=year)  # drafts and withdrawn ones are not counted
    # Every figure comes from rows folded to (child, field, sector, level, exceptional) —
    # a few thousand rows whatever the number of registrations.
    total = LevelCounts()
    by_field: dict[int, LevelCounts] = defaultdict(LevelCounts)
    by_sector: dict[int | None, LevelCounts] = defaultdict(LevelCounts)
    per_child: dict = defaultdict(LevelCounts)
    for (key, field_id, sector_id, level_id, exc), counts in subtree.counted_rows(
            base, placed).items():
        for target in (total, by_field[field_id], by_sector[sector_id], per_child[key]):
            target.add_counts(level_id, exc, *counts)
    return Tally(levels, subtree, subtree.children(), total, by_field, by_sector, per_child,
                 placed)


def build_summary(phase, unit, *, structure: str = "time", year: int | None = None) -> dict:
    """The summary JSON of CONTRACTS §5 for `unit`'s subtree in `phase` (optionally one year).

    One grouped scan of the registrations (two with structure="today"), one of the awards,
    and small catalogue reads, whatever the size of the tree; see the module docstring."""
    from dvk.initiatives.models import Field

    counted = tally(phase, unit, structure=structure, year=year)
    levels, children = counted.levels, counted.children
    by_unit = [{"code": child.code, "name": child.name,
                "levels": counted.of_child(child).rows(levels)} for child in children]
    by_sector = counted.by_sector
    sector_rows = [{"sector": s.name, "levels": by_sector.get(s.pk, LevelCounts()).rows(levels)}
                   for s in Sector.objects.order_by("order", "name")]
    if None in by_sector:
        sector_rows.append({"sector": NO_SECTOR, "levels": by_sector[None].rows(levels)})

    award_rows, by_occasion, money = award_figures(counted.subtree, phase, levels, year)

    summary = {
        "phase": phase.code,
        "unit": {"code": unit.code, "name": unit.name},
        "levels": counted.total.rows(levels),
        "by_unit": by_unit,
        "by_field": [{"field": f.name,
                      "levels": counted.by_field.get(f.pk, LevelCounts()).rows(levels)}
                     for f in Field.objects.order_by("order", "name")],
        "by_sector": sector_rows,
        "awards": award_rows,
        "awards_by_occasion": by_occasion,
        "award_money": money,
    }
    # CONTRACTS §9: training, inspections, press contest, appraisal teams, reviews.
    summary["activities"] = activities_summary(phase, unit, counted.subtree, year=year,
                                               children=children)
    return summary


def award_groups(subtree, phase, year=None) -> list[tuple]:
    """(level_id, kind_id, occasion, count, money, awards with money) of the subtree's
    awards in the phase: ONE grouped scan, for the summary and the dashboard alike."""
    from dvk.awards.models import Award

    awards = Award.objects.unscoped(FOR_ITS_UNIT).filter(phase=phase)
    if year is not None:
        awards = awards.filter(year=year)
    return list(subtree.filter(awards).order_by().values("level_id", "kind_id", "occasion")
                .annotate(n=Count("pk"), money=Sum("amount"), paid=Count("amount"))
                .values_list("level_id", "kind_id", "occasion", "n", "money", "paid"))


def award_figures(subtree, phase, levels, year=None, groups=None) -> tuple[list, list, dict]:
    """The summary's three award keys from award_groups(): "awards" (CONTRACTS §5: one row
    per level and kind, non-zero only), "awards_by_occasion" (the same split by occasion;
    null = not recorded, as in imports of past phases) and "award_money" (the total in
    đồng, how many awards carried money, and per level and kind)."""
    from dvk.awards.enums import OCCASION_NAMES, OCCASION_ORDER
    from dvk.awards.models import AwardKind

    grouped = groups if groups is not None else award_groups(subtree, phase, year)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    occasions: dict[tuple, int] = defaultdict(int)
    for level_id, kind_id, occasion, n, amount, paid in grouped:
        c = counts[(level_id, kind_id)]
        c[0] += n
        c[1] += amount or 0
        c[2] += paid
        occasions[(level_id, kind_id, occasion or None)] += n
    kinds = list(AwardKind.objects.order_by("order", "name"))
    rows, by_occasion, money_rows = [], [], []
    for level in [*levels, None]:
        level_id, name = (level.pk, level.name) if level else (None, None)
        for kind in kinds:
            n, amount, _paid = counts.get((level_id, kind.pk), (0, 0, 0))
            if not n:
                continue
            rows.append({"level": name, "kind": kind.name, "count": n})
            if amount:
                money_rows.append({"level": name, "kind": kind.name, "amount": amount})
            here = sorted(((o, k) for (lv, kd, o), k in occasions.items()
                           if lv == level_id and kd == kind.pk),
                          key=lambda ok: OCCASION_ORDER.get(ok[0], len(OCCASION_ORDER)))
            by_occasion += [{"level": name, "kind": kind.name,
                             "occasion": OCCASION_NAMES.get(o) if o else None, "count": k}
                            for o, k in here]
    money = {"total": sum(c[1] for c in counts.values()),
             "awards_with_money": sum(c[2] for c in counts.values()),
             "by_level": money_rows}
    return rows, by_occasion, money


def trend_by_year(phase, unit, *, structure: str = "time") -> list[dict]:
    """[{"year": 2016, "levels": [LEVELROW…]}, …] for every year of the phase."""
    levels = list(phase.ordered_levels())
    per_year: dict[int, LevelCounts] = defaultdict(LevelCounts)
    scoped = subtree_for(unit, structure, phase).filter(registered(phase))
    for y, level_id, state, exc, n in _grouped(scoped, "year"):
        per_year[y].add(level_id, state, exc, n)
    years = sorted(set(phase.years) | set(per_year))
    return [{"year": y, "levels": per_year.get(y, LevelCounts()).rows(levels)} for y in years]
