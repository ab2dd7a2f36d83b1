"""Selectors behind the dashboard: figures, trend, breakdowns and data problems.

Every selector takes the acting scope plus the unit the user picked (already checked
with unit_for) and is ONE aggregate query over scope ∩ the unit's subtree. The figures
follow CONTRACTS §5 (the same definitions as reports.summary.build_summary):
registered = every state except draft and withdrawn; recognition rate = 100 × recognised
/ registered, 2 decimals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (Case, Exists, IntegerField, OuterRef, Q, Value, When,
                              prefetch_related_objects)
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.initiatives.enums import REGISTERED, ExceptionalStatus, State
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Sector, Unit
from dvk.orgs.scope import Scope, units_for, within
from dvk.awards.queries import awards_for
from dvk.phases.queries import committees_for
from dvk.common.formatting import recognition_rate
from dvk.initiatives.queries import registrations_for
from dvk.phases.models import Phase

from .summary import AS_LISTED, LevelCounts, award_figures, award_groups, tally, trend_by_year

PROBLEM_ITEMS = 20  # offending items listed per problem, the newest first
PROBLEM_CAP = 1000  # counted exactly up to this; beyond, "more than 1.000" (a bounded scan)


# --- pickers -------------------------------------------------------------------------------

def default_phase(scope: Scope) -> Phase | None:
    """The latest phase with registrations in the scope; else the latest phase. One EXISTS
    per phase, newest first (a handful of phases): no sort over the registrations."""
    phases = list(Phase.objects.order_by("-start_year"))
    for phase in phases:
        if registrations_for(scope).filter(phase=phase).exists():
            return phase
    return phases[0] if phases else None


def registrations_url(**params) -> str | None:
    """The registrations list filtered like a chart bar; None while that page is missing."""
    try:
        base = reverse("initiatives:registrations")
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def registration_link(pk: int) -> str | None:
    """The page of one registration, whatever the initiatives section names it."""
    for name, kwarg in (("initiatives:registration", "registration_id"),
                        ("initiatives:registration_detail", "registration_id"),
                        ("initiatives:registration", "pk")):
        try:
            return reverse(name, kwargs={kwarg: pk})
        except NoReverseMatch:
            continue
    return None


# --- figures -------------------------------------------------------------------------------

def _registrations(scope: Scope, phase: Phase, unit: Unit, year: int | None):
    qs = within(registrations_for(scope), unit).filter(phase=phase).order_by()
    return qs.filter(year=year) if year else qs


@dataclass
class Figures:
    phase: Phase
    unit: Unit
    year: int | None
    levels: list[dict]
    trend: list[dict]
    by_unit: list[dict]
    by_field: list[dict]
    by_sector: list[dict]
    awards: list[dict]
    award_kinds: list[dict] = field(default_factory=list)
    award_occasions: list[dict] = field(default_factory=list)
    award_money: int = 0

    @property
    def total_registered(self) -> int:
        return sum(r["registered"] for r in self.levels)

    @property
    def total_exceptional(self) -> int:
        return sum(r["exceptional"] for r in self.levels)


def _level_rows(counts: LevelCounts, levels) -> list[dict]:
    """LEVELROWs plus `level_id` (for the links)."""
    return [{**r, "level_id": level.pk} for r, level in zip(counts.rows(levels), levels)]


def _breakdown(groups, levels, counted: dict) -> list[dict]:
    out = []
    for key, label, extra in groups:
        rows = _level_rows(counted.get(key, LevelCounts()), levels)
        registered = sum(r["registered"] for r in rows)
        recognized = sum(r["recognized"] for r in rows)
        out.append({"key": key, "label": label, "levels": rows, "registered": registered,
                    "recognized": recognized,
                    "recognition_rate": recognition_rate(recognized, registered), **extra})
    return out


def trend(phase, unit, year=None, structure=AS_LISTED) -> list[dict]:
    """Registered and recognised per year of the phase, zeros included (summary's counts)."""
    rows = {r["year"]: r["levels"] for r in trend_by_year(phase, unit, structure=structure)}
    out = []
    for y in ([year] if year else list(phase.years)):
        levels = rows.get(y, [])
        registered = sum(r["registered"] for r in levels)
        recognized = sum(r["recognized"] for r in levels)
        out.append({"year": y, "registered": registered, "recognized": recognized,
                    "recognition_rate": recognition_rate(recognized, registered)})
    return out


def award_occasions(groups) -> list[dict]:
    """[{occasion (label), count, money}] in the occasions' order, from the summary's award
    groups; awards without a recorded occasion (imports) last."""
    from dvk.awards.enums import OCCASION_ORDER, Occasion

    per: dict = {}
    for _level, _kind, occasion, n, money, _paid in groups:
        c = per.setdefault(occasion or None, [0, 0])
        c[0] += n
        c[1] += money or 0
    out = [{"code": code, "count": n, "money": money,
            "occasion": Occasion(code).label if code in Occasion.values else _("Not recorded")}
           for code, (n, money) in per.items()]
    return sorted(out, key=lambda r: OCCASION_ORDER.get(r["code"], len(OCCASION_ORDER)))


def figures(scope: Scope, phase: Phase, unit: Unit, year: int | None = None, *,
            structure: str = AS_LISTED) -> Figures:
    """The dashboard's figures: the summary's own counts (reports.summary.tally, one grouped
    scan) arranged for the page, with the trend by year and the awards. `unit` was
    checked visible (unit_for): the summary counts its whole subtree, as the scope would."""
    from dvk.initiatives.models import Field

    counted = tally(phase, unit, structure=structure, year=year)
    levels = counted.levels
    children = sorted(counted.children, key=lambda c: (c.sort_key, c.code))  # as in the tree
    by_unit = [(c.path, c.name, {"code": c.code, "unit": c}) for c in children]
    per_child = {c.path: counted.of_child(c) for c in counted.children}
    sectors = [(s.pk, s.name, {"code": s.code}) for s in Sector.objects.order_by("order", "name")]
    if None in counted.by_sector:
        sectors.append((None, str(_("No sector")), {"code": ""}))
    groups = award_groups(counted.subtree, phase, year)
    awards, _occasions, _money = award_figures(counted.subtree, phase, levels, year, groups)
    kinds: dict = {}
    for a in awards:
        kinds[a["kind"]] = kinds.get(a["kind"], 0) + a["count"]
    occasions = award_occasions(groups)
    return Figures(
        phase=phase, unit=unit, year=year,
        levels=_level_rows(counted.total, levels),
        trend=trend(phase, unit, year, structure),
        by_unit=_breakdown(by_unit, levels, per_child),
        by_field=_breakdown([(f.pk, f.name, {"code": f.code})
                             for f in Field.objects.order_by("order", "name")],
                            levels, counted.by_field),
        by_sector=_breakdown(sectors, levels, counted.by_sector),
        awards=awards,
        award_kinds=[{"kind": k, "count": n} for k, n in kinds.items()],
        award_occasions=occasions,
        award_money=sum(r["money"] for r in occasions),
    )


# --- data problems -------------------------------------------------------------------------

@dataclass
class Problem:
    code: str
    title: str
    help: str
    count: int
    items: list  # model instances (registrations, awards or units)
    item_kind: str  # "registration" | "award" | "unit"
    informational: bool = False

    @property
    def capped(self) -> bool:
        """More offending rows than were counted (the page says "more than 1.000")."""
        return self.count > PROBLEM_CAP


def _windowed(qs) -> tuple[int, list]:
    """The first PROBLEM_ITEMS rows and how many there are, counted up to PROBLEM_CAP + 1:
    a check that matches most of a country's registrations must not count them all."""
    # The newest ids first, from a narrow query (the joins of the listed rows' titles, units
    # and levels then cost 20 lookups, not one per offending row), then those rows.
    from dvk.initiatives.models import Registration

    ids = list(qs.values_list("pk", flat=True)[:PROBLEM_ITEMS])
    # (Ids found through the scoped `qs`; the base manager only reads those rows.) Their
    # relations by prefetch: a seven-table join cost ~10 ms to plan, the lookups < 1 ms.
    # A registration shows its model and unit (a three-table join plans quickly) and its
    # level, read once for every check by data_problems.
    rows = qs.model._base_manager
    rows = (rows.select_related("initiative", "unit") if qs.model is Registration
            else rows.prefetch_related(*_related(qs)))
    by_pk = rows.in_bulk(ids)
    items = [by_pk[pk] for pk in ids]
    if len(ids) < PROBLEM_ITEMS:
        return len(ids), items
    return qs.order_by()[:PROBLEM_CAP + 1].count(), items


def _related(qs) -> list[str]:
    """The select_related paths of `qs` ("a__b" form), so the rows fetched by id keep them."""
    def walk(tree, prefix=""):
        for name, sub in tree.items():
            yield prefix + name
            yield from walk(sub, f"{prefix}{name}__")
    related = qs.query.select_related
    return list(walk(related)) if isinstance(related, dict) else []


def unpromoted_registrations(scope, phase, unit, year=None) -> tuple[int, list]:
    """Registrations above the lowest level that are neither exceptional nor backed by a
    recognised registration of the same initiative at the level just below."""
    from dvk.initiatives.models import Registration

    levels = list(phase.ordered_levels())
    if len(levels) < 2:
        return 0, []
    below = Case(*[When(level_id=upper.pk, then=Value(lower.pk))
                   for lower, upper in zip(levels, levels[1:])],
                 default=Value(None), output_field=IntegerField())
    recognised_below = Registration.objects.unscoped("a yes/no: recognised a level below").filter(
        initiative_id=OuterRef("initiative_id"), level_id=OuterRef("level_below"),
        state=State.RECOGNIZED)
    qs = (_registrations(scope, phase, unit, year)
          .filter(state__in=REGISTERED, is_exceptional=False)
          .exclude(level_id=levels[0].pk)
          .annotate(level_below=below)
          .filter(~Exists(recognised_below))
          .order_by("-pk"))
    return _windowed(qs)


def awards_without_recognition(scope, phase, unit, year=None) -> tuple[int, list]:
    from dvk.initiatives.models import Registration

    # The awarded registrations that are neither recognised nor exceptional, from their
    # partial index (Registration.has_award; normally empty), then their awards: joining a
    # country's ~200,000 awards with their registrations cost ~0.5 s to find none. The
    # suspects are read first because the planner, not knowing the index is empty, starts
    # from the awards.
    suspects = (Registration.objects.unscoped("narrowed by the scoped awards below")
                .filter(has_award=True, is_exceptional=False).exclude(state=State.RECOGNIZED)
                .order_by().values_list("pk", flat=True))
    ids = list(suspects[:PROBLEM_CAP + 1])
    qs = within(awards_for(scope), unit).filter(
        phase=phase, registration__in=ids if len(ids) <= PROBLEM_CAP else suspects)
    if year:
        qs = qs.filter(year=year)
    qs = (qs.exclude(registration__state=State.RECOGNIZED)
          .filter(registration__is_exceptional=False)
          .select_related("registration__initiative").order_by("-pk"))
    return _windowed(qs)


def units_without_committee(scope, phase, unit) -> tuple[int, list]:
    """Units that should steer the movement and had no committee while in force during the
    phase: provinces and districts, and the grassroots units directly under them (communes,
    agencies) — under a province alone since the two-tier reform."""
    start, end = f"{phase.start_year}-01-01", f"{phase.end_year}-12-31"
    has_committee = committees_for(scope).filter(unit_id=OuterRef("pk"), phase=phase)
    upper = (UnitKind.PROVINCE, UnitKind.DISTRICT)
    qs = (within(units_for(scope), unit, unit_field="")
          .filter(Q(kind__in=upper) | Q(kind=UnitKind.GRASSROOTS, parent__kind__in=upper))
          .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end),
                  Q(valid_until__isnull=True) | Q(valid_until__gt=start))
          .filter(~Exists(has_committee)).order_by("path"))
    return _windowed(qs)


