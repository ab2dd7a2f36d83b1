"""The audit trail: each object's history page, and the system-wide log for the system
administrator (`audit.read`), filtered by user, unit and dates. Read only: there is no route
that changes or deletes an entry, and the admin does not offer them (docs/reliability.md)."""
import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from dvk.awards.queries import proposals_for
from dvk.common.history import history_of
from dvk.common.models import HistoryEntry
from dvk.common.rules import check
from dvk.common.text import small_int
from dvk.initiatives.queries import decisions_for, registrations_for
from dvk.orgs.scope import get_or_404, memberships_for, units_for

OBJECT_PAGE = 200  # an object's page shows its latest entries, never an unbounded list
TRAIL_PAGE = 50


def _object_history(request, obj, title, back):
    back_url = reverse(back[0], kwargs=back[1])
    entries = list(history_of(obj).select_related("actor", "content_type")[:OBJECT_PAGE + 1])
    return render(request, "web/object_history.html", {
        "title": title, "back_url": back_url, "entries": _with_changes(entries[:OBJECT_PAGE]),
        "more": len(entries) > OBJECT_PAGE})


@login_required
@require_safe
def registration_history(request, registration_id):
    reg = get_or_404(registrations_for(request.scope).select_related("initiative"),
                     pk=registration_id)
    return _object_history(request, reg, reg.initiative.title,
                           ("initiatives:registration", {"registration_id": reg.pk}))


@login_required
@require_safe
def decision_history(request, decision_id):
    decision = get_or_404(decisions_for(request.scope), pk=decision_id)
    return _object_history(request, decision, str(decision),
                           ("initiatives:decision", {"decision_id": decision.pk}))


@login_required
@require_safe
def proposal_history(request, proposal_id):
    proposal = get_or_404(proposals_for(request.scope), pk=proposal_id)
    return _object_history(request, proposal, str(proposal),
                           ("awards:proposal", {"proposal_id": proposal.pk}))


def changed_fields(entry) -> list[tuple[str, object, object]]:
    """(field, old, new) of an entry; anything else stored is shown as it is."""
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    rows = []
    for name, pair in changes.items():
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            rows.append((name, pair[0], pair[1]))
        else:
            rows.append((name, None, pair))
    return rows


def _with_changes(entries):
    for e in entries:
        e.changed_fields = changed_fields(e)
    return entries


@dataclass
class KeysetPage:
    object_list: list
    next_before: int | None  # the id to continue below, when there are older entries


def _date(value):
    try:
        return dt.date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


def _int(value):
    return small_int(value, 1)


def trail_entries(scope, params):
    """The filtered log, newest first, and the filters as understood (bad values ignored)."""
    qs = HistoryEntry.objects.select_related("actor", "content_type").order_by("-id")
    filters = {"user": (params.get("user") or "").strip()[:150],
               "unit": (params.get("unit") or "").strip()[:64],
               "since": _date(params.get("since")), "until": _date(params.get("until"))}
    if filters["user"]:
        qs = qs.filter(actor__username=filters["user"])
    if filters["unit"]:
        unit = units_for(scope).filter(code=filters["unit"]).first()
        if unit is None:
            qs = qs.none()
        else:
            actors = (memberships_for(scope).filter(unit__path__startswith=unit.path)
                      .order_by().values("user_id"))
            qs = qs.filter(actor_id__in=actors)
        filters["unit_obj"] = unit
    zone = timezone.get_current_timezone()
    if filters["since"]:
        qs = qs.filter(at__gte=dt.datetime.combine(filters["since"], dt.time.min, zone))
    if filters["until"]:
        qs = qs.filter(at__lt=dt.datetime.combine(filters["until"] + dt.timedelta(days=1),
                                                  dt.time.min, zone))
    return qs, filters


@login_required
@require_safe
def trail(request):
    """Keyset pages (`before=<id>`): the same cost on the first page and the thousandth."""
    check("audit.read", request.scope)
    qs, filters = trail_entries(request.scope, request.GET)
    before = _int(request.GET.get("before"))
    if before:
        qs = qs.filter(id__lt=before)
    entries = list(qs[:TRAIL_PAGE + 1])
    page = KeysetPage(_with_changes(entries[:TRAIL_PAGE]),
                      entries[TRAIL_PAGE - 1].pk if len(entries) > TRAIL_PAGE else None)
    return render(request, "web/audit_trail.html", {
        "page_obj": page, "entries": page.object_list, "filters": filters, "before": before})
