"""Reused reads over registrations: list filters, queue counts, what is overdue.

Callers pass querysets that already come from dvk.orgs.scope (registrations_for…);
nothing here widens a scope.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dvk.common.text import fold
from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope, registrations_for, units_for, within

from .enums import REGISTERED, AppraisalStatus, ExceptionalStatus, InitiativeKind, State
from .models import Appraisal

FILTER_PARAMS = ("phase", "year", "level", "state", "field", "sector", "unit", "q", "late",
                 "exceptional", "kind")


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def filter_registrations(qs: QuerySet, params) -> QuerySet:
    """Apply GET-form filters (strings). Unknown or invalid values are ignored, never a 500.

    phase: code · year · level: id · state · field: id · sector: id · unit: unit code (its
    subtree, only if the unit is already visible in `qs`'s scope: we only narrow) · q: accent-
    and case-insensitive words in the model's title/subject/person · late=1 · exceptional=1 ·
    kind.
    """
    get = params.get if hasattr(params, "get") else dict(params).get
    phase = (get("phase") or "").strip()
    if phase:
        qs = qs.filter(phase__code=phase)
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
    q = fold(get("q") or "")
    for word in q.split()[:8]:
        qs = qs.filter(initiative__search_text__contains=word)
    if (get("late") or "") in ("1", "true", "on"):
        qs = qs.filter(is_late=True)
    if (get("exceptional") or "") in ("1", "true", "on"):
        qs = qs.filter(is_exceptional=True)
    return qs


def queue_counts(qs: QuerySet) -> dict[str, int]:
    """{state: n, …, "total", "registered", "late", "exceptional_pending"} in ONE query."""
    aggs = {s.value: Count("id", filter=Q(state=s)) for s in State}
    aggs["total"] = Count("id")
    aggs["registered"] = Count("id", filter=Q(state__in=REGISTERED))
    aggs["late"] = Count("id", filter=Q(is_late=True) & ~Q(state__in=(State.DRAFT,)))
    aggs["exceptional_pending"] = Count(
        "id", filter=Q(is_exceptional=True, exceptional_status=ExceptionalStatus.PENDING))
    return qs.order_by().aggregate(**aggs)


def overdue(scope: Scope, phase, year: int, *, today: dt.date | None = None) -> dict:
    """What is late in `scope` for `phase`/`year`, each part empty until its date has passed.

    - "units": grassroots organisations (current) with nothing submitted by the registration
      deadline (a registration of the unit or of an organisation below it counts);
    - "not_reported": registrations still ACCEPTED after the achievement-report deadline;
    - "appraisals": appraisals still open after the commemoration day (15/10).
    Also the three dates, so screens can say "hạn …".
    """
    today = today or timezone.localdate()
    reg_deadline = phase.registration_deadline_for(year)
    report_deadline = phase.report_deadline_for(year)
    commemoration = phase.date_in("commemoration_day", year)
    regs = registrations_for(scope).filter(phase=phase, year=year)

    units = Unit.objects.none()
    if today > reg_deadline:
        end = timezone.make_aware(dt.datetime.combine(reg_deadline, dt.time.max))
        paths = set(regs.filter(submitted_at__lte=end).exclude(state__in=(State.DRAFT,))
                    .values_list("unit__path", flat=True).distinct())
        covered = set()
        for p in paths:  # every ancestor-or-self path of a registering unit
            parts = p.strip("/").split("/")
            covered.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
        candidates = units_for(scope).current(reg_deadline).filter(kind=UnitKind.GRASSROOTS)
        missing = [pk for pk, path in candidates.values_list("pk", "path") if path not in covered]
        units = Unit.objects.filter(pk__in=missing).order_by("path")

    not_reported = regs.none()
    if today > report_deadline:
        not_reported = regs.filter(state=State.ACCEPTED)

    appraisals = Appraisal.objects.none()
    if today > commemoration:
        appraisals = (Appraisal.objects.filter(registration__in=regs,
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
    from dvk.orgs.scope import teams_for

    qs = teams_for(scope).filter(committee__phase_id=reg.phase_id, committee__level_id=reg.level_id)
    return qs if scope.is_superuser else qs.filter(committee__unit=scope.unit)
