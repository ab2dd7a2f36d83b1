"""The summary's "time" structure with units that moved (CONTRACTS §6).

A registration counts where its unit sat in the registration's year (orgs/history_time.py):
a commune moved to another district in 2025 keeps its 2016–2020 registrations under its
old district. Rows of units whose tree never changed are counted as in summary._Subtree,
straight from today's paths; only the subtrees of moved units are grouped by year as well,
and placed by their chain of ancestors of that year.
"""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from dvk.initiatives.enums import NOT_REGISTERED, State
from dvk.orgs.history_time import TreeOfTime
from dvk.orgs.models import Unit, path_segment

from .summary import SUMMARY_KEYS, _raw_rows, _Subtree

BY_YEAR = (*SUMMARY_KEYS, "year")


def _counted_by_year(qs: QuerySet) -> QuerySet:
    return (qs.order_by().values(*BY_YEAR)
            .annotate(registered=Count("state", filter=~Q(state__in=NOT_REGISTERED)),
                      recognized=Count("state", filter=Q(state=State.RECOGNIZED)),
                      not_recognized=Count("state", filter=Q(state=State.NOT_RECOGNIZED)))
            .values_list(*BY_YEAR, "registered", "recognized", "not_recognized"))


class TimeSubtree(_Subtree):
    """`unit`'s subtree as it stood in each year of `years`."""

    def __init__(self, unit: Unit, years):
        super().__init__(unit, "time")
        self.years = sorted(set(years))
        self.tree = TreeOfTime()

    def key_of(self, child: Unit) -> str:
        return self.unit.path + path_segment(child.pk)

    def filter(self, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
        base = super().filter(qs, unit_field)
        if not self.tree:
            return base
        dated = self.tree.affected_q(unit_field) & Q(year__isnull=False)
        return base.exclude(dated) | qs.filter(
            self.tree.inside_q(self.unit, self.years, unit_field))

    def counted_rows(self, qs: QuerySet, owners=None):
        if not self.tree:
            return super().counted_rows(qs, owners)
        affected = self.tree.affected_q()
        folded = super().counted_rows(qs.exclude(affected), owners)
        own, pk = self.unit.path, self.unit.pk
        for row in _raw_rows(_counted_by_year(qs.filter(affected))):
            chain = self.tree.chain(row[0], row[5])
            if pk not in chain:
                continue
            if owners is not None:
                owner = owners.of_chain(chain[:chain.index(pk) + 1])
                if owner is None:
                    continue
                key = (owner,) + row[1:5]
            else:
                i = chain.index(pk)
                key = (own if i == 0 else own + path_segment(chain[i - 1]),) + row[1:5]
            counts = folded.get(key)
            if counts is None:
                folded[key] = list(row[6:])
            else:
                counts[0] += row[6]
                counts[1] += row[7]
                counts[2] += row[8]
        return folded

    def children(self) -> list[Unit]:
        kids = super().children()
        if not self.tree:
            return kids
        have = {c.pk for c in kids}
        then = [m for m in self.tree.moves if m not in have and any(
            self.tree.chain(m, y)[1:2] == (self.unit.pk,) for y in self.years)]
        if then:
            kids += list(Unit.objects.filter(pk__in=then))
            kids.sort(key=lambda c: c.pk)  # = today's path order among siblings
        return kids
