"""Starting a background job from a request: a BackgroundJob row that a page polls, and
its task enqueued on whichever Tasks backend is configured (database or Redis)."""
from contextlib import contextmanager

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from ninja import Schema

from .models import BackgroundJob
from .scoping import enforcing


def jobs_for(scope):
    """A user's own background jobs, and only while the job's unit is in `scope` (an
    orgs Scope: this module sits below the org tree and only asks it for its filter)."""
    if not scope.is_authenticated:
        return BackgroundJob.objects.none()
    qs = BackgroundJob.objects.unscoped("a job is its owner's").filter(owner=scope.user)
    return qs if scope.is_superuser else qs.filter(scope.unit_q("unit") | Q(unit__isnull=True))


@contextmanager
def running(job_id: int):
    """A worker runs the job it was handed as its owner: everything it reads goes through
    the scope it rebuilds from the job (common/scoping.py, enforcing again)."""
    job = (BackgroundJob.objects.unscoped("the worker runs the job it was handed")
           .select_related("owner").get(pk=job_id))
    with enforcing():
        yield job


def enqueue_job(request, *, kind, title, unit, params, task) -> BackgroundJob:
    """Create the job for the acting membership and enqueue `task(job_id=…)`. The task
    rebuilds the scope from the job, so access is checked again when it runs."""
    scope = request.scope
    # A title names what the user gave (an upload's name may itself be 255 characters).
    limit = BackgroundJob._meta.get_field("title").max_length
    title = title if len(title) <= limit else title[:limit - 1] + "…"
    job = BackgroundJob.objects.create(
        kind=kind, title=title, owner=request.user, unit=unit,
        params={**params, "membership": scope.membership.pk if scope.membership else None,
                # The page it was started from, so its progress page stays in that section.
                "page": "" if request.path.startswith("/api/") else request.path})
    task.enqueue(job_id=job.pk)
    job.refresh_from_db()  # an immediate backend has already run it
    return job


def start_job(request, **job):
    """enqueue_job, then send the user to the job's progress page."""
    return redirect("reports:job", job_id=enqueue_job(request, **job).pk)


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    problems: list[str]
    page: str
    download: str | None


def job_out(job: BackgroundJob) -> dict:
    """A job as the API gives it: `problems` lists a refused import's rows, one a line."""
    failed = job.status == BackgroundJob.Status.FAILED
    done = job.status == BackgroundJob.Status.DONE
    return {
        "id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
        "done": job.done, "total": job.total, "percent": job.percent,
        "message": "" if failed else job.message,
        "problems": job.message_lines if failed else [],
        "page": reverse("reports:job", kwargs={"job_id": job.pk}),
        "download": (reverse("reports:job_download", kwargs={"job_id": job.pk})
                     if done and job.result_file else None),
    }
