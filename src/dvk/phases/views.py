"""Phase and steering-committee pages. Committees come from orgs.scope; phases are global."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dvk.common.rules import allowed, check
from dvk.orgs.scope import get_or_404
from dvk.phases.queries import committees_for, teams_for

from .forms import (CommitteeForm, CommitteeMemberForm, PhaseCalendarForm, PhaseCreateForm,
                    add_committee_member,
                    remove_committee_member, save_with_history)
from .models import AppraisalTeamMember, CommitteeRole, Phase

COMMITTEES_PAGE_SIZE = 25
CALENDAR_ROWS = [
    ("registration_deadline", gettext_lazy("Registration deadline")),
    ("report_deadline", gettext_lazy("Achievement report deadline")),
    ("commemoration_day", gettext_lazy("Commemoration day")),
    ("up_report_deadline", gettext_lazy("Report to the level above")),
]


def phase_calendar(phase: Phase) -> list[dict]:
    """One row per year of the phase with the concrete dates of the yearly calendar."""
    return [{"year": y, "dates": [phase.date_in(field, y) for field, _label in CALENDAR_ROWS]}
            for y in phase.years]


@login_required
def phase_list(request):
    phases = Phase.objects.annotate(n_levels=Count("levels", distinct=True),
                                    n_committees=Count("committees", distinct=True))
    return render(request, "phases/phase_list.html", {
        "phases": phases, "can_create": allowed("phase.create", request.scope)})


@login_required
def phase_create(request):
    """A system administrator creates a phase with its own levels and calendar."""
    check("phase.create", request.scope)
    form = PhaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phase = form.save(actor=request.user)
        if phase is not None:
            messages.success(request, _("Phase %(code)s was created with the levels %(levels)s.")
                             % {"code": phase.code,
                                "levels": ", ".join(lv.name for lv in phase.ordered_levels())})
            return redirect("phases:detail", phase_code=phase.code)
    return render(request, "phases/phase_create.html", {"form": form})


@login_required
def phase_detail(request, phase_code):
    phase = get_object_or_404(Phase, code=phase_code)
    return render(request, "phases/phase_detail.html", {
        "phase": phase,
        "levels": phase.ordered_levels(),
        "calendar_labels": [label for _f, label in CALENDAR_ROWS],
        "calendar_values": [getattr(phase, f) for f, _label in CALENDAR_ROWS],
        "calendar": phase_calendar(phase),
        "pilots": phase.pilots.select_related("unit").order_by("unit__sort_key"),
        "can_edit": allowed("phase.edit", request.scope),
    })


@login_required
def phase_edit(request, phase_code):
    if not allowed("phase.edit", request.scope):
        raise PermissionDenied
    phase = get_object_or_404(Phase, code=phase_code)
    form = PhaseCalendarForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        save_with_history(form, actor=request.user, action="phase.calendar_changed")
        messages.success(request, _("The phase calendar was saved."))
        return redirect("phases:detail", phase_code=phase.code)
    return render(request, "phases/phase_edit.html", {"phase": phase, "form": form})


@login_required
def committee_list(request):
    phases = list(Phase.objects.order_by("-start_year"))
    qs = (committees_for(request.scope).annotate(n_members=Count("members", distinct=True))
          # Upper committees first: a province's list has a hundred commune committees.
          .order_by("-phase__start_year", "unit__depth", "unit__path"))
    phase_code = request.GET.get("phase", "")
    if phase_code:
        qs = qs.filter(phase__code=phase_code)
    page = Paginator(qs, COMMITTEES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "phases/committee_list.html",
                  {"page_obj": page, "phases": phases, "phase_code": phase_code})


def _committee(request, committee_id):
    return get_or_404(committees_for(request.scope), pk=committee_id)


@login_required
def committee_detail(request, committee_id):
    committee = _committee(request, committee_id)
    members = list(committee.members.all())
    by_role = [{"role": label, "members": [m for m in members if m.role == value]}
               for value, label in CommitteeRole.choices]
    teams = (teams_for(request.scope).filter(committee=committee)
             .prefetch_related(Prefetch("members", AppraisalTeamMember.objects.order_by("-is_leader", "id"))))
    can_edit = allowed("committee.edit", request.scope)
    return render(request, "phases/committee_detail.html", {
        "committee": committee, "by_role": [r for r in by_role if r["members"]],
        "n_members": len(members), "teams": teams, "can_edit": can_edit,
        "member_form": CommitteeMemberForm() if can_edit else None,
    })


@login_required
def committee_edit(request, committee_id):
    committee = _committee(request, committee_id)
    if not allowed("committee.edit", request.scope):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST" and form.is_valid():
        save_with_history(form, actor=request.user, action="committee.changed")
        messages.success(request, _("The steering committee was saved."))
        return redirect("phases:committee", committee_id=committee.pk)
    return render(request, "phases/committee_edit.html", {"committee": committee, "form": form})


@login_required
def committee_member_add(request, committee_id):
    committee = _committee(request, committee_id)
    if not allowed("committee.edit", request.scope):
        raise PermissionDenied
    form = CommitteeMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = add_committee_member(committee, form, actor=request.user)
        messages.success(request, _("%(name)s was added to the committee.") % {"name": member.full_name})
        return redirect("phases:committee", committee_id=committee.pk)
    return render(request, "phases/committee_member_add.html", {"committee": committee, "form": form})


@login_required
@require_POST
def committee_member_remove(request, committee_id, member_id):
    committee = _committee(request, committee_id)
    if not allowed("committee.edit", request.scope):
        raise PermissionDenied
    member = get_or_404(committee.members.all(), pk=member_id)
    remove_committee_member(member, actor=request.user)
    messages.success(request, _("%(name)s was removed from the committee.") % {"name": member.full_name})
    return redirect("phases:committee", committee_id=committee.pk)
