"""Proposals and award decisions as plain functions: create a proposal, add and remove
recipients, send it, record the decision that comes back (creating one Award per recipient).

Every function takes the acting scope, asks the rule book (awards/rules.py) first, writes in
a transaction and leaves a history entry per changed object. Refusals are `Refused` with a
Vietnamese message and a reason code (404 outside the subtree, 403 inside it, 409 state or
duplicate, 400 input).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dvk.common import history
from dvk.common.rules import Refusal, Refused, check
from dvk.common.text import clean
from dvk.initiatives.models import Decision
from dvk.orgs.scope import Scope
from dvk.phases.rules import committee_of

from . import rules
from .enums import OCCASION_NAMES, Authority, Occasion, ProposalState, RecipientType
from .models import Award, AwardDecision, Proposal, ProposalItem, mark_awarded


def _refuse(code: str, message: str, status: int = 400):
    raise Refused(Refusal(code, message, status))


def _user(scope):
    user = scope.user
    return user if getattr(user, "is_authenticated", False) else None


# --- proposals ------------------------------------------------------------------------------

def create_proposal(*, scope: Scope, phase, year: int, occasion: str = Occasion.COMMEMORATION,
                    authority: str = Authority.PARTY_COMMITTEE, addressed_to: str = "",
                    number: str = "", date: dt.date | None = None, title: str = "",
                    note: str = "", unit=None, level=None) -> Proposal:
    """A new draft proposal of the scope's committee, at the committee's level. A whole-tree
    administrator names the unit and level."""
    check("proposal.create", scope, phase)
    committee = committee_of(scope, phase)
    unit = unit if unit is not None and scope.is_superuser else scope.unit
    level = level if level is not None and scope.is_superuser else \
        (committee.level if committee else None)
    if unit is None or level is None:
        _refuse("no_committee", rules.NO_COMMITTEE.message, 403)
    if year not in phase.years:
        _refuse("year_outside_phase", f"Năm {year} không thuộc giai đoạn {phase.code}.")
    if occasion not in Occasion.values or authority not in Authority.values:
        _refuse("invalid", "Dịp khen thưởng hoặc cơ quan khen thưởng không hợp lệ.")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            unit=unit, phase=phase, level=level, year=year, occasion=occasion,
            authority=authority, addressed_to=clean(addressed_to), number=clean(number),
            date=date, note=note.strip(), created_by=_user(scope),
            title=clean(title) or f"Đề nghị khen thưởng {OCCASION_NAMES[Occasion(occasion)]} "
                                  f"năm {year} — cấp {level}")
        history.record(proposal, "create", actor=scope.user)
    return proposal


@dataclass
class Recipient:
    """One recipient to add: a registration (the model), a unit, or a person of a unit."""
    kind: object
    recipient_type: str = RecipientType.MODEL
    registration: object = None
    unit: object = None
    person_name: str = ""
    person_position: str = ""
    achievements: str = ""
    exceptional_reason: str = ""
    amount: int | None = None


def add_recipients(proposal: Proposal, recipients: list[Recipient], *,
                   scope: Scope) -> list[ProposalItem]:
    """Add recipients to a draft proposal; all or nothing, each refusal named."""
    check("proposal.edit", scope, proposal)
    if not recipients:
        _refuse("nothing_chosen", "Chưa chọn ai để đề nghị khen thưởng.")
    levels = list(proposal.phase.ordered_levels())
    items, problems, statuses = [], [], set()
    order = proposal.items.count()
    for n, r in enumerate(recipients, start=1):
        unit = r.registration.unit if r.registration is not None else r.unit
        if r.amount is not None and r.amount < 0:
            problems.append("Số tiền không được âm.")
            statuses.add(400)
            continue
        item = ProposalItem(
            proposal=proposal, recipient_type=r.recipient_type, kind=r.kind,
            registration=r.registration if r.recipient_type == RecipientType.MODEL else None,
            unit=unit, person_name=clean(r.person_name), person_position=clean(r.person_position),
            achievements=(r.achievements or "").strip(),
            exceptional_reason=(r.exceptional_reason or "").strip(), amount=r.amount,
            order=order + n)
        refusal = rules.can_add_item(scope, proposal, item, levels)
        if refusal is None:
            refusal = _twice_in(items, item)
        if refusal:
            problems.append(refusal.message)
            statuses.add(refusal.status)
        else:
            items.append(item)
    if problems:
        status = 404 if 404 in statuses else 403 if 403 in statuses else \
            409 if 409 in statuses else 400
        code = "outside_scope" if status == 404 else "not_eligible"
        _refuse(code, "Không thêm được vào đề nghị:\n" + "\n".join(problems), status)
    with transaction.atomic():
        ProposalItem.objects.bulk_create(items)
        history.record(proposal, "add_recipients", actor=scope.user,
                       changes={"items": [None, [i.recipient_label for i in items]]})
    return items


def _twice_in(items, item) -> Refusal | None:
    """The same recipient and kind twice in one batch."""
    for other in items:
        if other.kind_id == item.kind_id and other.recipient_type == item.recipient_type and (
                (other.registration_id and other.registration_id == item.registration_id) or
                (not other.registration_id and other.unit_id == item.unit_id and
                 rules.person_key(other.person_name) == rules.person_key(item.person_name))):
            return Refusal("already_in_proposal", f"«{item.recipient_label}» được chọn hai lần.",
                           409)
    return None


def remove_recipient(proposal: Proposal, item_id: int, *, scope: Scope) -> None:
    check("proposal.edit", scope, proposal)
    item = proposal.items.filter(pk=item_id).first()
    if item is None:
        _refuse("not_found", "Không tìm thấy người/đơn vị trong đề nghị.", 404)
    with transaction.atomic():
        label = item.recipient_label
        item.delete()
        history.record(proposal, "remove_recipient", actor=scope.user,
                       changes={"items": [label, None]})


def send_proposal(proposal: Proposal, *, scope: Scope) -> Proposal:
    """Send the proposal to the authority; from now on it waits for the decision."""
    check("proposal.send", scope, proposal)
    with transaction.atomic():
        # Conditional on the state read: two secretaries sending at once send it once.
        done = Proposal.objects.again(proposal).filter(state=ProposalState.DRAFT).update(
            state=ProposalState.SENT, sent_at=timezone.now(), sent_by=_user(scope),
            date=proposal.date or timezone.localdate())
        if not done:
            _refuse("not_draft", rules.NOT_DRAFT.message, 409)
        proposal.refresh_from_db()
        history.record(proposal, "send", actor=scope.user,
                       changes={"state": [ProposalState.DRAFT, ProposalState.SENT]})
    return proposal


# --- the award decision ----------------------------------------------------------------------

def record_decision(proposal: Proposal, *, scope: Scope, number: str, date: dt.date,
                    signer: str = "", issued_by: str = "", amount_per_recipient: int | None = None,
                    item_ids: list[int] | None = None, stated_total: int | None = None,
                    today: dt.date | None = None) -> AwardDecision:
    """Record the decision that answers a sent proposal: one Award per recipient it grants
    (`item_ids`, default every proposed one), with the item's own amount or the decision's
    money per recipient. `stated_total`, the total printed on the decision, must match."""
    check("proposal.decide", scope, proposal)
    number, today = clean(number), today or timezone.localdate()
    if not number or not date:
        _refuse("no_number", "Vui lòng nhập số và ngày quyết định khen thưởng.")
    if date > today:
        _refuse("future_date", f"Ngày quyết định {date:%d/%m/%Y} ở tương lai.")
    if proposal.date and date < proposal.date:
        _refuse("before_proposal", f"Ngày quyết định {date:%d/%m/%Y} trước ngày đề nghị "
                                   f"{proposal.date:%d/%m/%Y}.")
    if amount_per_recipient is not None and amount_per_recipient < 0:
        _refuse("negative_amount", "Số tiền không được âm.")
    items = list(proposal.items.select_related("kind", "unit", "registration__initiative",
                                               "registration__unit"))
    if item_ids is not None:
        wanted = {int(i) for i in item_ids}
        items = [i for i in items if i.pk in wanted]
    if not items:
        _refuse("nothing_chosen", "Chưa chọn ai được khen thưởng theo quyết định.")
    problems = [r.message for r in (
        rules.already_awarded(scope, proposal, i.kind, i.recipient_type,
                              registration=i.registration, unit=i.unit,
                              person_name=i.person_name) for i in items) if r]
    if problems:
        _refuse("already_awarded", "Không ghi được quyết định:\n" + "\n".join(problems), 409)
    amounts = [i.amount if i.amount is not None else amount_per_recipient for i in items]
    total = sum(a or 0 for a in amounts)
    if stated_total is not None and stated_total != total:
        _refuse("total_mismatch", f"Tổng tiền ghi trên quyết định ({stated_total:,} đồng) khác "
                                  f"tổng của danh sách ({total:,} đồng).".replace(",", "."))
    try:
        with transaction.atomic():
            return _write_decision(proposal, scope, items, amounts, number=number, date=date,
                                   signer=clean(signer), issued_by=clean(issued_by),
                                   amount_per_recipient=amount_per_recipient)
    except IntegrityError:
        _refuse("already_awarded", "Một mô hình trong danh sách đã được tặng loại khen thưởng "
                                   "này.", 409)


def _write_decision(proposal, scope, items, amounts, *, number, date, signer, issued_by,
                    amount_per_recipient) -> AwardDecision:
    done = Proposal.objects.again(proposal).filter(state=ProposalState.SENT).update(
        state=ProposalState.DECIDED)
    if not done:
        _refuse("not_sent", rules.NOT_SENT.message, 409)
    decision = Decision.objects.create(
        kind=Decision.Kind.AWARD, unit=proposal.unit, phase=proposal.phase, level=proposal.level,
        number=number, date=date, signer=signer, created_by=_user(scope),
        title=f"Khen thưởng {OCCASION_NAMES[Occasion(proposal.occasion)]} năm {proposal.year}")
    award_decision = AwardDecision.objects.create(
        decision=decision, proposal=proposal, occasion=proposal.occasion,
        authority=proposal.authority, issued_by=issued_by or proposal.addressed_to,
        amount_per_recipient=amount_per_recipient)
    history.record(decision, "create", actor=scope.user)
    awards = []
    for item, amount in zip(items, amounts):
        reg = item.registration
        awards.append(Award(
            kind=item.kind, phase=proposal.phase, level=proposal.level, year=proposal.year,
            registration=reg, unit=item.unit, recipient_type=item.recipient_type,
            recipient_name=(reg.initiative.subject or reg.initiative.title)[:255] if reg
            else item.person_name or item.unit.name, recipient_position=item.person_position,
            occasion=proposal.occasion, decision=decision, amount=amount,
            created_by=_user(scope), note=item.achievements))
    Award.objects.bulk_create(awards)
    mark_awarded(a.registration_id for a in awards)
    for award in awards:
        history.record(award, "create", actor=scope.user,
                       comment=f"Quyết định khen thưởng số {number}")
    proposal.state = ProposalState.DECIDED
    history.record(proposal, "decide", actor=scope.user,
                   changes={"state": [ProposalState.SENT, ProposalState.DECIDED]},
                   comment=f"Quyết định số {number} ngày {date:%d/%m/%Y}: {len(awards)} "
                           "khen thưởng")
    return award_decision
