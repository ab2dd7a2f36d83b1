"""Screens of the annual cycle: unit clerks, the committee's secretariat, appraisers, everyone.

Views read through dvk.orgs.scope and act through services/workflow: they validate forms,
call one domain function, and show its Vietnamese message when it refuses.
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.orgs.models import Sector
from dvk.orgs.scope import get_or_404, units_for
from dvk.initiatives.queries import appraisals_for, initiatives_for, registrations_for
from dvk.phases.models import Phase
from dvk.phases.queries import default_year
from dvk.phases.rules import entry_level

from . import forms
from .enums import ConflictStatus, ExceptionalStatus, State
from .models import Appraisal, Attachment, Field, RegistrationTarget, Transition
from .workflow import TransitionRefused, can
from dvk.common.rules import allowed, check

PAGE_SIZE = 25


def _services():
    from . import services
    return services


def _queries():
    from . import queries
    return queries


def _current_phase():
    from dvk.phases.queries import current_phase
    return current_phase()


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
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- everyone: the registrations list and the pages of one model --------------------------

@login_required
def registrations(request):
    qs = _queries().filter_registrations(registrations_for(request.scope), request.GET)
    page = _paginate(request, qs)
    return render(request, "initiatives/registrations.html",
                  {"page_obj": page, **_filter_context(request)})


@login_required
def registration_detail(request, registration_id):
    scope = request.scope
    reg = get_or_404(
        registrations_for(scope).select_related("decision", "promoted_from__level",
                                                "initiative__replicates")
        .prefetch_related(
            Prefetch("targets", queryset=RegistrationTarget.objects.order_by("order", "id")),
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
            "attachments"),
        pk=registration_id)
    report = getattr(reg, "achievement_report", None) if hasattr(reg, "achievement_report") else None
    appraisals = list(Appraisal.objects.filter(registration=reg)
                      .select_related("team", "appraiser"))
    ctx = {"reg": reg, "report": report, "appraisals": appraisals,
           "can": {s.value: can(reg, s, scope=scope) for s in State},
           "promotions": list(registrations_for(scope).filter(promoted_from=reg)),
           "attachment_form": forms.AttachmentForm(),
           # The committee judging this registration (its level, its subtree), and the
           # registering unit's side: the rule book decides, the template only asks.
           "is_secretariat": allowed("registration.approve_exceptional", scope, reg),
           "is_worker": allowed("registration.edit", scope, reg),
           "editable": reg.state in _services().EDITABLE}
    ctx["report_returned"] = _services().report_sent_back(reg)
    ctx["report_returnable"] = reg.state == State.REPORTED and ctx["can"][State.ACCEPTED]
    if ctx["is_secretariat"]:
        ctx["return_form"] = forms.ReturnForm()
        if reg.state == State.REPORTED:
            ctx["assign_form"] = _assign_form(scope, reg)
        if reg.state == State.RECOGNIZED:
            try:
                ctx["promotion"] = _services().promotion_eligible(reg)
            except Exception:  # noqa: BLE001 — a missing rule must not break the page
                ctx["promotion"] = None
    return render(request, "initiatives/registration_detail.html", ctx)


@login_required
def initiative_detail(request, initiative_id):
    scope = request.scope
    ini = get_or_404(initiatives_for(scope).select_related("replicates__unit"), pk=initiative_id)
    regs = registrations_for(scope).filter(initiative=ini).order_by("year", "level__order")
    # Other units' copies are listed once recognised, like every whole-tree list.
    replications = list(_services().replications_of(
        ini, queryset=_queries().findable_models(scope)))
    return render(request, "initiatives/initiative_detail.html",
                  {"ini": ini, "regs": regs, "replications": replications,
                   "attachments": ini.attachments.all()})


# --- unit clerk: register, submit, withdraw, report, attachments --------------------------

@login_required
def register(request):
    scope = request.scope
    check("initiative.create", scope, scope.root())
    units = units_for(scope).order_by("path")
    phase = _current_phase()
    initial = {"unit": scope.unit, "phase": phase, "year": default_year(phase),
               "request_token": uuid.uuid4()}
    if phase is not None and scope.unit is not None:
        initial["level"] = entry_level(scope.unit, phase)
    form = forms.RegisterForm(request.POST or None, units=units, initial=initial, scope=scope)
    targets = forms.TargetFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() & targets.is_valid():
        d = form.cleaned_data
        svc = _services()
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
                _services().submit(reg, scope=request.scope)
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
    svc = _services()
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
        unit = units_for(request.scope).filter(pk=request.GET.get("unit") or 0).first() \
            if (request.GET.get("unit") or "").isdigit() else None
        year = request.GET.get("year")
        year = int(year) if (year or "").isdigit() else None
        results = _queries().similar_models(request.scope, title, unit=unit, year=year,
                                            limit=8)
    return render(request, "initiatives/_similar.html", {"results": results})


@login_required
def replicate_search(request):
    """htmx: pick the model this one replicates among those the user may find."""
    q = (request.GET.get("replicate_q") or "").strip()
    results = _queries().similar_models(request.scope, q, limit=10) if len(q) >= 3 else []
    return render(request, "initiatives/_replicate_options.html", {"results": results, "q": q})


def _registration(request, registration_id, rule=None):
    """The registration in scope (404 outside it), and the rule of the page asked first
    (403 inside it); actions leave their rule to the service they call."""
    reg = get_or_404(registrations_for(request.scope), pk=registration_id)
    if rule:
        check(rule, request.scope, reg)
    return reg


@login_required
@require_POST
def submit(request, registration_id):
    reg = _registration(request, registration_id)
    _services().submit(reg, scope=request.scope)
    messages.success(request, _("The registration was submitted to the committee."))
    return _detail(reg)


@login_required
@require_POST
def withdraw(request, registration_id):
    reg = _registration(request, registration_id)
    form = forms.CommentForm(request.POST)
    form.is_valid()
    _services().withdraw(reg, scope=request.scope, comment=form.cleaned_data.get("comment", ""))
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
            _services().report_achievement(
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
        _services().add_attachment(scope=request.scope, registration=reg,
                                   uploaded_file=form.cleaned_data["file"])
        messages.success(request, _("The file was attached."))
    else:
        for err in form.errors.get("file", []):
            messages.error(request, err)
    return _detail(reg)


@login_required
def attachment(request, attachment_id):
    scope = request.scope
    qs = Attachment.objects.filter(
        Q(registration__in=registrations_for(scope).values("pk"))
        | Q(initiative__in=initiatives_for(scope).values("pk")))
    att = get_or_404(qs, pk=attachment_id)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    inline = att.content_type.startswith("image/") or att.content_type == "application/pdf"
    return FileResponse(handle, as_attachment=not inline, filename=att.original_name,
                        content_type=att.content_type or None)


# --- secretariat: queue, accept/return, exceptional, assign, conflicts, decide, promote ----

QUEUE_TABS = [State.SUBMITTED, State.ACCEPTED, State.REPORTED, State.APPRAISED,
              State.RETURNED, State.RECOGNIZED, State.NOT_RECOGNIZED]


@login_required
def queue(request):
    scope = request.scope
    check("registration.queue", scope)
    phases = list(Phase.objects.order_by("-start_year"))
    from dvk.phases.queries import current_phase
    phase = next((p for p in phases if p.code == request.GET.get("phase")), None) \
        or current_phase(phases)
    year_param = request.GET.get("year") or ""
    year = int(year_param) if year_param.isdigit() else default_year(phase)
    tab = request.GET.get("tab") or State.SUBMITTED
    base = _queries().committee_queue(scope, phase) if phase else registrations_for(scope).none()
    counts = _queries().queue_counts(base)
    params = request.GET.copy()
    params.pop("phase", None)
    params.pop("tab", None)
    params.pop("page", None)
    listed = _queries().filter_registrations(base, params)
    if tab == "proposals":
        listed = listed.filter(promoted_from__isnull=False, state=State.SUBMITTED)
    elif tab == "exceptional":
        listed = listed.filter(is_exceptional=True, exceptional_status=ExceptionalStatus.PENDING)
    else:
        tab = State(tab) if tab in State.values else State.SUBMITTED
        listed = listed.filter(state=tab)
    page = _paginate(request, listed)
    ctx = {"phase": phase, "phases": phases, "year": year, "tab": str(tab),
           "tabs": [(s.value, s.label, counts.get(s.value, 0)) for s in QUEUE_TABS],
           "proposals_count": base.filter(promoted_from__isnull=False,
                                          state=State.SUBMITTED).count(),
           "exceptional_count": base.filter(is_exceptional=True,
                                            exceptional_status=ExceptionalStatus.PENDING).count(),
           "page_obj": page, "return_form": forms.ReturnForm(),
           "decision_form": forms.DecisionForm(),
           "conflicts": list(appraisals_for(scope).filter(
               conflict_status=ConflictStatus.PENDING)[:50])}
    if phase is not None:
        ctx["overdue"] = _queries().overdue(scope, phase, year)
    return render(request, "initiatives/queue.html", ctx)


def _back_to_queue(request):
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("initiatives:queue")


@login_required
@require_POST
def bulk(request):
    """Accept / return / decide several registrations chosen with checkboxes."""
    scope = request.scope
    check("registration.queue", scope)
    action = request.POST.get("action")
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    regs = list(registrations_for(scope).filter(pk__in=ids))
    if not regs:
        messages.error(request, _("Select at least one registration."))
        return _back_to_queue(request)
    svc = _services()
    if action == "decide":
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            for field, errs in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for e in errs:
                    messages.error(request, f"{label}: {e}" if label else e)
            return _back_to_queue(request)
        d = form.cleaned_data
        try:
            decision = svc.decide(regs, scope=request.scope, recognized=d["recognized"],
                                  decision_number=d["decision_number"],
                                  decision_date=d["decision_date"], signer=d["signer"])
        except TransitionRefused as exc:  # every registration with its reason, on the queue
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision %(number)s recorded for %(n)d registrations.")
                             % {"number": decision.number, "n": len(regs)})
        return _back_to_queue(request)
    comment = request.POST.get("comment", "").strip()
    if action == "return" and not comment:
        messages.error(request, _("Write what the unit must correct before returning."))
        return _back_to_queue(request)
    if action not in ("accept", "return"):
        messages.error(request, _("Unknown action."))
        return _back_to_queue(request)
    done = 0
    for reg in regs:
        try:
            if action == "accept":
                svc.accept(reg, scope=request.scope, comment=comment)
            else:
                svc.return_to_unit(reg, scope=request.scope, comment=comment)
            done += 1
        except TransitionRefused as exc:
            messages.error(request, f"{reg.initiative.title}: {exc.message}")
    if done:
        messages.success(request, (_("%(n)d registrations accepted.") if action == "accept"
                                   else _("%(n)d registrations returned to their units."))
                         % {"n": done})
    return _back_to_queue(request)


@login_required
@require_POST
def accept(request, registration_id):
    reg = _registration(request, registration_id)
    _services().accept(reg, scope=request.scope, comment=request.POST.get("comment", ""))
    messages.success(request, _("The registration was accepted."))
    return _detail(reg)


@login_required
@require_POST
def return_to_unit(request, registration_id):
    reg = _registration(request, registration_id)
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the unit must correct before returning."))
        return _detail(reg)
    report = reg.state == State.REPORTED
    _services().send_back(reg, scope=request.scope,
                          comment=form.cleaned_data["comment"])
    messages.success(request, _("The achievement report was returned to the unit.") if report
                     else _("The registration was returned to the unit."))
    return _detail(reg)


@login_required
@require_POST
def approve_exceptional(request, registration_id):
    reg = _registration(request, registration_id)
    approve = request.POST.get("approve") == "1"
    _services().approve_exceptional(reg, scope=request.scope, approve=approve,
                                    comment=request.POST.get("comment", ""))
    messages.success(request, _("The exceptional registration was approved.") if approve
                     else _("The exceptional registration was refused."))
    return _detail(reg)


def _assign_form(scope, reg, data=None):
    teams = _queries().teams_judging(scope, reg).order_by("committee__unit__path", "name")
    appraisers = (get_user_model().objects.filter(appraisal_seats__team__in=teams)
                  .distinct().order_by("last_name", "first_name", "username"))
    return forms.AssignForm(data, teams=teams, appraisers=appraisers)


@login_required
@require_POST
def assign(request, registration_id):
    reg = _registration(request, registration_id)
    form = _assign_form(request.scope, reg, request.POST)
    if form.is_valid():
        _services().assign_appraisal(reg, scope=request.scope, team=form.cleaned_data["team"],
                                     appraiser=form.cleaned_data["appraiser"])
        messages.success(request, _("The appraisal was assigned."))
    else:
        messages.error(request, _("Choose an appraisal team and an appraiser."))
    return _detail(reg)


@login_required
@require_POST
def promote(request, registration_id):
    reg = _registration(request, registration_id)
    upper = _services().propose_promotion(reg, scope=request.scope)
    messages.success(request, _("Proposed for registration at level %(level)s.")
                     % {"level": upper.level.name})
    return _detail(upper)


@login_required
@require_POST
def rule_conflict(request, appraisal_id):
    appraisal = get_or_404(appraisals_for(request.scope), pk=appraisal_id)
    _services().rule_on_conflict(appraisal, scope=request.scope,
                                 accept=request.POST.get("accept") == "1")
    messages.success(request, _("The ruling on the conflict of interest was recorded."))
    return _back_to_queue(request)


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
    from .enums import RUBRIC
    initial = {n: getattr(appr, n) for n in RUBRIC}
    initial.update(version=appr.version, comments=appr.comments,
                   site_visit_date=appr.site_visit_date, conclusion=appr.conclusion)
    form = forms.AppraisalForm(request.POST or None, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        svc = _services()
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
        _services().declare_conflict(appr, scope=request.scope,
                                     reason=form.cleaned_data["reason"])
        messages.success(request, _("The conflict of interest was declared; the secretariat will rule on it."))
    return redirect("initiatives:appraisal", appraisal_id=appr.pk)
