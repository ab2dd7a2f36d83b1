"""Read .xlsx / .csv files whose columns are found by header name, and report problems.

Row numbers in messages are those a user sees in the spreadsheet: the header is row 1.

Before any importer sees a row, the reader refuses a file with no data row, and, in the
columns whose text reaches the database (Column.max_length), cells longer than the
database column or holding a control character (PostgreSQL refuses NUL in text), each named
by row and column. Spreadsheet archives are checked for zip bombs first (zipguard.py).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from .text import clean, fold

# Control characters that clean() does not turn into spaces (it does TAB, LF, VT, FF, CR
# and \x1c-\x1f: Word's line breaks pasted into Excel are VT), DEL, and lone surrogates.
# PostgreSQL refuses NUL in text, and none of these belongs in a name or a title.
BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1b\x7f\ud800-\udfff]")
BAD_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x1c), 0x7f])  # the same in UTF-8


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportRefused(Exception):
    """The input was refused; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


MESSAGE_MAX = 400


def _printable(message: str) -> str:
    """A message quoting a cell as is could carry a NUL (which a PostgreSQL text column,
    e.g. a job's message, refuses) or a whole page of text: show neither."""
    message = BAD_CHARS.sub("\ufffd", message)
    if len(message) > MESSAGE_MAX:
        message = message[:MESSAGE_MAX - 20] + " … " + message[-17:]
    return message


@dataclass
class Problems:
    """Collects problems; stops collecting after `limit` to keep messages readable."""

    limit: int = 500
    items: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, row, column, message):
        if len(self.items) < self.limit:
            if len(message) > MESSAGE_MAX or not message.isprintable():
                message = _printable(message)
            self.items.append(Problem(row, column, message))
        else:
            self.dropped += 1

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            items = list(self.items)
            if self.dropped:
                items.append(Problem(None, None, f"… và {self.dropped} lỗi khác."))
            raise ImportRefused(items)


@dataclass
class Column:
    name: str  # the header as the contract spells it
    required: bool = False
    aliases: tuple[str, ...] = ()
    # For a column whose text reaches the database (stored, or looked up): the longest text
    # the database column holds. Its cells are checked for length and control characters
    # before any row is read; other columns only name catalogue entries.
    max_length: int | None = None


class Table:
    """Rows of a file as dicts keyed by the contract's column names."""

    def __init__(self, header: list, rows: list[list], columns: list[Column]):
        self.columns = columns
        self.index: dict[str, int] = {}
        wanted = {}
        for col in columns:
            for name in (col.name, *col.aliases):
                wanted[fold(name)] = col.name
        for i, raw in enumerate(header):
            key = wanted.get(fold(clean(raw)))
            if key and key not in self.index:
                self.index[key] = i
        self.rows = rows

    def missing_required(self) -> list[str]:
        return [c.name for c in self.columns if c.required and c.name not in self.index]

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        for n, raw in enumerate(self.rows, start=2):
            if not any(v not in (None, "") and str(v).strip() for v in raw):
                continue  # blank lines are common at the end of sheets
            yield n, {
                name: (raw[i] if i < len(raw) else None) for name, i in self.index.items()
            }

    def __len__(self):
        return len(self.rows)


SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
SAVE_AS_UTF8 = "hãy lưu tệp dưới dạng CSV UTF-8 (trong Excel: Lưu thành › CSV UTF-8)"


def _read_csv(data: bytes) -> tuple[list[list], bool, int | None]:
    """Rows of a UTF-8 CSV; whether its text holds a character BAD_CHARS refuses; and, when
    no cell spans lines, the longest line: no cell is longer. Both come from C-level passes
    over the whole text, so that cells are looked at one by one only when they must be."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4:
        raise ImportRefused([Problem(None, None,
            f"Tệp CSV đang ở bảng mã UTF-16 («Unicode Text»); {SAVE_AS_UTF8}.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportRefused([Problem(line, None,
            f"tệp CSV không phải văn bản UTF-8 (byte không hợp lệ ở vị trí {exc.start}); "
            f"{SAVE_AS_UTF8}.")]) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # No cell is longer than the text: lift csv's 131,072-character default, so that an
    # over-long cell is reported with its row and column (_check_cells), not raised here.
    if len(text) >= csv.field_size_limit():
        csv.field_size_limit(len(text) + 1)
    # In UTF-8 these characters are single bytes that no other character contains; deleting
    # them is a C-level copy, much faster than a search of the decoded text.
    bad_chars = len(data.translate(None, BAD_BYTES)) != len(data)
    line_count = data.count(b"\n") + 1
    longest = max(map(len, data.split(b"\n")), default=0)
    # The lines as slices of the text, one at a time (what iterating io.StringIO(text)
    # gives): a StringIO holds its own copy at 4 bytes a character, and every row is being
    # built meanwhile, which made reading a file the peak of an import's memory.
    reader = csv.reader(_lines(text), dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRefused([Problem(reader.line_num, None,
            f"tệp CSV sai định dạng ({exc}).")]) from exc
    # As many rows as lines: no quoted line break, so no cell is longer than its line
    # (in bytes, at least its length in characters).
    return rows, bad_chars, longest if len(rows) >= line_count - 1 else None


def _lines(text: str):
    """The lines of `text`, each with its "\\n", the last one without if it has none."""
    start, find = 0, text.find
    while (end := find("\n", start)) != -1:
        yield text[start:end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


def _read_xlsx(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    from .zipguard import check_archive

    check_archive(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for damaged files
        raise ImportRefused([Problem(None, None,
            f"Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx): {exc}")]) from exc


def read_table(path, columns: list[Column]) -> Table:
    """Read the first sheet of an .xlsx/.xls/.ods or a UTF-8 .csv file."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused([Problem(None, None, f"Không tìm thấy tệp «{path}».")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, bad_chars, longest = _read_csv(path.read_bytes())
    elif suffix in SUFFIXES:
        rows, bad_chars, longest = _read_xlsx(path), True, None
    else:
        raise ImportRefused([Problem(None, None,
            f"Định dạng tệp «{suffix or path.name}» không được hỗ trợ; dùng .xlsx hoặc .csv.")])
    if not rows:
        raise ImportRefused([Problem(None, None, "Tệp không có dữ liệu (thiếu dòng tiêu đề).")])
    table = Table(rows[0], rows[1:], columns)
    missing = table.missing_required()
    if missing:
        raise ImportRefused([Problem(1, name, "thiếu cột bắt buộc.") for name in missing])
    if next(iter(table), None) is None:
        raise ImportRefused([Problem(None, None,
            "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào để nhập.")])
    _check_cells(table, bad_chars, longest)
    return table


