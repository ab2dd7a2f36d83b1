"""Who may: publish a committee's directives (its own secretariat), acknowledge one from
above (the secretariat of a committee below), assign members the areas they follow.

Who sees a directive is visibility, not a rule (`queries.directives_for`): the issuing
unit's subtree, and the units below it it was sent to; anything else is 404."""
from __future__ import annotations

from dvk.common.rules import ROLE, Refusal, rule
from dvk.orgs.enums import Role

NO_COMMITTEE = Refusal("no_committee", "Đơn vị của bạn không có Ban Chỉ đạo trong giai đoạn "
                                       "này.", 403)
NOT_OWN = Refusal("not_own_committee", "Chỉ tổ thư ký của chính Ban Chỉ đạo này được thực "
                                       "hiện thao tác này.", 403)
NOT_ADDRESSEE = Refusal("not_addressee", "Văn bản này không gửi đến đơn vị của bạn (chỉ các "
                                         "đơn vị cấp dưới của đơn vị ban hành).", 403)


def _own(scope, committee) -> Refusal | None:
    if scope.is_superuser:
        return None
    if scope.unit is None or committee.unit_id != scope.unit.pk:
        return NOT_OWN
    return None


@rule("directive.publish", new_work=True)
def can_publish(scope, committee=None) -> Refusal | None:
    """The secretariat of the issuing committee's own unit publishes its documents."""
    if not scope.has_role(Role.SECRETARIAT):
        return ROLE
    if committee is None:
        return NO_COMMITTEE
    return _own(scope, committee)


@rule("directive.acknowledge", new_work=True)
def can_acknowledge(scope, directive=None) -> Refusal | None:
    """The secretariat of a unit below the issuer that runs a committee in the phase."""
    if not scope.has_role(Role.SECRETARIAT) or (scope.unit is None and not scope.is_superuser):
        return ROLE
    if directive is None:
        return None
    unit = scope.unit
    if unit is None or unit.pk == directive.unit_id or \
            not unit.path.startswith(directive.unit.path):
        return NOT_ADDRESSEE
    from dvk.phases.rules import committee_of

    if committee_of(scope, directive.phase_id) is None:
        return NO_COMMITTEE
    return None


@rule("committee.assign_areas", new_work=True)
def can_assign_areas(scope, committee=None) -> Refusal | None:
    """The committee's own secretariat names the areas its members follow."""
    if not scope.has_role(Role.SECRETARIAT):
        return ROLE
    return None if committee is None else _own(scope, committee)
