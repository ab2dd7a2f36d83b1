"""The machinery every official document shares: header block, number and date line, title,
articles, recipients and signature, appendix lists — in the Party format (Hướng dẫn
36-HD/VPTW) or the State format (Nghị định 30/2020/NĐ-CP), as a profile says
(reports.profiles, CONVENTIONS §1).

A builder describes its document as an `OfficialDocument` (plain data: texts and rows) and
calls `official_docx()`; nothing here knows what a registration or an award is. The
recognition decision (documents/decisions.py) is one such builder; an award decision or a
proposal (tờ trình) is another `OfficialDocument` with its own articles and appendix.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dvk.reports.documents.docx_utils import (add_field, add_run, landscape_section,
                                              new_document, para, remove_borders,
                                              set_cell, set_col_widths)
from dvk.reports.profiles import STATE, Profile

CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT


@dataclass
class Appendix:
    """A list attached to the document ("Danh sách … kèm theo Quyết định số …"), on a page
    of its own. `widths_cm` are relative: they are scaled to the page's text width."""

    title: str
    subtitle: str = ""
    headers: list[str] = field(default_factory=list)
    widths_cm: list[float] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    center_columns: tuple[int, ...] = (0,)
    total_line: str = ""
    landscape: bool = False
    empty_text: str = "Không có."


@dataclass
class OfficialDocument:
    """What a decision, a proposal or a report says, before any layout.

    `number` is the registry number without "Số" ("125-QĐ/BCĐ"); `date` None leaves the
    day and month blank for the signer to fill in (the year is today's, in Vietnam)."""

    profile: Profile
    issuing_body: str
    number: str = ""
    date: dt.date | None = None
    place: str = ""
    parent_body: str = ""
    doc_type: str = ""  # "" = the profile's ("QUYẾT ĐỊNH")
    summary: str = ""   # the line under the document type
    preamble: list[str] = field(default_factory=list)   # "Căn cứ …", "Xét đề nghị …"
    authority: str = ""  # "BAN CHỈ ĐẠO … QUYẾT ĐỊNH:" before the articles
    articles: list[tuple[str, str]] = field(default_factory=list)  # ("Điều 1.", text)
    paragraphs: list[str] = field(default_factory=list)  # a body without articles
    recipients: list[str] = field(default_factory=list)  # [] = the profile's
    signature_on_behalf: str = ""  # "" = the profile's
    signature_title: str = ""
    signer_name: str = ""
    appendices: list[Appendix] = field(default_factory=list)


# --- the number and the date, as each format writes them ---------------------------------------

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def number_line(profile: Profile, number: str) -> str:
    """"Số 125-QĐ/BCĐ" (Party: no colon) or "Số: 05/QĐ-UBND" (State: colon, numbers below 10
    with a leading 0). An empty number leaves the blank the registry fills in."""
    number = re.sub(r"^\s*số\s*:?\s*", "", _nfc(number), flags=re.IGNORECASE).strip()
    number = profile.full_number(number)
    if profile.style == STATE:
        number = re.sub(r"^(\d)(?=\D|$)", r"0\1", number)
    if not number:
        number = "       /" if profile.style == STATE else "       -"
    return profile.number_template.format(number=number, number_suffix=profile.number_suffix)


def vn_date(date: dt.date) -> str:
    """"ngày 05 tháng 01 năm 2026", "ngày 17 tháng 9 năm 2020": days below 10 and months
    1–2 take a leading 0 (Nghị định 30/2020; the Party guidance writes dates the same way)."""
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"ngày {date.day:02d} tháng {month} năm {date.year}"


def date_line(place: str, date: dt.date | None) -> str:
    """The place and date line; without a date, blanks and Vietnam's current year."""
    if date is None:
        from django.utils import timezone

        text = f"ngày      tháng      năm {timezone.localdate().year}"
    else:
        text = vn_date(date)
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def short_date(date: dt.date) -> str:
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


# --- the building blocks -------------------------------------------------------------------------

def _cell_para(cell, profile: Profile, text: str = "", *, first=False, align=CENTER, **run):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    fmt.first_line_indent = Cm(0)
    if text:
        add_run(p, _nfc(text), profile, **run)
    return p


def _text_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def add_header(doc, d: OfficialDocument, *, with_number=True) -> None:
    """The two-column header: the issuing body left, the national title right; then the
    number (left) and the place and date (right)."""
    p = d.profile
    width = _text_width_cm(doc.sections[-1])
    table = doc.add_table(rows=2 if with_number else 1, cols=2)
    remove_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_w = 6.8 if p.style == STATE else 7.2
    set_col_widths(table, [left_w, width - left_w])
    left, right = table.cell(0, 0), table.cell(0, 1)
    size = p.body_header_size_pt
    first = True
    if d.parent_body:
        _cell_para(left, p, d.parent_body.upper(), first=True, size=size,
                   bold=p.style == STATE)
        first = False
    _cell_para(left, p, d.issuing_body.upper(), first=first, bold=True, size=size)
    # Party: a star under the issuing body; State: a short rule.
    _cell_para(left, p, "*" if p.style != STATE else "________", size=size)
    if p.style == STATE:
        _cell_para(right, p, p.national_title.upper(), first=True, bold=True,
                   size=p.national_size_pt)
        _cell_para(right, p, p.motto, bold=True, underline=True, size=p.motto_size_pt)
    else:
        _cell_para(right, p, p.national_title.upper(), first=True, bold=True, underline=True,
                   size=p.national_size_pt)
    if with_number:
        number = _cell_para(table.cell(1, 0), p, number_line(p, d.number), first=True,
                            size=size)
        date = _cell_para(table.cell(1, 1), p, date_line(d.place, d.date), first=True,
                          align=CENTER if p.style == STATE else RIGHT, italic=True, size=size)
        for cell_p in (number, date):
            cell_p.paragraph_format.space_before = Pt(6)


