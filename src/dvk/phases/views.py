from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from dvk.orgs.scope import committees_for, get_or_404

from .models import Phase


@login_required
def phase_list(request):
    return render(request, "phases/phase_list.html", {"phases": Phase.objects.all()})


@login_required
def phase_detail(request, phase_code):
    phase = get_object_or_404(Phase, code=phase_code)
    return render(request, "phases/phase_detail.html", {"phase": phase})


@login_required
def committee_list(request):
    return render(request, "phases/committee_list.html",
                  {"committees": committees_for(request.scope)[:200]})


@login_required
def committee_detail(request, committee_id):
    committee = get_or_404(committees_for(request.scope), pk=committee_id)
    return render(request, "phases/committee_detail.html", {"committee": committee})
