"""Import the org tree from a units file (CONTRACTS §3), all or nothing.

Everything is validated first against the file and the database (preloaded once into
dicts: no query per row); any problem refuses the whole file with a Vietnamese message per
problem. Then new units are inserted generation by generation, changed ones updated in
bulk, and parent changes are moves (orgs.structure) so paths stay right.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from dvk.common.models import HistoryEntry
from dvk.common.tabular import Column, ImportRefused, Problem, Problems, as_text, read_table
from dvk.common.text import fold

from .enums import UNIT_KIND_FILE_LABELS, UnitEventKind, UnitKind
from .models import SEGMENT, Sector, Unit, UnitEvent
from .structure import StructureError, _check_move, _move
from .tree import bulk_insert_units

CODE_MAX = Unit._meta.get_field("code").max_length
NAME_MAX = Unit._meta.get_field("name").max_length

CODE, NAME, PARENT, KIND, SECTOR = "Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại", "Khối"
# max_length: the text reaches the database (checked by the reader).
COLUMNS = [Column(CODE, required=True, max_length=CODE_MAX),
           Column(NAME, required=True, max_length=NAME_MAX),
           Column(PARENT, max_length=CODE_MAX), Column(KIND, required=True), Column(SECTOR)]
# Paths are one segment per level and must fit the column.
MAX_DEPTH = Unit._meta.get_field("path").max_length // (SEGMENT + 1) - 1


@dataclass
class Row:
    line: int
    code: str
    name: str
    parent_code: str
    kind: str
    sector_id: int | None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    created_codes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"Đã nhập {self.rows} dòng: {self.created} đơn vị tạo mới, "
                f"{self.updated} cập nhật, {self.unchanged} không đổi.")
        if self.moved:
            text += (f" Trong số đơn vị cập nhật, {self.moved} đơn vị chuyển sang "
                     "đơn vị cấp trên khác.")
        return text


def _accepted(labels) -> str:
    return ", ".join(f"«{x}»" for x in labels)


def _lookup(options: dict):
    """choice() with the labels folded once: called for 100,000 cells, it must be cheap."""
    folded = {fold(label): value for label, value in options.items()}
    seen: dict[str, object] = {}

    def lookup(text: str):
        if text not in seen:
            seen[text] = folded.get(fold(text))
        return seen[text]

    return lookup


def _read_rows(path, problems: Problems, sectors_by_label: dict) -> list[Row]:
    table = read_table(path, COLUMNS)
    kind_of, sector_of = _lookup(UNIT_KIND_FILE_LABELS), _lookup(sectors_by_label)
    rows: list[Row] = []
    first_line: dict[str, int] = {}
    has_sector = SECTOR in table.index
    for line, raw in table:
        code = as_text(raw.get(CODE))
        name = as_text(raw.get(NAME))
        parent_code = as_text(raw.get(PARENT))
        kind_text = as_text(raw.get(KIND))
        sector_text = as_text(raw.get(SECTOR)) if has_sector else ""
        ok = True
        if not code:
            problems.add(line, CODE, "thiếu mã đơn vị.")
            ok = False
        elif len(code) > CODE_MAX:
            problems.add(line, CODE, f"mã đơn vị dài quá {CODE_MAX} ký tự.")
            ok = False
        elif code in first_line:
            problems.add(line, CODE, f"mã «{code}» trùng với dòng {first_line[code]}.")
            ok = False
        else:
            first_line[code] = line
        if not name:
            problems.add(line, NAME, "thiếu tên đơn vị.")
        elif len(name) > NAME_MAX:
            problems.add(line, NAME, f"tên đơn vị dài quá {NAME_MAX} ký tự.")
        kind = kind_of(kind_text)
        if not kind_text:
            problems.add(line, KIND, f"thiếu loại đơn vị; chọn một trong "
                                     f"{_accepted(UNIT_KIND_FILE_LABELS)}.")
        elif kind is None:
            problems.add(line, KIND, f"«{kind_text}» không phải loại đơn vị hợp lệ; chọn một "
                                     f"trong {_accepted(UNIT_KIND_FILE_LABELS)}.")
        sector_id = None
        if sector_text:
            sector_id = sector_of(sector_text)
            if sector_id is None:
                problems.add(line, SECTOR, f"«{sector_text}» không phải khối hợp lệ; chọn một "
                                           f"trong {_accepted(sectors_by_label)}.")
        if parent_code and parent_code == code:
            problems.add(line, PARENT, "đơn vị không thể là cấp trên của chính nó.")
            ok = False
        if ok:
            rows.append(Row(line, code, name, parent_code, kind, sector_id))
    return rows


def _validate_tree(rows: list[Row], existing: dict[str, Unit], code_of: dict[int, str],
                   problems: Problems) -> dict[str, str | None]:
    """Parents must exist (in the file or the database) and be in force; the resulting tree
    must have no cycle and fit the path column. Returns {code: final parent code}."""
    in_file = {r.code: r for r in rows}
    final_parent: dict[str, str | None] = {}
    for r in rows:
        final_parent[r.code] = r.parent_code or None
        if not r.parent_code:
            continue
        parent = existing.get(r.parent_code)
        if parent is None and r.parent_code not in in_file:
            problems.add(r.line, PARENT, f"không có đơn vị mã «{r.parent_code}» trong tệp "
                                         "cũng như trong cơ sở dữ liệu.")
        elif (parent is not None and parent.valid_until is not None
              and not _unchanged_retired(r, existing)):
            problems.add(r.line, PARENT, f"đơn vị cấp trên «{r.parent_code}» đã ngừng hoạt "
                                         f"động từ ngày {parent.valid_until:%d/%m/%Y}.")

    def parent_of(code: str) -> str | None:
        if code in final_parent:
            return final_parent[code]
        unit = existing.get(code)
        return code_of.get(unit.parent_id) if unit is not None and unit.parent_id else None

    # Depth of every code in the final tree; a walk meeting itself is a cycle.
    depth: dict[str, int] = {}
    in_cycle: set[str] = set()
    for start in in_file:
        chain, seen, code = [], set(), start
        while code is not None and code not in depth and code not in seen:
            if code not in in_file and code not in existing:
                break  # unknown parent, reported above
            seen.add(code)
            chain.append(code)
            code = parent_of(code)
        if code is not None and code in seen:
            loop = chain[chain.index(code):]
            for c in loop:
                if c in in_file and c not in in_cycle:
                    in_cycle.add(c)
                    problems.add(in_file[c].line, PARENT,
                                 "vòng lặp cấp trên: " + " → ".join(loop + [code]) + ".")
            base = 0
            chain = chain[:chain.index(code)]
            for c in loop:
                depth[c] = 0
        else:
            base = depth[code] + 1 if code is not None and code in depth else 0
        for c in reversed(chain):
            depth[c] = base
            base += 1
    for r in rows:
        if r.code not in in_cycle and depth.get(r.code, 0) > MAX_DEPTH:
            problems.add(r.line, PARENT, f"cây tổ chức sâu quá {MAX_DEPTH + 1} cấp.")
    return final_parent


# Kinds from the top of the tree down (UnitKind's order). A unit is never of a kind above its
# parent's; it may skip kinds (an office of the province is a grassroots unit).
KIND_RANK = {kind: i for i, kind in enumerate(UnitKind)}
KIND_LABEL = {kind: label for label, kind in UNIT_KIND_FILE_LABELS.items()}


def _check_kinds(rows: list[Row], existing: dict[str, Unit], code_of: dict[int, str],
                 final_parent: dict[str, str | None], problems: Problems) -> None:
    """Each row's kind against its final parent's, and a unit whose kind the file changes
    against the sub-units it keeps from the database."""
    in_file = {r.code: r for r in rows}

    def kind_of(code):
        r = in_file.get(code)
        if r is not None:
            return r.kind
        unit = existing.get(code)
        return unit.kind if unit is not None else None

    for r in rows:
        parent = final_parent.get(r.code)
        parent_kind = kind_of(parent) if parent else None
        if r.kind and parent_kind and KIND_RANK[r.kind] < KIND_RANK[parent_kind]:
            problems.add(r.line, KIND, f"đơn vị loại «{KIND_LABEL[r.kind]}» không thể trực "
                                       f"thuộc đơn vị «{parent}» loại «{KIND_LABEL[parent_kind]}» "
                                       "(đơn vị cấp trên phải cùng loại hoặc cao hơn).")
    lowered = {r.code: r for r in rows if r.kind and r.code in existing
               and KIND_RANK[r.kind] > KIND_RANK[existing[r.code].kind]}
    if not lowered:
        return
    above: dict[str, list[Unit]] = {}  # lowered code -> its sub-units now above it
    for unit in existing.values():
        parent = code_of.get(unit.parent_id) if unit.parent_id else None
        r = lowered.get(parent)
        if (r is not None and unit.code not in in_file and unit.valid_until is None
                and KIND_RANK[unit.kind] < KIND_RANK[r.kind]):
            above.setdefault(parent, []).append(unit)
    for code, units in above.items():
        r, first = lowered[code], min(units, key=lambda u: u.code)
        more = f" (và {len(units) - 1} đơn vị khác)" if len(units) > 1 else ""
        problems.add(r.line, KIND, f"không thể đổi thành loại «{KIND_LABEL[r.kind]}»: đơn vị "
                                   f"trực thuộc «{first.code}»{more} là loại "
                                   f"«{KIND_LABEL[first.kind]}».")


def _unchanged_retired(r: Row, existing: dict[str, Unit]) -> bool:
    """A retired unit listed exactly as it was (an old file imported again) is accepted."""
    unit = existing.get(r.code)
    return unit is not None and unit.valid_until is not None and _same(unit, r, existing)


def _same(unit: Unit, r: Row, existing: dict[str, Unit]) -> bool:
    parent = existing.get(r.parent_code) if r.parent_code else None
    return (unit.name == r.name and unit.kind == r.kind and unit.sector_id == r.sector_id
            and unit.parent_id == (parent.pk if parent else None)
            and (not r.parent_code or parent is not None))


def import_units(path, *, actor=None, date: dt.date | None = None,
                 source_name: str = "") -> ImportResult:
    """Create or update units from a file. Raises ImportRefused (nothing written) when any
    row is wrong. `date` is the effective date of parent changes (default today)."""
    date = date or timezone.localdate()
    problems = Problems()
    sectors = list(Sector.objects.all())
    sectors_by_label = {s.name: s.pk for s in sectors}
    rows = _read_rows(path, problems, sectors_by_label)

    existing: dict[str, Unit] = {
        u.code: u for u in Unit.objects.only(
            "id", "code", "name", "kind", "sector_id", "parent_id", "path", "depth",
            "valid_until")}
    code_of = {u.pk: c for c, u in existing.items()}
    for r in rows:
        unit = existing.get(r.code)
        if unit is not None and unit.valid_until is not None and not _same(unit, r, existing):
            problems.add(r.line, CODE, f"đơn vị «{r.code}» đã ngừng hoạt động từ ngày "
                                       f"{unit.valid_until:%d/%m/%Y}; không thể cập nhật qua tệp "
                                       "(dùng chức năng sáp nhập, chia tách, chuyển đơn vị).")
    final_parent = _validate_tree(rows, existing, code_of, problems)
    _check_kinds(rows, existing, code_of, final_parent, problems)
    problems.items.sort(key=lambda p: (p.row or 0))  # in file order, as officials read it
    problems.raise_if_any()
    with transaction.atomic():
        return _write(rows, existing, actor=actor, date=date, source_name=source_name)


def _write(rows: list[Row], existing: dict[str, Unit], *, actor, date, source_name) -> ImportResult:
    result = ImportResult(rows=len(rows))
    actor = actor if (actor is not None and actor.is_authenticated) else None
    by_code: dict[str, Unit] = dict(existing)
    new_units: list[Unit] = []
    for r in rows:
        if r.code not in existing:
            u = Unit(code=r.code, name=r.name, kind=r.kind, sector_id=r.sector_id)
            by_code[r.code] = u
            new_units.append(u)
    new_codes = {u.code for u in new_units}

    changed: list[Unit] = []
    moves: list[tuple[Row, Unit]] = []
    history: list[tuple[Unit, dict]] = []
    for r in rows:
        unit = by_code[r.code]
        if r.code in new_codes:
            unit.parent = by_code[r.parent_code] if r.parent_code else None
            continue
        diff = {}
        for attr, value in (("name", r.name), ("kind", r.kind), ("sector_id", r.sector_id)):
            if getattr(unit, attr) != value:
                diff[attr] = [getattr(unit, attr), value]
                setattr(unit, attr, value)
        if diff:
            unit.refresh_derived()
            changed.append(unit)
            history.append((unit, diff))
        parent = by_code[r.parent_code] if r.parent_code else None
        moved = (parent.code in new_codes or parent.pk != unit.parent_id) if parent else \
            unit.parent_id is not None
        if moved:
            moves.append((r, unit))
        if diff or moved:
            result.updated += 1
        else:
            result.unchanged += 1

    if new_units:
        bulk_insert_units(new_units)
        result.created = len(new_units)
        event = UnitEvent.objects.create(
            kind=UnitEventKind.CREATE, date=date, actor=actor,
            note=f"Nhập từ tệp {source_name}".strip())
        Through = UnitEvent.targets.through
        Through.objects.bulk_create(
            [Through(unitevent_id=event.pk, unit_id=u.pk) for u in new_units], batch_size=5000)
    if changed:
        Unit.objects.bulk_update(changed, ["name", "kind", "sector", "search_text", "sort_key"],
                                 batch_size=2000)
        ct = ContentType.objects.get_for_model(Unit)
        HistoryEntry.objects.bulk_create(
            [HistoryEntry(content_type=ct, object_id=str(u.pk), action="unit_import_update",
                          actor=actor, comment=source_name,
                          changes={("sector" if k == "sector_id" else k): v
                                   for k, v in d.items()}) for u, d in history],
            batch_size=2000)
    # Parent changes last (new parents exist by now), top of the final tree first: then a
    # unit is never moved under one of its own current descendants.
    if moves:
        final_depth = _final_depths(rows, by_code)
        moves.sort(key=lambda m: final_depth[m[0].code])
        for r, unit in moves:
            fresh = Unit.objects.get(pk=unit.pk)
            new_parent = Unit.objects.get(pk=by_code[r.parent_code].pk) if r.parent_code else None
            try:
                _check_move(fresh, new_parent, date)
            except StructureError as exc:  # rolls the whole import back
                raise ImportRefused([Problem(r.line, PARENT, str(exc))]) from exc
            _move(fresh, new_parent, date=date, decision="", actor=actor,
                  note=f"Nhập từ tệp {source_name}".strip())
        result.moved = len(moves)
    return result


def _final_depths(rows: list[Row], by_code: dict[str, Unit]) -> dict[str, int]:
    parent_of = {r.code: r.parent_code or None for r in rows}
    code_of = {u.pk: c for c, u in by_code.items() if u.pk}
    depth: dict[str, int] = {}

    def walk(code):
        chain = []
        while code is not None and code not in depth:
            chain.append(code)
            if code in parent_of:
                code = parent_of[code]
            else:
                u = by_code.get(code)
                code = code_of.get(u.parent_id) if u is not None and u.parent_id else None
        base = depth[code] + 1 if code is not None else 0
        for c in reversed(chain):
            depth[c] = base
            base += 1

    for r in rows:
        walk(r.code)
    return depth

