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

from django.db.models import (Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value,
                              When, Window)
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.initiatives.enums import REGISTERED, ExceptionalStatus, State
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import SEGMENT, Sector, Unit
from dvk.orgs.scope import Scope, units_for, within
from dvk.awards.queries import awards_for
from dvk.phases.queries import committees_for
from dvk.common.formatting import recognition_rate
from dvk.initiatives.figures import LEVEL_AGGREGATES, level_row_of, level_rows_of
from dvk.initiatives.queries import registrations_for
from dvk.phases.models import Phase

PROBLEM_ITEMS = 20  # offending items listed per problem; the count covers them all


# --- pickers -------------------------------------------------------------------------------

def default_phase(scope: Scope) -> Phase | None:
    """The latest phase with registrations in the scope; else the latest phase."""
    phase_id = (registrations_for(scope).order_by("-phase__start_year")
                .values_list("phase_id", flat=True).first())
    if phase_id:
        return Phase.objects.get(pk=phase_id)
    return Phase.objects.order_by("-start_year").first()


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


def _grouped(qs, key: str) -> dict:
    """{(key value, level_id): aggregates} in one GROUP BY."""
    rows = qs.values(key, "level_id").annotate(**LEVEL_AGGREGATES)
    return {(r[key], r["level_id"]): r for r in rows}


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


def level_figures(scope, phase, unit, year=None) -> list[dict]:
    return level_rows_of(_registrations(scope, phase, unit, year), phase.ordered_levels())


def trend(scope, phase, unit, year=None) -> list[dict]:
    """Registered and recognised per year of the phase (one GROUP BY), zeros included."""
    rows = {r["year"]: r for r in _registrations(scope, phase, unit, year)
            .values("year").annotate(registered=LEVEL_AGGREGATES["registered"],
                                     recognized=LEVEL_AGGREGATES["recognized"])}
    years = [year] if year else list(phase.years)
    out = []
    for y in years:
        r = rows.get(y, {})
        out.append({"year": y, "registered": r.get("registered", 0),
                    "recognized": r.get("recognized", 0),
                    "recognition_rate": recognition_rate(r.get("recognized", 0),
                                                         r.get("registered", 0))})
    return out


def _breakdown(groups, levels, grouped) -> list[dict]:
    out = []
    for key, label, extra in groups:
        rows = [level_row_of(level, grouped.get((key, level.pk))) for level in levels]
        registered = sum(r["registered"] for r in rows)
        recognized = sum(r["recognized"] for r in rows)
        out.append({"key": key, "label": label, "levels": rows, "registered": registered,
                    "recognized": recognized,
                    "recognition_rate": recognition_rate(recognized, registered), **extra})
    return out


def by_field(scope, phase, unit, year=None, levels=None) -> list[dict]:
    from dvk.initiatives.models import Field

    levels = levels or list(phase.ordered_levels())
    grouped = _grouped(_registrations(scope, phase, unit, year), "field_id")
    fields = Field.objects.order_by("order", "name")
    return _breakdown([(f.pk, f.name, {"code": f.code}) for f in fields], levels, grouped)


def by_sector(scope, phase, unit, year=None, levels=None) -> list[dict]:
    levels = levels or list(phase.ordered_levels())
    grouped = _grouped(_registrations(scope, phase, unit, year), "sector_id")
    sectors = [(s.pk, s.name, {"code": s.code}) for s in Sector.objects.order_by("order", "name")]
    if any(k[0] is None for k in grouped):
        sectors.append((None, str(_("No sector")), {"code": ""}))
    return _breakdown(sectors, levels, grouped)


def by_unit(scope, phase, unit, year=None, levels=None) -> list[dict]:
    """Every direct child of `unit`, each rolled up over its subtree (one GROUP BY on the
    child's path prefix), zeros included."""
    levels = levels or list(phase.ordered_levels())
    width = len(unit.path) + SEGMENT + 1
    qs = (_registrations(scope, phase, unit, year)
          .annotate(child_path=Substr("unit__path", 1, width)))
    grouped = _grouped(qs, "child_path")
    children = units_for(scope).filter(parent=unit).order_by("sort_key", "code")
    return _breakdown([(c.path, c.name, {"code": c.code, "unit": c}) for c in children],
                      levels, grouped)


