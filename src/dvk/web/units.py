"""The org tree browser and unit pages: a unit with its committees and figures per phase.
Here, above the domain apps, because a unit page shows several apps' data."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from dvk.initiatives.figures import per_phase
from dvk.initiatives.queries import registrations_for
from dvk.orgs.enums import Role
from dvk.orgs.models import Unit, UnitEvent
from dvk.orgs.queries import attach_ancestors, children_of, search_units
from dvk.orgs.scope import memberships_for, unit_for, units_for, within
from dvk.phases.queries import committees_for

SEARCH_PAGE_SIZE = 25


def _flag(request, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


def _show_retired(request) -> bool:
    """Retired units on request; always for an account of a unit the reform retired, whose
    whole tree is history (a district secretariat reading its past phases)."""
    unit = request.scope.unit
    return _flag(request, "retired") or (unit is not None and not unit.is_current)


@login_required
def tree(request):
    scope = request.scope
    root = scope.root()
    show_retired = _show_retired(request)
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
    show_retired = _show_retired(request)
    children = children_of(request.scope, unit, show_retired=show_retired)
    return render(request, "orgs/_children.html",
                  {"children": children, "show_retired": show_retired})


def _predecessors(scope, unit: Unit) -> list[Unit]:
    """The units merged or split into this one (not their sub-units): its own past, named even when they lie
    outside the scope (a new commune's secretariat sees which communes it was made of);
    linked (`.in_scope`) only when their pages are visible too."""
    # Sub-units that retired with their parent point here too; their parent stands for them.
    found = list(Unit.objects.filter(successor=unit).exclude(parent__successor=unit)
                 .vi_ordered())
    for p in found:
        p.in_scope = scope.contains(p)
    return found


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
        "predecessors": _predecessors(scope, unit),
        "events": events,
        "committees": committees_for(scope).filter(unit=unit)
                      .annotate(n_members=Count("members")).order_by("-phase__start_year"),
        "by_phase": per_phase(within(registrations_for(scope), unit)),
        "can_see_memberships": scope.has_role(Role.SECRETARIAT),
    }
    if ctx["can_see_memberships"]:
        ctx["memberships"] = memberships_for(scope).filter(unit=unit).order_by("role", "user__username")
    return render(request, "orgs/unit_detail.html", ctx)

