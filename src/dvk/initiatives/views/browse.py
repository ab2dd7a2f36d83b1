"""Everyone's pages: the registrations list, one registration, one model."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from dvk.common.rules import allowed
from dvk.orgs.scope import get_or_404

from .. import forms, queries, services
from ..enums import State
from ..models import RegistrationTarget, Transition
from ..queries import initiatives_for, registrations_for
from ..workflow import can
from ._common import _filter_context, _registrations_page
from .queue import _assign_form

# --- everyone: the registrations list and the pages of one model --------------------------

@login_required
def registrations(request):
    filters = _filter_context(request)
    qs = queries.filter_registrations(registrations_for(request.scope), request.GET,
                                      phases=filters["phases"])
    page = _registrations_page(request, qs)
    return render(request, "initiatives/registrations.html", {"page_obj": page, **filters})


@login_required
def registration_detail(request, registration_id):
    scope = request.scope
    reg = get_or_404(
        registrations_for(scope).select_related("decision__unit", "promoted_from__level",
                                                "initiative__replicates")
        .prefetch_related(
            Prefetch("targets", queryset=RegistrationTarget.objects.order_by("order", "id")),
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
            "attachments"),
        pk=registration_id)
    report = getattr(reg, "achievement_report", None) if hasattr(reg, "achievement_report") else None
    appraisals = list(reg.appraisals.select_related("team", "appraiser"))
    ctx = {"reg": reg, "report": report, "appraisals": appraisals,
           "can": {s.value: can(reg, s, scope=scope) for s in State},
           "promotions": list(registrations_for(scope).filter(promoted_from=reg)),
           "attachment_form": forms.AttachmentForm(),
           # The committee judging this registration (its level, its subtree), and the
           # registering unit's side: the rule book decides, the template only asks.
           "is_secretariat": allowed("registration.approve_exceptional", scope, reg),
           "is_worker": allowed("registration.edit", scope, reg),
           "editable": reg.state in services.EDITABLE}
    ctx["decision_visible"] = bool(reg.decision_id) and scope.contains(reg.decision.unit)
    if reg.state == State.APPRAISED and (ctx["can"][State.RECOGNIZED]
                                         or ctx["can"][State.NOT_RECOGNIZED]):
        ctx["decide_form"] = forms.DecisionForm()
        ctx["appraisal_summary"] = queries.appraisal_summaries([reg]).get(reg.pk)
    ctx["report_returned"] = services.report_sent_back(reg)
    ctx["report_returnable"] = reg.state == State.REPORTED and ctx["can"][State.ACCEPTED]
    if ctx["is_secretariat"]:
        ctx["return_form"] = forms.ReturnForm()
        if reg.state == State.REPORTED:
            ctx["assign_form"] = _assign_form(scope, reg)
        if reg.state == State.RECOGNIZED:
            try:
                ctx["promotion"] = services.promotion_eligible(reg)
            except Exception:  # noqa: BLE001 — a missing rule must not break the page
                ctx["promotion"] = None
    return render(request, "initiatives/registration_detail.html", ctx)


@login_required
def initiative_detail(request, initiative_id):
    scope = request.scope
    ini = get_or_404(initiatives_for(scope).select_related("replicates__unit"), pk=initiative_id)
    regs = registrations_for(scope).filter(initiative=ini).order_by("year", "level__order")
    # Other units' copies are listed once recognised, like every whole-tree list.
    replications = list(services.replications_of(
        ini, queryset=queries.findable_models(scope)))
    return render(request, "initiatives/initiative_detail.html",
                  {"ini": ini, "regs": regs, "replications": replications,
                   "attachments": ini.attachments.all()})
