"""Background work on Redis is a configuration change, not a rewrite: the same export task,
enqueued by the same code, runs through django-tasks-rq and an RQ worker when
TASKS_BACKEND=rq. Uses the machine's Redis (127.0.0.1:6379, database 9) and its own
SQLite file, in separate processes, as a deployment would."""
import os
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

ENQUEUE = """
from django.contrib.auth import get_user_model
from dvk.common.models import BackgroundJob
from dvk.orgs.scope import scope_for
from dvk.reports.tasks import export_list
user = get_user_model().objects.get(username="gq.thuky")
scope = scope_for(user)
job = BackgroundJob.objects.create(kind="registrations", title="rq", owner=user, unit=scope.unit,
    params={"export": "registrations", "format": "csv", "query": "phase=2016-2020",
            "membership": scope.membership.pk})
result = export_list.enqueue(job_id=job.pk)
from django_tasks import task_backends
print(type(task_backends[result.backend]).__name__, job.pk)
"""

CHECK = """
from dvk.common.models import BackgroundJob
job = BackgroundJob.objects.get(pk={pk})
lines = job.result_file.read().decode("utf-8-sig").splitlines()
print(job.status, job.total, len(lines) - 1, lines[0])
"""


# The registrations export's header row, as the user opens it in a spreadsheet.
HEADER = ("Mã mô hình,Tên mô hình,Loại,Chủ thể,Mã đơn vị,Tên đơn vị,Khối,Lĩnh vực,Giai đoạn,"
          "Cấp,Năm,Trạng thái,Kết quả,Đặc cách,Trễ hạn,Ngày gửi,Ngày quyết định,Số quyết định,"
          "Số giấy chứng nhận")


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_export_task_runs_on_redis_with_only_settings_changed(tmp_path):
    assert _redis_up(), "Redis must run on 127.0.0.1:6379 (see .ci/run)"
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    env = dict(os.environ, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/9",
               DATABASE_URL=f"sqlite:///{tmp_path / 'rq.sqlite3'}", DEBUG="1",
               MEDIA_ROOT=str(tmp_path / "media"))

    def run(*args):
        out = subprocess.run([dvk, *args], env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    run("migrate", "-v0", "--no-input")
    run("seed_demo", "--scale", "0.02", "--before-reform")
    backend, pk = run("shell", "-c", ENQUEUE).split()[-2:]
    assert "RQ" in backend  # the same .enqueue() went to the Redis backend
    run("rqworker", "--burst", "default")
    last_line = run("shell", "-c", CHECK.format(pk=pk)).strip().splitlines()[-1]
    status, total, rows, header = last_line.split(" ", 3)
    assert status == "done" and int(total) > 0
    assert int(rows) == int(total)  # every counted registration is a row of the file
    assert header == HEADER
    # The reminder job too, enqueued by `dvk send_reminders --enqueue` (tests/reminders).
    from tests.reminders.redis_check import check_reminders_on_redis

    check_reminders_on_redis(run)
