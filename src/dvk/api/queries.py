"""Which API tokens a user sees: their own, never anyone else's."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken


def tokens_of(scope) -> QuerySet[ApiToken]:
    """The acting user's tokens that are not revoked (revoked ones stay in the table)."""
    if not scope.is_authenticated:
        return ApiToken.objects.none()
    return (ApiToken.objects.filter(user=scope.user, revoked_at__isnull=True)
            .select_related("membership__unit"))
