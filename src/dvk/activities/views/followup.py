"""Follow-up of a registered model (theo dõi, chăm bồi, uốn nắn): the committee member who
follows it and the log of visits. The block on the registration page is a template tag
(activities/templatetags/followup_tags.py); these views take its forms.

The registration is found in scope first (404 outside the subtree), then the rule book
answers (`followup.assign`, `followup.log`: 403 inside it)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.forms import form_errors
from dvk.common.rules import check
from dvk.initiatives.queries import registrations_for
from dvk.orgs.scope import get_or_404

from .. import services
from ..forms import AssignForm, FollowUpVisitForm
from ..queries import assignments_for, followup_visits_for


def _registration(request, registration_id):
    return get_or_404(registrations_for(request.scope).select_related("initiative", "phase"),
                      pk=registration_id)


def _back(reg):
    return reverse("initiatives:registration", kwargs={"registration_id": reg.pk}) + "#follow-up"


@login_required
@require_POST
def assign(request, registration_id):
    reg = _registration(request, registration_id)
    check("followup.assign", request.scope, reg)
    form = AssignForm(request.POST, members=services.follow_up_members(reg))
    if form.is_valid():
        try:
            services.assign_follow_up(reg, form.cleaned_data["member"], scope=request.scope,
                                      note=form.cleaned_data["note"])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:  # each error with its field's label (a note too long is not a missing member)
        form_errors(request, form)
    return redirect(_back(reg))


def _visit_page(request, reg, visit=None):
    assignment = assignments_for(request.scope).filter(registration=reg).first()
    check("followup.log", request.scope, reg, assignment)
    initial = {}
    if visit is None and assignment is not None:
        initial = {"member": assignment.member, "visitor": assignment.member.full_name}
    form = FollowUpVisitForm(request.POST or None, instance=visit, registration=reg,
                             members=services.follow_up_members(reg), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.log_follow_up_visit(form, reg, scope=request.scope, assignment=assignment)
        messages.success(request, _("Saved."))
        return redirect(_back(reg))
    return render(request, "activities/followup_form.html", {
        "form": form, "reg": reg, "visit": visit, "cancel": _back(reg)})


@login_required
def visit_new(request, registration_id):
    return _visit_page(request, _registration(request, registration_id))


@login_required
def visit_edit(request, followup_visit_id):
    visit = get_or_404(followup_visits_for(request.scope), pk=followup_visit_id)
    return _visit_page(request, _registration(request, visit.registration_id), visit)
