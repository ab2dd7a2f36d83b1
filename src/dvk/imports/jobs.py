"""Importing a registrations file uploaded in the app, as a background job.

The upload is kept in Django's storage (shared by every app server and the worker) until
the job has read it; the job reuses the command's import (registrations.py), limited to the
uploader's scope, and reports its progress and outcome on the job page. Uploads whose job
never ran are removed by `dvk clean_uploads` (clean_uploads below)."""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.common.bulk import ReferenceMissing
from dvk.common.models import BackgroundJob
from dvk.common.rules import allowed
from dvk.common.tabular import ImportRefused

KIND = "import_registrations"
ACTIVITIES_KIND = "import_activities"  # training, inspections, press (CONTRACTS §7)
IMPORT_KINDS = (KIND, ACTIVITIES_KIND)

# What the import page says about each column of the file (the names are the contract's).
COLUMN_HELP = {
    "Mã mô hình": _("Rows with the same code are the same model (registered at several levels)"),
    "Tên mô hình": _("Name of the model"),
    "Loại": _("“Mô hình” (collective) or “Điển hình” (individual)"),
    "Chủ thể": _("The collective or person carrying it"),
    "Mã đơn vị": _("Code of a unit in your subtree"),
    "Khối": _("Empty: the unit's sector"),
    "Lĩnh vực": _("Kinh tế, Văn hóa - Xã hội, Quốc phòng - An ninh, Xây dựng hệ thống chính trị"),
    "Cấp": _("Cơ sở, Huyện (or Trên cơ sở), Tỉnh"),
    "Năm": _("A year of the phase"),
    "Kết quả": _("Công nhận, Không công nhận, or empty if not yet decided"),
    "Đặc cách": _("“x” or “Có” for an exceptional registration"),
    "Khen thưởng": _("Giấy khen, Bằng khen or Cờ thi đua awarded at that level"),
}


UPLOADS = "imports"  # the storage folder of uploads waiting for their job


def store_upload(uploaded) -> str:
    """Save an uploaded file for the worker; returns its storage name."""
    suffix = Path(uploaded.name).suffix.lower()
    return default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}{suffix}", uploaded)


def clean_uploads(older_than: dt.timedelta, *, dry_run: bool = False) -> list[str]:
    """Delete the uploads last modified more than `older_than` ago that no queued or running
    import job still has to read; return their names. A job deletes its upload when it
    ends, so these are the uploads of jobs that never ran (worker down, task lost) or that
    died half-way, and files no job refers to. Only files directly in the uploads folder
    are looked at."""
    try:
        _, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return []
    # Read after listing: a job created meanwhile is seen. Its upload is new anyway (the
    # file is saved just before its job), and only old files are deleted.
    waiting = {job.params.get("upload") for job in BackgroundJob.objects.unscoped(
        "every user's waiting uploads").filter(
        kind__in=IMPORT_KINDS, status__in=(BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING))}
    cutoff = timezone.now() - older_than
    deleted = []
    for name in sorted(names):
        path = f"{UPLOADS}/{name}"
        if path in waiting:
            continue
        try:
            if default_storage.get_modified_time(path) >= cutoff:
                continue
            if not dry_run:
                default_storage.delete(path)
        except FileNotFoundError:  # deleted meanwhile (its job just ended)
            continue
        deleted.append(path)
    return deleted


def start_import(request, phase, uploaded, *, activity: str = "") -> BackgroundJob:
    """Keep the upload and enqueue its import for the acting secretariat's subtree: a
    registrations file, or with `activity` (training, inspections, press) an activities
    file."""
    from dvk.common.jobs import enqueue_job

    from .tasks import import_file

    return enqueue_job(
        request, kind=ACTIVITIES_KIND if activity else KIND, unit=request.scope.root(),
        task=import_file,
        title=_("Import of %(file)s into phase %(phase)s") % {"file": uploaded.name,
                                                             "phase": phase.code},
        params={"phase": phase.code, "file_name": uploaded.name, "activity": activity,
                "upload": store_upload(uploaded)})


def _report_progress(job_id: int):
    """progress(done, total) that writes outside the import's transaction, so the page
    sees it while the import runs. The import's own connection belongs to the import
    (its writer thread uses it), hence a short-lived thread with a connection of its own.
    SQLite allows one writer at a time, so there the page shows progress at the end only."""
    if connection.vendor != "postgresql":
        return None

    def write(done, total):
        try:
            BackgroundJob.objects.unscoped("the running job's own progress").filter(
                pk=job_id).update(done=done, total=total)
        finally:
            connection.close()  # this thread's own connection

    def progress(done, total):
        t = threading.Thread(target=write, args=(done, total))
        t.start()
        t.join()
    return progress


def _importer(job: BackgroundJob):
    """(the rule the job's owner must still pass, the import function) of the job's kind."""
    if job.kind == ACTIVITIES_KIND:
        from functools import partial

        from dvk.activities.importing import import_activities

        return "activities.import", partial(import_activities, kind=job.params["activity"])
    from .registrations import import_registrations

    return "registrations.import", import_registrations


def run_import_job(job: BackgroundJob) -> None:
    """Import the job's uploaded file into its phase. Refused files end the job as failed
    with every problem listed; nothing is written then."""
    from dvk.orgs.scope import scope_for

    params = job.params
    rule_name, importer = _importer(job)
    job.start()
    try:
        scope = scope_for(job.owner, params.get("membership"))
        if not allowed(rule_name, scope):  # the membership may have ended since
            job.fail("Bạn không còn quyền nhập dữ liệu cho đơn vị này.")
            return
        with default_storage.open(params["upload"], "rb") as src, \
                tempfile.NamedTemporaryFile(suffix=Path(params["upload"]).suffix) as tmp:
            shutil.copyfileobj(src, tmp)
            tmp.flush()
            result = importer(
                tmp.name, phase_code=params["phase"], scope=scope,
                progress=_report_progress(job.pk), file_name=params["file_name"])
    except ImportRefused as exc:
        job.fail("\n".join(str(p) for p in exc.problems))
    except ReferenceMissing as exc:
        job.fail(f"Dữ liệu danh mục đã thay đổi trong lúc nhập ({exc}); không có dữ liệu nào "
                 "được ghi. Hãy nhập lại tệp.")
    except Exception as exc:  # the page shows the failure; the worker logs the traceback
        job.fail(f"Không nhập được tệp: {exc}")
        raise
    else:
        job.done = job.total = result.rows
        job.succeed(message=result.summary())
    finally:
        default_storage.delete(params["upload"])
