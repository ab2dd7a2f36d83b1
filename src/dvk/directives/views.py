"""Directives screens: received from above and issued by us (`index`), publishing (also in
answer to a directive from above), one directive with who below has acknowledged and
implemented it, its file, acknowledging, and the areas the committee's members follow."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvk.common.rules import Refused, allowed, check
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase
from dvk.phases.queries import committees_for, current_phase
from dvk.phases.rules import committee_of

from . import queries, services
from .forms import AreasForm, DirectiveForm

MISSING = {"ack", "plan"}


def _phase(params):
    phases = list(Phase.objects.order_by("-start_year"))
    return next((p for p in phases if p.code == params.get("phase")), None) \
        or current_phase(phases), phases


@login_required
def index(request):
    scope = request.scope
    phase, phases = _phase(request.GET)
    ctx = {"phase": phase, "phases": phases}
    if phase is not None:
        committee = committee_of(scope, phase)
        received = list(queries.received_for(scope, phase))
        acks = queries.acknowledged_units(scope, received)
        unit_id = scope.unit.pk if scope.unit else None
        ctx.update(committee=committee,
                   received=[(d, acks[d.pk].get(unit_id)) for d in received],
                   can_acknowledge=allowed("directive.acknowledge", scope),
                   can_publish=allowed("directive.publish", scope, committee))
        if committee is not None:
            ctx["issued"] = queries.tallies(scope, committee,
                                            queries.issued_by(scope, committee))
    return render(request, "directives/index.html", ctx)


def _directive(request, directive_id):
    return get_or_404(queries.directives_for(request.scope), pk=directive_id)


@login_required
def new(request):
    """Publish a document of the acting unit's committee; `?responds_to=<id>` files it in
    answer to a directive from above (its implementing plan or working rules)."""
    scope = request.scope
    source = request.POST if request.method == "POST" else request.GET
    responds_to = None
    if (source.get("responds_to") or "").isdigit():
        responds_to = _directive(request, int(source["responds_to"]))
    phase = responds_to.phase if responds_to else _phase(source)[0]
    committee = committee_of(scope, phase) if phase else None
    check("directive.publish", scope, committee)
    initial = {"kind": "plan"} if responds_to else {}
    form = DirectiveForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            d = services.publish(scope=scope, committee=committee, kind=data["kind"],
                                 number=data["number"], issued_on=data["issued_on"],
                                 signer=data["signer"], title=data["title"],
                                 uploaded_file=data["file"], responds_to=responds_to)
        except Refused as refused:
            if refused.status != 400:
                raise
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Document %(number)s was published to the units below.")
                             % {"number": d.number})
            return redirect("directives:detail", directive_id=d.pk)
    return render(request, "directives/new.html", {
        "form": form, "committee": committee, "phase": phase, "responds_to": responds_to},
        status=400 if form.errors else 200)


@login_required
def detail(request, directive_id):
    scope = request.scope
    d = _directive(request, directive_id)
    ctx = {"d": d, "responses": list(queries.directives_for(scope).filter(responds_to=d)
                                       .order_by("unit__path", "issued_on"))}
    unit = scope.unit
    if unit is not None and unit.pk != d.unit_id and unit.path.startswith(d.unit.path):
        ctx["own_ack"] = queries.acknowledged_units(scope, [d])[d.pk].get(unit.pk)
        ctx["can_acknowledge"] = ctx["own_ack"] is None and allowed(
            "directive.acknowledge", scope, d)
        ctx["can_respond"] = allowed("directive.publish", scope, committee_of(scope, d.phase_id))
    if scope.contains(d.unit):  # the issuer and the levels above see who has not
        tally = queries.tallies(scope, d.committee, [d])[0]
        missing = request.GET.get("missing")
        missing = missing if missing in MISSING else ""
        follows = tally.follows
        if missing == "ack":
            follows = [f for f in follows if f.acknowledgement is None]
        elif missing == "plan":
            follows = [f for f in follows if not f.implemented]
        ctx.update(tally=tally, follows=follows, missing=missing)
    return render(request, "directives/detail.html", ctx)


@login_required
def download(request, directive_id):
    d = _directive(request, directive_id)
    try:
        handle = d.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=d.content_type != services.PDF,
                        filename=d.original_name, content_type=d.content_type or None)


@login_required
@require_POST
def acknowledge(request, directive_id):
    d = _directive(request, directive_id)
    services.acknowledge(d, scope=request.scope)
    messages.success(request, _("You acknowledged receiving %(number)s.") % {"number": d.number})
    return redirect("directives:detail", directive_id=d.pk)


@login_required
def areas(request, committee_id):
    """The committee's secretariat names the areas (units directly below) each member
    follows; the committee page shows them."""
    scope = request.scope
    committee = get_or_404(committees_for(scope), pk=committee_id)
    check("committee.assign_areas", scope, committee)
    members = committee.members.all()
    choices = queries.area_choices(committee)
    form = AreasForm(request.POST or None, members=members, units=choices,
                     initial={"member": request.GET.get("member")})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            chosen = services.set_areas(member, list(form.cleaned_data["units"]), scope=scope)
        except Refused as refused:
            if refused.status != 400:
                raise
            form.add_error("units", refused.message)
        else:
            messages.success(request, _("%(name)s follows %(n)d areas.")
                             % {"name": member.full_name, "n": len(chosen)})
            return redirect(reverse("directives:areas", args=[committee.pk]))
    areas_of = queries.areas_of(scope, committee)
    rows = [(m, areas_of.get(m.pk, [])) for m in members]
    if request.method == "GET" and (request.GET.get("member") or "").isdigit():
        chosen = next((a for m, a in rows if m.pk == int(request.GET["member"])), [])
        form.initial["units"] = [u.code for u in chosen]
    return render(request, "directives/areas.html", {
        "committee": committee, "form": form, "rows": rows},
        status=400 if form.errors else 200)
