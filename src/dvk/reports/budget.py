"""Budget per unit (kinh phí): what each unit's committee was allocated and spent in a phase,
and the money it gave with awards — spending too, counted in the totals. Activities and
awards are siblings below reports; this is where both are read together.

Award money counts for the unit that gave it (the deciding committee's unit, the award's
decision), else for the award's unit (an award recorded without a decision)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dvk.activities.enums import BudgetKind
from dvk.activities.queries import budget_for
from dvk.awards.queries import awards_for
from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope


@dataclass
class BudgetRow:
    unit: Unit
    allocated: int = 0
    spent: int = 0
    awards: int = 0
    n_awards: int = 0

    @property
    def total_spent(self) -> int:
        return self.spent + self.awards

    @property
    def balance(self) -> int:
        return self.allocated - self.total_spent


def budget_by_unit(scope: Scope, phase, unit: Unit, year: int | None = None
                   ) -> tuple[list[BudgetRow], BudgetRow]:
    """One row per unit of `unit`'s subtree with budget lines or award money in `phase`
    (units in tree order), and the total row. Three queries."""
    lines = budget_for(scope).filter(phase=phase, unit__path__startswith=unit.path)
    awards = awards_for(scope).filter(phase=phase, amount__isnull=False).annotate(
        giver=Coalesce("decision__unit_id", "unit_id"))
    if year is not None:
        lines, awards = lines.filter(year=year), awards.filter(year=year)
    rows: dict[int, BudgetRow] = {}
    for r in lines.order_by().values("unit_id").annotate(
            allocated=Sum("amount", filter=Q(kind=BudgetKind.ALLOCATION)),
            spent=Sum("amount", filter=Q(kind=BudgetKind.SPENDING))):
        rows[r["unit_id"]] = BudgetRow(None, r["allocated"] or 0, r["spent"] or 0)
    for r in awards.order_by().values("giver").annotate(money=Sum("amount"), n=Count("pk")):
        row = rows.setdefault(r["giver"], BudgetRow(None))
        row.awards, row.n_awards = r["money"] or 0, r["n"]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(rows),
                                                  path__startswith=unit.path)}
    out = []
    for u in sorted(units.values(), key=lambda u: u.path):
        row = rows[u.pk]
        row.unit = u
        out.append(row)
    total = BudgetRow(unit, sum(r.allocated for r in out), sum(r.spent for r in out),
                      sum(r.awards for r in out), sum(r.n_awards for r in out))
    return out, total

