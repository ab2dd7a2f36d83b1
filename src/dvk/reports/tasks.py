"""Background tasks of the reports section: thin wrappers around plain functions.

Enqueue with `export_list.enqueue(job_id=job.pk)`; the worker is `dvk db_worker`.
"""
from django_tasks import task


@task()
def export_list(job_id: int) -> None:
    """A registrations / units / awards export (exports.run_export_job)."""
    from dvk.common.jobs import running

    from .exports import run_export_job

    with running(job_id) as job:
        run_export_job(job)


@task()
def render_report(job_id: int) -> None:
    """A report document: summary, appendix or phase report (exports.run_document_job)."""
    from dvk.common.jobs import running

    from .exports import run_document_job

    with running(job_id) as job:
        run_document_job(job)
