"""Starting a background job from a request: a BackgroundJob row that a page polls, and
its task enqueued on whichever Tasks backend is configured (database or Redis)."""
from django.shortcuts import redirect

from .models import BackgroundJob


def start_job(request, *, kind, title, unit, params, task):
    """Create the job for the acting membership, enqueue `task(job_id=…)`, and send the
    user to its progress page. The task rebuilds the scope from the job, so access is
    checked again when it runs."""
    scope = request.scope
    job = BackgroundJob.objects.create(
        kind=kind, title=title, owner=request.user, unit=unit,
        params={**params, "membership": scope.membership.pk if scope.membership else None})
    task.enqueue(job_id=job.pk)
    return redirect("reports:job", job_id=job.pk)
