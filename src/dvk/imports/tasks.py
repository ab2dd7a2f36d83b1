"""Background tasks of the imports: thin wrappers around plain functions.

Enqueue with `import_file.enqueue(job_id=job.pk)`; the worker is `dvk db_worker`."""
from django_tasks import task


@task()
def import_file(job_id: int) -> None:
    """An uploaded registrations file (jobs.run_import_job)."""
    from dvk.common.jobs import running

    from .jobs import run_import_job

    with running(job_id) as job:
        run_import_job(job)
