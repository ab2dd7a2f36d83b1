"""Every spreadsheet the app writes goes through this module: user text stays text.

A cell of text beginning with = + - @ TAB or CR is taken for a formula by spreadsheet
programs (formula injection: `=HYPERLINK("http://…","Xem")` in a model's title becomes a live
link in Mẫu 2). So:
- XLSX: `Workbook` turns off xlsxwriter's guessing (text starting with "=" written as a
  formula, "http://…" as a link, digits as a number) and writes every str through
  write_string. Text that looks like a formula also gets Excel's quote prefix (what Excel
  itself stores for text typed after an apostrophe): it shows and reads back unchanged, and
  stays text when someone edits the cell. Numbers, dates and blanks are written as such.
- CSV has no cell types: `neutralise` puts an apostrophe before such text.
"""
from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_PREFIXES)


def neutralise(text: str) -> str:
    """A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if looks_like_formula(text) else text


def __getattr__(name: str):
    """Workbook and TextSheet, defined on first use: importing xlsxwriter takes a third of
    a second, which commands and web processes that write no spreadsheet need not pay."""
    if name in ("Workbook", "TextSheet"):
        globals().update(_define())
        return globals()[name]
    raise AttributeError(name)


def _define() -> dict:
    import xlsxwriter
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet, convert_cell_args

    class TextSheet(Worksheet):
        """A worksheet whose str cells are text: write(), write_row() and merge_range()
        hand them to write_string (the handler below), which quote-prefixes formula-like
        text."""

        book: "Workbook"

        @convert_cell_args
        def write_string(self, row, col, string, cell_format=None):
            cell_format = self.book.text_format(string, cell_format)
            # The arguments are converted already: straight to what Worksheet.write_string
            # calls (its own converting wrapper again was a tenth of a large export's time).
            return self._write_string(row, col, string, cell_format)

        @staticmethod
        def _write_text(sheet, row, col, text, cell_format=None, *rest):
            if text == "":
                return sheet.write_blank(row, col, None, cell_format)
            return sheet.write_string(row, col, text, cell_format)

    class Workbook(xlsxwriter.Workbook):
        """xlsxwriter.Workbook whose worksheets are TextSheets. Formats must come from
        add_format(properties) so that their quote-prefixed twins can be made."""

        worksheet_class = TextSheet

        def __init__(self, target, options: dict | None = None):
            self._properties: dict[int, dict] = {}  # before super(): it adds the default format
            self._quoted: dict[int | None, Format] = {}
            super().__init__(target, {**(options or {}), "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False})

        def add_format(self, properties: dict | None = None) -> Format:
            fmt = super().add_format(properties)
            self._properties[id(fmt)] = dict(properties or {})
            return fmt

        def add_worksheet(self, name: str | None = None, worksheet_class=None) -> TextSheet:
            sheet = super().add_worksheet(name, worksheet_class or TextSheet)
            sheet.book = self
            sheet.add_write_handler(str, TextSheet._write_text)
            return sheet

        def text_format(self, text: str, cell_format: Format | None) -> Format | None:
            """`cell_format`, or its quote-prefixed twin for text that looks like a formula."""
            if not looks_like_formula(text):
                return cell_format
            key = id(cell_format) if cell_format is not None else None
            quoted = self._quoted.get(key)
            if quoted is None:
                props = self._properties.get(key, {}) if key is not None else {}
                quoted = self._quoted[key] = super().add_format({**props, "quote_prefix": True})
            return quoted

    return {"Workbook": Workbook, "TextSheet": TextSheet}


def blank_template(headers: list[str], notes: list[str] = (), sheet: str = "Mẫu") -> bytes:
    """An empty import file to fill in: the contract's column names in row 1 (bold, frozen,
    wide enough to read), optional notes on a second sheet."""
    import io

    out = io.BytesIO()
    book = __getattr__("Workbook")(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, headers, bold)
    for col, name in enumerate(headers):
        ws.set_column(col, col, max(14, len(name) + 4))
    ws.freeze_panes(1, 0)
    if notes:
        help_sheet = book.add_worksheet("Hướng dẫn")
        help_sheet.set_column(0, 0, 110)
        for row, line in enumerate(notes):
            help_sheet.write(row, 0, line)
    book.close()
    return out.getvalue()


def template_response(headers: list[str], filename: str, notes: list[str] = ()):
    """blank_template() as a download, for the import screens."""
    from django.http import HttpResponse

    response = HttpResponse(blank_template(headers, notes), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def columns_template_response(columns, column_help: dict, filename: str):
    """The blank file of a contract's columns (tabular.Column), each explained in a note."""
    notes = [f"{c.name}{' (bắt buộc)' if c.required else ''}: {column_help.get(c.name, '')}"
             for c in columns]
    return template_response([c.name for c in columns], filename, notes)
