"""Who sees which awards: the subtree of the acting unit."""
from __future__ import annotations

from django.db.models import QuerySet

from dvk.orgs.scope import Scope

from .models import Award


def awards_for(scope: Scope) -> QuerySet[Award]:
    return Award.objects.within(scope).select_related("kind", "unit", "phase", "level")
