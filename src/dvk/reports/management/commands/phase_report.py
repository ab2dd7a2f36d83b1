"""dvk phase_report --phase CODE [--unit CODE] [--year Y] --output FILE.docx"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dvk.reports.documents import phase_report_docx
from ._common import add_scope_arguments, resolve_phase_unit


class Command(BaseCommand):
    help = ("Dự thảo báo cáo tổng kết giai đoạn (hoặc báo cáo năm với --year) kèm phụ lục "
            "tổng hợp, định dạng văn bản của Đảng (DOCX).")
    requires_system_checks = []  # a read-only report; don't load URLconfs

    def add_arguments(self, parser):
        add_scope_arguments(parser)  # --year makes it the annual report of that year
        parser.add_argument("--output", required=True, help="tệp .docx")

    def handle(self, *args, phase, unit, year, structure, output, **opts):
        if not output.lower().endswith(".docx"):
            raise CommandError("Tệp kết quả phải có đuôi .docx.", returncode=2)
        phase_obj, unit_obj = resolve_phase_unit(phase, unit, year)
        content = phase_report_docx(phase_obj, unit_obj, year=year, structure=structure)
        Path(output).write_bytes(content)
        self.stdout.write(f"Đã ghi {output}.")
