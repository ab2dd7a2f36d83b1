"""The rule book of awards: who proposes, who records the decision, and who may be awarded.

In words (seed 003 §III):
- a steering committee proposes awards at its own level, for recipients inside its subtree,
  and only its own secretariat edits, sends and records the decision of its proposals;
- a kind is given at the levels, by the authority and to the recipients it names
  (AwardKind.given_at, authority, to_models/to_units/to_people): giấy khen by the Party
  committee of the same level below the province, bằng khen by the provincial People's
  Committee, cờ thi đua to collectives only;
- only recognised models are proposed, and only those registered from the start of the
  year, unless the registration was exceptional (approved) or the item states why it is an
  exceptional award (đột xuất);
- nobody gets the same kind twice for the same occasion (the same level, and the same year;
  a review's awards once per phase).

Services call `check()`; screens and the API ask `allowed()`; both name these rules.
"""
from __future__ import annotations

from dvk.common.rules import OUTSIDE, ROLE, UNIT_OUTSIDE, Refusal, rule
from dvk.common.text import clean, fold
from dvk.initiatives.enums import ExceptionalStatus, InitiativeKind, State
from dvk.orgs.enums import Role
from dvk.phases.rules import acts_at, committee_of, level_refusal

from .enums import ONCE_PER_PHASE, Authority, ProposalState, RecipientType

NO_COMMITTEE = Refusal("no_committee", "Đơn vị của bạn không có Ban Chỉ đạo trong giai đoạn "
                                       "này nên không lập được đề nghị khen thưởng.", 403)
OTHER_COMMITTEE = Refusal("other_committee", "Đề nghị này do Ban Chỉ đạo của đơn vị khác "
                                             "lập; chỉ Tổ thư ký của Ban Chỉ đạo đó thao tác.",
                          403)
NOT_DRAFT = Refusal("not_draft", "Đề nghị đã gửi đi, không sửa được nữa.", 409)
NOT_SENT = Refusal("not_sent", "Chỉ ghi quyết định khen thưởng cho đề nghị đã gửi và chưa có "
                               "quyết định.", 409)
EMPTY = Refusal("empty_proposal", "Đề nghị chưa có ai được đề nghị khen thưởng.", 409)


def _committee(scope, proposal) -> Refusal | None:
    """The secretariat of the committee that made the proposal (its unit, its level)."""
    if not scope.contains(proposal.unit):
        return OUTSIDE
    if scope.is_superuser:
        return None
    if scope.role != Role.SECRETARIAT:
        return ROLE
    if not acts_at(scope, proposal.phase_id, proposal.level_id, Role.SECRETARIAT):
        return level_refusal(scope, proposal.phase, proposal.level)
    if scope.unit.pk != proposal.unit_id:
        return OTHER_COMMITTEE
    return None


@rule("proposal.create", new_work=True)
def can_create_proposal(scope, phase=None) -> Refusal | None:
    """A committee's secretariat; in a phase, only where its unit runs a committee with a
    level."""
    if not scope.has_role(Role.SECRETARIAT):
        return ROLE
    if phase is None or scope.is_superuser:
        return None
    committee = committee_of(scope, phase)
    return None if committee is not None and committee.level_id else NO_COMMITTEE


@rule("proposal.edit", new_work=True)
def can_edit_proposal(scope, proposal) -> Refusal | None:
    refusal = _committee(scope, proposal)
    if refusal:
        return refusal
    return None if proposal.state == ProposalState.DRAFT else NOT_DRAFT


@rule("proposal.send", new_work=True)
def can_send_proposal(scope, proposal) -> Refusal | None:
    refusal = can_edit_proposal(scope, proposal)
    if refusal:
        return refusal
    return None if proposal.items.exists() else EMPTY


@rule("proposal.decide", new_work=True)
def can_record_decision(scope, proposal) -> Refusal | None:
    """The decision comes back to the committee that sent the proposal; its secretariat
    records it."""
    refusal = _committee(scope, proposal)
    if refusal:
        return refusal
    return None if proposal.state == ProposalState.SENT else NOT_SENT


# --- who may be proposed -------------------------------------------------------------------

def _bad(code: str, message: str, status: int = 400) -> Refusal:
    return Refusal(code, message, status)


def kind_fits(kind, proposal, recipient_type: str, levels) -> Refusal | None:
    """The kind goes to this kind of recipient, from the proposal's authority, at its level."""
    if not kind.goes_to(recipient_type):
        who = RecipientType(recipient_type).label
        return _bad("kind_recipient", f"{kind.name} không tặng cho đối tượng “{who}”.")
    if kind.authority != proposal.authority:
        return _bad("wrong_authority", f"{kind.name} do {Authority(kind.authority).label} "
                                       "tặng; đề nghị này gửi "
                                       f"{Authority(proposal.authority).label}: lập đề nghị "
                                       "riêng.")
    if not kind.given_at_level(proposal.level, levels):
        return _bad("kind_level", f"{kind.name} không xét tặng ở cấp {proposal.level}.")
    return None


