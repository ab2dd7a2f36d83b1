"""Read a structure changes file (CONTRACTS §6) into a list of changes, in the order they apply.

Only the file is checked here (dates, change kinds, the columns each kind needs, catalogue
labels, repeated rows); what the database must agree with (units exist and are in force,
successors, parents) is checked while the changes are applied (structure_changes.py).
Row numbers are those of the spreadsheet: the header is row 1.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dvk.common.tabular import Column, Problems, as_text, choice, read_table

from .enums import UNIT_KIND_FILE_LABELS, UnitEventKind
from .models import Sector, Unit

CODE_MAX = Unit._meta.get_field("code").max_length
NAME_MAX = Unit._meta.get_field("name").max_length

DATE, CHANGE, CODE, SUCCESSOR = "Ngày hiệu lực", "Thay đổi", "Mã đơn vị", "Mã đơn vị kế thừa"
NAME, PARENT, KIND, SECTOR = "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Khối"
DECISION = "Quyết định"  # optional: the decision's number, kept in the unit's history

COLUMNS = [
    Column(DATE, required=True), Column(CHANGE, required=True),
    Column(CODE, required=True, max_length=CODE_MAX), Column(SUCCESSOR, max_length=CODE_MAX),
    Column(NAME, max_length=NAME_MAX), Column(PARENT, max_length=CODE_MAX),
    Column(KIND), Column(SECTOR), Column(DECISION, aliases=("Số quyết định",), max_length=255),
]

CHANGE_LABELS = {
    "Thành lập": UnitEventKind.CREATE,
    "Sáp nhập": UnitEventKind.MERGE,
    "Chia tách": UnitEventKind.SPLIT,
    "Giải thể": UnitEventKind.DISSOLVE,
    "Đổi tên": UnitEventKind.RENAME,
    "Chuyển": UnitEventKind.MOVE,
}
CHANGE_LABEL = {kind: label for label, kind in CHANGE_LABELS.items()}
# Changes that take a unit out of its parent's subtree on their date (see structure_changes).
TAKES_OUT = {UnitEventKind.MERGE, UnitEventKind.SPLIT, UnitEventKind.DISSOLVE,
             UnitEventKind.MOVE}
RETIRES = {UnitEventKind.MERGE, UnitEventKind.SPLIT, UnitEventKind.DISSOLVE}
# The column each kind cannot do without, beyond date, change and code.
NEEDS = {
    UnitEventKind.CREATE: ((NAME, "tên của đơn vị mới"), (KIND, "loại của đơn vị mới")),
    UnitEventKind.MERGE: ((SUCCESSOR, "mã đơn vị nhận sáp nhập"),),
    UnitEventKind.SPLIT: ((SUCCESSOR, "mã đơn vị kế thừa (mỗi đơn vị kế thừa một dòng)"),),
    UnitEventKind.DISSOLVE: (),
    UnitEventKind.RENAME: ((NAME, "tên mới của đơn vị"),),
    UnitEventKind.MOVE: ((PARENT, "mã đơn vị cấp trên mới"),),
}


@dataclass
class Change:
    """One change of the file; a split gathers its rows (one per successor)."""

    line: int
    date: dt.date
    kind: str
    code: str
    successors: list[str] = field(default_factory=list)
    successor_lines: list[int] = field(default_factory=list)
    name: str = ""
    parent: str = ""
    unit_kind: str | None = None
    sector_id: int | None = None
    decision: str = ""

    @property
    def label(self) -> str:
        return CHANGE_LABEL[self.kind]


def _accepted(labels) -> str:
    return ", ".join(f"«{x}»" for x in labels)


def parse_date(value) -> dt.date | None:
    """dd/mm/yyyy text, or a real spreadsheet date; None when neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def read_changes(path) -> list[Change]:
    """The file's changes sorted by date, then file order. Raises ImportRefused (every
    problem of the file, by row and column) when a row is wrong."""
    table = read_table(path, COLUMNS)
    problems = Problems()
    sectors = {s.name: s.pk for s in Sector.objects.all()}
    changes: list[Change] = []
    splits: dict[tuple, Change] = {}
    seen: dict[tuple, int] = {}
    retired_by: dict[str, int] = {}
    for line, raw in table:
        text = {name: as_text(raw.get(name)) for name in table.index}
        ok = True
        date = parse_date(raw.get(DATE))
        if date is None:
            ok = False
            problems.add(line, DATE, f"«{text.get(DATE, '')}» không phải ngày hợp lệ; "
                                     "ghi theo dạng dd/mm/yyyy." if text.get(DATE)
                         else "thiếu ngày hiệu lực (dd/mm/yyyy).")
        kind = choice(raw.get(CHANGE), CHANGE_LABELS)
        if kind is None:
            ok = False
            shown = text.get(CHANGE, "")
            problems.add(line, CHANGE, (f"«{shown}» không phải loại thay đổi hợp lệ; " if shown
                                        else "thiếu loại thay đổi; ")
                         + f"chọn một trong {_accepted(CHANGE_LABELS)}.")
        code = text.get(CODE, "")
        if not code:
            ok = False
            problems.add(line, CODE, "thiếu mã đơn vị.")
        if kind is not None:
            for column, what in NEEDS[kind]:
                if not text.get(column):
                    ok = False
                    problems.add(line, column, f"thiếu {what} (bắt buộc với «{CHANGE_LABEL[kind]}»).")
        unit_kind = None
        if text.get(KIND):
            unit_kind = choice(text[KIND], UNIT_KIND_FILE_LABELS)
            if unit_kind is None:
                ok = False
                problems.add(line, KIND, f"«{text[KIND]}» không phải loại đơn vị hợp lệ; chọn "
                                         f"một trong {_accepted(UNIT_KIND_FILE_LABELS)}.")
        sector_id = None
        if text.get(SECTOR):
            sector_id = choice(text[SECTOR], sectors)
            if sector_id is None:
                ok = False
                problems.add(line, SECTOR, f"«{text[SECTOR]}» không phải khối hợp lệ; chọn một "
                                           f"trong {_accepted(sectors)}.")
        successor = text.get(SUCCESSOR, "")
        if ok and successor and successor == code:
            ok = False
            problems.add(line, SUCCESSOR, "đơn vị kế thừa không thể là chính đơn vị đó.")
        if ok and text.get(PARENT) and text[PARENT] == code:
            ok = False
            problems.add(line, PARENT, "đơn vị không thể là cấp trên của chính nó.")
        if not ok:
            continue
        key = (date, kind, code, successor, text.get(NAME, ""), text.get(PARENT, ""))
        if key in seen:
            problems.add(line, CODE, f"dòng này trùng với dòng {seen[key]}.")
            continue
        seen[key] = line
        if kind in RETIRES:
            first = retired_by.get(code)
            if first is not None and not (kind == UnitEventKind.SPLIT
                                          and (date, code) in splits
                                          and splits[(date, code)].line == first):
                problems.add(line, CODE, f"đơn vị «{code}» đã ngừng hoạt động theo dòng "
                                         f"{first}; mỗi đơn vị chỉ sáp nhập, chia tách hoặc "
                                         "giải thể một lần.")
                continue
            retired_by.setdefault(code, line)
        if kind == UnitEventKind.SPLIT and (date, code) in splits:
            split = splits[(date, code)]
            split.successors.append(successor)
            split.successor_lines.append(line)
            continue
        change = Change(line=line, date=date, kind=kind, code=code,
                        successors=[successor] if successor else [],
                        successor_lines=[line] if successor else [],
                        name=text.get(NAME, ""), parent=text.get(PARENT, ""),
                        unit_kind=unit_kind, sector_id=sector_id,
                        decision=text.get(DECISION, ""))
        if kind == UnitEventKind.SPLIT:
            splits[(date, code)] = change
        changes.append(change)
    for split in splits.values():
        if len(split.successors) < 2:
            problems.add(split.line, SUCCESSOR, f"chia tách «{split.code}» cần ít nhất hai đơn "
                                                "vị kế thừa, mỗi đơn vị một dòng.")
    problems.items.sort(key=lambda p: p.row or 0)
    problems.raise_if_any()
    changes.sort(key=lambda c: (c.date, c.line))
    return changes
