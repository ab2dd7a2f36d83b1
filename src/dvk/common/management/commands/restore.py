"""dvk restore FILE [--force] (CONTRACTS §10): bring a database back from `dvk backup`.

Exit 0 restored; 1 refused (not a DVK backup, damaged, another schema, or the database
already holds data and no --force), nothing written; 2 wrong usage (no FILE, missing file).
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from dvk.common.cli import existing_file

HELP = (
    "Khôi phục cơ sở dữ liệu và các tệp tải lên từ tệp của «dvk backup». Cơ sở dữ liệu phải "
    "mới tạo bằng «dvk migrate» (cùng phiên bản phần mềm với lúc sao lưu) và thư mục tệp tải "
    "lên phải trống; nếu không, lệnh từ chối trừ khi có --force. Phiên đăng nhập và hàng đợi "
    "công việc nền không có trong bản sao lưu: mọi người đăng nhập lại."
)


class Command(BaseCommand):
    requires_system_checks = []
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp do «dvk backup» tạo ra")
        parser.add_argument("--force", action="store_true",
                            help="thay thế cả khi cơ sở dữ liệu đã có dữ liệu: XÓA toàn bộ dữ "
                                 "liệu hiện có của ứng dụng; tệp tải lên trùng tên bị ghi đè")

    def handle(self, *args, file, force, **options):
        from dvk.common.backup import BackupRefused, beyond_migrations, open_backup, restore

        path = existing_file(file)
        try:
            plan = open_backup(path)
        except BackupRefused as exc:
            raise CommandError(f"{exc} Không có dữ liệu nào được ghi.", returncode=1) from None
        with plan.zf:
            if not force:
                found = beyond_migrations()
                if found:
                    for line in found:
                        self.stderr.write(f"  {line}")
                    raise CommandError(
                        "Cơ sở dữ liệu (hoặc thư mục tệp tải lên) đã có dữ liệu ngoài những gì "
                        "«dvk migrate» tạo ra; không có dữ liệu nào được ghi. Khôi phục vào "
                        "một cơ sở dữ liệu mới, hoặc dùng --force để xóa và thay thế.",
                        returncode=1)
            try:
                restore(plan, progress=self.stderr.write)
            except BackupRefused as exc:
                raise CommandError(f"{exc} Không có dữ liệu nào được ghi.", returncode=1) from None
            except (DatabaseError, ValueError, TypeError) as exc:
                raise CommandError(f"Bản sao lưu «{path.name}» có dữ liệu không ghi được "
                                   f"({exc}); không có dữ liệu nào được ghi.",
                                   returncode=1) from None
        self.stdout.write(f"Đã khôi phục {len(plan.tables)} bảng từ «{path.name}».")
