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
