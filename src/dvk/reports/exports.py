"""Exports of lists (registrations, units, awards) to CSV and XLSX.

- Scoped: every queryset comes from dvk.orgs.scope; the registrations list is filtered with
  the same GET parameters as its page (initiatives.queries.filter_registrations).
- Streaming: CSV is generated row by row over .iterator(chunk_size=2000) with a UTF-8 BOM
  (Excel opens it as UTF-8); XLSX is written by xlsxwriter in constant-memory mode to a
  temporary file, so memory stays flat whatever the number of rows.
- Formula injection: a text cell starting with = + - @ TAB or CR would be run as a formula
  by spreadsheet programs. CSV cells get a leading apostrophe; XLSX cells are text, never
  formulas (both by common/xlsx.py, which every spreadsheet of the app goes through).
- Headers are Vietnamese and, where one exists, the column name of the import files
  (CONTRACTS §3, §4), so an export can be edited and imported again.
"""
from __future__ import annotations

from dvk.common.text import small_int

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation

from dvk.common.xlsx import neutralise
from dvk.initiatives.queries import filter_registrations
from dvk.initiatives.enums import INITIATIVE_KIND_FILE_LABELS, RESULT_FILE_LABELS, State
from dvk.orgs.enums import UNIT_KIND_FILE_LABELS
from dvk.orgs.scope import Scope, unit_for, units_for, within
from dvk.awards.queries import awards_for
from dvk.initiatives.queries import registrations_for

CHUNK = 2000
PROGRESS_EVERY = 500
FORMATS = ("xlsx", "csv")

KIND_LABEL = {v: k for k, v in INITIATIVE_KIND_FILE_LABELS.items()}
RESULT_LABEL = {v: k for k, v in RESULT_FILE_LABELS.items()}
UNIT_KIND_LABEL = {v: k for k, v in UNIT_KIND_FILE_LABELS.items()}


def sync_limit() -> int:
    return int(getattr(settings, "DVK_EXPORT_SYNC_LIMIT", 5000))


