"""The draft report of a phase (báo cáo tổng kết) or of one year (báo cáo năm, sent up
before 10/12), in the Party document format (Hướng dẫn 36-HD/VPTW) of a Profile.

The figures are written into sentences modelled on report 552-BC/TU §III (seed 004);
training, inspections, the press contest and reviews come from the summary's activities
block (activity_sentences.py); what the system does not know (assessments, and any of
those figures missing) is left as visible blanks "………" for the secretariat to fill in. The appendix tables
follow in a landscape section.
"""
from __future__ import annotations

import datetime as dt
import io

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from dvk.common.formatting import recognition_rate, vn_int, vn_percent
from dvk.common.text import in_sentence
from dvk.orgs.models import Sector

from ..appendix import add_appendix_tables
from ..profiles import Profile, get_profile
from ..summary import build_summary

from . import bodies
from .activity_sentences import (inspections_sentence, press_sentence, review_sentences,
                                 training_sentence)
from .docx_utils import (add_field, add_run, landscape_section, new_document, para,
                         remove_borders, set_col_widths)

POLICE = "cong-an"


def _lv(name: str) -> str:
    """Level name inside a sentence: "Cơ sở" → "cấp cơ sở"."""
    return f"cấp {in_sentence(name)}"


def _join(parts: list[str], last: str = " và ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]


class _Context:
    def __init__(self, phase, unit, year, profile: Profile):
        self.phase, self.unit, self.year, self.p = phase, unit, year, profile
        self.doc_year = year or phase.end_year
        self.committee = bodies.committee_short(unit)
        self.upper = bodies.upper_committee(unit)
        self.mass_body = profile.mass_body(self.doc_year)

    def fill(self, text: str) -> str:
        return text.format(mass_body=self.mass_body, committee=self.committee,
                           upper=self.upper, year=self.doc_year, start=self.phase.start_year,
                           end=self.phase.end_year, place=self.place,
                           number_suffix=self.suffix)

    @property
    def place(self) -> str:
        return self.p.place or bodies.place_of(self.unit)

    @property
    def suffix(self) -> str:
        return self.p.number_suffix or bodies.number_suffix(self.unit)


# --- sentences from the figures ---------------------------------------------------------------

def registration_sentence(summary: dict, year: int | None, n_years: int) -> str:
    rows = summary["levels"]
    lead = f"Năm {year} có" if year else f"Kết quả {n_years} năm có"

    def part(row):
        text = f"{vn_int(row['registered'])} mô hình đăng ký {_lv(row['level'])}"
        if row["exceptional"]:
            text += f" (trong đó {vn_int(row['exceptional'])} mô hình đặc cách)"
        return text

    first, rest = rows[0], rows[1:]
    text = f"{lead} {part(first)}"
    if rest:
        text += ", trong đó " + ", ".join(part(r) for r in rest)
    return text + " (kèm theo phụ lục tổng hợp)."


def recognition_sentence(summary: dict) -> str:
    parts = []
    for row in summary["levels"]:
        if not row["registered"]:
            parts.append(f"{_lv(row['level'])} chưa có mô hình đăng ký")
            continue
        parts.append(f"{_lv(row['level'])} {vn_int(row['recognized'])} mô hình, đạt tỷ lệ "
                     f"{vn_percent(row['recognition_rate'])}")
    text = ("Qua thẩm định, ban chỉ đạo các cấp công nhận đạt tiêu chí “Dân vận khéo”: "
            + "; ".join(parts) + ".")
    refused = [f"{_lv(r['level'])} {vn_int(r['not_recognized'])}"
               for r in summary["levels"] if r["not_recognized"]]
    if refused:
        text += " Không công nhận: " + ", ".join(refused) + " mô hình."
    pending = [f"{_lv(r['level'])} {vn_int(r['registered'] - r['recognized'] - r['not_recognized'])}"
               for r in summary["levels"]
               if r["registered"] - r["recognized"] - r["not_recognized"]]
    if pending:
        text += " Chưa xét công nhận: " + ", ".join(pending) + " mô hình."
    return text


def police_sentence(summary: dict, police_name: str | None) -> str | None:
    row = next((s for s in summary["by_sector"] if s["sector"] == police_name), None)
    if row is None:
        return None
    regs = sum(r["registered"] for r in row["levels"])
    if not regs:
        return "Lực lượng Công an chưa có mô hình đăng ký."
    recs = sum(r["recognized"] for r in row["levels"])
    parts = [f"{vn_int(r['registered'])} mô hình {_lv(r['level'])}" for r in row["levels"]]
    return (f"Lực lượng Công an đăng ký {', '.join(parts)}; tỷ lệ mô hình được công nhận "
            f"đạt {vn_percent(recognition_rate(recs, regs))}.")


def mass_organisation_sentence(summary: dict, mass_names: set[str]) -> str | None:
    total = sum(r["recognized"] for r in summary["levels"])
    if not total:
        return None
    mass = sum(r["recognized"] for s in summary["by_sector"] if s["sector"] in mass_names
               for r in s["levels"])
    return ("Mô hình của khối Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội và hội quần "
            f"chúng được công nhận chiếm {vn_percent(recognition_rate(mass, total))} so tổng số "
            f"mô hình được công nhận ({vn_int(mass)}/{vn_int(total)}).")


def field_sentence(summary: dict) -> str | None:
    if not summary["levels"]:
        return None
    level = summary["levels"][0]["level"]
    parts = []
    for f in summary["by_field"]:
        row = next(r for r in f["levels"] if r["level"] == level)
        parts.append(f"lĩnh vực {in_sentence(f['field'])} {vn_int(row['registered'])} mô hình")
    return f"Theo lĩnh vực, số mô hình đăng ký {_lv(level)}: " + "; ".join(parts) + "."


def awards_sentence(summary: dict) -> str:
    if not summary["awards"]:
        return "Về khen thưởng: ……… (chưa có số liệu khen thưởng trong hệ thống)."
    by_level: dict[str | None, list[str]] = {}
    for a in summary["awards"]:
        by_level.setdefault(a["level"], []).append(f"{vn_int(a['count'])} {in_sentence(a['kind'])}")
    parts = [f"{_lv(level) if level else 'khen thưởng khác'} tặng {_join(kinds)}"
             for level, kinds in by_level.items()]
    return ("Về khen thưởng, " + ", ".join(parts)
            + " cho các tập thể, cá nhân có mô hình, điển hình “Dân vận khéo” tiêu biểu.")


# --- the document --------------------------------------------------------------------------------

def _header(doc, ctx: _Context):
    p = ctx.p
    parent = (p.parent_body or bodies.parent_body(ctx.unit)).upper()
    issuing = (p.issuing_body or bodies.committee_name(ctx.unit)).upper()
    table = doc.add_table(rows=2, cols=2)
    remove_borders(table)
    set_col_widths(table, [7.2, 9.3])
    left, right = table.cell(0, 0), table.cell(0, 1)
    size = p.body_header_size_pt

    def cell_para(cell, first=False, align=WD_ALIGN_PARAGRAPH.CENTER):
        para_ = cell.paragraphs[0] if first else cell.add_paragraph()
        fmt = para_.paragraph_format
        fmt.alignment = align
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(0)
        fmt.first_line_indent = Cm(0)
        return para_

    first = True
    if parent:
        add_run(cell_para(left, first), parent, p, size=size)
        first = False
    add_run(cell_para(left, first), issuing, p, bold=True, size=size)
    add_run(cell_para(left), "*", p, size=size)
    add_run(cell_para(right, True), p.national_title.upper(), p, bold=True, underline=True,
            size=p.national_size_pt)
    add_run(cell_para(table.cell(1, 0), True), ctx.fill(p.number_template), p, size=size)
    date = cell_para(table.cell(1, 1), True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_run(date, ctx.fill(p.date_template), p, italic=True, size=size)
    for c in (table.cell(1, 0), table.cell(1, 1)):
        c.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(doc, ctx: _Context):
    p = ctx.p
    para(doc, "", p, indent=False, after=0)
    para(doc, p.doc_type.upper(), p, bold=True, size=p.doc_type_size_pt,
         align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=0, before=12)
    summary_line = ctx.fill(p.year_summary if ctx.year else p.phase_summary)
    para(doc, summary_line, p, bold=True, size=p.summary_size_pt,
         align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=0)
    para(doc, "-----", p, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=12)


def _page_numbers(section, profile: Profile):
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(hp, "PAGE", profile, 14)


def _closing(doc, ctx: _Context):
    p = ctx.p
    para(doc, "", p, indent=False, after=0)
    table = doc.add_table(rows=1, cols=2)
    remove_borders(table)
    set_col_widths(table, [8.0, 8.5])
    left, right = table.cell(0, 0), table.cell(0, 1)

    def line(cell, text, *, first=False, align=WD_ALIGN_PARAGRAPH.LEFT, **kw):
        pa = cell.paragraphs[0] if first else cell.add_paragraph()
        pa.paragraph_format.alignment = align
        pa.paragraph_format.space_after = Pt(0)
        pa.paragraph_format.first_line_indent = Cm(0)
        if text:
            add_run(pa, text, p, **kw)
        return pa

    line(left, p.recipients_title, first=True, bold=True, underline=True,
         size=p.body_header_size_pt)
    for item in p.recipients:
        line(left, ctx.fill(item), size=p.recipients_size_pt)
    center = WD_ALIGN_PARAGRAPH.CENTER
    line(right, p.signature_on_behalf.upper(), first=True, align=center, bold=True)
    line(right, p.signature_title.upper(), align=center, bold=True)
    for _ in range(4):
        line(right, "", align=center)
    line(right, p.signer_name or "", align=center, bold=True)


def phase_report_docx(phase, unit, *, year: int | None = None, structure: str = "time",
                      profile: Profile | None = None) -> bytes:
    """The report draft as DOCX bytes; `year` makes it the annual report of that year."""
    summary = build_summary(phase, unit, structure=structure, year=year)
    doc_year = year or phase.end_year
    profile = profile or get_profile(on=dt.date(doc_year, 12, 31), unit=unit)
    ctx = _Context(phase, unit, year, profile)
    p, blank = profile, profile.blank
    activities = summary["activities"]
    sectors = list(Sector.objects.all())
    police_name = next((s.name for s in sectors if s.code == POLICE), None)
    mass_names = {s.name for s in sectors if s.is_mass_organisation}

    doc = new_document(profile)
    _page_numbers(doc.sections[0], profile)
    _header(doc, ctx)
    _title(doc, ctx)

    def heading(text):
        para(doc, text, p, bold=True, keep_next=True)

    def body(text):
        para(doc, text, p)

    period = f"năm {year}" if year else f"giai đoạn {phase.start_year} - {phase.end_year}"
    heading("I- KHÁI QUÁT TÌNH HÌNH")
    body(f"{blank} (Khái quát tình hình, thuận lợi, khó khăn trong thực hiện Phong trào thi đua "
         f"“Dân vận khéo” {period}.)")
    heading("II- KẾT QUẢ TRIỂN KHAI, QUÁN TRIỆT")
    heading("1. Công tác triển khai, quán triệt")
    body(training_sentence(activities, blank))
    heading("2. Công tác kiểm tra, khảo sát")
    body(inspections_sentence(activities, blank))
    heading("III- KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA")
    heading("1. Kết quả đăng ký, công nhận mô hình, điển hình “Dân vận khéo”")
    body(registration_sentence(summary, year, len(phase.years)))
    body(recognition_sentence(summary))
    for sentence in (field_sentence(summary), police_sentence(summary, police_name),
                     mass_organisation_sentence(summary, mass_names)):
        if sentence:
            body(sentence)
    heading("2. Biểu dương, khen thưởng")
    body(awards_sentence(summary))
    for sentence in review_sentences(activities, blank):
        body(sentence)
    heading("3. Cuộc thi báo chí viết về tấm gương “Dân vận khéo”")
    body(press_sentence(activities, blank, "tỉnh" if unit.parent_id is None else "trên"))
    heading("IV- NHẬN XÉT ĐÁNH GIÁ VÀ MỘT SỐ KINH NGHIỆM")
    heading("1. Ưu điểm")
    body(blank)
    heading("2. Hạn chế và nguyên nhân")
    body(blank)
    heading("3. Một số kinh nghiệm")
    body(blank)
    next_period = (f"NĂM {year + 1}" if year else
                   f"GIAI ĐOẠN {phase.end_year + 1} - {phase.end_year + len(phase.years)}")
    heading(f"V- NHIỆM VỤ TIẾP TỤC THỰC HIỆN PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO” {next_period}")
    body(blank)
    body(ctx.fill("Giao {mass_body} {committee} chủ trì, phối hợp với các cơ quan liên quan "
                  "giúp Ban Thường vụ {committee} tiếp tục triển khai thực hiện Phong trào thi "
                  "đua; tham mưu sơ kết, tổng kết, biểu dương, khen thưởng theo quy định."))
    _closing(doc, ctx)

    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    landscape_section(appendix, profile)
    appendix.different_first_page_header_footer = False
    add_appendix_tables(doc, summary, profile, year=year, structure=structure)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
