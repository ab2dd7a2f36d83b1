"""Mẫu 1 (one registration) and Mẫu 2 (a unit's summary table) as DOCX and XLSX.

Layout follows the Party document profile (reports.profiles, CONVENTIONS §1): A4, Times New
Roman, the header table (issuing body left, ĐẢNG CỘNG SẢN VIỆT NAM right), place and date
italic, title bold capitals, signature block. Texts are Vietnamese: these are official forms.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from django.utils import timezone

from dvk.reports.documents.docx_utils import remove_borders as _no_borders, set_style_font

FORM1_TITLE = "PHIẾU ĐĂNG KÝ XÂY DỰNG MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO”"
FORM2_TITLE = "BIỂU TỔNG HỢP ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM {year}"
TARGET_HEADERS = ["STT", "Tiêu chí đăng ký", "Hiện trạng", "Chỉ tiêu", "Đơn vị tính"]
FORM2_HEADERS = ["STT", "Tên mô hình, điển hình", "Chủ thể", "Lĩnh vực", "Cấp đăng ký",
                 "Tiêu chí đăng ký", "Ghi chú"]


def _profile(unit=None):
    try:
        from dvk.reports.profiles import get_profile
        return get_profile(unit=unit)
    except Exception:  # noqa: BLE001 — the profiles table may not exist yet: use defaults
        from dvk.reports.profiles import Profile
        return Profile()


def _place(unit) -> str:
    """The province's name as written in the place line ("Kiên Giang")."""
    node = unit
    while node is not None and node.parent_id is not None:
        node = node.parent
    name = node.name if node is not None else ""
    for prefix in ("Tỉnh ", "Thành phố ", "tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _upper(s: str) -> str:
    return (s or "").upper()


def _subject(ini) -> str:
    if ini.person_name:
        parts = [ini.person_name, ini.person_position]
        return ", ".join(p for p in parts if p)
    return ini.subject or ""


def _targets_text(reg) -> str:
    lines = []
    for t in reg.targets.all():
        amount = " ".join(x for x in (t.target, t.unit_of_measure) if x)
        lines.append(f"- {t.criterion}: {amount}" if amount else f"- {t.criterion}")
    return "\n".join(lines)


# --- DOCX helpers -----------------------------------------------------------------------------

def _new_document(profile, landscape=False):
    doc = Document()
    sec = doc.sections[0]
    w, h = Mm(profile.page_width_mm), Mm(profile.page_height_mm)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = h, w
        # In landscape the binding edge is at the top: keep the wide margin there.
        sec.top_margin, sec.bottom_margin = Mm(profile.margin_right_mm + 5), Mm(profile.margin_bottom_mm)
        sec.left_margin, sec.right_margin = Mm(profile.margin_top_mm), Mm(profile.margin_top_mm)
    else:
        sec.page_width, sec.page_height = w, h
        sec.top_margin, sec.bottom_margin = Mm(profile.margin_top_mm), Mm(profile.margin_bottom_mm)
        sec.left_margin, sec.right_margin = Mm(profile.margin_left_mm), Mm(profile.margin_right_mm)
    style = doc.styles["Normal"]
    set_style_font(style, profile.font_name, profile.body_size_pt)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    return doc


def _para(container, text="", *, bold=False, italic=False, underline=False, size=None,
          align=None, space_after=0, space_before=0, indent_cm=None):
    p = container.add_paragraph()
    if text:
        run = p.add_run(unicodedata.normalize("NFC", str(text)))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(space_before)
    if indent_cm is not None:
        p.paragraph_format.first_line_indent = Cm(indent_cm)
    return p


def _cell_para(cell, text="", **kw):
    """Write into a cell: reuse its first empty paragraph."""
    if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text:
        p = cell.paragraphs[0]
        if text:
            run = p.add_run(unicodedata.normalize("NFC", str(text)))
            run.bold = kw.get("bold", False)
            run.italic = kw.get("italic", False)
            run.underline = kw.get("underline", False)
            if kw.get("size"):
                run.font.size = Pt(kw["size"])
        if kw.get("align") is not None:
            p.alignment = kw["align"]
        return p
    return _para(cell, text, **kw)


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _grid(table):
    table.style = "Table Grid"


def _set_widths(table, widths_cm):
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def _header(doc, profile, unit, when: dt.date | None, width_cm: float):
    """The Party header: issuing body left, ĐẢNG CỘNG SẢN VIỆT NAM right, then place/date."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left_w = width_cm * 0.45
    _set_widths(table, [left_w, width_cm - left_w])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    parent = unit.parent.name if unit.parent_id else ""
    if parent:
        _cell_para(left, _upper(parent), size=profile.body_header_size_pt, align=center)
    _cell_para(left, _upper(unit.name), bold=True, size=profile.body_header_size_pt, align=center)
    _cell_para(left, "*", size=profile.body_header_size_pt, align=center)
    _cell_para(right, profile.national_title, bold=True, underline=True,
               size=profile.national_size_pt, align=center)
    place = _place(unit)
    if when:
        date_text = f"{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"
    else:
        date_text = f"{place}, ngày      tháng      năm {timezone.localdate().year}"
    _cell_para(right, "", size=6)
    _cell_para(right, date_text, italic=True, size=profile.body_header_size_pt, align=center)


def _signature(doc, left_title, left_note, right_title, right_note, width_cm):
    """Two signature columns (e.g. the certifying committee left, the unit right)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, [width_cm / 2, width_cm / 2])
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, title, note in zip(table.rows[0].cells, (left_title, right_title),
                                 (left_note, right_note)):
        _cell_para(cell, title, bold=True, align=center)
        _cell_para(cell, note, italic=True, size=12, align=center)


