"""Reused reads: list filters, queue counts, what is overdue; models found across the tree.

Callers pass querysets that already come from a visibility function (registrations_for…). The one
read that looks beyond a scope is the whole-tree search (findable_models / similar_models):
finding a model to replicate or a duplicate needs other units' models, and it shows those
only once recognised, and only their public fields.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Left, Length
from django.utils import timezone

from dvk.common.text import search_words, small_int
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope, units_for, within
from dvk.phases.models import Phase

from . import sqlite_indexes
from .enums import (AppraisalStatus, Conclusion, InitiativeKind,
                    State)
from .models import Appraisal, Decision, Initiative, Registration, RegistrationTarget

FILTER_PARAMS = ("phase", "year", "level", "state", "field", "sector", "unit", "q", "late",
                 "exceptional", "kind")


def initiatives_for(scope: Scope):
    return Initiative.objects.within(scope).select_related("unit", "sector", "field")


def registrations_for(scope: Scope):
    return Registration.objects.within(scope).select_related(
        "initiative", "unit", "phase", "level", "field", "sector")


def listed(qs: QuerySet) -> QuerySet:
    """Registrations as lists show them: the model and the unit by join, the small
    catalogues (phase, level, field, sector) by prefetch. A seven-table join cost
    PostgreSQL ~10 ms of planning per query, more than a page's own work (0.4 ms this way)."""
    return (qs.select_related(None).select_related("initiative", "unit")
            .prefetch_related("phase", "level", "field", "sector"))


def decisions_for(scope: Scope):
    """Decisions issued by a unit of the scope's subtree (a committee's own and those of
    the committees below it)."""
    return Decision.objects.within(scope).select_related("unit", "phase", "level")


def appraisals_for(scope: Scope):
    """Appraisals of registrations the scope sees."""
    return (Appraisal.objects.within(scope)
            .select_related("registration__initiative", "registration__unit",
                            "registration__level", "registration__phase", "team", "appraiser"))


def _int(value) -> int | None:
    """A number of a query string, bounded (common.text.small_int), or None."""
    return small_int(value)


def filter_registrations(qs: QuerySet, params, *, phases=None) -> QuerySet:
    """Apply GET-form filters (strings). Unknown or invalid values are ignored, never a 500.

    phase: code · year · level: id · state · field: id · sector: id · unit: unit code (its
    subtree, only if the unit is already visible in `qs`'s scope: we only narrow) · q: accent-
    and case-insensitive words in the model's title/subject/person · late=1 · exceptional=1 ·
    kind. `phases`: the phases already read (a page's filter form), to find `phase` in.
    """
    get = params.get if hasattr(params, "get") else dict(params).get
    phase = (get("phase") or "").strip()
    if phase:
        # The phase's id and its years: the years bound the (…, year, id) indexes' range (a
        # registration's year lies inside its phase); plain values give the planner true
        # estimates, which sub-selects would not.
        if phases is not None:
            chosen = next(((p.pk, p.start_year, p.end_year) for p in phases if p.code == phase),
                          None)
        else:
            chosen = (Phase.objects.filter(code=phase[:16])
                      .values_list("pk", "start_year", "end_year").first())
        if chosen is None:
            return qs.none()
        qs = qs.filter(phase_id=chosen[0], year__gte=chosen[1], year__lte=chosen[2])
    if (year := _int(get("year"))) is not None and 1900 <= year <= 2200:
        qs = qs.filter(year=year)
    for name in ("level", "field", "sector"):
        if (pk := _int(get(name))) is not None:
            qs = qs.filter(**{f"{name}_id": pk})
    state = (get("state") or "").strip()
    if state in State.values:
        qs = qs.filter(state=state)
    kind = (get("kind") or "").strip()
    if kind in InitiativeKind.values:
        qs = qs.filter(initiative__kind=kind)
    code = (get("unit") or "").strip()
    if code:
        unit = Unit.objects.filter(code=code).only("pk", "path").first()
        # An unknown code narrows to nothing rather than silently showing everything.
        qs = within(qs, unit) if unit else qs.none()
    qs = search_initiatives(qs, get("q"), "initiative")
    if (get("late") or "") in ("1", "true", "on"):
        qs = qs.filter(is_late=True)
    if (get("exceptional") or "") in ("1", "true", "on"):
        qs = qs.filter(is_exceptional=True)
    return qs


