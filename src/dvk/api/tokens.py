"""Making, revoking and checking personal API tokens (api/models.py).

A token is "dvk_" and 43 URL-safe characters (256 random bits). A script sends it as
`Authorization: Bearer dvk_…`; `authenticate` finds it by digest and answers the scope it
acts for, or None when it is unknown, revoked, expired, its user deactivated or its
membership ended.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from dvk.common.rules import check
from dvk.orgs.scope import Scope

from .models import ApiToken

PREFIX = "dvk_"
# last_used_at is written at most this often per token (reads stay reads).
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(scope, *, name: str, membership=None,
                 expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of the acting user for `membership`; the raw token is returned once and
    never stored."""
    check("api_token.create", scope, membership)
    raw = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=scope.user, membership=membership, name=name.strip(), prefix=raw[:8],
        digest=digest_of(raw), created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None)
    return token, raw


def revoke_token(scope, token: ApiToken) -> None:
    check("api_token.revoke", scope, token)
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def authenticate(raw: str) -> tuple[ApiToken, Scope] | None:
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (ApiToken.objects.select_related("user", "membership__unit")
             .filter(digest=digest_of(raw), revoked_at__isnull=True).first())
    if token is None or token.is_expired or not token.user.is_active:
        return None
    membership = token.membership
    if membership is None:
        if not token.user.is_superuser:
            return None
    elif not membership.is_active or membership.user_id != token.user_id:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token, Scope(user=token.user, membership=membership)
