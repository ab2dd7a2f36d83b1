"""Awards API (/api/v1/…): awards, proposals and the award decision, with the screens' scope
and rules. Outside the caller's scope → 404; a role or level that may not act → 403; a
refused state or a duplicate → 409; invalid input → 400; always {"detail", "code"}."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from dvk.common.payload import Text
from dvk.common.text import window
from dvk.initiatives.queries import registrations_for
from dvk.orgs.scope import get_or_404, unit_for
from dvk.phases.models import Phase

from . import services
from .enums import Authority, Occasion, RecipientType
from .forms import MONEY_MAX
from .models import AwardKind, Proposal
from .queries import (award_decisions_for, awards_for, filter_awards, money_total,
                      proposal_items_for, proposals_for)

router = Router(tags=["awards"])


class Detail(Schema):
    detail: str


ERRORS = {400: Detail, 403: Detail, 404: Detail, 409: Detail}
MAX_PAGE = 500


class AwardOut(Schema):
    id: int
    kind: str
    phase: str
    level: str | None
    year: int | None
    occasion: str
    recipient_type: str
    recipient_name: str
    recipient_position: str
    unit: str
    unit_name: str
    registration_id: int | None
    decision_number: str | None
    decision_date: dt.date | None
    amount: int | None


class AwardPage(Schema):
    count: int
    money: int
    results: list[AwardOut]


class ItemOut(Schema):
    id: int
    recipient_type: str
    kind: str
    registration_id: int | None
    unit: str
    person_name: str
    person_position: str
    achievements: str
    exceptional_reason: str
    amount: int | None


class ProposalOut(Schema):
    id: int
    unit: str
    phase: str
    level: str
    year: int
    occasion: str
    authority: str
    addressed_to: str
    number: str
    date: dt.date | None
    title: str
    state: str
    decision_number: str | None
    items: list[ItemOut]
    proposed_money: int


class ItemIn(Schema):
    kind: Text[64]  # the award kind's code: giay-khen, bang-khen, co-thi-dua…
    recipient_type: RecipientType = RecipientType.MODEL
    registration_id: int | None = None
    unit: Text[64] | None = None  # unit code, for a unit or a person
    person_name: Text[255] = ""
    person_position: Text[255] = ""
    achievements: Text[None] = ""
    exceptional_reason: Text[None] = ""
    # In đồng, what the money column holds (a PostgreSQL integer; as the forms' MONEY).
    amount: Annotated[int, Field(ge=0, le=MONEY_MAX)] | None = None


class ProposalIn(Schema):
    phase: Text[32]
    year: int
    occasion: Occasion = Occasion.COMMEMORATION
    authority: Authority = Authority.PARTY_COMMITTEE
    addressed_to: Text[255] = ""
    number: Text[64] = ""
    date: dt.date | None = None
    title: Text[500] = ""
    items: list[ItemIn] = []


class DecisionIn(Schema):
    number: Text[64]
    date: dt.date
    signer: Text[255] = ""
    issued_by: Text[255] = ""
    amount_per_recipient: int | None = None
    stated_total: int | None = None
    item_ids: list[int] | None = None  # default: every proposed recipient


def _award_out(a) -> dict:
    return {"id": a.pk, "kind": a.kind.name, "phase": a.phase.code,
            "level": a.level.name if a.level_id else None, "year": a.year,
            "occasion": a.occasion, "recipient_type": a.recipient_type,
            "recipient_name": a.recipient_name, "recipient_position": a.recipient_position,
            "unit": a.unit.code, "unit_name": a.unit.name, "registration_id": a.registration_id,
            "decision_number": a.decision.number if a.decision_id else None,
            "decision_date": a.decision.date if a.decision_id else None, "amount": a.amount}


def _proposal_out(request, p: Proposal) -> dict:
    items = list(proposal_items_for(request.scope).filter(proposal=p))
    ad = award_decisions_for(request.scope).filter(proposal=p).first()
    return {"id": p.pk, "unit": p.unit.code, "phase": p.phase.code, "level": p.level.name,
            "year": p.year, "occasion": p.occasion, "authority": p.authority,
            "addressed_to": p.addressed_to, "number": p.number, "date": p.date,
            "title": p.title, "state": p.state,
            "decision_number": ad.decision.number if ad else None,
            "items": [{"id": i.pk, "recipient_type": i.recipient_type, "kind": i.kind.code,
                       "registration_id": i.registration_id, "unit": i.unit.code,
                       "person_name": i.person_name, "person_position": i.person_position,
                       "achievements": i.achievements,
                       "exceptional_reason": i.exceptional_reason, "amount": i.amount}
                      for i in items],
            "proposed_money": sum(i.amount or 0 for i in items)}


def _proposal(request, proposal_id: int) -> Proposal:
    return get_or_404(proposals_for(request.scope), pk=proposal_id)


def _recipients(request, items: list[ItemIn]) -> list[services.Recipient]:
    kinds = {k.code: k for k in AwardKind.objects.all()}
    out = []
    for i in items:
        if i.kind not in kinds:
            raise HttpError(400, f"Loại khen thưởng không hợp lệ: {i.kind}.")
        reg = unit = None
        if i.recipient_type == RecipientType.MODEL:
            reg = get_or_404(registrations_for(request.scope), pk=i.registration_id or 0)
        else:
            unit = unit_for(request.scope, i.unit or "")
        out.append(services.Recipient(
            kind=kinds[i.kind], recipient_type=i.recipient_type, registration=reg, unit=unit,
            person_name=i.person_name, person_position=i.person_position,
            achievements=i.achievements, exceptional_reason=i.exceptional_reason,
            amount=i.amount))
    return out


@router.get("/awards", response=AwardPage)
def list_awards(request, phase: str = "", year: str = "", kind: str = "", occasion: str = "",
                recipient: str = "", unit: str = "", offset: int = 0, limit: int = 100):
    """Awards in the caller's subtree; `unit` (a code) narrows to that unit's subtree."""
    if unit:
        unit_for(request.scope, unit)  # 404 outside the scope
    qs = filter_awards(awards_for(request.scope), {
        "phase": phase, "year": year, "kind": kind, "occasion": occasion,
        "recipient": recipient, "unit": unit})
    page = qs.select_related("decision").order_by("-year", "level__order", "kind__order", "id")
    return {"count": qs.count(), "money": money_total(qs),
            "results": [_award_out(a) for a in page[window(offset, limit, MAX_PAGE)]]}


@router.get("/proposals", response=list[ProposalOut])
def list_proposals(request, phase: str = "", state: str = ""):
    qs = proposals_for(request.scope)
    if phase:
        qs = qs.filter(phase__code=phase)
    if state:
        qs = qs.filter(state=state)
    return [_proposal_out(request, p) for p in qs[:MAX_PAGE]]


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, **ERRORS})
def get_proposal(request, proposal_id: int):
    return _proposal_out(request, _proposal(request, proposal_id))


@router.post("/proposals", response={201: ProposalOut, **ERRORS})
def create_proposal(request, payload: ProposalIn):
    """A draft proposal of the caller's committee, with its first recipients (all or
    nothing)."""
    phase = Phase.objects.filter(code=payload.phase).first()
    if phase is None:
        raise HttpError(400, "Giai đoạn không hợp lệ.")
    with transaction.atomic():
        p = services.create_proposal(
            scope=request.scope, phase=phase, year=payload.year, occasion=payload.occasion,
            authority=payload.authority, addressed_to=payload.addressed_to,
            number=payload.number, date=payload.date, title=payload.title)
        if payload.items:
            services.add_recipients(p, _recipients(request, payload.items),
                                    scope=request.scope)
    return Status(201, _proposal_out(request, _proposal(request, p.pk)))


@router.post("/proposals/{proposal_id}/items", response={200: ProposalOut, **ERRORS})
def add_items(request, proposal_id: int, payload: list[ItemIn]):
    p = _proposal(request, proposal_id)
    services.add_recipients(p, _recipients(request, payload), scope=request.scope)
    return _proposal_out(request, p)


@router.post("/proposals/{proposal_id}/send", response={200: ProposalOut, **ERRORS})
def send(request, proposal_id: int):
    p = services.send_proposal(_proposal(request, proposal_id), scope=request.scope)
    return _proposal_out(request, p)


@router.post("/proposals/{proposal_id}/decision", response={201: ProposalOut, **ERRORS})
def record_decision(request, proposal_id: int, payload: DecisionIn):
    """Record the award decision answering a sent proposal: one award per recipient."""
    p = _proposal(request, proposal_id)
    services.record_decision(p, scope=request.scope, **payload.dict())
    return Status(201, _proposal_out(request, _proposal(request, proposal_id)))
