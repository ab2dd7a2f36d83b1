from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dvk.orgs.middleware import SESSION_KEY
from dvk.orgs.scope import memberships_of


@login_required
def home(request):
    return render(request, "web/home.html", {"memberships": memberships_of(request.user)})


@login_required
@require_POST
def switch_membership(request):
    """Act for another of the user's memberships (unit + role)."""
    chosen = memberships_of(request.user).filter(pk=request.POST.get("membership")).first()
    if chosen:
        request.session[SESSION_KEY] = chosen.pk
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)
