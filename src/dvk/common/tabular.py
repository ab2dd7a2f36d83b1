"""Read .xlsx / .csv files whose columns are found by header name, and report problems.

Row numbers in messages are those a user sees in the spreadsheet: the header is row 1.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .text import clean, fold


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


@dataclass
class Problems:
    """Collects problems; stops collecting after `limit` to keep messages readable."""

    limit: int = 500
    items: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, row, column, message):
        if len(self.items) < self.limit:
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


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused([Problem(None, None,
            "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành › CSV UTF-8). "
            f"Byte không hợp lệ ở vị trí {exc.start}.")]) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

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
        rows = _read_csv(path.read_bytes())
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        rows = _read_xlsx(path)
    else:
        raise ImportRefused([Problem(None, None,
            f"Định dạng tệp «{suffix or path.name}» không được hỗ trợ; dùng .xlsx hoặc .csv.")])
    if not rows:
        raise ImportRefused([Problem(None, None, "Tệp không có dữ liệu (thiếu dòng tiêu đề).")])
    table = Table(rows[0], rows[1:], columns)
    missing = table.missing_required()
    if missing:
        raise ImportRefused([Problem(1, name, "thiếu cột bắt buộc.") for name in missing])
    return table


def as_text(value) -> str:
    """Cell → trimmed text; whole floats from spreadsheets (2018.0) lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return clean(value)


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
