"""dvk clean_uploads: uploads that no job will read again are deleted once old enough;
the upload of a job still queued or running is kept, whatever its age."""
import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dvk.common.models import BackgroundJob

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    folder = tmp_path / "media" / "imports"
    folder.mkdir(parents=True)

    def make(name, hours_old, status=None):
        path = folder / name
        path.write_bytes(b"Ten mo hinh\n")
        then = time.time() - hours_old * HOUR
        os.utime(path, (then, then))
        if status:
            BackgroundJob.objects.create(kind="import_registrations", status=status,
                                         params={"upload": f"imports/{name}"})
        return path

    make.folder = folder
    return make


def clean(*args):
    out = StringIO()
    call_command("clean_uploads", *args, stdout=out)
    return out.getvalue()


def test_stale_uploads_are_deleted_and_waiting_ones_kept(uploads, tmp_path):
    done = uploads("done.csv", 72, "done")
    failed = uploads("failed.xlsx", 50, "failed")
    orphan = uploads("orphan.csv", 49)
    queued = uploads("queued.csv", 500, "queued")      # the worker was down for weeks
    running = uploads("running.csv", 72, "running")
    fresh = uploads("fresh.csv", 47)                   # its job may not exist yet
    fresh_done = uploads("fresh-done.csv", 1, "done")
    elsewhere = tmp_path / "media" / "jobs"            # other media are not touched
    elsewhere.mkdir()
    (elsewhere / "old.xlsx").write_bytes(b"x")
    os.utime(elsewhere / "old.xlsx", (0, 0))
    (uploads.folder / "sub").mkdir()                   # nor folders inside the uploads

    out = clean("--dry-run")
    assert "Sẽ xóa 3 tệp tải lên cũ hơn 48 giờ." in out and done.exists()

    out = clean()
    assert out.splitlines() == ["imports/done.csv", "imports/failed.xlsx", "imports/orphan.csv",
                                "Đã xóa 3 tệp tải lên cũ hơn 48 giờ."]
    assert not done.exists() and not failed.exists() and not orphan.exists()
    assert queued.exists() and running.exists() and fresh.exists() and fresh_done.exists()
    assert (elsewhere / "old.xlsx").exists() and (uploads.folder / "sub").is_dir()

    assert clean("--older-than", "0.5").splitlines() == [
        "imports/fresh-done.csv", "imports/fresh.csv", "Đã xóa 2 tệp tải lên cũ hơn 0.5 giờ."]
    assert queued.exists() and running.exists()
    assert "Đã xóa 0 tệp" in clean("--older-than", "0")


def test_no_uploads_folder_and_bad_hours(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "nothing")
    assert "Đã xóa 0 tệp" in clean()
    for bad in ("-1", "abc", "nan"):
        with pytest.raises(CommandError) as exc:
            clean("--older-than", bad)
        assert exc.value.returncode == 2 and "không phải số giờ hợp lệ" in str(exc.value)