def award_figures(scope, phase, unit, year=None) -> list[dict]:
    """[{level, kind, count}] by level then kind, as in the summary's "awards"."""
    qs = within(awards_for(scope), unit).filter(phase=phase).order_by()
    if year:
        qs = qs.filter(year=year)
    rows = (qs.values("level__name", "level__order", "kind__name", "kind__order", "kind_id")
            .annotate(count=Count("id")).order_by("level__order", "kind__order"))
    return [{"level": r["level__name"] or "", "kind": r["kind__name"], "kind_id": r["kind_id"],
             "count": r["count"]} for r in rows]


def award_occasion_figures(scope, phase, unit, year=None) -> list[dict]:
    """[{occasion (label), count, money}] in the occasions' order, as the summary's
    "awards_by_occasion" and "award_money" count them; awards without a recorded occasion
    (imports) last."""
    from dvk.awards.enums import OCCASION_ORDER, Occasion

    qs = within(awards_for(scope), unit).filter(phase=phase).order_by()
    if year:
        qs = qs.filter(year=year)
    rows = qs.values("occasion").annotate(count=Count("id"), money=Sum("amount"))
    out = [{"code": r["occasion"], "count": r["count"], "money": r["money"] or 0,
            "occasion": Occasion(r["occasion"]).label if r["occasion"] in Occasion.values
            else _("Not recorded")} for r in rows]
    return sorted(out, key=lambda r: OCCASION_ORDER.get(r["code"], len(OCCASION_ORDER)))


def figures(scope: Scope, phase: Phase, unit: Unit, year: int | None = None) -> Figures:
    levels = list(phase.ordered_levels())
    awards = award_figures(scope, phase, unit, year)
    occasions = award_occasion_figures(scope, phase, unit, year)
    kinds: dict = {}
    for a in awards:
        kinds.setdefault(a["kind"], 0)
        kinds[a["kind"]] += a["count"]
    return Figures(
        phase=phase, unit=unit, year=year,
        levels=level_figures(scope, phase, unit, year),
        trend=trend(scope, phase, unit, year),
        by_unit=by_unit(scope, phase, unit, year, levels),
        by_field=by_field(scope, phase, unit, year, levels),
        by_sector=by_sector(scope, phase, unit, year, levels),
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


def _windowed(qs) -> tuple[int, list]:
    """The first PROBLEM_ITEMS rows and the total, in ONE query (a window count)."""
    items = list(qs.annotate(problem_total=Window(Count("id")))[:PROBLEM_ITEMS])
    return (items[0].problem_total if items else 0), items


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
          .order_by("level__order", "unit__path", "id"))
    return _windowed(qs)


def awards_without_recognition(scope, phase, unit, year=None) -> tuple[int, list]:
    qs = within(awards_for(scope), unit).filter(phase=phase, registration__isnull=False)
    if year:
        qs = qs.filter(year=year)
    qs = (qs.exclude(registration__state=State.RECOGNIZED)
          .filter(registration__is_exceptional=False)
          .select_related("registration__initiative").order_by("level__order", "id"))
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
          .order_by("level__order", "unit__path", "id"))
    return _windowed(qs)


def recognised_without_number(scope, phase, unit, year=None) -> tuple[int, list]:
    qs = (_registrations(scope, phase, unit, year)
          .filter(state=State.RECOGNIZED, decision__isnull=True, certificate_number="")
          .order_by("level__order", "unit__path", "id"))
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
        items = list(qs[:50])
        count = len(items) if len(items) < 50 else qs.count()
        sections.append({"key": key, "title": title, "deadline": result.get(deadline),
                         "count": count, "items": items})
    return sections
