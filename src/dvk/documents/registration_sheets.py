"""Mẫu 1 and Mẫu 2 as spreadsheets, laid out like the Word forms (registration_forms.py)."""
from __future__ import annotations

import io

from .registration_forms import (FORM1_TITLE, FORM2_HEADERS, FORM2_TITLE, TARGET_HEADERS, _place,
                                 _upper, form1_rows, form2_rows)


def _workbook():
    from dvk.common.xlsx import Workbook  # user text stays text (formula injection)

    buf = io.BytesIO()
    wb = Workbook(buf, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}

    def fmt(**kw):
        return wb.add_format({**base, **kw})

    f = {
        "title": fmt(bold=True, font_size=14, align="center", text_wrap=True),
        "sub": fmt(italic=True, align="center"),
        "left_bold": fmt(bold=True, align="center"),
        "left": fmt(align="center"),
        "head": fmt(bold=True, align="center", border=1, text_wrap=True, bg_color="#F2F2F2"),
        "cell": fmt(border=1, text_wrap=True, valign="top"),
        "center": fmt(border=1, align="center", valign="top", text_wrap=True),
        "int": fmt(border=1, align="center", valign="top", num_format="0"),
        "label": fmt(bold=True, valign="top"),
        "text": fmt(text_wrap=True, valign="top"),
        "bold": fmt(bold=True),
    }
    return buf, wb, f


def _xlsx_header(ws, f, unit, last_col: int, when_text: str):
    half = last_col // 2
    parent = unit.parent.name if unit.parent_id else ""
    ws.merge_range(0, 0, 0, half - 1, _upper(parent), f["left"])
    ws.merge_range(1, 0, 1, half - 1, _upper(unit.name), f["left_bold"])
    ws.merge_range(0, half, 0, last_col, "ĐẢNG CỘNG SẢN VIỆT NAM", f["left_bold"])
    ws.merge_range(2, half, 2, last_col, when_text, f["sub"])


def form1_xlsx(reg) -> bytes:
    buf, wb, f = _workbook()
    ws = wb.add_worksheet("Mẫu 1")
    ws.set_paper(9)  # A4
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 45)
    ws.set_column(2, 4, 14)
    _xlsx_header(ws, f, reg.unit, 4, f"{_place(reg.unit)}, ngày      tháng      năm {reg.year}")
    ws.merge_range(4, 0, 4, 4, FORM1_TITLE, f["title"])
    ws.set_row(4, 36)
    ws.merge_range(5, 0, 5, 4, f"Năm {reg.year}", f["left_bold"])
    row = 7
    for label, value in form1_rows(reg):
        ws.write(row, 0, "", f["label"])
        ws.write(row, 1, label, f["label"])
        if label == "Năm":
            ws.write_number(row, 2, int(value), f["bold"])
        else:
            ws.merge_range(row, 2, row, 4, value, f["text"])
        row += 1
    ws.write(row, 1, "Nội dung, biện pháp thực hiện", f["label"])
    ws.merge_range(row, 2, row, 4, reg.initiative.description or "", f["text"])
    row += 2
    for col, text in enumerate(TARGET_HEADERS):
        ws.write(row, col, text, f["head"])
    for n, t in enumerate(reg.targets.all(), start=1):
        r = row + n
        ws.write_number(r, 0, n, f["int"])
        ws.write(r, 1, t.criterion, f["cell"])
        for col, value in ((2, t.baseline), (3, t.target)):
            number = _number(value)
            if number is None:
                ws.write(r, col, value, f["center"])
            else:
                ws.write_number(r, col, number, f["int"])
        ws.write(r, 4, t.unit_of_measure, f["center"])
    wb.close()
    return buf.getvalue()


def _number(value):
    try:
        text = str(value).strip().replace(".", "").replace(",", ".")
        return int(text) if text.isdigit() else float(text) if text else None
    except ValueError:
        return None


def form2_xlsx(unit, phase, year, registrations) -> bytes:
    buf, wb, f = _workbook()
    ws = wb.add_worksheet("Mẫu 2")
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(6)
    widths = [6, 45, 25, 18, 12, 45, 18]
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    last = len(FORM2_HEADERS) - 1
    _xlsx_header(ws, f, unit, last, f"{_place(unit)}, ngày      tháng      năm {year}")
    ws.merge_range(4, 0, 4, last, FORM2_TITLE.format(year=year), f["title"])
    ws.merge_range(5, 0, 5, last, f"(Kèm theo đăng ký của {unit.name}, giai đoạn {phase.code})",
                   f["sub"])
    for col, text in enumerate(FORM2_HEADERS):
        ws.write(6, col, text, f["head"])
    rows = form2_rows(registrations)
    for i, row in enumerate(rows, start=7):
        ws.write_number(i, 0, row[0], f["int"])
        for col in range(1, len(row)):
            ws.write(i, col, row[col], f["center"] if col in (3, 4) else f["cell"])
    end = 7 + len(rows)
    ws.write(end, 1, "Tổng cộng", f["head"])
    ws.write_number(end, 0, len(rows), f["int"])
    wb.close()
    return buf.getvalue()
