"""The committee's screens: a proposal made, filled, sent, and its decision recorded."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.forms import form_errors
from dvk.common.rules import Refused, allowed, check
from dvk.common.text import small_int, small_ints
from dvk.initiatives.enums import Conclusion
from dvk.orgs.scope import get_or_404, units_for
from dvk.phases.queries import current_phase, default_year

from .. import forms, services
from ..enums import ProposalState, RecipientType
from ..queries import (award_decisions_for, awards_for, candidates, money_total,
                       proposal_items_for, proposals_for, subtree_units)


def _proposal(request, proposal_id, rule=None):
    """The proposal in scope (404 outside it), then the page's rule (403/409 inside it)."""
    proposal = get_or_404(proposals_for(request.scope), pk=proposal_id)
    if rule:
        check(rule, request.scope, proposal)
    return proposal


def _detail(proposal):
    return redirect("awards:proposal", proposal_id=proposal.pk)


@login_required
def proposal_create(request):
    scope = request.scope
    check("proposal.create", scope)
    if request.method == "POST":
        form = forms.ProposalForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                proposal = services.create_proposal(
                    scope=scope, phase=d["phase"], year=d["year"], occasion=d["occasion"],
                    authority=d["authority"], addressed_to=d["addressed_to"],
                    number=d["number"], date=d["date"], title=d["title"], note=d["note"])
            except Refused as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The proposal was created: add its recipients."))
                return _detail(proposal)
    else:
        phase = current_phase()
        form = forms.ProposalForm(initial={
            "phase": phase.code if phase else None,
            "year": default_year(phase) if phase else timezone.localdate().year,
            "date": timezone.localdate()})
    return render(request, "awards/proposal_form.html", {"form": form})


@login_required
def proposal_detail(request, proposal_id):
    scope = request.scope
    proposal = _proposal(request, proposal_id)
    items = list(proposal_items_for(scope).filter(proposal=proposal))
    ctx = {"p": proposal, "items": items,
           "proposed_total": sum(i.amount or 0 for i in items),
           "editable": allowed("proposal.edit", scope, proposal),
           "sendable": allowed("proposal.send", scope, proposal),
           "decidable": allowed("proposal.decide", scope, proposal),
           "conclusions": dict(Conclusion.choices)}
    if ctx["editable"]:
        chosen = {i.registration_id for i in items if i.registration_id}
        ctx.update(candidates=[r for r in candidates(scope, proposal) if r.pk not in chosen],
                   models_form=forms.offer_kinds(forms.ModelsForm(), proposal,
                                                 RecipientType.MODEL),
                   unit_form=forms.offer_kinds(forms.UnitForm(), proposal, RecipientType.UNIT),
                   person_form=forms.offer_kinds(forms.PersonForm(), proposal,
                                                 RecipientType.PERSON),
                   units=subtree_units(scope, proposal)[:500])
    if proposal.state == ProposalState.DECIDED:
        ad = award_decisions_for(scope).filter(proposal=proposal).first()
        ctx["decision"] = ad
        if ad is not None:
            granted = awards_for(scope).filter(decision_id=ad.decision_id)
            ctx["awarded"] = granted.count()
            ctx["awarded_total"] = money_total(granted)
    return render(request, "awards/proposal_detail.html", ctx)


def _recipients(request, proposal, what):
    """The Recipient list a POST names; refuses a unit outside the scope like an unknown one."""
    scope = request.scope
    if what == "models":
        form = forms.ModelsForm(request.POST)
        if not form.is_valid():
            return form, []
        d = form.cleaned_data
        ids = small_ints(request.POST.getlist("ids"))
        regs = candidates(scope, proposal).filter(pk__in=ids)
        return form, [services.Recipient(kind=d["kind"], recipient_type=RecipientType.MODEL,
                                         registration=r, amount=d["amount"],
                                         exceptional_reason=d["exceptional_reason"])
                      for r in regs]
    form = (forms.PersonForm if what == "person" else forms.UnitForm)(request.POST)
    if not form.is_valid():
        return form, []
    d = form.cleaned_data
    unit = get_or_404(units_for(scope), code=d["unit"].strip())
    return form, [services.Recipient(
        kind=d["kind"], recipient_type=RecipientType.PERSON if what == "person"
        else RecipientType.UNIT, unit=unit, person_name=d.get("person_name", ""),
        person_position=d.get("person_position", ""), achievements=d["achievements"],
        amount=d["amount"])]


@login_required
@require_POST
def proposal_add(request, proposal_id):
    proposal = _proposal(request, proposal_id, "proposal.edit")
    what = request.POST.get("what", "models")
    form, recipients = _recipients(request, proposal, what)
    if not form.is_valid():
        form_errors(request, form)
    elif not recipients:
        messages.error(request, _("Select at least one recognised model."))
    else:
        added = services.add_recipients(proposal, recipients, scope=request.scope)
        messages.success(request, _("%(n)d added to the proposal.") % {"n": len(added)})
    return _detail(proposal)


@login_required
@require_POST
def proposal_remove(request, proposal_id):
    proposal = _proposal(request, proposal_id, "proposal.edit")
    if (item := small_int(request.POST.get("item"), 1)) is not None:
        services.remove_recipient(proposal, item, scope=request.scope)
        messages.success(request, _("Removed from the proposal."))
    return _detail(proposal)


@login_required
@require_POST
def proposal_send(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    services.send_proposal(proposal, scope=request.scope)
    messages.success(request, _("The proposal was sent to %(to)s.")
                     % {"to": proposal.addressed_to or proposal.get_authority_display()})
    return _detail(proposal)


@login_required
def proposal_decide(request, proposal_id):
    scope = request.scope
    proposal = _proposal(request, proposal_id, "proposal.decide")
    items = list(proposal_items_for(scope).filter(proposal=proposal))
    form = forms.DecisionForm(request.POST or None, initial={
        "issued_by": proposal.addressed_to, "date": timezone.localdate()})
    chosen = set(small_ints(request.POST.getlist("items"))) \
        if request.method == "POST" else {i.pk for i in items}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ad = services.record_decision(
                proposal, scope=scope, number=d["number"], date=d["date"], signer=d["signer"],
                issued_by=d["issued_by"], amount_per_recipient=d["amount_per_recipient"],
                stated_total=d["stated_total"], item_ids=sorted(chosen))
        except Refused as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision %(number)s recorded: %(n)d awards.")
                             % {"number": ad.decision.number, "n": len(chosen)})
            return redirect("awards:decision", decision_id=ad.decision_id)
    return render(request, "awards/proposal_decide.html",
                  {"p": proposal, "items": items, "form": form, "chosen": chosen})
