"""The unit clerk's screens: register, edit, submit, withdraw, report, attachments."""
from __future__ import annotations

from dvk.common.text import small_int

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.forms import form_errors
from dvk.common.rules import check
from dvk.orgs.scope import get_or_404, units_for
from dvk.phases.queries import current_phase, default_year
from dvk.phases.rules import entry_level

from .. import forms, queries, services
from ..enums import State
from ..models import Attachment, RegistrationTarget
from ..queries import registrations_for
from ..workflow import TransitionRefused
from ._common import _detail, _registration

# --- unit clerk: register, submit, withdraw, report, attachments --------------------------

@login_required
def register(request):
    scope = request.scope
    check("initiative.create", scope, scope.root())
    units = units_for(scope).order_by("path")
    phase = current_phase()
    initial = {"unit": scope.unit, "phase": phase, "year": default_year(phase),
               "request_token": uuid.uuid4()}
    if phase is not None and scope.unit is not None:
        initial["level"] = entry_level(scope.unit, phase)
    form = forms.RegisterForm(request.POST or None, units=units, initial=initial, scope=scope,
                              phase=phase)
    targets = forms.TargetFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() & targets.is_valid():
        d = form.cleaned_data
        svc = services
        token = str(d["request_token"]) if d.get("request_token") else ""
        twin = _registered_with(scope, token)
        if twin is not None:  # the same form came again (a double click): show what it made
            return _detail(twin)

        def save():
            ini = svc.create_initiative(scope=request.scope, request_token=token,
                                        unit=d["unit"], **form.model_fields())
            return svc.register(scope=request.scope, initiative=ini,
                                phase=d["phase"], level=d["level"], year=d["year"],
                                targets=targets.targets(), exceptional=d["exceptional"],
                                exceptional_reason=d["exceptional_reason"])
        done = _save_then_send(request, form, save, _("The registration was saved as a draft."))
        if done:
            return done
        twin = _registered_with(scope, token)  # the twin request won the race meanwhile
        if twin is not None:
            return _detail(twin)
    return render(request, "initiatives/register.html", {"form": form, "targets": targets})


def _registered_with(scope, token: str):
    if not token:
        return None
    return registrations_for(scope).filter(initiative__request_token=token).order_by("pk").first()


def _save_then_send(request, form, save, saved_message):
    """Mẫu 1's two buttons: `save()` (→ the registration), then submit it if the user
    pressed "Send", in one transaction. A refusal goes on the form (returns None);
    success redirects to the registration."""
    sending = "submit" in request.POST
    try:
        with transaction.atomic():
            reg = save()
            if sending:
                services.submit(reg, scope=request.scope)
    except TransitionRefused as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, _("The registration was submitted to the committee.")
                     if sending else saved_message)
    return _detail(reg)


@login_required
def edit(request, registration_id):
    """The unit corrects a draft or a returned registration, then may send it."""
    reg = _registration(request, registration_id, "registration.edit")
    svc = services
    if reg.state not in svc.EDITABLE:
        messages.error(request, _("Only a draft or a returned registration can be edited."))
        return _detail(reg)
    ini = reg.initiative
    form = forms.EditForm(request.POST or None, scope=request.scope,
                          initial={**forms.EditForm.initial_for(ini), "version": reg.version})
    targets = forms.TargetFormSet(request.POST or None, prefix="t", initial=[
        {k: getattr(t, k) for k in RegistrationTarget.REGISTERED}
        for t in reg.targets.order_by("order", "id")])
    if request.method == "POST" and form.is_valid() & targets.is_valid():
        changed = {k: v for k, v in form.model_fields().items() if getattr(ini, k) != v}

        def save():
            svc.update_registration(reg, scope=request.scope,
                                    expected_version=form.cleaned_data["version"],
                                    targets=targets.targets(), **changed)
            return reg
        done = _save_then_send(request, form, save, _("The changes were saved."))
        if done:
            return done
    return render(request, "initiatives/edit.html", {"form": form, "targets": targets,
                                                     "reg": reg})


@login_required
def similar(request):
    """htmx: models with a similar title (identical first, then the same unit & year, then
    what the user may find across the tree: queries.similar_models)."""
    title = (request.GET.get("title") or "").strip()
    results = []
    if len(title) >= 6:
        unit_id = small_int(request.GET.get("unit"), 1)
        unit = units_for(request.scope).filter(pk=unit_id).first() if unit_id else None
        year = request.GET.get("year")
        year = small_int(year, 1900, 2200)
        results = queries.similar_models(request.scope, title, unit=unit, year=year,
                                            limit=8)
    return render(request, "initiatives/_similar.html", {"results": results})


@login_required
def replicate_search(request):
    """htmx: pick the model this one replicates among those the user may find."""
    q = (request.GET.get("replicate_q") or "").strip()
    results = queries.similar_models(request.scope, q, limit=10) if len(q) >= 3 else []
    return render(request, "initiatives/_replicate_options.html", {"results": results, "q": q})

@require_POST
def submit(request, registration_id):
    reg = _registration(request, registration_id)
    services.submit(reg, scope=request.scope)
    messages.success(request, _("The registration was submitted to the committee."))
    return _detail(reg)


@login_required
@require_POST
def withdraw(request, registration_id):
    reg = _registration(request, registration_id)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    services.withdraw(reg, scope=request.scope, comment=form.cleaned_data.get("comment", ""))
    messages.success(request, _("The registration was withdrawn."))
    return _detail(reg)


@login_required
def report(request, registration_id):
    reg = _registration(request, registration_id, f"registration.to_{State.REPORTED.value}")
    targets = list(reg.targets.order_by("order", "id"))
    existing = getattr(reg, "achievement_report", None) if hasattr(reg, "achievement_report") else None
    initial = {}
    if existing is not None:
        initial = {"narrative": existing.narrative, "certifier_name": existing.certifier_name,
                   "certifier_position": existing.certifier_position,
                   "certified_on": existing.certified_on}
    form = forms.AchievementForm(request.POST or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.report_achievement(
                reg, scope=request.scope, results=form.results(), narrative=d["narrative"],
                certifier_name=d["certifier_name"], certifier_position=d["certifier_position"],
                certified_on=d["certified_on"])
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The achievement report was sent to the committee."))
            return _detail(reg)
    return render(request, "initiatives/report.html", {"reg": reg, "form": form})


@login_required
@require_POST
def upload_attachment(request, registration_id):
    reg = _registration(request, registration_id)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_attachment(scope=request.scope, registration=reg,
                                   uploaded_file=form.cleaned_data["file"])
        messages.success(request, _("The file was attached."))
    else:
        form_errors(request, form)
    return _detail(reg)


@login_required
def attachment(request, attachment_id):
    scope = request.scope
    qs = Attachment.objects.within(scope)
    att = get_or_404(qs, pk=attachment_id)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    inline = att.content_type.startswith("image/") or att.content_type == "application/pdf"
    return FileResponse(handle, as_attachment=not inline, filename=att.original_name,
                        content_type=att.content_type or None)
