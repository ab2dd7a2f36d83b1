"""The rule book of the annual cycle: who may do what to a registration, and why not.

Authority follows from four things only: the acting role, the unit the user acts for and the
level its committee recognises at in the registration's phase (phases.rules), the
registration's level, and the subtree. In words:

- a unit (its clerk, or the secretariat on its behalf) registers its models at the level of
  the model's unit; higher levels come by promotion, or as an exceptional registration;
- a committee (secretariat, appraisers, leader) acts only on registrations at its own level
  inside its subtree;
- nobody appraises a model of their own unit, nobody rules on a conflict they declared, and
  whoever appraised a registration does not record its decision;
- appraisers come from an appraisal team of the committee at the registration's level.

Services call `check()`; screens and the API ask `allowed()`; both name these rules.
"""
from __future__ import annotations

from dvk.common.rules import OUTSIDE, ROLE, UNIT_OUTSIDE, Refusal, rule
from dvk.orgs.enums import Role
from dvk.phases.rules import acts_at, committee_level, entry_level, level_for_kind, level_refusal

from .enums import AppraisalStatus, ExceptionalStatus, State

UNIT_SIDE = (Role.CLERK, Role.SECRETARIAT)


def _subtree(scope, unit) -> Refusal | None:
    return None if scope.contains(unit) else OUTSIDE


def _committee(scope, reg, *roles) -> Refusal | None:
    """The scope acts for the committee at the registration's level (inside the subtree)."""
    if not scope.contains(reg.unit):
        return OUTSIDE
    if not scope.is_superuser and scope.role not in roles:
        return ROLE
    if not acts_at(scope, reg.phase_id, reg.level_id, *roles):
        return level_refusal(scope, reg.phase, reg.level)
    return None


def _unit_side(scope, reg) -> Refusal | None:
    """The registering unit's clerk, or the committee's secretariat acting on its behalf."""
    if not scope.contains(reg.unit):
        return OUTSIDE
    if scope.is_superuser or scope.role == Role.CLERK:
        return None
    if scope.role == Role.SECRETARIAT:
        return _committee(scope, reg, Role.SECRETARIAT)
    return ROLE


# --- registering ----------------------------------------------------------------------------

@rule("initiative.create", new_work=True)
def can_create_initiative(scope, unit) -> Refusal | None:
    if not scope.has_role(*UNIT_SIDE):
        return ROLE
    return None if scope.contains(unit) else UNIT_OUTSIDE


NOT_REPLICABLE = Refusal("not_replicable", "Mô hình được nhân rộng không chọn được: chỉ nhân "
                                          "rộng từ mô hình của đơn vị mình hoặc mô hình đã "
                                          "được công nhận.", 400)


@rule("initiative.replicate")
def can_replicate(scope, model) -> Refusal | None:
    """A unit copies a model it can find: one of its own subtree, or one recognised anywhere
    (queries.findable_models); other units' unrecognised models, drafts included, are not
    theirs to see."""
    from .queries import findable_models

    return None if findable_models(scope).filter(pk=model.pk).exists() else NOT_REPLICABLE


@rule("attachment.add", new_work=True)
def can_attach(scope, owner) -> Refusal | None:
    """The unit's side, and appraisers (site-visit photos, minutes), inside the subtree."""
    if not scope.contains(owner.unit):
        return OUTSIDE
    return None if scope.has_role(*UNIT_SIDE, Role.APPRAISER) else ROLE


@rule("registration.create", new_work=True)
def can_register(scope, initiative, phase, level, exceptional=False) -> Refusal | None:
    refusal = can_create_initiative(scope, initiative.unit)
    if refusal:
        return refusal
    if exceptional or scope.is_superuser:
        return None  # an exceptional registration states its reason and needs approval
    entry = entry_level(initiative.unit, phase)
    if entry is not None and level.pk != entry.pk:
        return Refusal("wrong_level", f"Mô hình của {initiative.unit} đăng ký ở cấp {entry}; "
                                      f"cấp {level} chỉ qua đề nghị của cấp dưới (đăng ký cấp "
                                      "trên) hoặc đăng ký đặc cách có lý do.", 403)
    return None


@rule("registration.edit", new_work=True)
def can_edit(scope, reg) -> Refusal | None:
    return _unit_side(scope, reg)


# --- transitions: who may move a registration INTO a state -----------------------------------

def _into_submitted(scope, reg):
    return _unit_side(scope, reg)


def _into_accepted(scope, reg):
    if reg.state == State.REPORTED:  # a report sent back for correction ("uốn nắn")
        return can_return_report(scope, reg)
    refusal = _committee(scope, reg, Role.SECRETARIAT)
    if refusal is None and reg.is_exceptional and \
            reg.exceptional_status != ExceptionalStatus.APPROVED:
        return Refusal("exceptional_pending", "Hồ sơ đăng ký đặc cách chưa được Tổ thư ký "
                                              "chấp thuận, chưa thể tiếp nhận.", 409)
    return refusal


def _into_appraised(scope, reg):
    return _committee(scope, reg, Role.APPRAISER, Role.SECRETARIAT)


def _into_decided(scope, reg):
    refusal = _committee(scope, reg, Role.SECRETARIAT)
    if refusal:
        return refusal
    return appraised_by(scope, reg)


