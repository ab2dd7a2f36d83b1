"""Small python-docx helpers shared by the official documents (fonts, paragraphs, tables,
sections, page fields), all driven by a Profile."""
from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ..profiles import Profile


def font_for_all_scripts(rpr, name: str) -> None:
    """Name one font for every script (ascii, hAnsi, cs, eastAsia) in a run-properties
    element: Vietnamese letters with stacked diacritics must not fall back to another font."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    # Theme fonts override the named ones in Word: drop them.
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme_attr)) is not None:
            del fonts.attrib[qn(theme_attr)]


def set_style_font(style, name: str, size_pt: float) -> None:
    style.font.name = name
    style.font.size = Pt(size_pt)
    font_for_all_scripts(style.element.get_or_add_rPr(), name)


def set_run_font(run, name: str) -> None:
    run.font.name = name
    font_for_all_scripts(run._element.get_or_add_rPr(), name)


def new_document(profile: Profile) -> Document:
    doc = Document()
    for style_name in ("Normal", "Table Grid"):
        set_style_font(doc.styles[style_name], profile.font_name, profile.body_size_pt)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before = Pt(0)
    normal.space_after = Pt(profile.space_after_pt)
    normal.line_spacing = profile.line_spacing
    section = doc.sections[0]
    section.page_width = Mm(profile.page_width_mm)
    section.page_height = Mm(profile.page_height_mm)
    section.orientation = WD_ORIENT.PORTRAIT
    apply_margins(section, profile)
    doc.core_properties.language = "vi-VN"
    return doc


def apply_margins(section, profile: Profile) -> None:
    section.top_margin = Mm(profile.margin_top_mm)
    section.bottom_margin = Mm(profile.margin_bottom_mm)
    section.left_margin = Mm(profile.margin_left_mm)
    section.right_margin = Mm(profile.margin_right_mm)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def landscape_section(section, profile: Profile) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(profile.page_height_mm)
    section.page_height = Mm(profile.page_width_mm)
    apply_margins(section, profile)


def para(container, text: str, profile: Profile, *, bold=False, italic=False, underline=False,
         size: float | None = None, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True,
         after: float | None = None, before: float = 0, caps=False, keep_next=False):
    """A paragraph with one run; body defaults: justified, first-line indent, space after."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(profile.space_after_pt if after is None else after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE if profile.line_spacing == 1 else None
    if profile.line_spacing != 1:
        fmt.line_spacing = profile.line_spacing
    fmt.first_line_indent = Cm(profile.first_line_indent_cm) if indent else Cm(0)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        add_run(p, text.upper() if caps else text, profile, bold=bold, italic=italic,
                underline=underline, size=size)
    return p


def add_run(p, text: str, profile: Profile, *, bold=False, italic=False, underline=False,
            size: float | None = None):
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    run.font.size = Pt(size or profile.body_size_pt)
    set_run_font(run, profile.font_name)
    return run


def set_cell(cell, text: str, profile: Profile, size, *, bold=False, center=False, right=False):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.first_line_indent = Cm(0)
    p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if center else
                   WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.font.size = size
        set_run_font(run, profile.font_name)


def set_col_widths(table, widths_cm: list[float]) -> None:
    """Word reads the cell widths, LibreOffice the grid: set both."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for r in range(len(table.rows)):
        cells = row_cells(table, r)
        if len(cells) == len(widths_cm):  # rows with merged cells keep the grid's widths
            for cell, w in zip(cells, widths_cm):
                cell.width = Cm(w)


def row_cells(table, r: int) -> list:
    """The cells of one row, straight from its <w:tc> elements (no merged-cell resolution,
    so O(row) instead of python-docx's O(table) per Table.cell() call)."""
    from docx.table import _Cell

    return [_Cell(tc, table) for tc in table.rows[r]._tr.tc_lst]


def remove_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def add_field(paragraph, instruction: str, profile: Profile, size: float) -> None:
    """A Word field (e.g. PAGE) as begin/instr/separate/result/end runs."""
    def run_with(el):
        r = paragraph.add_run()
        r.font.size = Pt(size)
        set_run_font(r, profile.font_name)
        r._r.append(el)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    r = paragraph.add_run("1")
    r.font.size = Pt(size)
    set_run_font(r, profile.font_name)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def short_rule(container, profile: Profile, width_chars: int = 10):
    """The short line under a title ("-----")."""
    return para(container, "-" * width_chars, profile, align=WD_ALIGN_PARAGRAPH.CENTER,
                indent=False, after=6)