def _table_cell(cell, text, *, bold=False, align=None, size=12):
    _cell_para(cell, str(text) if text is not None else "", bold=bold, align=align, size=size)


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _text_width_cm(doc) -> float:
    sec = doc.sections[0]
    return (sec.page_width - sec.left_margin - sec.right_margin) / 360000


# --- Mẫu 1 --------------------------------------------------------------------------------------

def form1_rows(reg) -> list[tuple[str, str]]:
    ini = reg.initiative
    kind = "Điển hình" if ini.kind == "individual" else "Mô hình"
    return [
        ("Tên mô hình, điển hình", ini.title),
        ("Loại", kind),
        ("Chủ thể", _subject(ini)),
        ("Đơn vị", reg.unit.name),
        ("Khối", reg.sector.name if reg.sector_id else ""),
        ("Lĩnh vực", reg.field.name),
        ("Cấp đăng ký", reg.level.name),
        ("Năm", str(reg.year)),
        ("Giai đoạn", reg.phase.code),
    ]


def form1_docx(reg) -> bytes:
    profile = _profile(reg.unit)
    doc = _new_document(profile)
    width = _text_width_cm(doc)
    # The day it was sent, in Vietnam (submitted_at is stored in UTC).
    when = timezone.localdate(reg.submitted_at) if reg.submitted_at else None
    _header(doc, profile, reg.unit, when, width)
    _para(doc, "Mẫu 1", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=6)
    _para(doc, FORM1_TITLE, bold=True, size=profile.doc_type_size_pt,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12, space_after=2)
    _para(doc, f"Năm {reg.year}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    ini = reg.initiative
    for label, value in form1_rows(reg):
        p = _para(doc, space_after=profile.space_after_pt, indent_cm=profile.first_line_indent_cm)
        p.add_run(f"{label}: ").bold = True
        p.add_run(value or profile.blank)
    if reg.is_exceptional:
        p = _para(doc, space_after=profile.space_after_pt, indent_cm=profile.first_line_indent_cm)
        p.add_run("Đăng ký đặc cách: ").bold = True
        p.add_run(reg.exceptional_reason)
    p = _para(doc, space_after=profile.space_after_pt, indent_cm=profile.first_line_indent_cm)
    p.add_run("Nội dung, biện pháp thực hiện: ").bold = True
    for i, line in enumerate((ini.description or profile.blank).splitlines() or [profile.blank]):
        if i == 0:
            p.add_run(line)
        else:
            p = _para(doc, line, space_after=profile.space_after_pt,
                      indent_cm=profile.first_line_indent_cm)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p = _para(doc, space_after=6, indent_cm=profile.first_line_indent_cm)
    p.add_run("Tiêu chí đăng ký:").bold = True
    targets = list(reg.targets.all())
    table = doc.add_table(rows=1 + len(targets), cols=5)
    _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [1.2, width - 1.2 - 2.6 - 2.6 - 2.8, 2.6, 2.6, 2.8]
    _set_widths(table, widths)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, text in zip(table.rows[0].cells, TARGET_HEADERS):
        _table_cell(cell, text, bold=True, align=center)
    for n, t in enumerate(targets, start=1):
        cells = table.rows[n].cells
        _table_cell(cells[0], n, align=center)
        _table_cell(cells[1], t.criterion)
        _table_cell(cells[2], t.baseline, align=center)
        _table_cell(cells[3], t.target, align=center)
        _table_cell(cells[4], t.unit_of_measure, align=center)
    _para(doc, "", space_after=12)
    _signature(doc, "XÁC NHẬN CỦA CẤP ỦY", "(Ký, ghi rõ họ tên, đóng dấu)",
               "T/M ĐƠN VỊ ĐĂNG KÝ", "(Ký, ghi rõ họ tên)", width)
    return _save(doc)


# --- Mẫu 2 --------------------------------------------------------------------------------------

def form2_rows(registrations) -> list[list]:
    rows = []
    for n, r in enumerate(registrations, start=1):
        ini = r.initiative
        notes = []
        if r.is_exceptional:
            notes.append("Đặc cách")
        if r.is_late:
            notes.append("Đăng ký trễ")
        if r.promoted_from_id:
            notes.append("Đề nghị từ cấp dưới")
        if ini.kind == "individual":
            notes.append("Điển hình")
        rows.append([n, ini.title, _subject(ini) or r.unit.name, r.field.name, r.level.name,
                     _targets_text(r), "; ".join(notes)])
    return rows


def form2_docx(unit, phase, year, registrations) -> bytes:
    profile = _profile(unit)
    doc = _new_document(profile, landscape=True)
    width = _text_width_cm(doc)
    _header(doc, profile, unit, None, width)
    _para(doc, "Mẫu 2", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=6)
    _para(doc, FORM2_TITLE.format(year=year), bold=True, size=profile.doc_type_size_pt,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6, space_after=2)
    _para(doc, f"(Kèm theo đăng ký của {unit.name}, giai đoạn {phase.code})", italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, space_after=10)
    rows = form2_rows(registrations)
    table = doc.add_table(rows=1 + max(len(rows), 1), cols=len(FORM2_HEADERS))
    _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed = [1.2, None, 3.8, 2.8, 2.2, 6.2, 2.6]
    fixed[1] = width - sum(w for w in fixed if w)
    _set_widths(table, fixed)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, FORM2_HEADERS):
        _table_cell(cell, text, bold=True, align=center)
    if not rows:
        merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
        _table_cell(merged, "Chưa có đăng ký.", align=center)
    for i, row in enumerate(rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            _table_cell(cells[j], value, align=center if j in (0, 3, 4) else None)
    _para(doc, f"Tổng cộng: {len(rows)} mô hình, điển hình.", bold=True, space_before=6,
          space_after=12)
    _signature(doc, "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)",
               "T/M TỔ CHỈ ĐẠO", "(Ký, ghi rõ họ tên, đóng dấu)", width)
    return _save(doc)
