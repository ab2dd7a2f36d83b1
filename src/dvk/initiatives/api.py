"""Registrations API (/api/v1/…): the same scope and rules as the screens.

Outside the caller's scope → 404; a role that may not act → 403; a refused state change →
409 (400 for invalid input), always {"detail": "<Vietnamese message>"}.
"""
from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ValidationInfo, field_validator

from dvk.common.pagination import bounded_count, cursor_of, keyset_page
from dvk.common.payload import Text
from dvk.common.text import small_int, window
from dvk.orgs.scope import get_or_404, unit_for
from dvk.initiatives.queries import initiatives_for, registrations_for
from dvk.phases.models import Level, Phase

from . import services
from .models import Field, Registration
from .queries import filter_registrations, replicable, similar_models
from .workflow import available

router = Router(tags=["registrations"])


# --- schemas ------------------------------------------------------------------------------

class Detail(Schema):
    detail: str


class TargetOut(Schema):
    id: int
    criterion: str
    baseline: str
    target: str
    unit_of_measure: str
    result: str


class TransitionOut(Schema):
    from_state: str
    to_state: str
    actor: str | None
    at: dt.datetime
    comment: str


class RegistrationOut(Schema):
    id: int
    initiative_id: int
    title: str
    kind: str
    unit: str
    unit_name: str
    phase: str
    level: str
    year: int
    field: str
    sector: str | None
    state: str
    is_late: bool
    is_exceptional: bool
    exceptional_status: str
    submitted_at: dt.datetime | None
    certificate_number: str
    version: int


class RegistrationDetailOut(RegistrationOut):
    return_comment: str
    promoted_from_id: int | None
    targets: list[TargetOut]
    transitions: list[TransitionOut]
    actions: list[str]


class RegistrationPage(Schema):
    count: int  # exact up to 10,000; beyond, 10,000 with count_capped
    count_capped: bool = False
    next_after: str | None = None  # pass as `after` for the next page (keyset)
    items: list[RegistrationOut]


class TargetIn(Schema):
    criterion: Text[None]
    target: Text[None]
    baseline: Text[None] = ""
    unit_of_measure: Text[None] = ""


class InitiativeIn(Schema):
    unit: Text[64]
    kind: Text[16] = "collective"
    title: Text[500]
    field_id: int
    subject: Text[255] = ""
    person_name: Text[255] = ""
    person_position: Text[255] = ""
    description: Text[None] = ""
    start_year: int | None = None
    replicates_id: int | None = None
    tags: list[Text[None]] = []  # each cut to a topic's 64 characters by the service


class InitiativeOut(Schema):
    id: int
    title: str
    kind: str
    unit: str
    field: str
    sector: str | None


class RegistrationEditIn(Schema):
    # The `version` the client read (GET …/registrations/{id}): an edit made from a stale
    # copy is refused with 409 instead of overwriting someone else's correction.
    expected_version: int
    kind: Text[16] | None = None
    title: Text[500] | None = None
    field_id: int | None = None
    subject: Text[255] | None = None
    person_name: Text[255] | None = None
    person_position: Text[255] | None = None
    description: Text[None] | None = None
    start_year: int | None = None
    targets: list[TargetIn] | None = None  # null or left out: the registered ones kept

    @field_validator("kind", "title", "field_id", "subject", "person_name", "person_position",
                     "description")
    @classmethod
    def _not_null(cls, value, info: ValidationInfo):
        """Left out, a field is kept; given, it cannot be null (the columns hold text)."""
        if value is None:
            raise ValueError(f"«{info.field_name}»: không được để null; bỏ trường này đi "
                             "nếu không sửa.")
        return value


class RegisterIn(Schema):
    phase: Text[32]
    level_id: int
    year: int
    targets: list[TargetIn] = []
    exceptional: bool = False
    exceptional_reason: Text[None] = ""


class ActionIn(Schema):
    comment: Text[None] = ""
    expected_version: int | None = None


class ReportIn(Schema):
    results: dict[int, Text[None]]  # target id → result, cut to 100 characters by the service
    narrative: Text[None]
    certifier_name: Text[255]
    certifier_position: Text[255]
    certified_on: dt.date
    expected_version: int | None = None


class DecideIn(Schema):
    recognized: bool
    decision_number: Text[64]
    decision_date: dt.date
    signer: Text[255] = ""
    certificate_prefix: Text[None] = ""


class SimilarOut(Schema):
    """A model found across the tree: its public fields only (queries.PublicModel)."""
    id: int
    title: str
    kind: str
    unit: str
    unit_name: str
    field: str
    recognized_level: str | None
    recognized_year: int | None
    own: bool
    start_year: int | None  # the caller's own models only
    score: float


