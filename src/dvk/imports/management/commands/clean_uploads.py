"""dvk clean_uploads [--older-than HOURS] [--dry-run]: delete stale import uploads.

Meant for a daily cron job or systemd timer (README). Exit 0, also when nothing was deleted.
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

DEFAULT_HOURS = 48


def _hours(value: str) -> float:
    try:
        hours = float(value)
    except ValueError:
        hours = -1
    if not hours >= 0:
        raise CommandError(f"«{value}» không phải số giờ hợp lệ.", returncode=2)
    return hours


class Command(BaseCommand):
    requires_system_checks = []
    help = ("Xóa các tệp nhập dữ liệu đã tải lên (MEDIA_ROOT/imports/) cũ hơn số giờ cho trước "
            "mà không còn công việc nhập nào đang chờ hay đang chạy cần đến: tệp của công việc "
            "đã xong, đã lỗi, hoặc không thuộc công việc nào.")

    def add_arguments(self, parser):
        parser.add_argument("--older-than", dest="hours", default=str(DEFAULT_HOURS),
                            metavar="HOURS",
                            help="chỉ xóa tệp sửa lần cuối quá số giờ này "
                                 f"(mặc định {DEFAULT_HOURS})")
        parser.add_argument("--dry-run", action="store_true",
                            help="chỉ liệt kê, không xóa")

    def handle(self, *args, hours, dry_run, **options):
        from dvk.imports.jobs import clean_uploads

        hours = _hours(hours)
        names = clean_uploads(dt.timedelta(hours=hours), dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{verb} {len(names)} tệp tải lên cũ hơn {hours:g} giờ.")