def _local_date(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def format_date(value) -> str:
    value = _local_date(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


# --- what each export contains ---------------------------------------------------------------

TEXT, INT, DATE = "text", "int", "date"


@dataclass
class Export:
    kind: str
    title: str  # Vietnamese, for the job page and the sheet name
    slug: str  # file name stem
    columns: list[tuple[str, str, int]]  # (header, type, width)
    queryset: object
    row: Callable[[object], list]
    # When set, rows are fetched as tuples of these fields (values_list), not as model
    # instances, and `row` is given those tuples.
    values: tuple[str, ...] | None = None

    def count(self) -> int:
        return self.queryset.count()

    def rows(self) -> Iterator[list]:
        qs = self.queryset
        if self.values is not None:
            qs = qs.values_list(*self.values)
        for obj in qs.iterator(chunk_size=CHUNK):
            yield self.row(obj)

    def filename(self, fmt: str) -> str:
        return f"{self.slug}-{timezone.localdate():%Y%m%d}.{fmt}"


def _state_label(state: str) -> str:
    try:
        return str(State(state).label)
    except ValueError:
        return state


# The registrations export reads exactly these fields, as tuples (a model instance per
# row, with its seven related ones, was most of the export's time).
REGISTRATION_VALUES = (
    "initiative__code", "initiative__title", "initiative__kind", "initiative__subject",
    "unit__code", "unit__name", "sector_id", "sector__name", "field__name", "phase__code",
    "level__name", "year", "state", "is_exceptional", "is_late", "submitted_at",
    "decided_at", "decision_id", "decision__date", "decision__number", "certificate_number",
)


def _registration_row(v) -> list:
    (code, title, kind, subject, unit_code, unit_name, sector_id, sector_name, field_name,
     phase_code, level_name, year, state, is_exceptional, is_late, submitted_at, decided_at,
     decision_id, decision_date, decision_number, certificate_number) = v
    return [
        code or "", title, KIND_LABEL.get(kind, kind), subject,
        unit_code, unit_name, sector_name if sector_id else "", field_name,
        phase_code, level_name, year, _state_label(state), RESULT_LABEL.get(state, ""),
        "x" if is_exceptional else "", "x" if is_late else "",
        # The decision's own date; the day it was recorded only when there is no decision
        # (an imported outcome).
        _local_date(submitted_at),
        decision_date if decision_id else _local_date(decided_at),
        decision_number if decision_id else "", certificate_number,
    ]


REGISTRATION_COLUMNS = [
    ("Mã mô hình", TEXT, 14), ("Tên mô hình", TEXT, 60), ("Loại", TEXT, 11),
    ("Chủ thể", TEXT, 30), ("Mã đơn vị", TEXT, 14), ("Tên đơn vị", TEXT, 30),
    ("Khối", TEXT, 20), ("Lĩnh vực", TEXT, 22), ("Giai đoạn", TEXT, 11), ("Cấp", TEXT, 9),
    ("Năm", INT, 7), ("Trạng thái", TEXT, 16), ("Kết quả", TEXT, 15), ("Đặc cách", TEXT, 9),
    ("Trễ hạn", TEXT, 8), ("Ngày gửi", DATE, 12), ("Ngày quyết định", DATE, 14),
    ("Số quyết định", TEXT, 16), ("Số giấy chứng nhận", TEXT, 16),
]


def registrations_export(scope: Scope, params: QueryDict) -> Export:
    qs = registrations_for(scope)
    qs = filter_registrations(qs, params)
    qs = qs.order_by("phase__start_year", "year", "level__order", "unit__path", "id")
    return Export("registrations", "Danh sách đăng ký mô hình", "dang-ky",
                  REGISTRATION_COLUMNS, qs, _registration_row, REGISTRATION_VALUES)


UNIT_COLUMNS = [
    ("Mã đơn vị", TEXT, 16), ("Tên đơn vị", TEXT, 40), ("Mã đơn vị cấp trên", TEXT, 16),
    ("Loại", TEXT, 11), ("Khối", TEXT, 22), ("Hiệu lực từ", DATE, 12),
    ("Hiệu lực đến", DATE, 12),
]


def _unit_row(u) -> list:
    return [u.code, u.name, u.parent.code if u.parent_id else "",
            UNIT_KIND_LABEL.get(u.kind, u.kind), u.sector.name if u.sector_id else "",
            u.valid_from, u.valid_until]


def units_export(scope: Scope, params: QueryDict) -> Export:
    qs = units_for(scope).select_related("parent", "sector")
    if params.get("unit"):
        qs = within(qs, unit_for(scope, params["unit"]), unit_field="")
    if params.get("current") == "1":
        qs = qs.current()
    return Export("units", "Danh sách đơn vị", "don-vi", UNIT_COLUMNS, qs.order_by("path"),
                  _unit_row)


AWARD_COLUMNS = [
    ("Hình thức", TEXT, 14), ("Giai đoạn", TEXT, 11), ("Cấp", TEXT, 9), ("Năm", INT, 7),
    ("Mã đơn vị", TEXT, 14), ("Tên đơn vị", TEXT, 30), ("Người, tập thể nhận", TEXT, 30),
    ("Mã mô hình", TEXT, 14), ("Tên mô hình", TEXT, 60), ("Số quyết định", TEXT, 16),
    ("Ngày quyết định", DATE, 14), ("Số tiền (đồng)", INT, 14), ("Ghi chú", TEXT, 30),
]


def _award_row(a) -> list:
    ini = a.registration.initiative if a.registration_id else None
    return [a.kind.name, a.phase.code, a.level.name if a.level_id else "", a.year,
            a.unit.code, a.unit.name, a.recipient_name,
            (ini.code or "") if ini else "", ini.title if ini else "",
            a.decision.number if a.decision_id else "",
            a.decision.date if a.decision_id else None, a.amount, a.note]


def awards_export(scope: Scope, params: QueryDict) -> Export:
    qs = awards_for(scope).select_related("registration__initiative", "decision")
    if params.get("phase"):
        qs = qs.filter(phase__code=params["phase"])
    if (year := small_int(params.get("year"))) is not None:
        qs = qs.filter(year=year)
    if (kind := small_int(params.get("kind"))) is not None:
        qs = qs.filter(kind_id=kind)
    if params.get("unit"):
        qs = within(qs, unit_for(scope, params["unit"]))
    qs = qs.order_by("phase__start_year", "level__order", "kind__order", "unit__path", "id")
    return Export("awards", "Danh sách khen thưởng", "khen-thuong", AWARD_COLUMNS, qs,
                  _award_row)


BUILDERS = {"registrations": registrations_export, "units": units_export,
            "awards": awards_export}


def build(kind: str, scope: Scope, params: QueryDict) -> Export:
    return BUILDERS[kind](scope, params)


# --- writers -------------------------------------------------------------------------------

def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == DATE:
        return format_date(value)
    if kind == INT:
        return str(value)
    return neutralise(str(value))


class _Echo:
    def write(self, value):
        return value


def csv_chunks(export: Export, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The CSV text piece by piece: a BOM, the header, then one line per row."""
    writer = csv.writer(_Echo())
    kinds = [c[1] for c in export.columns]
    with translation.override("vi"):
        yield "\ufeff" + writer.writerow([c[0] for c in export.columns])
        n = 0
        for row in export.rows():
            yield writer.writerow([_csv_cell(v, k) for v, k in zip(row, kinds)])
            n += 1
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
    if progress:
        progress(n)


def write_csv(export: Export, fh, progress=None) -> None:
    """Write the CSV as UTF-8 bytes to a binary file object."""
    for piece in csv_chunks(export, progress):
        fh.write(piece.encode("utf-8"))


def write_xlsx(export: Export, path: str, progress=None) -> None:
    from dvk.common.xlsx import Workbook

    wb = Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet(export.title[:31])
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1,
                          "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    int_fmt = wb.add_format({"num_format": "#,##0"})
    for col, (header, _kind, width) in enumerate(export.columns):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, head)
    ws.freeze_panes(1, 0)
    kinds = [c[1] for c in export.columns]
    n = 0
    with translation.override("vi"):
        for n, row in enumerate(export.rows(), start=1):
            for col, (value, kind) in enumerate(zip(row, kinds)):
                if value is None or value == "":
                    continue
                if kind == DATE:
                    ws.write_datetime(n, col, dt.datetime.combine(_local_date(value), dt.time()),
                                      date_fmt)
                elif kind == INT:
                    ws.write_number(n, col, value, int_fmt)
                else:
                    ws.write_string(n, col, str(value))  # text, never a formula
            if progress and n % PROGRESS_EVERY == 0:
                progress(n)
    if n:
        ws.autofilter(0, 0, n, len(export.columns) - 1)
    wb.close()
    if progress:
        progress(n)


def xlsx_file(export: Export, progress=None):
    """A named temporary file holding the workbook (deleted when closed)."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")
    write_xlsx(export, tmp.name, progress)
    tmp.seek(0)
    return tmp


# --- background jobs -----------------------------------------------------------------------

def _job_scope(job) -> Scope:
    from dvk.orgs.scope import scope_for

    return scope_for(job.owner, job.params.get("membership"))


def run_export_job(job) -> None:
    """Write a list export for a BackgroundJob, updating its progress as it goes.

    The scope is rebuilt from the job's owner and membership, so access is checked again
    when the job runs."""
    from dvk.common.models import BackgroundJob

    params = job.params
    BackgroundJob.objects.again(job).update(status=BackgroundJob.Status.RUNNING)
    try:
        scope = _job_scope(job)
        export = build(params["export"], scope, QueryDict(params.get("query", "")))
        job.start(total=export.count())

        def progress(n):
            job.done = n
            BackgroundJob.objects.again(job).update(done=n)

        fmt = params.get("format", "xlsx")
        if fmt == "csv":
            with tempfile.TemporaryFile() as fh:
                write_csv(export, fh, progress)
                job.succeed(file=fh, name=export.filename("csv"))
        else:
            with xlsx_file(export, progress) as fh:
                job.succeed(file=fh, name=export.filename("xlsx"))
    except Exception as exc:  # the page shows the failure; the worker logs the traceback
        job.fail(f"Không xuất được danh sách: {exc}")
        raise


# --- report documents (reports engineer's functions) ---------------------------------------

DOCUMENTS = {
    # kind: (file stem, extension)
    "summary_json": ("tong-hop", "json"),
    "appendix_xlsx": ("phu-luc", "xlsx"),
    "appendix_docx": ("phu-luc", "docx"),
    "phase_report_docx": ("bao-cao-tong-ket", "docx"),
}


def render_document(kind: str, phase, unit, *, year=None, structure="time") -> tuple[bytes, str]:
    """(content, file name) of one report document."""
    import json

    from .summary import build_summary

    stem, ext = DOCUMENTS[kind]
    name = f"{stem}-{phase.code}-{unit.code}{f'-{year}' if year else ''}.{ext}"
    if kind == "phase_report_docx":
        from .documents import phase_report_docx

        return phase_report_docx(phase, unit, year=year, structure=structure), name
    summary = build_summary(phase, unit, structure=structure, year=year)
    if kind == "summary_json":
        return json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"), name
    from . import appendix

    return getattr(appendix, kind)(summary, year=year, structure=structure), name


def run_document_job(job) -> None:
    from dvk.phases.models import Phase

    params = job.params
    job.start(total=1)
    try:
        scope = _job_scope(job)
        unit = unit_for(scope, params["unit"])
        phase = Phase.objects.get(code=params["phase"])
        content, name = render_document(params["document"], phase, unit,
                                        year=params.get("year"),
                                        structure=params.get("structure", "time"))
        job.done = 1
        job.succeed(file=io.BytesIO(content), name=name)
    except Exception as exc:
        job.fail(f"Không tạo được tài liệu: {exc}")
        raise


def iter_bytes(chunks: Iterable[str]) -> Iterator[bytes]:
    for piece in chunks:
        yield piece.encode("utf-8")
