"""dvk import_registrations FILE --phase CODE (CONTRACTS §2, §4).

Exit 0 imported; 1 the file was refused (one Vietnamese line per problem, nothing written),
also when a new phase code overlaps an existing phase; 2 wrong usage (missing arguments, a
path that is no readable .xlsx/.csv file, malformed phase code).
"""
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from dvk.common.bulk import ReferenceMissing
from dvk.common.cli import input_file
from dvk.common.tabular import ImportRefused


class Command(BaseCommand):
    help = "Nhập lượt đăng ký mô hình và kết quả (tệp .xlsx hoặc .csv UTF-8) vào một giai đoạn."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--phase", required=True, help="mã giai đoạn, ví dụ 2016-2020")

    def handle(self, *args, file, phase, **options):
        from dvk.imports.registrations import import_registrations
        from dvk.orgs.scope import Scope

        path = input_file(file)
        started = time.perf_counter()
        try:
            result = import_registrations(path, phase_code=phase, scope=Scope.system(
                "the command line imports records for the whole tree"))
        except ValueError as exc:  # malformed phase code: wrong usage
            raise CommandError(str(exc), returncode=2) from None
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            self.stderr.write("Tệp bị từ chối, không có dữ liệu nào được ghi.")
            sys.exit(1)
        except ReferenceMissing as exc:  # a unit or catalogue row vanished meanwhile
            self.stderr.write(f"Dữ liệu danh mục đã thay đổi trong lúc nhập ({exc}); không có "
                              "dữ liệu nào được ghi. Hãy chạy lại lệnh.")
            sys.exit(1)
        elapsed = time.perf_counter() - started
        if result.phase_created:
            self.stdout.write(f"Đã tạo giai đoạn {phase}.")
        self.stdout.write(result.summary() + f" ({elapsed:.1f} giây)")
