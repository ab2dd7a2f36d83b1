"""dvk send_reminders: deadlines near and missed, returns, decisions, awards, weekly digests.

Run it daily from cron or a systemd timer (README). Each reminder goes out once, however
often it runs. --enqueue puts the same work on the background queue instead (the database
backend by default, Redis with TASKS_BACKEND=rq), for a worker to run.
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError


def _day(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"Ngày «{value}» không hợp lệ; dùng dạng dd/mm/yyyy.",
                           returncode=2) from None


class Command(BaseCommand):
    help = "Gửi nhắc việc (hạn sắp đến, quá hạn, trả lại, quyết định, khen thưởng) và bản tin tuần."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="Ngày tính hạn (dd/mm/yyyy), mặc định hôm nay.")
        parser.add_argument("--enqueue", action="store_true",
                            help="Đưa vào hàng đợi tác vụ nền thay vì chạy ngay.")

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            from dvk.reminders.tasks import send_reminders

            result = send_reminders.enqueue(today=today.isoformat() if today else None)
            self.stdout.write(f"Đã đưa việc gửi nhắc vào hàng đợi (mã {result.id}).")
            return
        from dvk.reminders.services import run_reminders

        outcome = run_reminders(today)
        parts = ", ".join(f"{kind}: {n}" for kind, n in sorted(outcome.sent.items()))
        self.stdout.write(f"Đã gửi {outcome.total} nhắc việc ({parts or 'không có'}); "
                          f"{outcome.emailed} thư điện tử.")
