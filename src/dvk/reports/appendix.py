"""The summary appendix (phụ lục tổng hợp) as a spreadsheet and as Word tables.

Both are fed by a summary dict (summary.build_summary) and show the same columns: for
each level of the phase "Đăng ký / Công nhận / Tỷ lệ", one row per direct child unit,
then the unit's own totals. Spreadsheet cells hold real numbers (rates as fractions with
a one-decimal percentage format); Word cells hold text as officials write it (7.995,
83,7%). Anything that does not add up (undecided registrations, exceptional ones) is
written in the notes under the table rather than smoothed away (docs/figures.md).
"""
from __future__ import annotations

import io

from dvk.common.formatting import recognition_rate, vn_int, vn_percent

from .profiles import Profile


def _rate(row):
    """The rate from the counts (exact, rounded once), whatever float the summary carries."""
    return recognition_rate(row["recognized"], row["registered"])

SUBCOLUMNS = ("Đăng ký", "Công nhận", "Tỷ lệ")


def level_heading(level_name: str) -> str:
    """"Cơ sở" → "Cấp cơ sở"."""
    return f"Cấp {level_name[:1].lower()}{level_name[1:]}"


def title_lines(summary: dict, year: int | None = None, structure: str = "time") -> list[str]:
    start, _, end = summary["phase"].partition("-")
    period = f"năm {year}" if year else f"giai đoạn {start} - {end}"
    lines = ["PHỤ LỤC TỔNG HỢP",
             f"Kết quả đăng ký, công nhận mô hình, điển hình “Dân vận khéo” {period}",
             f"Đơn vị: {summary['unit']['name']}"]
    if structure == "today":
        lines.append("(Số liệu xếp theo tổ chức bộ máy hiện nay)")
    return lines


def notes(summary: dict) -> list[str]:
    """Plain statements of what the figures contain, so nothing is hidden in a total."""
    out = []
    for row in summary["levels"]:
        name = level_heading(row["level"]).lower()
        if row["exceptional"]:
            out.append(f"Số đăng ký {name} gồm {vn_int(row['exceptional'])} mô hình đặc cách.")
        pending = row["registered"] - row["recognized"] - row["not_recognized"]
        if pending:
            out.append(f"{level_heading(row['level'])}: {vn_int(pending)} mô hình chưa xét công nhận.")
    out.append("Tỷ lệ = số công nhận / số đăng ký, làm tròn một chữ số thập phân.")
    return out


def _table_rows(summary: dict) -> list[tuple[str, str, list[dict]]]:
    rows = [(str(i), u["name"], u["levels"]) for i, u in enumerate(summary["by_unit"], start=1)]
    rows.append(("", "Tổng cộng", summary["levels"]))
    return rows


# --- spreadsheet ----------------------------------------------------------------------------

def appendix_xlsx(summary: dict, *, year: int | None = None, structure: str = "time") -> bytes:
    from dvk.common.xlsx import Workbook  # unit and catalogue names stay text

    buf = io.BytesIO()
    wb = Workbook(buf, {"in_memory": True})
    font = {"font_name": "Times New Roman", "font_size": 12}
    f_title = wb.add_format({**font, "bold": True, "font_size": 14, "align": "center"})
    f_sub = wb.add_format({**font, "italic": True, "align": "center"})
    f_head = wb.add_format({**font, "bold": True, "align": "center", "valign": "vcenter",
                            "border": 1, "text_wrap": True})
    f_text = wb.add_format({**font, "border": 1, "valign": "vcenter", "text_wrap": True})
    f_center = wb.add_format({**font, "border": 1, "align": "center", "valign": "vcenter"})
    f_int = wb.add_format({**font, "border": 1, "num_format": "#,##0"})
    f_rate = wb.add_format({**font, "border": 1, "num_format": "0.0%"})
    f_total_text = wb.add_format({**font, "border": 1, "bold": True})
    f_total_int = wb.add_format({**font, "border": 1, "bold": True, "num_format": "#,##0"})
    f_total_rate = wb.add_format({**font, "border": 1, "bold": True, "num_format": "0.0%"})
    f_note = wb.add_format({**font, "italic": True})

    def sheet(name: str, label: str, rows: list[tuple[str, str, list[dict]]], total: bool):
        ws = wb.add_worksheet(name)
        levels = summary["levels"]
        last_col = 1 + 3 * len(levels)
        for r, line in enumerate(title_lines(summary, year, structure)):
            ws.merge_range(r, 0, r, last_col, line, f_title if r == 0 else f_sub)
        head = len(title_lines(summary, year, structure)) + 1
        ws.merge_range(head, 0, head + 1, 0, "STT", f_head)
        ws.merge_range(head, 1, head + 1, 1, label, f_head)
        for i, lv in enumerate(levels):
            c = 2 + 3 * i
            ws.merge_range(head, c, head, c + 2, level_heading(lv["level"]), f_head)
            for j, sub in enumerate(SUBCOLUMNS):
                ws.write(head + 1, c + j, sub, f_head)
        r = head + 2
        for n, (stt, name, lvls) in enumerate(rows):
            is_total = total and n == len(rows) - 1
            ws.write(r, 0, int(stt) if stt else "", f_center)
            ws.write(r, 1, name, f_total_text if is_total else f_text)
            for i, row in enumerate(lvls):
                c = 2 + 3 * i
                ws.write_number(r, c, row["registered"], f_total_int if is_total else f_int)
                ws.write_number(r, c + 1, row["recognized"], f_total_int if is_total else f_int)
                rate = _rate(row)
                if rate is None:
                    ws.write_blank(r, c + 2, None, f_total_rate if is_total else f_rate)
                else:
                    ws.write_number(r, c + 2, rate.ratio(), f_total_rate if is_total else f_rate)
            r += 1
        if total:
            for line in notes(summary):
                r += 1
                ws.write(r, 1, line, f_note)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 38)
        ws.set_column(2, last_col, 11)
        ws.set_row(head + 1, 20)
        ws.freeze_panes(head + 2, 2)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
        ws.repeat_rows(head, head + 1)

    sheet("Tổng hợp", "Đơn vị", _table_rows(summary), total=True)
    sheet("Theo lĩnh vực", "Lĩnh vực",
          [(str(i), f["field"], f["levels"]) for i, f in enumerate(summary["by_field"], 1)],
          total=False)
    sheet("Theo khối", "Khối",
          [(str(i), s["sector"], s["levels"]) for i, s in enumerate(summary["by_sector"], 1)],
          total=False)
    ws = wb.add_worksheet("Khen thưởng")
    ws.write_row(0, 0, ["Cấp", "Hình thức", "Số lượng"], f_head)
    for r, a in enumerate(summary["awards"], start=1):
        ws.write(r, 0, level_heading(a["level"]) if a["level"] else "", f_text)
        ws.write(r, 1, a["kind"], f_text)
        ws.write_number(r, 2, a["count"], f_int)
    ws.set_column(0, 1, 20)
    ws.set_column(2, 2, 12)
    wb.close()
    return buf.getvalue()


