"""dvk backup FILE (CONTRACTS §10): the whole database and the uploaded files in one file.

Exit 0 written; 2 wrong usage (no FILE, a folder that does not exist).
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

HELP = (
    "Sao lưu toàn bộ cơ sở dữ liệu (mọi bảng của ứng dụng) và các tệp tải lên (MEDIA_ROOT) "
    "vào một tệp zip, như nhau trên SQLite và PostgreSQL; khôi phục bằng «dvk restore FILE». "
    "Không sao lưu phiên đăng nhập (người dùng đăng nhập lại) và hàng đợi công việc nền. "
    "Tiến độ in ra stderr."
)


class Command(BaseCommand):
    requires_system_checks = []
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu sẽ ghi (ghi đè nếu đã có), ví dụ dvk.zip")

    def handle(self, *args, file, **options):
        from dvk.common.backup import backup
        from dvk.common.formatting import vn_int

        path = Path(file)
        if path.is_dir():
            raise CommandError(f"«{file}» là một thư mục; hãy cho tên tệp.", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục «{path.parent}».", returncode=2)
        manifest = backup(path, progress=self.stderr.write)
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(f"Đã sao lưu {len(manifest['tables'])} bảng, {vn_int(rows)} dòng và "
                          f"{vn_int(manifest['media'])} tệp vào «{path}».")
