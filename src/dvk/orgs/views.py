"""Org tree browser and unit pages. Every queryset comes from orgs.scope."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Count, Q
from django.shortcuts import render
from django.utils import timezone

from dvk.common.text import fold
from dvk.initiatives.enums import REGISTERED, State

from .enums import Role
from .models import Unit, UnitEvent
from .scope import memberships_for, unit_for, units_for, within
from dvk.phases.queries import committees_for
from dvk.initiatives.queries import registrations_for

SEARCH_PAGE_SIZE = 25


def _flag(request, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


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
    for word in fold(query).split():
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


@login_required
def tree(request):
    scope = request.scope
    root = scope.root()
    show_retired = _flag(request, "retired")
    query = request.GET.get("q", "").strip()
    ctx = {"root": root, "query": query, "show_retired": show_retired}
    if query:
        page = Paginator(search_units(scope, query, show_retired=show_retired),
                         SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        attach_ancestors(scope, page.object_list)
        ctx["page_obj"] = page
    elif root is not None:
        ctx["children"] = children_of(scope, root, show_retired=show_retired)
    return render(request, "orgs/tree.html", ctx)


@login_required
def unit_children(request, unit_code):
    """htmx partial: the children list of one node, fetched when it is expanded."""
    unit = unit_for(request.scope, unit_code)
    children = children_of(request.scope, unit, show_retired=_flag(request, "retired"))
    return render(request, "orgs/_children.html",
                  {"children": children, "show_retired": _flag(request, "retired")})


def registrations_by_phase(scope, unit: Unit) -> list[dict]:
    """Registered / recognised in the unit's subtree, per phase (one aggregate query)."""
    return list(
        within(registrations_for(scope), unit).order_by()
        .values("phase__code", "phase__name", "phase__start_year")
        .annotate(registered=Count("id", filter=Q(state__in=REGISTERED)),
                  recognized=Count("id", filter=Q(state=State.RECOGNIZED)),
                  open=Count("id", filter=Q(state__in=(State.SUBMITTED, State.RETURNED,
                                                       State.ACCEPTED, State.REPORTED,
                                                       State.APPRAISED))))
        .order_by("-phase__start_year"))


@login_required
def unit_detail(request, unit_code):
    scope = request.scope
    unit = unit_for(scope, unit_code)
    ancestors = list(units_for(scope).filter(pk__in=unit.ancestor_ids()).order_by("depth"))
    # The other units of a merge or split are named only when they are in scope too.
    visible = units_for(scope).order_by("sort_key")
    events = (UnitEvent.objects.filter(Q(sources=unit) | Q(targets=unit)).distinct()
              .prefetch_related(Prefetch("sources", queryset=visible),
                                Prefetch("targets", queryset=visible)))
    ctx = {
        "unit": unit,
        "ancestors": ancestors,
        "children": children_of(scope, unit, show_retired=True),
        "predecessors": units_for(scope).filter(successor=unit).vi_ordered(),
        "events": events,
        "committees": committees_for(scope).filter(unit=unit)
                      .annotate(n_members=Count("members")).order_by("-phase__start_year"),
        "by_phase": registrations_by_phase(scope, unit),
        "can_see_memberships": scope.has_role(Role.SECRETARIAT),
    }
    if ctx["can_see_memberships"]:
        ctx["memberships"] = memberships_for(scope).filter(unit=unit).order_by("role", "user__username")
    return render(request, "orgs/unit_detail.html", ctx)
