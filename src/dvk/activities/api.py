"""Activities API (/api/v1/activities/…): the lists of the committee's year, with the
screens' scope (the acting unit's subtree). Each list takes `phase` (code), `year`,
`unit` (a code: that unit's subtree; 404 outside the scope), `offset` and `limit`, and
answers {"count", "items"} in a fixed number of queries whatever the page size."""
from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from dvk.common.text import small_int, window
from dvk.orgs.scope import unit_for

from .enums import FORM_LABEL, GENRE_LABEL, REVIEW_KIND_LABEL
from .queries import (budget_for, followup_visits_for, press_for, reviews_for, rounds_for,
                      trainings_for, visits_for)

router = Router(tags=["activities"])
MAX_PAGE = 500


class TrainingOut(Schema):
    id: int
    phase: str
    unit: str
    unit_name: str
    date: dt.date
    name: str
    place: str
    audience: str
    attendances: int
    warnings: list[str]


class VisitOut(Schema):
    id: int
    unit: str
    unit_name: str
    date: dt.date
    findings: str
    recommendations: str
    status: str
    closed_on: dt.date | None


class RoundOut(Schema):
    id: int
    phase: str
    code: str
    form: str
    title: str
    unit: str
    unit_name: str
    decision_number: str
    decision_date: dt.date | None
    start_date: dt.date
    end_date: dt.date | None
    visits: list[VisitOut]
    warnings: list[str]


class PressOut(Schema):
    id: int
    phase: str
    unit: str
    title: str
    author: str
    outlet: str
    genre: str
    year: int
    model_code: str | None
    national_eligible: bool
    national_finalist: bool
    provincial_prize: str
    warnings: list[str]


class ReviewOut(Schema):
    id: int
    phase: str
    unit: str
    unit_name: str
    kind: str
    planned_date: dt.date | None
    held_on: dt.date | None
    held_as: str


class BudgetOut(Schema):
    id: int
    phase: str
    unit: str
    kind: str
    date: dt.date
    amount: int
    purpose: str
    document_ref: str
    warnings: list[str]


class FollowUpVisitOut(Schema):
    id: int
    registration_id: int
    model_title: str
    unit: str
    date: dt.date
    visitor: str
    member: str | None
    on_site: bool
    findings: str
    guidance: str
    next_step: str


def _page(schema):
    return type(f"{schema.__name__[:-3]}Page", (Schema,),
                {"__annotations__": {"count": int, "items": list[schema]}})


def _narrow(request, qs, *, phase, year, unit, unit_field="unit", phase_field="phase"):
    if phase:
        qs = qs.filter(**{f"{phase_field}__code": phase})
    if (number := small_int(year, 1900, 2200)) is not None:
        qs = qs.filter(year=number)
    if unit:
        u = unit_for(request.scope, unit)  # 404 outside the scope
        qs = qs.filter(**{f"{unit_field}__path__startswith": u.path})
    return qs


def _slice(qs, offset, limit):
    return qs.count(), list(qs[window(offset, limit, MAX_PAGE)])


@router.get("/activities/training", response=_page(TrainingOut))
def list_training(request, phase: str = "", year: str = "", unit: str = "", offset: int = 0,
                  limit: int = 100):
    from .flags import training_flags

    qs = _narrow(request, trainings_for(request.scope), phase=phase, year=year, unit=unit)
    count, rows = _slice(qs.order_by("-date", "name", "pk"), offset, limit)
    return {"count": count, "items": [
        {"id": t.pk, "phase": t.phase.code, "unit": t.unit.code, "unit_name": t.unit.name,
         "date": t.date, "name": t.name, "place": t.place, "audience": t.audience,
         "attendances": t.attendances, "warnings": training_flags(t)} for t in rows]}


