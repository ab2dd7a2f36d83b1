"""Downloads of the award documents: the award decision with its list and the proposal
(tờ trình) with its list, in Word for editing and in PDF (LibreOffice) for printing; built
from what the acting scope sees (404 outside it, like the pages they are linked from)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from dvk.awards.queries import award_decisions_for, proposals_for
from dvk.orgs.scope import get_or_404

from . import award_documents as docs
from .pdf import ConversionError, docx_to_pdf
from .views import _download


def _respond(request, content: bytes, name: str, fmt: str, back):
    if fmt == "docx":
        return _download(content, f"{name}.docx")
    try:
        pdf = docx_to_pdf(content, pages=2)
    except ConversionError as exc:
        messages.error(request, exc.message)
        return back
    return _download(pdf, f"{name}.pdf")


@login_required
@require_GET
def decision_document(request, decision_id, fmt):
    ad = get_or_404(award_decisions_for(request.scope), decision_id=decision_id)
    papers = docs.decision_papers(request.scope, ad)
    content = docs.award_decision_docx(ad, papers)
    name = docs.filename("quyet-dinh-khen-thuong", ad.decision.number, ad.decision_id)
    return _respond(request, content, name, fmt,
                    redirect("awards:decision", decision_id=ad.decision_id))


@login_required
@require_GET
def proposal_document(request, proposal_id, fmt):
    proposal = get_or_404(proposals_for(request.scope), pk=proposal_id)
    papers = docs.proposal_papers(request.scope, proposal)
    content = docs.proposal_docx(proposal, papers)
    name = docs.filename("to-trinh-khen-thuong", proposal.number, proposal.pk)
    return _respond(request, content, name, fmt,
                    redirect("awards:proposal", proposal_id=proposal.pk))
