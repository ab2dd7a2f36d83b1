"""What the registrations screens share: paging, list filters, the registration in scope."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect

from dvk.common.pagination import keyset_page
from dvk.common.rules import check
from dvk.orgs.models import Sector
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase

from ..enums import State
from ..models import Field
from ..queries import listed, registrations_for

PAGE_SIZE = 25


def _detail(registration):
    return redirect("initiatives:registration", registration_id=registration.pk)


def _filter_context(request):
    phases = list(Phase.objects.order_by("-start_year"))
    chosen = next((p for p in phases if p.code == request.GET.get("phase")), None)
    levels = list(chosen.ordered_levels()) if chosen else []
    years = list(chosen.years) if chosen else []
    return {"phases": phases, "filter_phase": chosen, "levels": levels, "years": years,
            "states": State.choices, "fields": Field.objects.all(),
            "sectors": Sector.objects.all(), "params": request.GET}


def _paginate(request, qs):
    """Numbered pages, for the short lists of one person (an appraiser's assignments)."""
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _registrations_page(request, qs, cap=None):
    """A page of registrations, newest year first, then newest first: keyset pages by
    (year, id) and a count that stops at `cap` (10,000; common/pagination), served by the
    indexes on (…, year, id) of migration 0010; rows fetched as queries.listed() says."""
    return keyset_page(listed(qs), request.GET, keys=("year", "id"), size=PAGE_SIZE, cap=cap)


def _registration(request, registration_id, rule=None):
    """The registration in scope (404 outside it), and the rule of the page asked first
    (403 inside it); actions leave their rule to the service they call."""
    reg = get_or_404(registrations_for(request.scope), pk=registration_id)
    if rule:
        check(rule, request.scope, reg)
    return reg