def appraised_by(scope, reg) -> Refusal | None:
    """Separation of duties: whoever appraised a registration does not decide on it."""
    user_id = getattr(scope.user, "pk", None)
    if user_id and reg.appraisals.filter(appraiser_id=user_id) \
            .exclude(status=AppraisalStatus.CANCELLED).exists():
        return Refusal("own_appraisal", "Bạn đã thẩm định hồ sơ này nên không ghi quyết định "
                                        "công nhận; người khác trong Tổ thư ký ghi quyết định.",
                       403)
    return None


INTO: dict[State, object] = {
    State.SUBMITTED: _into_submitted,
    State.WITHDRAWN: _unit_side,
    State.REPORTED: _unit_side,
    State.ACCEPTED: _into_accepted,
    State.RETURNED: lambda scope, reg: _committee(scope, reg, Role.SECRETARIAT),
    State.APPRAISED: _into_appraised,
    State.RECOGNIZED: _into_decided,
    State.NOT_RECOGNIZED: _into_decided,
}

for _state, _fn in INTO.items():
    rule(f"registration.to_{_state.value}", new_work=True)(_fn)


@rule("registration.return_report", new_work=True)
def can_return_report(scope, reg) -> Refusal | None:
    return _committee(scope, reg, Role.SECRETARIAT, Role.APPRAISER)


@rule("registration.approve_exceptional", new_work=True)
def can_approve_exceptional(scope, reg) -> Refusal | None:
    return _committee(scope, reg, Role.SECRETARIAT)


@rule("registration.promote", new_work=True)
def can_promote(scope, reg) -> Refusal | None:
    """The committee that recognised the model proposes it to the level above."""
    return _committee(scope, reg, Role.SECRETARIAT)


@rule("registration.queue")
def can_see_queue(scope, phase=None) -> Refusal | None:
    return None if scope.has_role(Role.SECRETARIAT) else ROLE


IMPORT_ROLE = Refusal("role", "Chỉ thư ký Ban Chỉ đạo được nhập dữ liệu.", 403)


@rule("registrations.import", new_work=True)
def can_import(scope, phase=None) -> Refusal | None:
    """A secretariat imports its subtree's records; each row's level is checked against
    `import_ceiling` by the importer, which names the row."""
    return None if scope.has_role(Role.SECRETARIAT) else IMPORT_ROLE


def import_ceiling(scope, phase, levels=None):
    """The highest level whose outcomes the scope may import: its committee's level, else
    the level its unit's kind stands at. None: no ceiling (the whole tree)."""
    if scope.is_superuser:
        return None
    return committee_level(scope, phase) or level_for_kind(phase, scope.unit.kind, levels)


# --- appraisal -------------------------------------------------------------------------------

@rule("appraisal.assign", new_work=True)
def can_assign(scope, reg, team=None, appraiser=None) -> Refusal | None:
    refusal = _committee(scope, reg, Role.SECRETARIAT)
    if refusal or team is None:
        return refusal
    if team.committee.phase_id != reg.phase_id or team.committee.level_id != reg.level_id \
            or not scope.contains(team.committee.unit) or (
                not scope.is_superuser and team.committee.unit_id != scope.unit.pk):
        return Refusal("wrong_team", "Tổ thẩm định không thuộc Ban Chỉ đạo xét hồ sơ cấp "
                                     f"{reg.level} của đơn vị bạn.", 400)
    if appraiser is not None and not team.members.filter(user=appraiser).exists():
        return Refusal("not_in_team", "Người được phân công không phải thành viên tổ thẩm "
                                      f"định «{team.name}».", 400)
    return None


@rule("appraisal.list")
def can_list_appraisals(scope) -> Refusal | None:
    """An appraiser's own assignments."""
    return None if scope.has_role(Role.APPRAISER) else ROLE


@rule("appraisal.record", new_work=True)
def can_record_appraisal(scope, appraisal) -> Refusal | None:
    """Only the assigned appraiser, acting as appraiser, writes the appraisal."""
    if not scope.contains(appraisal.registration.unit):
        return OUTSIDE
    if scope.is_superuser:
        return None
    if scope.role != Role.APPRAISER or appraisal.appraiser_id != getattr(scope.user, "pk", None):
        return Refusal("not_assigned", "Chỉ người được phân công mới được ghi kết quả thẩm "
                                       "định.", 404)
    return None


@rule("appraisal.view")
def can_view_appraisal(scope, appraisal) -> Refusal | None:
    """The assigned appraiser, and the secretariat or leaders of the deciding committee.
    Another appraiser does not read a colleague's minutes: 404, as on the appraisal page."""
    reg = appraisal.registration
    if not scope.contains(reg.unit):
        return OUTSIDE
    if scope.is_superuser or appraisal.appraiser_id == getattr(scope.user, "pk", None) \
            and scope.role == Role.APPRAISER:
        return None
    if scope.role in (Role.SECRETARIAT, Role.LEADER) and \
            acts_at(scope, reg.phase_id, reg.level_id, Role.SECRETARIAT, Role.LEADER):
        return None
    return Refusal("not_assigned", "Không tìm thấy phiếu thẩm định.", 404)


@rule("appraisal.rule_conflict", new_work=True)
def can_rule_conflict(scope, appraisal) -> Refusal | None:
    refusal = _committee(scope, appraisal.registration, Role.SECRETARIAT)
    if refusal:
        return refusal
    if appraisal.appraiser_id == getattr(scope.user, "pk", None):
        return Refusal("own_conflict", "Bạn không tự xem xét xung đột lợi ích do chính mình "
                                       "khai báo.", 403)
    return None
