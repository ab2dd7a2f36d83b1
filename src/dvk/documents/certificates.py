"""Certificates (giấy chứng nhận đạt tiêu chí “Dân vận khéo”): one A4 landscape page per
recognised model of a decision, as DOCX, printed to ONE PDF through LibreOffice (pdf.py).

Each certificate starts on a new page (page break before its first paragraph, never an
empty page in between) and its model's title is set smaller when long, so one model is
always one page; the page border is the section's, drawn on every page.
"""
from __future__ import annotations

import io
from typing import Callable

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dvk.reports.documents.docx_utils import (add_run, landscape_section, new_document, para,
                                              remove_borders, set_col_widths)
from dvk.reports.profiles import STATE

from .decisions import DecisionPapers, level_phrase, recognition_document, subject_of
from .official import CENTER, LEFT, date_line, short_date
from .pdf import docx_to_pdf, merge_pdfs

TITLE = "GIẤY CHỨNG NHẬN"
RED = RGBColor(0xA5, 0x10, 0x10)
CHUNK = 40  # certificates per LibreOffice run in a background job (progress between runs)


def _page_border(section) -> None:
    """A double frame around every page of the section."""
    sect_pr = section._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "double")
        el.set(qn("w:sz"), "18")
        el.set(qn("w:space"), "24")
        el.set(qn("w:color"), "A51010")
        borders.append(el)
    # pgBorders belongs after pgMar/pgSz in sectPr's schema order.
    anchor = sect_pr.find(qn("w:pgMar"))
    (anchor if anchor is not None else sect_pr[-1]).addnext(borders)


def _title_size(title: str) -> float:
    n = len(title)
    return 22 if n <= 90 else 18 if n <= 170 else 15 if n <= 280 else 12


def _cell_line(cell, p, text, *, first=False, align=CENTER, **run):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Cm(0)
    if text:
        add_run(paragraph, text, p, **run)
    return paragraph


def _certificate(doc, d, reg, decision, *, first: bool) -> None:
    p = d.profile
    width = (doc.sections[0].page_width - doc.sections[0].left_margin
             - doc.sections[0].right_margin) / 360000
    if not first:
        # A page break on a body paragraph (LibreOffice ignores one inside a table cell).
        brk = para(doc, "", p, indent=False, after=0, size=2)
        brk.paragraph_format.page_break_before = True
    head = doc.add_table(rows=1, cols=2)
    remove_borders(head)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_col_widths(head, [width * 0.45, width * 0.55])
    left, right = head.cell(0, 0), head.cell(0, 1)
    if d.parent_body:
        _cell_line(left, p, d.parent_body.upper(), first=True, size=13)
    _cell_line(left, p, d.issuing_body.upper(), first=not d.parent_body, bold=True, size=13)
    _cell_line(left, p, "*" if p.style != STATE else "________", size=13)
    _cell_line(right, p, p.national_title.upper(), first=True, bold=True, size=13,
               underline=p.style != STATE)
    if p.motto:
        _cell_line(right, p, p.motto, bold=True, underline=True, size=13)

    def centred(text, *, size, before=0, after=4, **run):
        paragraph = para(doc, text, p, align=CENTER, indent=False, size=size, before=before,
                         after=after, **run)
        return paragraph

    title = centred(TITLE, size=34, before=18, after=6, bold=True)
    title.runs[0].font.color.rgb = RED
    centred(f"{d.issuing_body.upper()} {decision.unit.name.upper()}", size=14, bold=True)
    centred("CHỨNG NHẬN", size=16, bold=True, after=8)
    ini = reg.initiative
    kind = "Điển hình" if ini.kind == "individual" else "Mô hình"
    centred(f"{kind}:", size=14, italic=True, after=2)
    name = centred(f"«{ini.title}»", size=_title_size(ini.title), bold=True, after=6)
    name.runs[0].font.color.rgb = RED
    subject = subject_of(ini)
    if subject:
        centred(f"Chủ thể: {subject}", size=14, after=2)
    centred(f"Đơn vị: {reg.unit.name}", size=14, after=6)
    centred(f"Đạt tiêu chí “Dân vận khéo” {level_phrase(reg.level)} năm {reg.year}",
            size=16, bold=True, after=2)
    centred(f"(Theo Quyết định số {decision.number} ngày {short_date(decision.date)})",
            size=13, italic=True, after=10)

    foot = doc.add_table(rows=1, cols=2)
    remove_borders(foot)
    foot.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_col_widths(foot, [width * 0.45, width * 0.55])
    number, sign = foot.cell(0, 0), foot.cell(0, 1)
    _cell_line(number, p, "", first=True)
    _cell_line(number, p, "", align=LEFT)
    _cell_line(number, p, f"Số: {reg.certificate_number}" if reg.certificate_number else "",
               align=CENTER, size=13)
    _cell_line(sign, p, date_line(d.place, decision.date), first=True, italic=True, size=13)
    _cell_line(sign, p, (d.signature_on_behalf or p.signature_on_behalf).upper(), bold=True,
               size=13)
    _cell_line(sign, p, (d.signature_title or p.signature_title).upper(), bold=True, size=13)
    for _ in range(3):
        _cell_line(sign, p, "", size=13)
    _cell_line(sign, p, d.signer_name, bold=True, size=13)


def certificates_docx(papers: DecisionPapers, registrations=None) -> bytes:
    """The certificates of `registrations` (default: every recognised one) as DOCX."""
    d = recognition_document(papers)
    p = d.profile
    doc = new_document(p)
    section = doc.sections[0]
    landscape_section(section, p)
    for attr in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, attr, Cm(1.8))
    _page_border(section)
    regs = papers.recognized if registrations is None else registrations
    for i, reg in enumerate(regs):
        _certificate(doc, d, reg, papers.decision, first=i == 0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def certificates_pdf(papers: DecisionPapers, *, progress: Callable[[int], None] | None = None,
                     chunk: int | None = None) -> bytes:
    """One PDF of every recognised model's certificate. With `chunk`, LibreOffice prints
    that many at a time and `progress(n)` hears after each run; the parts are joined."""
    regs = papers.recognized
    if not chunk or len(regs) <= chunk:
        pdf = docx_to_pdf(certificates_docx(papers, regs), pages=len(regs))
        if progress:
            progress(len(regs))
        return pdf
    parts = []
    for start in range(0, len(regs), chunk):
        part = regs[start:start + chunk]
        parts.append(docx_to_pdf(certificates_docx(papers, part), pages=len(part)))
        if progress:
            progress(start + len(part))
    return merge_pdfs(parts)