def exceptional_without_basis(scope, phase, unit, year=None) -> tuple[int, list]:
    qs = (_registrations(scope, phase, unit, year)
          .filter(state__in=REGISTERED, is_exceptional=True)
          .filter(Q(exceptional_reason="") | ~Q(exceptional_status=ExceptionalStatus.APPROVED))
          .order_by("-pk"))
    return _windowed(qs)


def recognised_without_number(scope, phase, unit, year=None) -> tuple[int, list]:
    qs = (_registrations(scope, phase, unit, year)
          .filter(state=State.RECOGNIZED, decision__isnull=True, certificate_number="")
          .order_by("-pk"))
    return _windowed(qs)


def data_problems(scope: Scope, phase: Phase, unit: Unit, year: int | None = None) -> list[Problem]:
    """Every check, offending items included; problems with no item are kept (count 0)
    so the page can say the check passed."""
    checks = [
        ("unpromoted", _("Registered above the lowest level without a recognised registration below"),
         _("Neither exceptional nor promoted from a registration recognised at the level below."),
         unpromoted_registrations(scope, phase, unit, year), "registration", False),
        ("award_unrecognised", _("Awards to models that are not recognised"),
         _("The awarded registration is neither recognised nor exceptional."),
         awards_without_recognition(scope, phase, unit, year), "award", False),
        ("no_committee", _("Units without a steering committee for the phase"),
         _("District-level units and above that have no steering committee for this phase."),
         units_without_committee(scope, phase, unit), "unit", False),
        ("exceptional", _("Exceptional registrations without a reason or approval"),
         _("An exceptional registration needs a reason and an approval."),
         exceptional_without_basis(scope, phase, unit, year), "registration", False),
        ("no_number", _("Recognised without a decision or certificate number"),
         _("For information: the recognition is recorded but no decision or certificate "
           "number was entered."),
         recognised_without_number(scope, phase, unit, year), "registration", True),
    ]
    for _code, _t, _h, (_n, items), kind, _i in checks:
        for item in items:
            reg_id = item.pk if kind == "registration" else getattr(item, "registration_id", None)
            item.link = registration_link(reg_id) if reg_id else None
    prefetch_related_objects([item for *_, (_n, items), kind, _i in checks
                              if kind == "registration" for item in items], "level")
    return [Problem(code=code, title=title, help=help_, count=count, items=items,
                    item_kind=kind, informational=info)
            for code, title, help_, (count, items), kind, info in checks]