def search_initiatives(qs: QuerySet, query, initiative: str = "") -> QuerySet:
    """Rows whose model's folded search text holds every folded word of `query`: "dan van"
    finds "Dân vận". `initiative`: the path from `qs`'s rows to their model ("" when `qs`
    holds the models). On PostgreSQL `search_text LIKE '%word%'` (case-sensitive `contains`:
    both sides are folded to lower case) is served by the GIN trigram index (migration 0002);
    on SQLite the words of three letters or more go to the trigram FTS5 index
    (initiatives.sqlite_indexes) and only shorter ones are matched by LIKE."""
    words = search_words(query)
    if not words:
        return qs
    prefix = f"{initiative}__" if initiative else ""
    if sqlite_indexes.ready(connections[qs.db]):
        indexed = [w for w in words if len(w) >= sqlite_indexes.MIN_WORD]
        if indexed:
            ids = f"{initiative}_id__in" if initiative else "pk__in"
            qs = qs.filter(**{ids: sqlite_indexes.holding(indexed)})
        words = [w for w in words if len(w) < sqlite_indexes.MIN_WORD]
    for word in words:
        qs = qs.filter(**{f"{prefix}search_text__contains": word})
    return qs


def _due_by_kind(phase, year: int, kind: str, levels) -> dict[str, dt.date]:
    """{unit kind: the deadline of `kind` for a unit of that kind}, cascading down the levels
    as the calendar does (phases.calendar, DVK_DEADLINE_OFFSET_DAYS): a unit's deadline
    depends only on its kind's level in the phase."""
    from types import SimpleNamespace

    from dvk.phases.calendar import deadline_of

    return {k: deadline_of(SimpleNamespace(kind=k), phase, year, kind, levels).date
            for k in UnitKind.values}


def overdue(scope: Scope, phase, year: int, *, today: dt.date | None = None) -> dict:
    """What is late in `scope` for `phase`/`year`, each part empty until its date has passed.

    Each unit is held to its OWN deadline, the phase's date less the per-level offsets
    (phases.calendar.deadlines_for): a commune's registrations are due before its
    province's, so a commune is late from the day after its own deadline.
    - "units": grassroots organisations (current) with nothing submitted by their
      registration deadline (a registration of the unit or of an organisation below it counts);
    - "not_reported": registrations still ACCEPTED after their unit's achievement-report
      deadline;
    - "appraisals": appraisals still open after the commemoration day (15/10).
    Also the dates (those of grassroots units, the first to fall due), so screens can say
    "hạn …".
    """
    from dvk.phases.calendar import REGISTRATION, REPORT

    today = today or timezone.localdate()
    levels = list(phase.ordered_levels())  # one query: the calendar's level steps
    reg_due = _due_by_kind(phase, year, REGISTRATION, levels)
    report_due = _due_by_kind(phase, year, REPORT, levels)
    reg_deadline = reg_due[UnitKind.GRASSROOTS]
    report_deadline = report_due[UnitKind.GRASSROOTS]
    commemoration = phase.date_in("commemoration_day", year)
    regs = registrations_for(scope).filter(phase=phase, year=year)

    units = Unit.objects.none()
    if today > reg_deadline:
        end = timezone.make_aware(dt.datetime.combine(reg_deadline, dt.time.max))
        # The first registration submitted in time by the unit or by one below it (its path
        # in the unit's range): a scalar sub-select, so PostgreSQL probes the index
        # registration_in_time per unit and stops at the first found (as NOT EXISTS it may
        # turn into one join against every registration of the year).
        path = OuterRef("path")
        in_time = (Registration.objects.unscoped("inside units the scope sees (below)")
                   .filter(phase=phase, year=year, submitted_at__lte=end)
                   .exclude(state=State.DRAFT)
                   .filter(unit__path__gte=path,
                           unit__path__lt=Concat(Left(path, Length(path) - 1), Value("0")))
                   .order_by().values("pk")[:1])
        units = (units_for(scope).current(reg_deadline).filter(kind=UnitKind.GRASSROOTS)
                 .annotate(first_in_time=Subquery(in_time))
                 .filter(first_in_time__isnull=True).order_by("path"))

    not_reported = regs.none()
    past = [k for k, due in report_due.items() if today > due]
    if past:
        late = regs.filter(state=State.ACCEPTED)
        if len(past) < len(report_due):  # else every kind is late: no join to the units
            late = late.filter(unit__kind__in=past)
        # Newest first, as lists are: ordering by the model's title sorted every overdue
        # row of a country (10,000 in the benchmark) to show the first 50.
        not_reported = listed(late).order_by("-year", "-pk")

    appraisals = Appraisal.objects.none()
    if today > commemoration:
        appraisals = (Appraisal.objects.within(scope).filter(registration__in=regs,
                                               status=AppraisalStatus.ASSIGNED)
                      .select_related("registration__initiative", "appraiser", "team"))
    return {"registration_deadline": reg_deadline, "report_deadline": report_deadline,
            "commemoration_day": commemoration, "units": units,
            "not_reported": not_reported, "appraisals": appraisals}


