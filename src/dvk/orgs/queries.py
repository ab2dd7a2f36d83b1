"""Reads of the org tree for its browser: a node's children, unit search, ancestors."""
from django.db.models import Count, Q
from django.utils import timezone

from dvk.common.text import search_words

from .models import Unit
from .scope import units_for


def children_of(scope, unit: Unit, *, show_retired: bool):
    """Direct children visible in the scope, Vietnamese order, each with its child count
    (one query: the count is an annotation, not a query per node)."""
    today = timezone.localdate()
    qs = units_for(scope).filter(parent=unit)
    child_filter = Q()
    if not show_retired:
        qs = qs.current(today)
        child_filter = Q(children__valid_until__isnull=True) | Q(children__valid_until__gt=today)
    return (qs.select_related("sector", "successor")
            .annotate(n_children=Count("children", filter=child_filter, distinct=True))
            .vi_ordered())


def search_units(scope, query: str, *, show_retired: bool):
    """Units whose name or code contains every word of the query, ignoring case and accents."""
    qs = units_for(scope)
    for word in search_words(query):
        qs = qs.filter(search_text__contains=word)
    if not show_retired:
        qs = qs.current()
    return qs.select_related("sector", "successor").vi_ordered()


def attach_ancestors(scope, units) -> None:
    """Set `.ancestor_list` on each unit: its visible ancestors, root first (one query)."""
    ids = {i for u in units for i in u.ancestor_ids()}
    names = {a.pk: a for a in units_for(scope).filter(pk__in=ids).only("id", "name", "code", "path")}
    for u in units:
        u.ancestor_list = [names[i] for i in u.ancestor_ids() if i in names]
