"""Background tasks of the documents section: thin wrappers around plain functions.

A decision's certificates beyond views.certificates_sync_limit() are printed here, by
chunks of certificates.CHUNK pages, the job's progress updated after each chunk."""
from django_tasks import task


def run_certificates_job(job) -> None:
    """Print a decision's certificates for a BackgroundJob. The scope is rebuilt from the
    job's owner and membership, so access is checked again when the job runs."""
    import io

    from dvk.common.models import BackgroundJob
    from dvk.initiatives.queries import decisions_for
    from dvk.orgs.scope import scope_for

    from .certificates import CHUNK, certificates_pdf
    from .decisions import decision_filename, papers_for
    from .pdf import ConversionError

    scope = scope_for(job.owner, job.params.get("membership"))
    decision = decisions_for(scope).filter(pk=job.params.get("decision")).first()
    if decision is None:
        job.fail("Không tìm thấy quyết định.")
        return
    papers = papers_for(scope, decision)
    job.start(total=len(papers.recognized))

    def progress(n):
        job.done = n
        BackgroundJob.objects.again(job).update(done=n)

    try:
        pdf = certificates_pdf(papers, progress=progress, chunk=CHUNK)
    except ConversionError as exc:
        job.fail(exc.message)
        return
    job.succeed(file=io.BytesIO(pdf), name=decision_filename(decision, "pdf"))


@task()
def render_certificates(job_id: int) -> None:
    from dvk.common.jobs import running

    with running(job_id) as job:
        run_certificates_job(job)
