"""Apply a structure changes file (CONTRACTS §6): create, merge, split, dissolve, rename, move.

`apply_changes(path)` applies every change in one transaction, in the order of their date,
then of the file; any refused change refuses the whole file (ImportRefused: a Vietnamese
message per row and column; nothing is written). `preview_changes(path)` runs the same
changes in a transaction that is always rolled back and describes their effect
(structure_impact.py): what a screen shows before the user confirms.

Each change is recorded like those made from Python (orgs/structure.py): a `UnitEvent` with
its date and decision, and a history entry per unit it touches.

What the contract adds to orgs/structure.py:
- a unit that retires (merge, split, dissolution) takes along its current sub-units that the
  file does not take out of it on the same date — they retire with it and their data rolls
  up to its successor; those the file moves, merges, splits or dissolves on that date keep
  their own change, whatever the order of the rows;
- a dissolution without a successor rolls the unit's data up to its nearest ancestor still
  carrying data (in force, or retired with a successor of its own);
- importing the same file again changes nothing: a change already in the database (a unit
  created, retired, renamed or moved on that date as the row says) is counted as unchanged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from dvk.common.history import record
from dvk.common.models import HistoryEntry
from dvk.common.tabular import ImportRefused, Problems

from .enums import UnitEventKind
from .importing import KIND_LABEL, KIND_RANK
from .models import SEGMENT, Unit, UnitEvent
from .structure import StructureError, _event, _lock, _require_current, move_unit, rename_unit
from .structure_file import CODE, KIND, PARENT, SUCCESSOR, TAKES_OUT, Change, read_changes


class RowError(Exception):
    def __init__(self, column: str | None, message: str):
        self.column = column
        super().__init__(message)


@dataclass
class StructureResult:
    rows: int = 0
    applied: dict[str, int] = field(default_factory=dict)  # change label -> count
    unchanged: int = 0
    retired_ids: list[int] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    moved_ids: list[int] = field(default_factory=list)
    renamed_ids: list[int] = field(default_factory=list)
    impact: object = None  # structure_impact.Impact, for a preview

    @property
    def changed(self) -> int:
        return sum(self.applied.values())

    def summary(self, preview: bool = False) -> str:
        done = ", ".join(f"{n} {label.lower()}" for label, n in self.applied.items())
        verb = "Sẽ áp dụng" if preview else "Đã áp dụng"
        text = f"{verb} {self.changed} thay đổi" + (f" ({done})" if done else "")
        text += f"; {self.unchanged} thay đổi đã có từ trước, không đổi."
        if self.retired_ids:
            text += (f" {len(set(self.retired_ids))} đơn vị ngừng hoạt động (kể cả đơn vị "
                     "trực thuộc).")
        return text


def _d(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


class _Run:
    def __init__(self, changes: list[Change], *, actor, source_name: str):
        self.changes = changes
        self.actor = actor if (actor is not None and actor.is_authenticated) else None
        self.note = f"Nhập từ tệp {source_name}".strip() if source_name else "Nhập từ tệp"
        self.result = StructureResult(rows=sum(max(1, len(c.successor_lines)) for c in changes))
        # Units the file takes out of their parent on a date: a retiring ancestor leaves them.
        self.taken_out: dict[dt.date, set[str]] = {}
        for c in changes:
            if c.kind in TAKES_OUT:
                self.taken_out.setdefault(c.date, set()).add(c.code)

    # --- lookups ------------------------------------------------------------------------------

    def unit(self, code: str, column: str, what: str = "đơn vị") -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise RowError(column, f"không có {what} mã «{code}» (trong cơ sở dữ liệu cũng như "
                                   "ở các dòng thành lập trước đó).")
        return _lock([unit])[0]

    def current(self, unit: Unit, date: dt.date, column: str, role: str) -> None:
        try:
            _require_current(unit, date, role=role)
        except StructureError as exc:
            raise RowError(column, str(exc)) from None

    def not_inside(self, other: Unit, unit: Unit, column: str, role: str) -> None:
        if other.pk == unit.pk or other.is_descendant_of(unit):
            raise RowError(column, f"{role} «{other.code}» nằm trong chính đơn vị «{unit.code}» "
                                   "bị thay đổi.")

    def kind_fits(self, kind: str, parent: Unit | None, column: str) -> None:
        if parent is not None and KIND_RANK[kind] < KIND_RANK[parent.kind]:
            raise RowError(column, f"đơn vị loại «{KIND_LABEL[kind]}» không thể trực thuộc đơn vị "
                                   f"«{parent.code}» loại «{KIND_LABEL[parent.kind]}».")

    def count(self, change: Change) -> None:
        self.result.applied[change.label] = self.result.applied.get(change.label, 0) + 1

    # --- retiring ----------------------------------------------------------------------------

    def retire(self, unit: Unit, change: Change, successor: Unit | None) -> int:
        """Retire `unit` and its current sub-units on the change's date (except those the file
        takes out on that date, with their subtrees); all point at `successor`."""
        date, action = change.date, f"unit_{change.kind}"
        keep = self.taken_out.get(date, set()) - {unit.code}
        rows = list(Unit.objects.subtree_of(unit, include_self=False)
                    .filter(valid_until__isnull=True).values_list("pk", "path", "code"))
        kept_paths = {path for _, path, code in rows if code in keep}
        step = SEGMENT + 1
        along = [pk for pk, path, _ in rows
                 if not any(path[:i] in kept_paths for i in range(len(unit.path) + step,
                                                                  len(path) + 1, step))]
        for i in range(0, len(along), 500):
            Unit.objects.filter(pk__in=along[i:i + 500]).update(valid_until=date,
                                                                successor=successor)
        unit.valid_until, unit.successor = date, successor
        unit.save(update_fields=["valid_until", "successor"])
        target = successor.code if successor else None
        record(unit, action, actor=self.actor, comment=change.decision,
               changes={"valid_until": [None, date], "successor": [None, target]})
        ct = ContentType.objects.get_for_model(Unit)
        HistoryEntry.objects.bulk_create(
            [HistoryEntry(content_type=ct, object_id=str(pk), action=action, actor=self.actor,
                          comment=f"Cùng đơn vị cấp trên «{unit.code}»",
                          changes={"valid_until": [None, date.isoformat()],
                                   "successor": [None, target]}) for pk in along],
            batch_size=2000)
        self.result.retired_ids += [unit.pk, *along]
        return len(along)

    def successor(self, change: Change, unit: Unit, code: str, line: int) -> Unit:
        try:
            succ = self.unit(code, SUCCESSOR, "đơn vị kế thừa")
            self.current(succ, change.date, SUCCESSOR, "Đơn vị kế thừa")
            self.not_inside(succ, unit, SUCCESSOR, "Đơn vị kế thừa")
        except RowError as exc:
            exc.line = line
            raise
        return succ

    def event(self, change: Change, kind, *, sources=(), targets=(), note="", **extra):
        return _event(kind, date=change.date, decision=change.decision, actor=self.actor,
                      sources=sources, targets=targets,
                      note=f"{self.note}, dòng {change.line}." + (f" {note}" if note else ""),
                      **extra)

    # --- the changes -------------------------------------------------------------------------

    def create(self, c: Change) -> bool:
        existing = Unit.objects.filter(code=c.code).first()
        if existing is not None:
            if existing.valid_from == c.date and UnitEvent.objects.filter(
                    kind=UnitEventKind.CREATE, date=c.date, targets=existing).exists():
                return False
            raise RowError(CODE, f"mã đơn vị «{c.code}» đã tồn tại («{existing.name}»).")
        parent = None
        if c.parent:
            parent = self.unit(c.parent, PARENT, "đơn vị cấp trên")
            self.current(parent, c.date, PARENT, "Đơn vị cấp trên")
        self.kind_fits(c.unit_kind, parent, KIND)
        unit = Unit(code=c.code, name=c.name, kind=c.unit_kind, parent=parent,
                    sector_id=c.sector_id, valid_from=c.date)
        unit.save()
        self.event(c, UnitEventKind.CREATE, targets=[unit])
        record(unit, "unit_create", actor=self.actor, comment=c.decision,
               changes={"parent": [None, parent.code if parent else None],
                        "valid_from": [None, c.date]})
        self.result.created_ids.append(unit.pk)
        return True

    def merge(self, c: Change) -> bool:
        unit = self.unit(c.code, CODE)
        succ_code = c.successors[0]
        if unit.valid_until == c.date and unit.successor and unit.successor.code == succ_code:
            return False
        self.current(unit, c.date, CODE, "Đơn vị")
        succ = self.successor(c, unit, succ_code, c.line)
        along = self.retire(unit, c, succ)
        self.event(c, UnitEventKind.MERGE, sources=[unit], targets=[succ],
                   note=f"{along} đơn vị trực thuộc ngừng hoạt động theo." if along else "")
        record(succ, "unit_merge_target", actor=self.actor, comment=c.decision,
               changes={"merged_from": [None, unit.code]})
        return True

    def split(self, c: Change) -> bool:
        unit = self.unit(c.code, CODE)
        if (unit.valid_until == c.date and unit.successor
                and unit.successor.code == c.successors[0]):
            return False
        self.current(unit, c.date, CODE, "Đơn vị")
        parts = [self.successor(c, unit, code, line)
                 for code, line in zip(c.successors, c.successor_lines)]
        along = self.retire(unit, c, parts[0])
        self.event(c, UnitEventKind.SPLIT, sources=[unit], targets=parts,
                   note=f"Dữ liệu cũ chuyển về «{parts[0].code}»."
                        + (f" {along} đơn vị trực thuộc ngừng hoạt động theo." if along else ""))
        for part in parts:
            record(part, "unit_split_target", actor=self.actor, comment=c.decision,
                   changes={"split_from": [None, unit.code]})
        return True

    def dissolve(self, c: Change) -> bool:
        unit = self.unit(c.code, CODE)
        if unit.valid_until == c.date and (not c.successors or (
                unit.successor and unit.successor.code == c.successors[0])):
            return False
        self.current(unit, c.date, CODE, "Đơn vị")
        named = bool(c.successors)
        succ = (self.successor(c, unit, c.successors[0], c.line) if named
                else self.carrying_ancestor(unit))
        along = self.retire(unit, c, succ)
        note = f"{along} đơn vị trực thuộc ngừng hoạt động theo." if along else ""
        if not named and succ is not None:
            note = f"Dữ liệu chuyển về đơn vị cấp trên «{succ.code}». {note}"
        self.event(c, UnitEventKind.DISSOLVE, sources=[unit], targets=[succ] if named else [],
                   note=note.strip())
        return True

    @staticmethod
    def carrying_ancestor(unit: Unit) -> Unit | None:
        """The nearest ancestor still carrying data: in force, or retired with a successor."""
        ids = unit.ancestor_ids()
        ancestors = Unit.objects.in_bulk(ids)
        for pk in reversed(ids):
            a = ancestors.get(pk)
            if a is not None and (a.valid_until is None or a.successor_id is not None):
                return a
        return None

    def rename(self, c: Change) -> bool:
        unit = self.unit(c.code, CODE)
        if unit.name == c.name or UnitEvent.objects.filter(
                kind=UnitEventKind.RENAME, date=c.date, sources=unit).exists():
            return False
        self.current(unit, c.date, CODE, "Đơn vị")
        rename_unit(unit, name=c.name, date=c.date, decision=c.decision, actor=self.actor,
                    note=f"{self.note}, dòng {c.line}. Tên cũ: {unit.name}")
        self.result.renamed_ids.append(unit.pk)
        return True

    def move(self, c: Change) -> bool:
        unit = self.unit(c.code, CODE)
        parent = self.unit(c.parent, PARENT, "đơn vị cấp trên")
        if unit.parent_id == parent.pk:
            return False
        self.current(unit, c.date, CODE, "Đơn vị")
        self.current(parent, c.date, PARENT, "Đơn vị cấp trên mới")
        self.not_inside(parent, unit, PARENT, "Đơn vị cấp trên mới")
        self.kind_fits(unit.kind, parent, PARENT)
        try:
            move_unit(unit, new_parent=parent, date=c.date, decision=c.decision,
                      actor=self.actor, note=f"{self.note}, dòng {c.line}.")
        except StructureError as exc:
            raise RowError(PARENT, str(exc)) from None
        self.result.moved_ids.append(unit.pk)
        return True

    def apply(self, problems: Problems) -> StructureResult:
        handlers = {UnitEventKind.CREATE: self.create, UnitEventKind.MERGE: self.merge,
                    UnitEventKind.SPLIT: self.split, UnitEventKind.DISSOLVE: self.dissolve,
                    UnitEventKind.RENAME: self.rename, UnitEventKind.MOVE: self.move}
        for c in self.changes:
            try:
                with transaction.atomic():  # a refused change leaves no trace of its own
                    if handlers[c.kind](c):
                        self.count(c)
                    else:
                        self.result.unchanged += 1
            except RowError as exc:
                problems.add(getattr(exc, "line", c.line), exc.column, str(exc))
            except StructureError as exc:
                problems.add(c.line, CODE, str(exc))
        return self.result


def _run(path, *, actor, source_name, preview: bool, impact=None) -> StructureResult:
    changes = read_changes(path)
    problems = Problems()
    with transaction.atomic():
        result = _Run(changes, actor=actor, source_name=source_name).apply(problems)
        if problems:
            problems.items.sort(key=lambda p: p.row or 0)
            problems.raise_if_any()  # rolls the whole file back
        if preview:
            # The effect on other apps' data is measured by the caller's `impact` (the org
            # tree does not know registrations or committees), before the rollback.
            result.impact = impact(result) if impact else None
            transaction.set_rollback(True)
    return result


def apply_changes(path, *, actor=None, source_name: str = "") -> StructureResult:
    """Apply the file's changes, all or nothing. Raises ImportRefused."""
    return _run(path, actor=actor, source_name=source_name, preview=False)


def preview_changes(path, *, actor=None, source_name: str = "", impact=None) -> StructureResult:
    """What the file would do, with `.impact` = impact(result) measured on the changed tree
    (dvk.imports.structure_impact.impact_of); nothing is kept. Raises ImportRefused."""
    return _run(path, actor=actor, source_name=source_name, preview=True, impact=impact)


__all__ = ["ImportRefused", "StructureResult", "apply_changes", "preview_changes"]
