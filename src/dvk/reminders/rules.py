"""Who may: mark a notification read (its recipient), see the lagging units (committees)."""
from __future__ import annotations

from dvk.common.rules import ROLE, Refusal, rule
from dvk.orgs.enums import Role

NOT_YOURS = Refusal("not_yours", "Thông báo này không gửi cho bạn.", 404)


@rule("notification.read")
def can_mark_read(scope, notification=None) -> Refusal | None:
    """A notification is its recipient's alone (others are told it does not exist)."""
    if notification is not None and notification.user_id != getattr(scope.user, "pk", None):
        return NOT_YOURS
    return None


@rule("reminders.lagging")
def can_see_lagging(scope) -> Refusal | None:
    """Who follows the units below: a committee's secretariat and leaders."""
    return None if scope.has_role(Role.SECRETARIAT, Role.LEADER) else ROLE


@rule("annual_report.send", new_work=True)
def can_send_report(scope, phase=None) -> Refusal | None:
    """The secretariat of a unit that runs a committee in the phase sends its report up."""
    if not scope.has_role(Role.SECRETARIAT) or scope.unit is None:
        return ROLE
    if phase is not None:
        from dvk.phases.rules import committee_of

        if committee_of(scope, phase) is None:
            return Refusal("no_committee", "Đơn vị của bạn không có Ban Chỉ đạo trong giai "
                                           "đoạn này.", 403)
    return None


@rule("annual_report.return", new_work=True)
def can_return_report(scope, report=None) -> Refusal | None:
    """The secretariat of the committee the report was sent to (the nearest above)."""
    if not scope.has_role(Role.SECRETARIAT) or scope.unit is None:
        return ROLE
    if report is not None:
        from .annual import upper_committee

        upper = upper_committee(report.unit, report.phase)
        if upper is None or upper.unit_id != scope.unit.pk:
            return Refusal("not_addressee", "Báo cáo này không gửi Ban Chỉ đạo của đơn vị bạn.",
                           403)
    return None
