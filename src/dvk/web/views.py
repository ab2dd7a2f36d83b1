from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dvk.common import ratelimit
from dvk.orgs.enums import Role
from dvk.orgs.middleware import SESSION_KEY
from dvk.orgs.scope import memberships_of
from dvk.phases.calendar import deadlines_for
from dvk.phases.queries import current_phase, default_year, teams_for
from dvk.phases.models import Phase

from . import queries


@login_required
def home(request):
    """One home page; the blocks shown depend on the role the user acts in."""
    scope = request.scope
    phases = list(Phase.objects.order_by("-start_year"))
    phase = current_phase(phases)
    chosen = request.GET.get("phase")
    if chosen:
        phase = next((p for p in phases if p.code == chosen), phase)
    ctx = {"phase": phase, "phases": phases, "role": scope.role}
    levels = list(phase.ordered_levels()) if phase is not None else []
    if phase is not None and scope.unit is not None:
        # The unit's calendar (deadlines cascading down the levels) and what needs doing.
        year = default_year(phase)
        ctx.update(year=year, deadlines=deadlines_for(scope.unit, phase, year, levels),
                   unit=scope.unit, work=queries.worklist(scope, phase, year, levels))
    if phase is not None and (scope.unit is not None or scope.is_superuser):
        wants_states = scope.has_role(Role.SECRETARIAT, Role.APPRAISER, Role.CLERK)
        wants_levels = scope.has_role(Role.LEADER, Role.SECRETARIAT)
        if wants_states or wants_levels:
            states, rows = queries.state_and_level_figures(scope, phase, levels)
            ctx.update(states=states if wants_states else None,
                       levels=rows if wants_levels else None)
    if scope.role == Role.APPRAISER:
        ctx["my_teams"] = list(teams_for(scope).filter(members__user=request.user).distinct()
                               .select_related("committee__unit")[:20])
    return render(request, "web/home.html", ctx)


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


# Guides by role: one template each (web/help/<role>.html), in the roles' order.
HELP_ROLES = [Role.CLERK, Role.SECRETARIAT, Role.APPRAISER, Role.LEADER, Role.ADMIN]


def help_page(request, role=None):
    """The short guide of a role (who does what, when), open to everyone: it holds no data.
    Without a role: the year at a glance, and the acting role's guide marked."""
    if role is not None and role not in HELP_ROLES:
        raise Http404
    my_role = None
    if request.user.is_authenticated:
        my_role = request.scope.role or (Role.ADMIN if request.user.is_superuser else None)
    return render(request, f"web/help/{role or 'index'}.html", {
        "roles": [(r.value, r.label) for r in HELP_ROLES], "role": role, "my_role": my_role})


class LoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form, whose username's max_length only sets the widget's maxlength:
    a longer username is refused here, next to the field, before any password is tried (the
    lockout's record of a failed attempt holds 255 characters; PostgreSQL refused more with
    a server error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginView(auth_views.LoginView):
    """Sign-in; attempts (POSTs) are rate-limited per client address (DVK_LOGIN_RATE)
    before any password is checked. Failures also count toward the lockout (django-axes,
    common/lockout.py)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = ratelimit.hit("login", ratelimit.client_address(request))
        if wait is not None:
            response = render(request, "registration/rate_limited.html",
                              {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
