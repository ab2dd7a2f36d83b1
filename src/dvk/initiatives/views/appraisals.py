"""The appraiser's screens: assigned appraisals, the rubric, declaring a conflict."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.rules import check
from dvk.orgs.scope import get_or_404

from .. import forms, services
from ..queries import appraisals_for
from ..workflow import TransitionRefused
from ._common import _paginate

# --- appraisers ------------------------------------------------------------------------------

@login_required
def assigned(request):
    scope = request.scope
    check("appraisal.list", scope)
    qs = appraisals_for(scope).filter(appraiser=request.user).order_by("status", "-id")
    return render(request, "initiatives/assigned.html", {"page_obj": _paginate(request, qs)})


def _own_appraisal(request, appraisal_id):
    appraisal = get_or_404(appraisals_for(request.scope), pk=appraisal_id)
    check("appraisal.record", request.scope, appraisal)
    return appraisal


@login_required
def appraisal(request, appraisal_id):
    appr = _own_appraisal(request, appraisal_id)
    from ..enums import RUBRIC
    initial = {n: getattr(appr, n) for n in RUBRIC}
    initial.update(version=appr.version, comments=appr.comments,
                   site_visit_date=appr.site_visit_date, conclusion=appr.conclusion)
    form = forms.AppraisalForm(request.POST or None, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        svc = services
        try:
            svc.save_appraisal(appr, scope=request.scope, expected_version=d["version"],
                               scores=form.scores(), comments=d["comments"],
                               site_visit_date=d["site_visit_date"],
                               conclusion=d["conclusion"] or None)
            if "complete" in request.POST:
                appr.refresh_from_db()
                svc.complete_appraisal(appr, scope=request.scope)
        except TransitionRefused as exc:
            appr.refresh_from_db()
            # Only a save that lost against someone else's is "stale"; a completion refused
            # after the user's own save succeeded is not another editor.
            stale = exc.code == "stale"
            # Keep what the user typed, at the version now stored: the next save goes
            # through (after a stale warning, deliberately overwriting).
            data = request.POST.copy()
            data["version"] = appr.version
            form = forms.AppraisalForm(data)
            form.is_valid()
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The appraisal was completed.") if "complete" in request.POST
                             else _("The appraisal was saved."))
            return redirect("initiatives:appraisal", appraisal_id=appr.pk)
    reg = appr.registration
    return render(request, "initiatives/appraisal.html",
                  {"appr": appr, "reg": reg, "form": form, "stale": stale,
                   "targets": reg.targets.order_by("order", "id"),
                   "report": getattr(reg, "achievement_report", None)
                   if hasattr(reg, "achievement_report") else None,
                   "conflict_form": forms.ConflictForm()})


@login_required
@require_POST
def declare_conflict(request, appraisal_id):
    appr = _own_appraisal(request, appraisal_id)
    form = forms.ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain the conflict of interest."))
    else:
        services.declare_conflict(appr, scope=request.scope,
                                     reason=form.cleaned_data["reason"])
        messages.success(request, _("The conflict of interest was declared; the secretariat will rule on it."))
    return redirect("initiatives:appraisal", appraisal_id=appr.pk)
