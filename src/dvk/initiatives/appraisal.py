"""Biên bản thẩm định (appraisal minutes) as a Word document, Party format (CONVENTIONS §1).

The layout values live in one profile dict (36-HD/VPTW, 2018) so a newer guidance can be
added as another profile rather than edited through the code.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from django.utils import timezone

from .enums import RUBRIC, RUBRIC_MAX, Conclusion

PARTY_2018 = {
    "name": "36-HD/VPTW (2018)",
    "font": "Times New Roman",
    "margins_mm": {"top": 20, "bottom": 20, "left": 30, "right": 15},
    "party_header": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "party_header_pt": 15,
    "body_pt": 14,
    "title_pt": 16,
    "first_line_indent_cm": 1.27,
}
PROFILE = PARTY_2018

RUBRIC_LABELS = {
    "effectiveness": "Hiệu quả thiết thực của mô hình",
    "replicability": "Khả năng nhân rộng",
    "participation": "Sự tham gia, đồng tình của nhân dân",
    "creativity": "Tính sáng tạo, cách làm mới",
    "difficulty": "Vượt qua khó khăn để thực hiện",
}


def _run(par, text, *, bold=False, italic=False, size=None, underline=False):
    r = par.add_run(text)
    r.bold, r.italic, r.underline = bold, italic, underline
    r.font.size = Pt(size or PROFILE["body_pt"])
    return r


def _para(doc_or_cell, text="", *, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, **kw):
    p = doc_or_cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(6)
    if indent:
        p.paragraph_format.first_line_indent = Cm(PROFILE["first_line_indent_cm"])
    if text:
        _run(p, text, **kw)
    return p


def appraisal_minutes_docx(appraisal, *, profile: dict | None = None) -> bytes:
    """The minutes of one appraisal: header, title, the model, scores, conclusion, signatures."""
    global PROFILE
    saved, PROFILE = PROFILE, profile or PROFILE
    try:
        return _build(appraisal)
    finally:
        PROFILE = saved


def _build(appraisal) -> bytes:
    reg = appraisal.registration
    ini = reg.initiative
    committee = appraisal.team.committee
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    m = PROFILE["margins_mm"]
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    style = doc.styles["Normal"]
    style.font.name = PROFILE["font"]
    style.font.size = Pt(PROFILE["body_pt"])
    style.element.rPr.rFonts.set(qn("w:eastAsia"), PROFILE["font"])

    # Header: issuing body (left) and the Party name (right).
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, (committee.name or "BAN CHỈ ĐẠO").upper(), bold=True)
    _para(left, "*", align=WD_ALIGN_PARAGRAPH.CENTER)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, PROFILE["party_header"], bold=True, size=PROFILE["party_header_pt"],
         underline=True)
    done = appraisal.completed_at or timezone.now()
    when = appraisal.site_visit_date or timezone.localdate(done)
    place = (committee.unit.name or "").replace("Tỉnh ", "")
    _para(right, f"{place}, ngày {when.day} tháng {when.month} năm {when.year}",
          align=WD_ALIGN_PARAGRAPH.CENTER, italic=True)

    _para(doc, "")
    _para(doc, "BIÊN BẢN THẨM ĐỊNH", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
          size=PROFILE["title_pt"])
    _para(doc, f"mô hình, điển hình “Dân vận khéo” cấp {reg.level} năm {reg.year}",
          align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)

    _para(doc, f"Tổ thẩm định: {appraisal.team.name}.", indent=True)
    appraiser = appraisal.appraiser.get_full_name() or appraisal.appraiser.get_username()
    _para(doc, f"Người thẩm định: {appraiser}.", indent=True)
    _para(doc, f"Tên mô hình: {ini.title}.", indent=True, bold=True)
    _para(doc, f"Chủ thể: {ini.subject or ini.person_name or reg.unit.name}; đơn vị: "
               f"{reg.unit.name}; lĩnh vực: {reg.field}.", indent=True)
    if appraisal.site_visit_date:
        _para(doc, f"Khảo sát thực tế ngày {appraisal.site_visit_date:%d/%m/%Y}.", indent=True)

    _para(doc, "I. KẾT QUẢ CHẤM ĐIỂM", bold=True)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("STT", "Tiêu chí", f"Điểm (tối đa {RUBRIC_MAX})")):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, bold=True)
    for i, name in enumerate(RUBRIC, start=1):
        cells = table.add_row().cells
        score = getattr(appraisal, name)
        for cell, text in zip(cells, (str(i), RUBRIC_LABELS[name],
                                      "" if score is None else str(score))):
            _run(cell.paragraphs[0], text)
        cells[0].paragraphs[0].alignment = cells[2].paragraphs[0].alignment = \
            WD_ALIGN_PARAGRAPH.CENTER
    cells = table.add_row().cells
    _run(cells[1].paragraphs[0], "Tổng cộng", bold=True)
    cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(cells[2].paragraphs[0], f"{appraisal.total if appraisal.total is not None else ''}"
                                 f"/{RUBRIC_MAX * len(RUBRIC)}", bold=True)

    _para(doc, "II. NHẬN XÉT", bold=True)
    _para(doc, appraisal.comments or "Không có.", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, "III. KẾT LUẬN", bold=True)
    conclusion = {Conclusion.RECOMMEND: "Đề nghị Ban Chỉ đạo công nhận mô hình đạt tiêu chí "
                                        f"“Dân vận khéo” cấp {reg.level}.",
                  Conclusion.NOT_RECOMMEND: "Chưa đề nghị công nhận."}.get(
        appraisal.conclusion, "Chưa kết luận.")
    _para(doc, conclusion, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if appraisal.conflict_status:
        _para(doc, f"Khai báo xung đột lợi ích: {appraisal.conflict_reason} "
                   f"({appraisal.get_conflict_status_display()}).", indent=True, italic=True)

    sign = doc.add_table(rows=1, cols=2)
    l, r = sign.rows[0].cells
    for cell, title, name in ((l, "ĐẠI DIỆN ĐƠN VỊ", ""), (r, "NGƯỜI THẨM ĐỊNH", appraiser)):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], title, bold=True)
        for _ in range(3):
            _para(cell, "")
        _para(cell, name, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