ERRORS = {400: Detail, 403: Detail, 404: Detail, 409: Detail}


# --- helpers ------------------------------------------------------------------------------

def _reg_out(r: Registration) -> dict:
    return {
        "id": r.pk, "initiative_id": r.initiative_id, "title": r.initiative.title,
        "kind": r.initiative.kind, "unit": r.unit.code, "unit_name": r.unit.name,
        "phase": r.phase.code, "level": r.level.name, "year": r.year, "field": r.field.name,
        "sector": r.sector.name if r.sector_id else None, "state": r.state,
        "is_late": r.is_late, "is_exceptional": r.is_exceptional,
        "exceptional_status": r.exceptional_status, "submitted_at": r.submitted_at,
        "certificate_number": r.certificate_number, "version": r.version,
    }


def _detail(request, r: Registration) -> dict:
    out = _reg_out(r)
    out.update(
        return_comment=r.return_comment, promoted_from_id=r.promoted_from_id,
        targets=list(r.targets.values("id", "criterion", "baseline", "target",
                                      "unit_of_measure", "result")),
        transitions=[{"from_state": t.from_state, "to_state": t.to_state,
                      "actor": t.actor.username if t.actor_id else None, "at": t.at,
                      "comment": t.comment}
                     for t in r.transitions.select_related("actor")],
        actions=[s.value for s in available(r, scope=request.scope)],
    )
    return out


def _registration(request, registration_id: int) -> Registration:
    return get_or_404(registrations_for(request.scope), pk=registration_id)


def _act(request, registration_id: int, fn, **kwargs):
    reg = _registration(request, registration_id)
    fn(reg, scope=request.scope, **kwargs)
    return Status(200, _detail(request, _registration(request, registration_id)))


# --- routes -------------------------------------------------------------------------------

@router.get("/registrations", response=RegistrationPage)
def list_registrations(request, phase: str = "", year: str = "", level: str = "",
                       state: str = "", field: str = "", sector: str = "", unit: str = "",
                       q: str = "", late: str = "", exceptional: str = "", kind: str = "",
                       limit: int = 50, offset: int = 0, after: str = ""):
    """Registrations in the caller's scope, filtered like the list screen, newest year
    first, then newest first. Page on with `after` = the previous answer's `next_after`
    (it costs the same at any depth); `offset` still works for short lists. `count` stops
    at 10,000 (`count_capped`)."""
    params = {"phase": phase, "year": year, "level": level, "state": state, "field": field,
              "sector": sector, "unit": unit, "q": q, "late": late,
              "exceptional": exceptional, "kind": kind}
    qs = filter_registrations(registrations_for(request.scope), params)
    bounds = window(offset, limit, 500)  # offset clamped to what OFFSET takes
    offset, limit = bounds.start, bounds.stop - bounds.start
    if after or not offset:
        page = keyset_page(qs, {"after": after}, keys=("year", "id"), size=limit)
        items, nxt = page.object_list, page.next_cursor
        count, capped = page.count, page.count_capped
    else:
        rows = list(qs.order_by("-year", "-id")[offset:offset + limit + 1])
        items, more = rows[:limit], len(rows) > limit
        nxt = cursor_of(items[-1], ("year", "id")) if more else None
        count, capped = bounded_count(qs)
    return {"count": count, "count_capped": capped, "next_after": nxt,
            "items": [_reg_out(r) for r in items]}


@router.get("/registrations/{registration_id}", response={200: RegistrationDetailOut, **ERRORS})
def get_registration(request, registration_id: int):
    return Status(200, _detail(request, _registration(request, registration_id)))


@router.post("/initiatives", response={201: InitiativeOut, **ERRORS})
def create_initiative(request, payload: InitiativeIn):
    unit = unit_for(request.scope, payload.unit)
    field = Field.objects.filter(pk=payload.field_id).first()
    if field is None:
        raise HttpError(400, "Lĩnh vực không hợp lệ.")
    replicates = None
    if payload.replicates_id:
        replicates = replicable(request.scope, payload.replicates_id)
        if replicates is None:
            raise HttpError(400, services.REPLICATES_REFUSED)
    ini = services.create_initiative(
        scope=request.scope, unit=unit, kind=payload.kind,
        title=payload.title, field=field, subject=payload.subject,
        person_name=payload.person_name, person_position=payload.person_position,
        description=payload.description, start_year=payload.start_year,
        replicates=replicates, tags=payload.tags)
    return Status(201, {"id": ini.pk, "title": ini.title, "kind": ini.kind, "unit": unit.code,
                        "field": field.name, "sector": ini.sector.name if ini.sector_id else None})


@router.post("/initiatives/{initiative_id}/registrations",
             response={201: RegistrationDetailOut, **ERRORS})
