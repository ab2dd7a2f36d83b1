"""The notifications page (the bell in the header), marking read, the lagging units."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dvk.common.rules import check
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase
from dvk.phases.queries import committees_for, current_phase, default_year
from dvk.phases.rules import committee_of

from . import lagging
from .queries import notifications_for

PAGE_SIZE = 30


@login_required
def notifications(request):
    qs = notifications_for(request.scope)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reminders/notifications.html",
                  {"page_obj": page, "unread_only": bool(request.GET.get("unread"))})


@login_required
@require_POST
def mark_read(request, notification_id):
    """Mark one read; with "open", go on to the page it is about."""
    note = get_or_404(notifications_for(request.scope), pk=notification_id)
    check("notification.read", request.scope, note)
    if note.read_at is None:
        type(note).objects.again(note).update(read_at=timezone.now())
    target = note.url if request.POST.get("open") and note.url else None
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("reminders:notifications")


@login_required
@require_POST
def mark_all_read(request):
    check("notification.read", request.scope)
    notifications_for(request.scope).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("reminders:notifications")


@login_required
def lagging_units(request):
    """The units below the acting committee that are late, as the weekly digest lists them."""
    scope = request.scope
    check("reminders.lagging", scope)
    phases = list(Phase.objects.order_by("-start_year"))
    phase = current_phase(phases)
    year = default_year(phase)
    committee = committee_of(scope, phase) if phase is not None and scope.unit else None
    lags = []
    if committee is not None:
        committees = list(committees_for(scope).filter(phase=phase, unit__valid_until__isnull=True)
                          .select_related("level").order_by("unit__path"))
        today = timezone.localdate()
        lags = lagging.lagging_units(committee, year, today, committees,
                                     lagging.YearIndex(phase, year, scope=scope))
        lags = [{"lag": lag, "days": lag.days_late(today)} for lag in lags]
    return render(request, "reminders/lagging.html",
                  {"phase": phase, "year": year, "committee": committee, "lags": lags})
