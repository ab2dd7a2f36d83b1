"""The decision step: recording one registration's decision from its page, and a decision's
own page (its list, its documents). The bulk decision from the queue is in queue.py; all of
them go through services.decide (the workflow's door and the rule book)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dvk.common.forms import form_errors
from dvk.orgs.scope import get_or_404

from .. import forms, queries, services
from ..enums import State
from ..queries import decisions_for, registrations_for
from ._common import _detail, _registration


@login_required
@require_POST
def decide(request, registration_id):
    """Recognise (or not) one appraised registration under a decision number and date."""
    # Who may decide comes first (403), then the form, then the state (409, a message).
    reg = _registration(request, registration_id, rule="registration.to_recognized")
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _detail(reg)
    d = form.cleaned_data
    services.decide([reg], scope=request.scope, recognized=d["recognized"],
                    decision_number=d["decision_number"], decision_date=d["decision_date"],
                    signer=d["signer"])
    messages.success(request, _("The decision was recorded.") if d["recognized"] else
                     _("The decision not to recognise was recorded."))
    return _detail(reg)


@login_required
@require_GET
def decision_detail(request, decision_id):
    """A decision: number, date, signer, the models it names with their appraisal, and its
    documents (the decision in Word, the certificates in one PDF)."""
    scope = request.scope
    decision = get_or_404(decisions_for(scope), pk=decision_id)
    regs = list(registrations_for(scope).filter(decision=decision)
                .order_by("certificate_number", "unit__path", "initiative__sort_key", "pk"))
    summaries = queries.appraisal_summaries(regs)
    rows = [(r, summaries.get(r.pk)) for r in regs]
    recognised = sum(1 for r in regs if r.state == State.RECOGNIZED)
    return render(request, "initiatives/decision.html", {
        "decision": decision, "rows": rows, "recognised": recognised,
        "not_recognised": len(regs) - recognised})


def after_bulk_decision(decision):
    return redirect("initiatives:decision", decision_id=decision.pk)
