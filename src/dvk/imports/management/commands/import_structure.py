from django.core.management.base import BaseCommand

from dvk.common.cli import input_file, refused_file
from dvk.common.tabular import ImportRefused
from dvk.orgs.structure_changes import apply_changes, preview_changes
from dvk.imports.structure_impact import describe, impact_of


class Command(BaseCommand):
    requires_system_checks = []  # a data command: start fast, whatever the web layer's state
    help = ("Áp dụng tệp thay đổi cơ cấu tổ chức (.xlsx hoặc .csv UTF-8): thành lập, sáp nhập, "
            "chia tách, giải thể, đổi tên, chuyển đơn vị, theo ngày hiệu lực. Tệp có lỗi thì "
            "không ghi gì; mỗi lỗi ghi rõ dòng, cột và lý do. Nhập lại cùng tệp không thay đổi gì.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--xem-truoc", "--dry-run", dest="preview", action="store_true",
                            help="chỉ xem trước kết quả (đơn vị ngừng hoạt động, nơi chuyển dữ "
                                 "liệu, ban chỉ đạo và tài khoản bị ảnh hưởng); không ghi gì")

    def handle(self, *args, file, preview, **options):
        path = input_file(file)
        try:
            if preview:
                result = preview_changes(path, source_name=path.name, impact=impact_of)
            else:
                result = apply_changes(path, source_name=path.name)
        except ImportRefused as refused:
            raise refused_file(self, path, refused) from None
        if preview:
            self.stdout.write("Xem trước, chưa ghi gì. " + result.summary(preview=True))
            for line in describe(result.impact):
                self.stdout.write(line)
        else:
            self.stdout.write(result.summary())
