import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dvk.common.cli import input_file, refused_file
from dvk.common.tabular import ImportRefused
from dvk.orgs.importing import import_units


def _date(value: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError(value)


class Command(BaseCommand):
    requires_system_checks = []  # a data command: start fast, whatever the web layer's state
    help = ("Tạo mới hoặc cập nhật cây tổ chức từ tệp đơn vị (.xlsx hoặc .csv UTF-8). "
            "Tệp có lỗi thì không ghi gì; mỗi lỗi ghi rõ dòng, cột và lý do.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--ngay", "--date", dest="date", default=None,
                            help="ngày hiệu lực của các thay đổi đơn vị cấp trên "
                                 "(dd/mm/yyyy; mặc định hôm nay)")

    def handle(self, *args, file, date, **options):
        path = input_file(file)
        try:
            when = _date(date) if date else None
        except ValueError:
            raise CommandError(f"Ngày «{date}» không hợp lệ; dùng dạng dd/mm/yyyy.",
                               returncode=2) from None
        try:
            result = import_units(path, date=when, source_name=path.name)
        except ImportRefused as refused:
            raise refused_file(self, path, refused) from None
        self.stdout.write(result.summary())
