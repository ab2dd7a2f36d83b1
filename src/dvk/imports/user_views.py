"""The accounts screen: the system administrator uploads a users file (CONTRACTS §8), sees
per account what it would do (or every problem by row and column), then confirms. The same
engine as `dvk import_users` (orgs/users_import.py); the structure changes screen's pattern
(structure_views.py): the upload waits in storage between preview and confirmation, the
session remembers which one, so a confirmation applies exactly the file previewed.

After confirming, the one-time links of the new accounts are shown on the page (once, never
stored) and mailed to those with an email."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dvk.common.rules import check
from dvk.common.tabular import ImportRefused
from dvk.orgs.enums import ROLE_FILE_LABELS
from dvk.orgs.users_import import (COLUMNS, ROLE_LABEL, import_users, invitations, plan_users,
                                   send_invitations)

from .forms import UsersFileForm
from .jobs import store_upload
from .pending import forget, local_copy

SESSION_KEY = "users_upload"
PREVIEW_ROWS = 500  # accounts listed on the preview; the counts cover them all

COLUMN_HELP = {
    "Tên đăng nhập": _("Letters, digits and @ . + - _; an existing username updates that account"),
    "Họ và tên": _("Family name first"),
    "Email": _("Optional: the one-time link to set the password is mailed there"),
    "Mã đơn vị": _("The unit the person acts for"),
    "Vai trò": ", ".join(ROLE_FILE_LABELS),
}



def _page(request, form, **ctx):
    columns = [(c.name, c.required, COLUMN_HELP.get(c.name, "")) for c in COLUMNS]
    return render(request, "imports/users.html", {"form": form, "columns": columns, **ctx})


def _accounts(result):
    return [{"account": a, "added": [f"{ROLE_LABEL[role]} · {u.code} – {u.name}"
                                     for u, role in a.added]}
            for a in result.accounts[:PREVIEW_ROWS]]


@login_required
def users_upload(request):
    """GET: the form; POST: preview the uploaded file, nothing written."""
    check("users.import", request.scope)
    form = UsersFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    forget(request, SESSION_KEY)  # a new upload replaces one previewed before
    uploaded = form.cleaned_data["file"]
    name = store_upload(uploaded)
    try:
        with local_copy(name) as path:
            result = plan_users(path)
    except ImportRefused as refused:
        default_storage.delete(name)
        return _page(request, form, problems=refused.problems, file_name=uploaded.name)
    request.session[SESSION_KEY] = {"upload": name, "file_name": uploaded.name}
    return render(request, "imports/users_preview.html", {
        "result": result, "accounts": _accounts(result), "file_name": uploaded.name,
        "more": max(0, len(result.accounts) - PREVIEW_ROWS),
        "summary": result.summary(preview=True)})


@never_cache  # the page shows one-time links
@login_required
@require_POST
def users_confirm(request):
    """Apply the file previewed in this session, all or nothing; show the new links."""
    check("users.import", request.scope)
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["upload"]):
        messages.error(request, _("Nothing to apply: upload the file again and check its "
                                  "preview."))
        return redirect("user_imports:upload")
    try:
        with local_copy(pending["upload"]) as path:
            result = import_users(path, actor=request.user, source_name=pending["file_name"])
    except ImportRefused as refused:  # the accounts or units changed since the preview
        forget(request, SESSION_KEY)
        return _page(request, UsersFileForm(), problems=refused.problems,
                     file_name=pending["file_name"])
    forget(request, SESSION_KEY)
    invites = send_invitations(invitations(
        result.to_invite(resend=bool(request.POST.get("resend"))),
        request.build_absolute_uri("/")))
    # Rendered, not redirected: the links are shown once and kept nowhere.
    return render(request, "imports/users_done.html", {
        "summary": result.summary(), "invites": invites, "file_name": pending["file_name"]})


@login_required
@require_POST
def users_cancel(request):
    check("users.import", request.scope)
    forget(request, SESSION_KEY)
    messages.info(request, _("The previewed file was discarded; nothing was changed."))
    return redirect("user_imports:upload")


@login_required
def users_template(request):
    """A blank users file with the contract's columns."""
    check("users.import", request.scope)
    from dvk.common.xlsx import columns_template_response

    return columns_template_response(COLUMNS, COLUMN_HELP, "mau-tai-khoan.xlsx")
