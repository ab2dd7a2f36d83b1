"""Khóa API: the user's own personal API tokens (make, list, revoke)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.rules import Refused
from dvk.orgs.scope import get_or_404

from . import tokens
from .forms import TokenForm
from .queries import tokens_of


@login_required
def token_list(request):
    """The list and the form; a POST makes a token and shows it, once, on this page."""
    scope = request.scope
    form = TokenForm(request.POST or None, user=request.user, current=scope.membership)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        try:
            created, raw = tokens.create_token(scope, name=form.cleaned_data["name"],
                                               membership=form.chosen_membership(),
                                               expires_in_days=form.expires_in_days())
        except Refused as exc:
            form.add_error("membership", exc.message)
        else:
            form = TokenForm(user=request.user, current=scope.membership)
    response = render(request, "api/tokens.html", {
        "form": form, "tokens": list(tokens_of(scope)), "created": created, "raw": raw,
        "api_url": request.build_absolute_uri("/api/v1/units"),
    })
    if raw:
        response["Cache-Control"] = "no-store"  # the token is shown once, never cached
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_or_404(tokens_of(request.scope), pk=token_id)
    tokens.revoke_token(request.scope, token)
    messages.success(request, _("The API key “%(name)s” was revoked; it no longer works.")
                     % {"name": token.name})
    return redirect("api_tokens:list")
