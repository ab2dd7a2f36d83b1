"""The activity lists as XLSX or CSV: the rows the list shows (same scope, same filters),
every column. Headers are Vietnamese and, where CONTRACTS §7 names one, the import file's
column, so a training, inspections or press export can be imported again. Written through
common/xlsx.py (user text never becomes a formula)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Callable

from django.http import HttpResponse

from dvk.common.xlsx import neutralise

from .enums import FORM_LABEL, GENRE_LABEL, REVIEW_KIND_LABEL

TEXT, INT, DATE = "text", "int", "date"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000


@dataclass
class Column:
    header: str
    kind: str
    value: Callable
    width: int = 16


def _c(header, value, kind=TEXT, width=16):
    return Column(header, kind, value, width)


def _yes(v):
    return "x" if v else ""


BUDGET_KIND_LABEL = {"allocation": "Cấp", "spending": "Chi"}
HELD_AS_LABEL = {"conference": "Hội nghị", "report": "Báo cáo", "": ""}

COLUMNS: dict[str, list[Column]] = {
    "training": [_c("Mã đơn vị", lambda o: o.unit.code, width=14),
                 _c("Ngày", lambda o: o.date, DATE, 12),
                 _c("Tên lớp", lambda o: o.name, width=48),
                 _c("Đối tượng", lambda o: o.audience, width=30),
                 _c("Số lượt tham dự", lambda o: o.attendances, INT, 14),
                 _c("Địa điểm", lambda o: o.place, width=24),
                 _c("Giai đoạn", lambda o: o.phase.code, width=11)],
    "visit": [_c("Mã đợt", lambda v: v.round.code, width=14),
              _c("Mã đơn vị chủ trì", lambda v: v.round.unit.code, width=14),
              _c("Hình thức", lambda v: FORM_LABEL.get(v.round.form, v.round.form), width=11),
              _c("Ngày", lambda v: v.date, DATE, 12),
              _c("Mã đơn vị được kiểm tra", lambda v: v.unit.code, width=16),
              _c("Kết luận", lambda v: v.findings, width=48),
              _c("Kiến nghị", lambda v: v.recommendations, width=40),
              _c("Theo dõi", lambda v: v.get_status_display(), width=18),
              _c("Ngày kết thúc theo dõi", lambda v: v.closed_on, DATE, 14)],
    "entry": [_c("Tên tác phẩm", lambda o: o.title, width=48),
              _c("Tác giả", lambda o: o.author, width=24),
              _c("Cơ quan báo chí", lambda o: o.outlet, width=24),
              _c("Thể loại", lambda o: GENRE_LABEL.get(o.genre, o.genre), width=12),
              _c("Năm", lambda o: o.year, INT, 8),
              _c("Đủ điều kiện dự thi toàn quốc", lambda o: _yes(o.national_eligible), width=12),
              _c("Vào chung kết", lambda o: _yes(o.national_finalist), width=10),
              _c("Giải cấp tỉnh", lambda o: o.provincial_prize, width=12),
              _c("Mã mô hình", lambda o: o.initiative.code if o.initiative_id else "", width=16),
              _c("Mã đơn vị", lambda o: o.unit.code, width=14)],
    "review": [_c("Giai đoạn", lambda o: o.phase.code, width=11),
               _c("Mã đơn vị", lambda o: o.unit.code, width=14),
               _c("Đơn vị", lambda o: o.unit.name, width=36),
               _c("Loại", lambda o: REVIEW_KIND_LABEL.get(o.kind, o.kind), width=10),
               _c("Ngày dự kiến", lambda o: o.planned_date, DATE, 12),
               _c("Ngày tổ chức", lambda o: o.held_on, DATE, 12),
               _c("Hình thức", lambda o: HELD_AS_LABEL.get(o.held_as, o.held_as), width=12),
               _c("Ghi chú", lambda o: o.note, width=40)],
    "budget": [_c("Giai đoạn", lambda o: o.phase.code, width=11),
               _c("Mã đơn vị", lambda o: o.unit.code, width=14),
               _c("Đơn vị", lambda o: o.unit.name, width=36),
               _c("Loại", lambda o: BUDGET_KIND_LABEL.get(o.kind, o.kind), width=8),
               _c("Ngày", lambda o: o.date, DATE, 12),
               _c("Số tiền (đồng)", lambda o: o.amount, INT, 16),
               _c("Nội dung", lambda o: o.purpose, width=40),
               _c("Chứng từ", lambda o: o.document_ref, width=20)],
}
TITLES = {"training": "Tập huấn", "visit": "Kiểm tra, khảo sát", "entry": "Báo chí",
          "review": "Sơ kết, tổng kết", "budget": "Kinh phí"}


def _csv_cell(value, kind):
    if value is None:
        return ""
    if kind == DATE:
        return f"{value:%d/%m/%Y}"
    return str(value) if kind == INT else neutralise(str(value))


def csv_bytes(columns: list[Column], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for obj in rows:
        writer.writerow([_csv_cell(c.value(obj), c.kind) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(columns: list[Column], rows, title: str) -> bytes:
    from dvk.common.xlsx import Workbook

    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(title[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1,
                            "text_wrap": True, "valign": "top"})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    int_fmt = book.add_format({"num_format": "#,##0"})
    for col, c in enumerate(columns):
        ws.set_column(col, col, c.width)
        ws.write_string(0, col, c.header, head)
    ws.freeze_panes(1, 0)
    n = 0
    for n, obj in enumerate(rows, start=1):
        for col, c in enumerate(columns):
            value = c.value(obj)
            if value is None or value == "":
                continue
            if c.kind == DATE:
                ws.write_datetime(n, col, dt.datetime.combine(value, dt.time()), date_fmt)
            elif c.kind == INT:
                ws.write_number(n, col, value, int_fmt)
            else:
                ws.write_string(n, col, str(value))
    if n:
        ws.autofilter(0, 0, n, len(columns) - 1)
    book.close()
    return out.getvalue()


def response(key: str, rows, fmt: str, filename: str) -> HttpResponse:
    """The download of `rows` (already scoped and filtered) as `fmt` (xlsx or csv)."""
    columns = COLUMNS[key]
    if fmt == "csv":
        resp = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        fmt = "xlsx"
        resp = HttpResponse(xlsx_bytes(columns, rows, TITLES[key]), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