def committee_queue(scope: Scope, phase) -> QuerySet:
    """The registrations the scope's committee judges in `phase`: at its level, inside its
    subtree (phases.rules). Empty for a unit without a committee in that phase; a whole-
    system administrator sees every level."""
    from dvk.phases.rules import committee_level

    qs = registrations_for(scope).filter(phase=phase)
    if scope.is_superuser:
        return qs
    level = committee_level(scope, phase)
    return qs.filter(level=level) if level is not None else qs.none()


def teams_judging(scope: Scope, reg) -> QuerySet:
    """Appraisal teams the scope may assign to `reg`: those of its own committee at the
    registration's level (the rule appraisal.assign says the same)."""
    from dvk.phases.queries import teams_for

    qs = teams_for(scope).filter(committee__phase_id=reg.phase_id, committee__level_id=reg.level_id)
    return qs if scope.is_superuser else qs.filter(committee__unit=scope.unit)


# --- models found across the tree: duplicate warning, replication ---------------------------

@dataclass(frozen=True)
class PublicModel:
    """A model as the whole-tree searches show it (web widgets and API alike).

    Only these fields exist, so no template or schema can reach a person's name, position or
    a description: another unit's model is shown by what its recognition made public.
    """

    id: int
    title: str
    kind: str
    kind_label: str
    unit_code: str
    unit_name: str
    field: str
    recognized_level: str | None  # the highest level it was recognised at…
    recognized_year: int | None   # …and the year of that recognition
    own: bool                     # in the viewer's subtree (then it may be a draft)
    start_year: int | None        # the viewer's own models only
    score: float


def findable_models(scope: Scope) -> QuerySet[Initiative]:
    """Models `scope` may find across the tree: its own subtree's (drafts included) and,
    elsewhere, those recognised at least once. For searching and for checking a
    `replicates` choice; never rendered as such (similar_models gives the public shape)."""
    if scope.is_superuser:
        return Initiative.objects.within(scope)
    why = "the whole-tree search: other units' models once recognised"
    recognised = Registration.objects.unscoped(why).filter(initiative=OuterRef("pk"),
                                                           state=State.RECOGNIZED)
    return Initiative.objects.unscoped(why).filter(scope.unit_q("unit") | Q(Exists(recognised)))


def replicable(scope: Scope, pk) -> Initiative | None:
    """The model `pk` if `scope` may name it as the one a model replicates, else None."""
    pk = _int(pk)
    return findable_models(scope).filter(pk=pk).first() if pk else None


def similar_models(scope: Scope, title: str, *, unit=None, year: int | None = None,
                   limit: int = 10, exclude_id: int | None = None) -> list[PublicModel]:
    """Findable models with a title like `title`: an identical title first, then `unit`'s
    (and `year`'s) models, then the rest by similarity (similarity.similar_titles)."""
    from .similarity import similar_titles

    # Load what PublicModel needs and the columns the ranking reads, nothing private.
    qs = findable_models(scope).select_related("unit", "field").only(
        "id", "title", "kind", "start_year", "unit__code", "unit__name", "unit__path",
        "field__name")
    found = similar_titles(title, unit=unit, year=year, limit=limit, exclude_id=exclude_id,
                           queryset=qs)
    best = _best_recognitions([ini.pk for ini, _ in found])
    result = []
    for ini, score in found:
        own = scope.contains(ini.unit)
        result.append(_public_model(ini, best, own=own, score=score))
    return result


def _best_recognitions(ids) -> dict[int, tuple]:
    """{initiative id: (level order, year, level name)} of each one's highest recognition
    (the latest at that level), in one query."""
    best: dict[int, tuple] = {}
    recognitions = (Registration.objects.unscoped("the recognitions of models found above")
                    .filter(initiative_id__in=list(ids), state=State.RECOGNIZED).order_by()
                    .values_list("initiative_id", "level__order", "year", "level__name"))
    for ini_id, order, rec_year, level in recognitions:
        if ini_id not in best or (order, rec_year) > best[ini_id][:2]:
            best[ini_id] = (order, rec_year, level)
    return best


