"""Statistics API: GET /api/v1/summary (CONTRACTS §5), scoped like the UI."""
from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from dvk.common.jobs import JobOut, job_out
from dvk.common.rules import check
from dvk.orgs.scope import get_or_404, unit_for
from dvk.common.jobs import jobs_for
from dvk.phases.models import Phase

from .summary import STRUCTURES, build_summary

router = Router(tags=["reports"])


@router.get("/summary")
def summary(request, phase: str, unit: str = "", structure: str = "time",
            year: int | None = None):
    """The statistics of a phase for a unit's subtree (default: the caller's own unit).

    `structure=time` keeps registrations with the units of the time; `today` rolls
    retired units up to the units that carry their data today. `year` restricts to one year."""
    found = Phase.objects.filter(code=phase).first()
    if found is None:
        raise HttpError(404, f"Không có giai đoạn “{phase}”.")
    if structure not in STRUCTURES:
        raise HttpError(400, "Tham số structure phải là “time” hoặc “today”.")
    if year is not None and year not in found.years:
        raise HttpError(400, f"Năm {year} không thuộc giai đoạn {found.code}.")
    scope = request.scope
    check("reports.view", scope)  # the same rule as the statistics screens
    target = unit_for(scope, unit) if unit else scope.root()
    if target is None:
        raise Http404
    return build_summary(found, target, structure=structure, year=year)


@router.get("/jobs/{job_id}", response=JobOut)
def job(request, job_id: int):
    """A background job the caller started (export, report, import): poll until `status`
    is `done` (then `download`, if it made a file) or `failed` (then `problems`)."""
    return job_out(get_or_404(jobs_for(request.scope), pk=job_id))