@router.get("/activities/inspections", response=_page(RoundOut))
def list_inspections(request, phase: str = "", year: str = "", unit: str = "",
                     offset: int = 0, limit: int = 100):
    """Rounds with their visits (the visits the caller sees)."""
    from .flags import round_flags

    qs = _narrow(request, rounds_for(request.scope), phase=phase, year=year, unit=unit)
    count, rows = _slice(qs, offset, limit)
    by_round: dict[int, list] = {}
    for v in visits_for(request.scope).filter(round__in=[r.pk for r in rows]).order_by(
            "date", "unit__path"):
        by_round.setdefault(v.round_id, []).append(
            {"id": v.pk, "unit": v.unit.code, "unit_name": v.unit.name, "date": v.date,
             "findings": v.findings, "recommendations": v.recommendations,
             "status": v.status, "closed_on": v.closed_on})
    return {"count": count, "items": [
        {"id": r.pk, "phase": r.phase.code, "code": r.code, "form": FORM_LABEL[r.form],
         "title": r.title, "unit": r.unit.code, "unit_name": r.unit.name,
         "decision_number": r.decision_number, "decision_date": r.decision_date,
         "start_date": r.start_date, "end_date": r.end_date,
         "visits": by_round.get(r.pk, []), "warnings": round_flags(r)} for r in rows]}


@router.get("/activities/press", response=_page(PressOut))
def list_press(request, phase: str = "", year: str = "", unit: str = "", offset: int = 0,
               limit: int = 100):
    from .flags import press_flags

    qs = _narrow(request, press_for(request.scope), phase=phase, year=year, unit=unit)
    count, rows = _slice(qs.order_by("-year", "title", "pk"), offset, limit)
    return {"count": count, "items": [
        {"id": e.pk, "phase": e.phase.code, "unit": e.unit.code, "title": e.title,
         "author": e.author, "outlet": e.outlet, "genre": GENRE_LABEL[e.genre],
         "year": e.year, "model_code": e.initiative.code if e.initiative_id else None,
         "national_eligible": e.national_eligible, "national_finalist": e.national_finalist,
         "provincial_prize": e.provincial_prize, "warnings": press_flags(e)} for e in rows]}


@router.get("/activities/reviews", response=_page(ReviewOut))
def list_reviews(request, phase: str = "", year: str = "", unit: str = "", offset: int = 0,
                 limit: int = 100):
    qs = _narrow(request, reviews_for(request.scope), phase=phase, year=year, unit=unit)
    count, rows = _slice(qs.order_by("phase__start_year", "kind", "unit__path", "pk"),
                         offset, limit)
    return {"count": count, "items": [
        {"id": r.pk, "phase": r.phase.code, "unit": r.unit.code, "unit_name": r.unit.name,
         "kind": REVIEW_KIND_LABEL[r.kind], "planned_date": r.planned_date,
         "held_on": r.held_on, "held_as": r.held_as} for r in rows]}


@router.get("/activities/budget", response=_page(BudgetOut))
def list_budget(request, phase: str = "", year: str = "", unit: str = "", offset: int = 0,
                limit: int = 100):
    from .flags import budget_flags

    qs = _narrow(request, budget_for(request.scope), phase=phase, year=year, unit=unit)
    count, rows = _slice(qs.order_by("-date", "-pk"), offset, limit)
    return {"count": count, "items": [
        {"id": b.pk, "phase": b.phase.code, "unit": b.unit.code, "kind": b.kind,
         "date": b.date, "amount": b.amount, "purpose": b.purpose,
         "document_ref": b.document_ref, "warnings": budget_flags(b)} for b in rows]}


@router.get("/activities/follow-up-visits", response=_page(FollowUpVisitOut))
def list_follow_up_visits(request, phase: str = "", year: str = "", unit: str = "",
                          registration: int | None = None, offset: int = 0,
                          limit: int = 100):
    """Follow-up visits to the registrations of the caller's subtree."""
    qs = _narrow(request, followup_visits_for(request.scope), phase=phase, year=year,
                 unit=unit, unit_field="registration__unit",
                 phase_field="registration__phase")
    if registration is not None:
        qs = qs.filter(registration_id=registration)
    count, rows = _slice(qs.order_by("-date", "-pk"), offset, limit)
    return {"count": count, "items": [
        {"id": v.pk, "registration_id": v.registration_id,
         "model_title": v.registration.initiative.title, "unit": v.registration.unit.code,
         "date": v.date, "visitor": v.visitor,
         "member": v.member.full_name if v.member_id else None, "on_site": v.on_site,
         "findings": v.findings, "guidance": v.guidance, "next_step": v.next_step}
        for v in rows]}
