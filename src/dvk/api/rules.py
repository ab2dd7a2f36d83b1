"""Who may make and revoke personal API tokens: each user, for themselves only.

A token acts exactly as its membership does (every other rule asks the scope it carries),
so making one grants nothing the user could not already do in the app."""
from __future__ import annotations

from dvk.common.rules import Refusal, rule

SIGNED_IN = Refusal("signed_in", "Cần đăng nhập.", 403)
NOT_YOURS = Refusal("not_yours", "Không tìm thấy khóa API.", 404)
NOT_YOUR_MEMBERSHIP = Refusal(
    "not_your_membership", "Chỉ chọn được một vai trò đang hoạt động của chính bạn.", 400)


@rule("api_token.create")
def can_create(scope, membership=None) -> Refusal | None:
    """For one of the user's own active memberships; a superuser may also make a token for
    the whole system (no membership)."""
    if not scope.is_authenticated:
        return SIGNED_IN
    if membership is None:
        return None if getattr(scope.user, "is_superuser", False) else NOT_YOUR_MEMBERSHIP
    if membership.user_id != scope.user.pk or not membership.is_active:
        return NOT_YOUR_MEMBERSHIP
    return None


@rule("api_token.revoke")
def can_revoke(scope, token) -> Refusal | None:
    if not scope.is_authenticated:
        return SIGNED_IN
    return None if token.user_id == scope.user.pk else NOT_YOURS
