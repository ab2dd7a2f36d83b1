"""dvk import_activities FILE --phase CODE --kind training|inspections|press (CONTRACTS §7).

Exit 0 imported; 1 the file was refused (one Vietnamese line per problem, nothing
written); 2 wrong usage (missing arguments, a path that is no readable .xlsx/.csv file,
an unknown kind, a malformed phase code).
"""
import time

from django.core.management.base import BaseCommand, CommandError

from dvk.common.cli import input_file, refused_file
from dvk.common.tabular import ImportRefused


class Command(BaseCommand):
    help = ("Nhập hoạt động của Ban Chỉ đạo (lớp tập huấn, đợt kiểm tra/khảo sát, tác phẩm dự "
            "thi báo chí) từ tệp .xlsx hoặc .csv UTF-8 vào một giai đoạn.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--phase", required=True, help="mã giai đoạn, ví dụ 2016-2020")
        parser.add_argument("--kind", required=True, choices=["training", "inspections", "press"],
                            help="training: lớp tập huấn; inspections: kiểm tra, khảo sát; "
                                 "press: cuộc thi báo chí")

    def handle(self, *args, file, phase, kind, **options):
        from dvk.activities.importing import import_activities
        from dvk.orgs.scope import Scope

        path = input_file(file)
        started = time.perf_counter()
        try:
            result = import_activities(path, phase_code=phase, kind=kind, scope=Scope.system(
                "the command line imports activities for the whole tree"))
        except ValueError as exc:  # malformed phase code: wrong usage
            raise CommandError(str(exc), returncode=2) from None
        except ImportRefused as exc:
            raise refused_file(self, path, exc) from None
        if result.phase_created:
            self.stdout.write(f"Đã tạo giai đoạn {phase}.")
        self.stdout.write(result.summary() + f" ({time.perf_counter() - started:.1f} giây)")
