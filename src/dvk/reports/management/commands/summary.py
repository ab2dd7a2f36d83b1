"""dvk summary --phase CODE [--unit CODE] [--format json|xlsx|docx] [--output FILE]."""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dvk.reports.summary import build_summary

from ._common import add_scope_arguments, resolve_phase_unit


class Command(BaseCommand):
    help = ("Số liệu tổng hợp của một giai đoạn (phụ lục tổng hợp): JSON ra màn hình, "
            "hoặc tệp JSON/XLSX/DOCX với --output.")
    requires_system_checks = []  # a read-only report; don't load URLconfs

    def add_arguments(self, parser):
        add_scope_arguments(parser)
        parser.add_argument("--format", choices=["json", "xlsx", "docx"], default="json")
        parser.add_argument("--output", default="", help="tệp kết quả")

    def handle(self, *args, phase, unit, format, output, structure, year, **opts):
        if format != "json" and not output:
            raise CommandError(f"Định dạng {format} cần tham số --output TỆP.", returncode=2)
        phase_obj, unit_obj = resolve_phase_unit(phase, unit, year)
        data = build_summary(phase_obj, unit_obj, structure=structure, year=year)
        if format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if not output:
                if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
                    sys.stdout.reconfigure(encoding="utf-8")
                self.stdout.write(text)
                return
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            from dvk.reports.appendix import appendix_docx, appendix_xlsx

            content = (appendix_xlsx if format == "xlsx" else appendix_docx)(data)
            Path(output).write_bytes(content)
        self.stderr.write(f"Đã ghi {output}.")