# --- units lagging behind the calendar -----------------------------------------------------

def lagging(scope: Scope, phase: Phase, unit: Unit, year: int | None) -> list[dict] | None:
    """Units behind the calendar in `unit`'s subtree, from initiatives.queries.overdue:
    [{key, title, deadline, count, items}] (items: up to 50; count: all). None when the
    calendar checks are not installed."""
    try:
        from dvk.initiatives.queries import overdue
    except ImportError:
        return None
    year = year or min(max(phase.start_year, timezone.localdate().year), phase.end_year)
    result = overdue(scope, phase, year)
    parts = (
        ("units", "", _("Nothing registered by the deadline"), "registration_deadline"),
        ("not_reported", "unit", _("Achievement reports overdue"), "report_deadline"),
        ("appraisals", "registration__unit", _("Appraisals overdue"), "commemoration_day"),
    )
    sections = []
    for key, unit_field, title, deadline in parts:
        qs = result.get(key)
        if qs is None:
            continue
        qs = within(qs, unit, unit_field=unit_field)
        if key == "units":
            # Each unit's probe is the cost (~50 ms for a country's communes): run them once
            # for the ids, not once for the first 50 and again for the count.
            ids = list(qs.values_list("pk", flat=True))
            by_pk = Unit._base_manager.in_bulk(ids[:50])
            items, count = [by_pk[pk] for pk in ids[:50]], len(ids)
        else:  # titles and units only: no catalogue prefetched (listed() would read four)
            items = list(qs.prefetch_related(None)[:50])
            count = len(items) if len(items) < 50 else qs.count()
        sections.append({"key": key, "title": title, "deadline": result.get(deadline),
                         "count": count, "items": items})
    return sections
