"""Visibility: a user's notifications while acting for a unit (its subtree, their own)."""
from __future__ import annotations

from django.db.models import QuerySet

from dvk.orgs.scope import Scope

from .models import Notification


def notifications_for(scope: Scope) -> QuerySet[Notification]:
    if not scope.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.within(scope).filter(user=scope.user)


def unread_count(scope: Scope) -> int:
    return notifications_for(scope).filter(read_at__isnull=True).count()
