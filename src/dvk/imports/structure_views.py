"""The structure changes screen (issue: today's map): the system administrator uploads a
changes file (CONTRACTS §6), sees what it would do, then confirms. The same engine as
`dvk import_structure` (orgs/structure_changes.py); the preview is the command's
`--xem-truoc`, measured in a transaction that is rolled back.

The upload waits in storage between preview and confirmation; the session remembers which
one, so a confirmation applies exactly the file that was previewed (and nobody else's).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dvk.common.rules import check
from dvk.common.tabular import ImportRefused
from dvk.orgs.structure_changes import apply_changes, preview_changes
from dvk.orgs.structure_file import CHANGE_LABELS, COLUMNS

from .forms import StructureFileForm
from .jobs import store_upload
from .pending import forget, local_copy
from .structure_impact import impact_of

SESSION_KEY = "structure_upload"

# What the screen says of each column (the names are the contract's).
COLUMN_HELP = {
    "Ngày hiệu lực": _("dd/mm/yyyy"),
    "Thay đổi": ", ".join(CHANGE_LABELS),
    "Mã đơn vị": _("The unit changed (for Thành lập: the new unit's code)"),
    "Mã đơn vị kế thừa": _("Sáp nhập: the unit taking it in; Chia tách: one row per successor"),
    "Tên đơn vị": _("Thành lập: its name; Đổi tên: the new name"),
    "Mã đơn vị cấp trên": _("Thành lập: its parent; Chuyển: the new parent"),
    "Loại": _("Thành lập: the kind of unit"),
    "Khối": _("Optional: the sector"),
    "Quyết định": _("Optional: the decision's number, kept in the unit's history"),
}




def _page(request, form, **ctx):
    columns = [(c.name, c.required, COLUMN_HELP.get(c.name, "")) for c in COLUMNS]
    return render(request, "imports/structure.html", {"form": form, "columns": columns, **ctx})


@login_required
def structure_upload(request):
    """GET: the form; POST: preview the uploaded file, nothing written."""
    check("structure.change", request.scope)
    form = StructureFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    forget(request, SESSION_KEY)  # a new upload replaces one previewed before
    uploaded = form.cleaned_data["file"]
    name = store_upload(uploaded)
    try:
        with local_copy(name) as path:
            result = preview_changes(path, actor=request.user, source_name=uploaded.name,
                                     impact=impact_of)
    except ImportRefused as refused:
        default_storage.delete(name)
        return _page(request, form, problems=refused.problems, file_name=uploaded.name)
    request.session[SESSION_KEY] = {"upload": name, "file_name": uploaded.name}
    return render(request, "imports/structure_preview.html", {
        "result": result, "impact": result.impact, "file_name": uploaded.name,
        "summary": result.summary(preview=True)})


@login_required
@require_POST
def structure_confirm(request):
    """Apply the file previewed in this session, all or nothing."""
    check("structure.change", request.scope)
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["upload"]):
        messages.error(request, _("Nothing to apply: upload the file again and check its "
                                  "preview."))
        return redirect("structure:upload")
    try:
        with local_copy(pending["upload"]) as path:
            result = apply_changes(path, actor=request.user, source_name=pending["file_name"])
    except ImportRefused as refused:  # the tree changed since the preview
        forget(request, SESSION_KEY)
        return _page(request, StructureFileForm(), problems=refused.problems,
                     file_name=pending["file_name"])
    forget(request, SESSION_KEY)
    messages.success(request, result.summary())
    return redirect("units:tree")


@login_required
@require_POST
def structure_cancel(request):
    check("structure.change", request.scope)
    forget(request, SESSION_KEY)
    messages.info(request, _("The previewed file was discarded; nothing was changed."))
    return redirect("structure:upload")


@login_required
def structure_template(request):
    """A blank changes file with the contract's columns."""
    check("structure.change", request.scope)
    from dvk.common.xlsx import columns_template_response

    return columns_template_response(COLUMNS, COLUMN_HELP, "mau-thay-doi-co-cau.xlsx")