# --- Word -------------------------------------------------------------------------------------

def add_appendix_tables(doc, summary: dict, profile: Profile, *, year: int | None = None,
                        structure: str = "time") -> None:
    """Append the appendix (title, main table, notes, field and sector tables) to a
    python-docx Document at the current position (the caller sets up the section)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from .documents.docx_utils import para, row_cells, set_cell, set_col_widths

    for i, line in enumerate(title_lines(summary, year, structure)):
        para(doc, line, profile, bold=i < 2, italic=i >= 2, align=WD_ALIGN_PARAGRAPH.CENTER,
             size=14 if i == 0 else 13, indent=False, after=0)
    para(doc, "", profile, indent=False, after=0)

    def table(label: str, rows: list[tuple[str, str, list[dict]]], total: bool):
        levels = summary["levels"]
        t = doc.add_table(rows=2 + len(rows), cols=2 + 3 * len(levels))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = Pt(profile.table_size_pt)
        stt = t.cell(0, 0).merge(t.cell(1, 0))
        set_cell(stt, "STT", profile, size, bold=True, center=True)
        name = t.cell(0, 1).merge(t.cell(1, 1))
        set_cell(name, label, profile, size, bold=True, center=True)
        for i, lv in enumerate(levels):
            c = 2 + 3 * i
            head = t.cell(0, c).merge(t.cell(0, c + 2))
            set_cell(head, level_heading(lv["level"]), profile, size, bold=True, center=True)
            for j, sub in enumerate(SUBCOLUMNS):
                set_cell(t.cell(1, c + j), sub, profile, size, bold=True, center=True)
        for r, (num, label_, lvls) in enumerate(rows, start=2):
            bold = total and r == len(rows) + 1
            # Table.cell() re-reads the whole grid on each call: take the row's cells once.
            cells = row_cells(t, r)
            set_cell(cells[0], num, profile, size, center=True)
            set_cell(cells[1], label_, profile, size, bold=bold)
            for i, row in enumerate(lvls):
                c = 2 + 3 * i
                set_cell(cells[c], vn_int(row["registered"]), profile, size, bold=bold, right=True)
                set_cell(cells[c + 1], vn_int(row["recognized"]), profile, size, bold=bold, right=True)
                set_cell(cells[c + 2], vn_percent(_rate(row)), profile, size,
                         bold=bold, right=True)
        set_col_widths(t, [1.2, 5.4] + [1.75] * (3 * len(levels)))
        return t

    table("Đơn vị", _table_rows(summary), total=True)
    for line in notes(summary):
        para(doc, line, profile, italic=True, size=12, indent=False, after=0)
    para(doc, "", profile, indent=False, after=0)
    para(doc, "Theo lĩnh vực", profile, bold=True, indent=False, after=3)
    table("Lĩnh vực", [(str(i), f["field"], f["levels"])
                        for i, f in enumerate(summary["by_field"], 1)], total=False)
    para(doc, "", profile, indent=False, after=0)
    para(doc, "Theo khối", profile, bold=True, indent=False, after=3)
    table("Khối", [(str(i), s["sector"], s["levels"])
                   for i, s in enumerate(summary["by_sector"], 1)], total=False)


def appendix_docx(summary: dict, *, year: int | None = None, structure: str = "time",
                  profile: Profile | None = None) -> bytes:
    from .documents.docx_utils import landscape_section, new_document

    profile = profile or Profile()
    doc = new_document(profile)
    landscape_section(doc.sections[0], profile)
    add_appendix_tables(doc, summary, profile, year=year, structure=structure)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
