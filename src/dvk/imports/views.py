"""The import screen: upload a registrations file, follow it as a background job."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from dvk.common.jobs import jobs_for
from dvk.common.rules import check

from . import jobs
from .forms import ImportForm
from .registrations import COLUMNS


@login_required
def import_file(request):
    """Upload a registrations file (CONTRACTS §4); a background job imports it into the
    chosen phase, limited to the units this secretariat sees, and shows its progress."""
    scope = request.scope
    check("registrations.import", scope)
    unit = scope.root()
    if unit is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_import(request, form.cleaned_data["phase"],
                                       form.cleaned_data["file"])
        return redirect("reports:job", job_id=job.pk)
    columns = [(c.name, c.required, jobs.COLUMN_HELP.get(c.name, "")) for c in COLUMNS]
    return render(request, "imports/import.html", {
        "form": form, "unit": unit, "columns": columns,
        "recent": jobs_for(scope).filter(kind=jobs.KIND)[:10]})