def _public_model(ini, best, *, own=False, score=0.0) -> PublicModel:
    _order, rec_year, level = best.get(ini.pk, (None, None, None))
    return PublicModel(
        id=ini.pk, title=ini.title, kind=ini.kind, kind_label=str(ini.get_kind_display()),
        unit_code=ini.unit.code, unit_name=ini.unit.name, field=ini.field.name,
        recognized_level=level, recognized_year=rec_year, own=own,
        start_year=ini.start_year if own else None, score=score)


# --- the public gallery: recognised models, their public fields only -------------------------
# Anonymous visitors read across the whole tree, so every read below says why (the safety
# net, common/scoping.py) and goes no further than recognised registrations. What a page may
# show is the shape returned here (PublicModel, PublicStory): a template cannot reach a
# person's name or position, a certifier, a signer, a committee's comment or who typed it.

PUBLIC_WHY = "public gallery: recognised models only"


def recognised_registrations() -> QuerySet[Registration]:
    """Every recognised registration of the whole tree: what the public gallery stands on."""
    return Registration.objects.unscoped(PUBLIC_WHY).filter(state=State.RECOGNIZED)


def public_models(params=None) -> QuerySet[Initiative]:
    """Models recognised at least once, newest recognition first, filtered by GET-form
    strings (unknown or invalid values are ignored, never a 500):

    q: accent- and case-insensitive words (the folded search_text) · field: id · unit: unit
    code (its subtree; an unknown code finds nothing) · year: a year of recognition ·
    level: a level's name (levels are per phase; "Tỉnh" means Tỉnh of any phase) · kind."""
    get = (params.get if hasattr(params, "get") else dict(params or {}).get)
    recognised = recognised_registrations().filter(initiative=OuterRef("pk"))
    if (year := _int(get("year"))) is not None and 1900 <= year <= 2200:
        recognised = recognised.filter(year=year)
    level = (get("level") or "").strip()
    if level:
        recognised = recognised.filter(level__name=level[:64])
    latest = (recognised_registrations().filter(initiative=OuterRef("pk")).order_by()
              .values("initiative").annotate(y=Max("year")).values("y"))
    qs = (Initiative.objects.unscoped(PUBLIC_WHY).filter(Exists(recognised))
          .annotate(recognised_year=Subquery(latest)))
    if (pk := _int(get("field"))) is not None:
        qs = qs.filter(field_id=pk)
    kind = (get("kind") or "").strip()
    if kind in InitiativeKind.values:
        qs = qs.filter(kind=kind)
    code = (get("unit") or "").strip()
    if code:
        unit = Unit.objects.filter(code=code[:64]).only("pk", "path", "parent_id").first()
        qs = within(qs, unit) if unit else qs.none()
    qs = search_initiatives(qs, get("q"))
    return (qs.select_related("unit", "field")
            .only("id", "title", "kind", "unit__code", "unit__name", "field__name",
                  "sort_key")
            .order_by("-recognised_year", "sort_key", "id"))


def public_cards(initiatives) -> list[PublicModel]:
    """A page of public_models() in the public shape, with each one's highest recognition
    (one query for the page)."""
    initiatives = list(initiatives)
    best = _best_recognitions([ini.pk for ini in initiatives])
    return [_public_model(ini, best) for ini in initiatives]


@dataclass(frozen=True)
class PublicRecognition:
    level: str
    year: int
    decision_number: str
    decision_date: dt.date | None


@dataclass(frozen=True)
class PublicTarget:
    criterion: str
    target: str
    unit_of_measure: str
    result: str


@dataclass(frozen=True)
class PublicStory:
    """A recognised model's page: what it is, who carries it (a collective; an exemplar's
    person is never named), its story and measurable results, and its recognitions."""

    model: PublicModel
    carried_by: str               # the collective; "" for an exemplar (a person)
    sector: str
    description: str              # phones, e-mails and the exemplar's person masked
    topics: tuple[str, ...]
    start_year: int | None
    recognitions: tuple[PublicRecognition, ...]
    targets: tuple[PublicTarget, ...]  # of the latest recognition
    updated_at: dt.datetime