def register(request, initiative_id: int, payload: RegisterIn):
    ini = get_or_404(initiatives_for(request.scope), pk=initiative_id)
    phase = Phase.objects.filter(code=payload.phase).first()
    level = Level.objects.filter(pk=payload.level_id).first()
    if phase is None or level is None:
        raise HttpError(400, "Giai đoạn hoặc cấp không hợp lệ.")
    reg = services.register(scope=request.scope, initiative=ini,
                            phase=phase, level=level, year=payload.year,
                            targets=[t.dict() for t in payload.targets],
                            exceptional=payload.exceptional,
                            exceptional_reason=payload.exceptional_reason)
    return Status(201, _detail(request, _registration(request, reg.pk)))


@router.get("/initiatives/similar", response=list[SimilarOut])
def similar(request, title: str, unit: str = "", year: int | None = None, limit: int = 10,
            exclude_id: int | None = None):
    """Models with a similar title (accent- and case-insensitive), identical first: the
    caller's own, and other units' recognised ones (queries.similar_models)."""
    u = unit_for(request.scope, unit) if unit else None
    found = similar_models(request.scope, title, unit=u, year=small_int(year, 1900, 2200),
                           limit=max(1, min(limit, 50)), exclude_id=small_int(exclude_id, 1))
    return [{"id": m.id, "title": m.title, "kind": m.kind, "unit": m.unit_code,
             "unit_name": m.unit_name, "field": m.field, "recognized_level": m.recognized_level,
             "recognized_year": m.recognized_year, "own": m.own, "start_year": m.start_year,
             "score": m.score} for m in found]


@router.post("/registrations/{registration_id}/submit",
             response={200: RegistrationDetailOut, **ERRORS})
def submit(request, registration_id: int, payload: ActionIn):
    return _act(request, registration_id, services.submit, comment=payload.comment,
                expected_version=payload.expected_version)


@router.post("/registrations/{registration_id}/accept",
             response={200: RegistrationDetailOut, **ERRORS})
def accept(request, registration_id: int, payload: ActionIn):
    return _act(request, registration_id, services.accept, comment=payload.comment,
                expected_version=payload.expected_version)


@router.post("/registrations/{registration_id}/return",
             response={200: RegistrationDetailOut, **ERRORS})
def return_to_unit(request, registration_id: int, payload: ActionIn):
    """Send back a submitted registration (→ returned) or an achievement report
    (→ accepted), with what the unit must correct."""
    return _act(request, registration_id, services.send_back, comment=payload.comment,
                expected_version=payload.expected_version)


@router.patch("/registrations/{registration_id}",
              response={200: RegistrationDetailOut, **ERRORS})
def edit(request, registration_id: int, payload: RegistrationEditIn):
    """Correct a draft or returned registration: the model's fields given, and the
    targets when given (they replace the registered ones)."""
    fields = payload.dict(exclude_unset=True)
    targets = fields.pop("targets", None)
    expected = fields.pop("expected_version")
    if "field_id" in fields:
        fields["field"] = Field.objects.filter(pk=fields.pop("field_id")).first()
        if fields["field"] is None:
            raise HttpError(400, "Lĩnh vực không hợp lệ.")
    return _act(request, registration_id, services.update_registration, targets=targets,
                expected_version=expected, **fields)


@router.post("/registrations/{registration_id}/withdraw",
             response={200: RegistrationDetailOut, **ERRORS})
def withdraw(request, registration_id: int, payload: ActionIn):
    return _act(request, registration_id, services.withdraw, comment=payload.comment,
                expected_version=payload.expected_version)


@router.post("/registrations/{registration_id}/report",
             response={200: RegistrationDetailOut, **ERRORS})
def report(request, registration_id: int, payload: ReportIn):
    return _act(request, registration_id, services.report_achievement,
                results=payload.results, narrative=payload.narrative,
                certifier_name=payload.certifier_name,
                certifier_position=payload.certifier_position,
                certified_on=payload.certified_on, expected_version=payload.expected_version)


@router.post("/registrations/{registration_id}/decide",
             response={200: RegistrationDetailOut, **ERRORS})
def decide(request, registration_id: int, payload: DecideIn):
    def one(reg, *, scope, **kw):
        return services.decide([reg], scope=scope, **kw)

    return _act(request, registration_id, one, **payload.dict())


@router.post("/registrations/{registration_id}/promote",
             response={201: RegistrationDetailOut, **ERRORS})
def promote(request, registration_id: int):
    reg = _registration(request, registration_id)
    new = services.propose_promotion(reg, scope=request.scope)
    return Status(201, _detail(request, _registration(request, new.pk)))