def add_title(doc, d: OfficialDocument) -> None:
    p = d.profile
    para(doc, "", p, indent=False, after=0)
    para(doc, (d.doc_type or p.doc_type).upper(), p, bold=True, size=p.doc_type_size_pt,
         align=CENTER, indent=False, after=0, before=12)
    if d.summary:
        para(doc, _nfc(d.summary), p, bold=True, size=p.summary_size_pt, align=CENTER,
             indent=False, after=0)
    para(doc, "-----", p, align=CENTER, indent=False, after=12)


def add_body(doc, d: OfficialDocument) -> None:
    p = d.profile
    for text in d.preamble:
        para(doc, _nfc(text), p, italic=p.style == STATE)
    for i, line in enumerate(d.authority.splitlines()):  # "BAN CHỈ ĐẠO …" / "QUYẾT ĐỊNH:"
        para(doc, _nfc(line), p, bold=True, align=CENTER, indent=False, before=6 if i == 0 else 0,
             after=0)
    if d.authority:
        para(doc, "", p, indent=False, after=0)
    for text in d.paragraphs:
        para(doc, _nfc(text), p)
    for label, text in d.articles:
        paragraph = para(doc, "", p)
        add_run(paragraph, f"{label} ", p, bold=True)
        add_run(paragraph, _nfc(text), p)


def add_closing(doc, d: OfficialDocument) -> None:
    """"Nơi nhận:" and its list left, the signature block right."""
    p = d.profile
    para(doc, "", p, indent=False, after=0)
    table = doc.add_table(rows=1, cols=2)
    remove_borders(table)
    width = _text_width_cm(doc.sections[-1])
    set_col_widths(table, [width * 0.48, width * 0.52])
    left, right = table.cell(0, 0), table.cell(0, 1)
    state = p.style == STATE
    _cell_para(left, p, p.recipients_title, first=True, align=LEFT, bold=True,
               italic=state, underline=not state, size=12 if state else p.body_header_size_pt)
    for item in d.recipients or p.recipients:
        _cell_para(left, p, item, align=LEFT, size=p.recipients_size_pt)
    _cell_para(right, p, (d.signature_on_behalf or p.signature_on_behalf).upper(), first=True,
               bold=True)
    _cell_para(right, p, (d.signature_title or p.signature_title).upper(), bold=True)
    for _ in range(4):
        _cell_para(right, p, "")
    _cell_para(right, p, d.signer_name or p.signer_name, bold=True)


def add_page_numbers(section, profile: Profile) -> None:
    """Page numbers centred in the top margin, none on the first page."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp.alignment = CENTER
    add_field(hp, "PAGE", profile, profile.body_size_pt)


def _repeat_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_appendix(doc, d: OfficialDocument, appendix: Appendix) -> None:
    """A new page: the issuing body and national title, the list's title and the line that
    ties it to the document, then the table (its header row repeated on every page)."""
    p = d.profile
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if appendix.landscape:
        landscape_section(section, p)
    add_header(doc, d, with_number=False)
    para(doc, _nfc(appendix.title), p, bold=True, size=p.summary_size_pt, align=CENTER,
         indent=False, before=12, after=0)
    if appendix.subtitle:
        para(doc, _nfc(appendix.subtitle), p, italic=True, align=CENTER, indent=False, after=0)
    para(doc, "-----", p, align=CENTER, indent=False, after=6)
    size = Pt(p.table_size_pt)
    rows = appendix.rows or [[appendix.empty_text]]
    table = doc.add_table(rows=1 + len(rows), cols=len(appendix.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = _text_width_cm(section)
    scale = width / sum(appendix.widths_cm)
    set_col_widths(table, [w * scale for w in appendix.widths_cm])
    _repeat_header_row(table.rows[0])
    for cell, text in zip(table.rows[0].cells, appendix.headers):
        set_cell(cell, text, p, size, bold=True, center=True)
    if not appendix.rows:
        merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
        set_cell(merged, appendix.empty_text, p, size, center=True)
    else:
        for r, values in enumerate(appendix.rows, start=1):
            for c, (cell, value) in enumerate(zip(table.rows[r].cells, values)):
                set_cell(cell, _nfc("" if value is None else str(value)), p, size,
                         center=c in appendix.center_columns)
    if appendix.total_line:
        para(doc, _nfc(appendix.total_line), p, bold=True, indent=False, before=6)


def official_docx(d: OfficialDocument) -> bytes:
    """The whole document as DOCX bytes: header, title, body, closing, then each appendix."""
    doc = new_document(d.profile)
    doc.core_properties.title = _nfc(f"{d.doc_type or d.profile.doc_type} {d.number}".strip())
    add_page_numbers(doc.sections[0], d.profile)
    add_header(doc, d)
    add_title(doc, d)
    add_body(doc, d)
    add_closing(doc, d)
    for appendix in d.appendices:
        add_appendix(doc, d, appendix)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
