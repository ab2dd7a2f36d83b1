"""The reminder job runs on Redis with only settings changed: `dvk send_reminders --enqueue`
with TASKS_BACKEND=rq, an RQ worker runs it; running the command afterwards sends nothing
more (each reminder once)."""
SETUP = """
from django.contrib.auth import get_user_model
from dvk.orgs.models import Membership, Unit
from dvk.phases.models import Phase, SteeringCommittee
phase = Phase.objects.get(code="2026-2030")
commune = Unit.objects.create(code="KG-GQ-97", name="Xã Hàng Đợi", kind="grassroots",
                              parent=Unit.objects.get(code="KG-GQ"))
SteeringCommittee.objects.create(unit=commune, phase=phase, level=phase.ordered_levels().first(),
                                 name="BCĐ xã Hàng Đợi")
user = get_user_model().objects.create_user("hangdoi.vanthu", email="a@b.vn")
Membership.objects.create(user=user, unit=commune, role="clerk")
"""

CHECK = """
from dvk.reminders.models import Notification
print(Notification._unguarded.filter(user__username="hangdoi.vanthu", kind="deadline_missed").count())
"""


def check_reminders_on_redis(run):
    """Called by tests/tasks/test_redis_backend.py on its Redis-backed demo (one setup)."""
    run("shell", "-c", SETUP)
    assert "hàng đợi" in run("send_reminders", "--enqueue", "--today", "05/02/2026")
    run("rqworker", "--burst", "default")
    assert run("shell", "-c", CHECK).strip().splitlines()[-1] == "1"
    again = run("send_reminders", "--today", "05/02/2026")
    assert again.startswith("Đã gửi 0 nhắc việc"), again
    assert run("shell", "-c", CHECK).strip().splitlines()[-1] == "1"