def public_story(pk) -> PublicStory | None:
    """The public page of model `pk`, or None unless it has been recognised (4 queries)."""
    from dvk.common.text import redact_contacts

    pk = _int(pk)
    if pk is None:
        return None
    ini = (Initiative.objects.unscoped(PUBLIC_WHY)
           .filter(Exists(recognised_registrations().filter(initiative=OuterRef("pk"))),
                   pk=pk)
           .select_related("unit", "field", "sector")
           .only("id", "title", "kind", "subject", "person_name", "description", "start_year",
                 "updated_at", "unit__code", "unit__name", "field__name", "sector__name")
           .first())
    if ini is None:
        return None
    regs = list(recognised_registrations().filter(initiative=ini)
                .select_related("level", "decision")
                .only("id", "year", "updated_at", "level__name", "level__order",
                      "decision__number", "decision__date")
                .order_by("-year", "-level__order"))
    best = {ini.pk: max(((r.level.order, r.year, r.level.name) for r in regs))}
    targets = (RegistrationTarget.objects.filter(registration=regs[0])
               .values_list("criterion", "target", "unit_of_measure", "result"))
    collective = ini.kind == InitiativeKind.COLLECTIVE
    # An exemplar's person (its name, and the carrier of a person's model) is masked in the
    # story too; a collective's carrier is the collective, shown as such.
    people = [ini.person_name] + ([] if collective else [ini.subject])
    return PublicStory(
        model=_public_model(ini, best),
        carried_by=ini.subject if collective else "",
        sector=ini.sector.name if ini.sector_id else "",
        description=redact_contacts(ini.description, people),
        topics=tuple(ini.tags.order_by("name").values_list("name", flat=True)),
        start_year=ini.start_year,
        recognitions=tuple(PublicRecognition(
            r.level.name, r.year, r.decision.number if r.decision_id else "",
            r.decision.date if r.decision_id else None) for r in regs),
        targets=tuple(PublicTarget(*t) for t in targets),
        updated_at=max([ini.updated_at, *(r.updated_at for r in regs)]))


def public_facets() -> dict:
    """What the gallery's filters offer: the years and level names of recognitions."""
    rows = recognised_registrations().order_by().values_list("year", "level__name").distinct()
    years, levels = set(), set()
    for year, level in rows:
        years.add(year)
        levels.add(level)
    return {"years": sorted(years, reverse=True), "levels": sorted(levels)}


def public_fingerprint(initiative_id=None) -> tuple:
    """(how many, last change) of the recognised registrations — of one model, or all: the
    gallery's ETag and Last-Modified, in one query."""
    qs = recognised_registrations()
    if initiative_id is not None:
        qs = qs.filter(initiative_id=_int(initiative_id) or 0)
    row = qs.order_by().aggregate(n=Count("id"), reg=Max("updated_at"),
                                  ini=Max("initiative__updated_at"))
    stamps = [s for s in (row["reg"], row["ini"]) if s is not None]
    return row["n"], max(stamps) if stamps else None


# --- what the decision step shows of the appraisals ------------------------------------------

@dataclass(frozen=True)
class AppraisalSummary:
    """The completed appraisals of one registration: mean total (out of 50) and conclusions."""

    appraisals: int
    average: float | None
    recommend: int
    not_recommend: int

    @property
    def score(self) -> str:
        """"41", "41,5" (Vietnamese decimal comma); "" before any appraisal is completed."""
        from dvk.common.formatting import vn_decimal

        if self.average is None:
            return ""
        return vn_decimal(self.average, 0 if float(self.average).is_integer() else 1)

    @property
    def conclusion(self) -> str:
        """"recommend", "not_recommend", "split" (appraisers disagree) or "" (none yet)."""
        if self.recommend and self.not_recommend:
            return "split"
        return "recommend" if self.recommend else "not_recommend" if self.not_recommend else ""


def appraisal_summaries(registrations) -> dict[int, AppraisalSummary]:
    """{registration id: AppraisalSummary} for registrations already read in scope (a page
    of a list), in one query."""
    ids = [r.pk for r in registrations]
    rows = (Appraisal.objects.unscoped("the appraisals of registrations read in scope")
            .filter(registration_id__in=ids, status=AppraisalStatus.COMPLETED)
            .order_by().values("registration_id")
            .annotate(n=Count("id"), average=Avg("total"),
                      rec=Count("id", filter=Q(conclusion=Conclusion.RECOMMEND)),
                      not_rec=Count("id", filter=Q(conclusion=Conclusion.NOT_RECOMMEND))))
    return {row["registration_id"]: AppraisalSummary(
        row["n"], float(row["average"]) if row["average"] is not None else None, row["rec"],
        row["not_rec"]) for row in rows}