def registration_fits(reg, proposal, kind, exceptional_reason: str = "") -> Refusal | None:
    """A model: recognised at the proposal's level and phase, registered in time."""
    if reg.phase_id != proposal.phase_id or reg.level_id != proposal.level_id:
        return _bad("wrong_level", f"«{reg.initiative.title}» được đăng ký ở cấp {reg.level} "
                                   f"({reg.phase.code}); đề nghị này là cấp {proposal.level} "
                                   f"({proposal.phase.code}).")
    if reg.state != State.RECOGNIZED:
        return _bad("not_recognized", f"«{reg.initiative.title}» chưa được công nhận đạt tiêu "
                                      "chí “Dân vận khéo”, chưa đề nghị khen thưởng được.", 409)
    if reg.initiative.kind == InitiativeKind.INDIVIDUAL and not kind.to_people:
        return _bad("collectives_only", f"{kind.name} chỉ tặng tập thể; «{reg.initiative.title}» "
                                        "là điển hình cá nhân.")
    exceptional = reg.is_exceptional and reg.exceptional_status == ExceptionalStatus.APPROVED
    if reg.is_late and not exceptional and not clean(exceptional_reason):
        return _bad("late_registration", f"«{reg.initiative.title}» không đăng ký từ đầu năm: "
                                         "chỉ khen thưởng mô hình đăng ký từ đầu năm, trừ "
                                         "trường hợp đột xuất (ghi lý do).")
    return None


def same_occasion(qs, proposal, prefix: str = ""):
    """Narrow awards (prefix "") or proposal items (prefix "proposal__") to the proposal's
    occasion: the same phase, level and occasion, and the same year unless a review."""
    qs = qs.filter(**{f"{prefix}phase_id": proposal.phase_id,
                      f"{prefix}level_id": proposal.level_id,
                      f"{prefix}occasion": proposal.occasion})
    return qs if proposal.occasion in ONCE_PER_PHASE else qs.filter(**{f"{prefix}year":
                                                                       proposal.year})


def _named(rows, recipient_type, person_name):
    """Rows of one person (folded name), or all rows for other recipients."""
    if recipient_type != RecipientType.PERSON:
        return rows.exists()
    key = person_key(person_name)
    field = "recipient_name" if rows.model.__name__ == "Award" else "person_name"
    return any(person_key(n) == key for n in rows.values_list(field, flat=True))


def already_awarded(scope, proposal, kind, recipient_type, *, registration=None, unit=None,
                    person_name: str = "") -> Refusal | None:
    """The same kind to the same recipient for the same occasion, already awarded (asked
    again when the decision is recorded)."""
    from .queries import awards_for, recipient_awards

    label = _label(registration, unit, person_name)
    if registration is not None and awards_for(scope).filter(
            registration=registration, kind=kind).exists():
        return _bad("already_awarded", f"«{label}» đã được tặng {kind.name} (ở cấp và năm "
                                       "này).", 409)
    awards = same_occasion(recipient_awards(scope, recipient_type, registration=registration,
                                            unit=unit).filter(kind=kind), proposal)
    if _named(awards, recipient_type, person_name):
        return _bad("already_awarded", f"«{label}» đã được tặng {kind.name} cho dịp "
                                       f"{proposal.get_occasion_display().lower()} này.", 409)
    return None


def already_proposed(scope, proposal, kind, recipient_type, *, registration=None, unit=None,
                     person_name: str = "") -> Refusal | None:
    """The same kind to the same recipient for the same occasion in this proposal, or in
    another one still waiting for its decision."""
    from .queries import recipient_items

    label = _label(registration, unit, person_name)
    items = same_occasion(recipient_items(scope, recipient_type, registration=registration,
                                          unit=unit).filter(kind=kind), proposal, "proposal__")
    items = items.exclude(proposal__state=ProposalState.DECIDED)
    if proposal.pk and _named(items.filter(proposal_id=proposal.pk), recipient_type,
                              person_name):
        return _bad("already_in_proposal", f"«{label}» đã có trong đề nghị này ({kind.name}).",
                    409)
    if proposal.pk:
        items = items.exclude(proposal_id=proposal.pk)
    if _named(items, recipient_type, person_name):
        return _bad("already_proposed", f"«{label}» đã có trong một đề nghị tặng {kind.name} "
                                        "khác cho dịp này, đang chờ quyết định.", 409)
    return None


def _label(registration, unit, person_name) -> str:
    if registration is not None:
        return registration.initiative.title
    return person_name or getattr(unit, "name", "")


@rule("proposal.add_item", new_work=True)
def can_add_item(scope, proposal, item, levels=None) -> Refusal | None:
    """Everything about one proposed recipient (an unsaved ProposalItem)."""
    refusal = can_edit_proposal(scope, proposal)
    if refusal:
        return refusal
    if not scope.contains(item.unit):
        return OUTSIDE if item.registration_id else UNIT_OUTSIDE
    levels = levels if levels is not None else list(proposal.phase.ordered_levels())
    refusal = kind_fits(item.kind, proposal, item.recipient_type, levels)
    if refusal:
        return refusal
    if item.recipient_type == RecipientType.MODEL:
        refusal = registration_fits(item.registration, proposal, item.kind,
                                    item.exceptional_reason)
    elif item.recipient_type == RecipientType.PERSON and not clean(item.person_name):
        refusal = _bad("no_name", "Ghi họ và tên người được đề nghị khen thưởng.")
    if refusal:
        return refusal
    who = {"registration": item.registration if item.registration_id else None,
           "unit": item.unit, "person_name": item.person_name}
    return (already_awarded(scope, proposal, item.kind, item.recipient_type, **who)
            or already_proposed(scope, proposal, item.kind, item.recipient_type, **who))


def person_key(name: str) -> str:
    """People have no table of their own: the same person is the same folded name in the
    same unit."""
    return fold(clean(name))