def _column(rows: list[list], i: int) -> list:
    try:
        return list(map(itemgetter(i), rows))  # a C-level loop
    except IndexError:  # short rows (CSV lines with fewer cells than the header)
        return [r[i] for r in rows if len(r) > i]


def _check_cells(table: Table, bad_chars: bool, longest: int | None) -> None:
    """Refuse cells of the checked columns (Column.max_length) that are longer than the
    column holds or hold a character of BAD_CHARS. `bad_chars` False: the file has none;
    `longest`: no cell is longer. Checked column by column in bulk, a few C-level passes
    each; rows are looked at one by one only in a column that has a problem."""
    problems: list[tuple[int, int, Problem]] = []
    for order, col in enumerate(table.columns):
        i = table.index.get(col.name)
        if i is None or col.max_length is None:
            continue
        if not bad_chars and longest is not None and longest <= col.max_length:
            continue
        values = _column(table.rows, i)
        try:
            widest = max(map(len, values), default=0)
        except TypeError:  # numbers, dates, empty cells of a spreadsheet
            values = [v for v in values if type(v) is str]
            widest = max(map(len, values), default=0)
        if widest <= col.max_length:
            if not bad_chars:
                continue
            joined = "".join(values)
            if joined.isprintable() or not BAD_CHARS.search(joined):
                continue
        for n, raw in enumerate(table.rows, start=2):
            v = raw[i] if i < len(raw) else None
            if type(v) is not str:
                continue
            if len(v) > col.max_length and (size := len(clean(v))) > col.max_length:
                # (the length as importers see it: trimmed, spaces collapsed)
                hint = " (có thể thiếu dấu ngoặc kép đóng)" if "\n" in v and size > 10000 else ""
                problems.append((n, order, Problem(n, col.name,
                    f"dài {size} ký tự, vượt giới hạn {col.max_length} ký tự{hint}.")))
            elif (m := BAD_CHARS.search(v)) is not None:
                problems.append((n, order, Problem(n, col.name,
                    f"có ký tự không hợp lệ U+{ord(m[0]):04X} ở vị trí {m.start() + 1} (ký tự "
                    "điều khiển, thường do sao chép từ phần mềm khác); hãy xóa ký tự này.")))
    if problems:
        problems.sort(key=lambda p: p[:2])
        found = Problems()
        for _, _, p in problems:
            found.add(p.row, p.column, p.message)
        found.raise_if_any()


def as_text(value) -> str:
    """Cell → trimmed text; whole floats from spreadsheets (2018.0) lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return clean(value)


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace clean() turns into " " (str.split()'s)


def as_texts(values) -> list:
    """`[as_text(v) for v in values]`, for a column of a file at once. The cells of a CSV
    are text, nearly always clean already: that is checked for the whole column with a few
    C-level passes over the cells joined by NUL (a character no cell holds when there are
    exactly len - 1 of them, which neither composes under NFC nor is whitespace, so each
    cell is NFC, trimmed and single-spaced exactly when the joined text is, around the
    NULs). Otherwise, cell by cell."""
    values = list(values)
    if not values or set(map(type, values)) != {str}:
        return list(map(as_text, values))
    joined = "\x00".join(values)
    if (joined.count("\x00") == len(values) - 1 and unicodedata.is_normalized("NFC", joined)
            and "  " not in joined and " \x00" not in joined and "\x00 " not in joined
            and not joined.startswith(" ") and not joined.endswith(" ")
            and _OTHER_SPACE.search(joined) is None):
        return values
    return list(map(as_text, values))


def as_int(value) -> int | None:
    """Whole number from a cell: 2018, 2018.0, "2018", " 2018 " → 2018; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = clean(value)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.lstrip("-").isdigit() else None


def choice(value, options: dict[str, object]):
    """Match a cell against labels, ignoring case, accents and spaces; None when no match."""
    key = fold(as_text(value))
    for label, result in options.items():
        if fold(label) == key:
            return result
    return None
