"""Structural changes of the org tree: merge, split, move, dissolve, rename.

Each change is one transaction that writes a `UnitEvent` (kind, date, decision, sources,
targets, actor) and a history entry per affected unit. Units are never deleted: a retired
unit keeps its parent, path and data (registrations of 2016–2020 stay attached to the
units of that time), gets `valid_until` = the date of the change, and `successor` = the
unit carrying its data today (see orgs/history.py and docs/org-tree.md).

Dates: a unit retired on D is in force until the day before D (`valid_until` is exclusive);
a unit created on D is in force from D.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from dvk.common.history import record

from .enums import UnitEventKind, UnitKind
from .models import Sector, Unit, UnitEvent, path_segment, subtree_bounds

MAX_PATH = Unit._meta.get_field("path").max_length


class StructureError(Exception):
    """A structural change was refused; the message is Vietnamese, for officials."""


def _d(date: dt.date) -> str:
    return f"{date:%d/%m/%Y}"


def _lock(units: Iterable[Unit]) -> list[Unit]:
    """Re-read the units under a row lock: concurrent changes must see each other's result."""
    ids = [u.pk for u in units]
    fresh = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=ids)}
    return [fresh[i] for i in ids]


def _require_current(unit: Unit, date: dt.date, role: str = "Đơn vị") -> None:
    if unit.valid_until is not None:
        raise StructureError(
            f"{role} «{unit.code} – {unit.name}» đã ngừng hoạt động từ ngày "
            f"{_d(unit.valid_until)}; không thể thay đổi cơ cấu của đơn vị này.")
    if unit.valid_from is not None and unit.valid_from > date:
        raise StructureError(
            f"{role} «{unit.code} – {unit.name}» chỉ có hiệu lực từ ngày {_d(unit.valid_from)}, "
            f"sau ngày thay đổi {_d(date)}.")


def _require_new_code(code: str) -> None:
    if not code or not code.strip():
        raise StructureError("Thiếu mã đơn vị mới.")
    if Unit.objects.filter(code=code).exists():
        raise StructureError(f"Mã đơn vị «{code}» đã tồn tại.")


def _require_kind(kind) -> None:
    if kind not in UnitKind.values:
        raise StructureError(f"Loại đơn vị «{kind}» không hợp lệ.")


def _event(kind, *, date, decision, note, actor, sources=(), targets=(), **extra) -> UnitEvent:
    event = UnitEvent.objects.create(
        kind=kind, date=date, decision=decision or "", note=note or "",
        actor=actor if (actor is not None and actor.is_authenticated) else None, **extra)
    if sources:
        event.sources.set(sources)
    if targets:
        event.targets.set(targets)
    return event


def _new_unit(*, code, name, kind, parent, sector, date) -> Unit:
    _require_new_code(code)
    _require_kind(kind)
    if not name or not name.strip():
        raise StructureError(f"Thiếu tên của đơn vị mới «{code}».")
    unit = Unit(code=code.strip(), name=name.strip(), kind=kind, parent=parent, sector=sector,
                valid_from=date)
    unit.save()
    return unit


def _current_descendants(unit: Unit):
    return (Unit.objects.subtree_of(unit, include_self=False)
            .filter(valid_until__isnull=True))


def _retire(units: list[Unit], *, date: dt.date, successor: Unit | None, kind: str,
            decision: str, actor) -> int:
    """Retire units and their current descendants on `date`; all point at `successor`.

    Descendants go with their parent (a commune's unions and hamlets end with the commune),
    so no unit in force ever hangs under a retired one; their data rolls up to `successor`.
    Returns how many descendants were retired along.
    """
    along = 0
    for unit in units:
        # One UPDATE over the path range: no id list, whatever the subtree's size.
        along += _current_descendants(unit).update(valid_until=date, successor=successor)
        unit.valid_until = date
        unit.successor = successor
        unit.save(update_fields=["valid_until", "successor"])
        record(unit, f"unit_{kind}", actor=actor, comment=decision,
               changes={"valid_until": [None, date],
                        "successor": [None, successor.code if successor else None]})
    return along


def _check_parent(parent: Unit | None, date: dt.date, sources: list[Unit]) -> None:
    if parent is None:
        return
    _require_current(parent, date, role="Đơn vị cấp trên")
    for s in sources:
        if parent.pk == s.pk or parent.is_descendant_of(s):
            raise StructureError(
                f"Đơn vị cấp trên «{parent.code}» nằm trong đơn vị bị thay đổi «{s.code}»; "
                "hãy chọn một đơn vị cấp trên khác.")


def _check_date(date) -> None:
    if not isinstance(date, dt.date):
        raise StructureError("Thiếu ngày hiệu lực của thay đổi.")


# --- merge ------------------------------------------------------------------------------------

@transaction.atomic
def merge_units(sources: Iterable[Unit], *, date: dt.date, into: Unit | None = None,
                into_code: str = "", into_name: str = "", kind: str | None = None,
                parent: Unit | None = None, sector: Sector | None = None,
                decision: str = "", note: str = "", actor=None) -> Unit:
    """Merge units on `date`: into a new unit (into_code, into_name, kind, parent) or into an
    existing one (`into`). Sources (and their current descendants) are retired with
    successor = the merged unit, keeping their place in the tree for past data."""
    _check_date(date)
    sources = list(sources)
    if len({s.pk for s in sources}) != len(sources):
        raise StructureError("Danh sách đơn vị sáp nhập có đơn vị bị lặp.")
    if into is None and len(sources) < 2:
        raise StructureError("Cần ít nhất hai đơn vị để sáp nhập thành một đơn vị mới.")
    if into is not None and not sources:
        raise StructureError("Cần ít nhất một đơn vị sáp nhập vào.")
    sources = _lock(sources)
    for s in sources:
        _require_current(s, date)
    if into is not None:
        into = _lock([into])[0]
        if any(s.pk == into.pk for s in sources):
            raise StructureError(f"Đơn vị «{into.code}» không thể sáp nhập vào chính nó.")
        _require_current(into, date, role="Đơn vị nhận sáp nhập")
        _check_parent(into, date, sources)
        target = into
    else:
        if parent is None and any(s.parent_id for s in sources):
            raise StructureError("Thiếu đơn vị cấp trên của đơn vị mới.")
        _check_parent(parent, date, sources)
        target = _new_unit(code=into_code, name=into_name, kind=kind or sources[0].kind,
                           parent=parent, sector=sector, date=date)
    along = _retire(sources, date=date, successor=target, kind="merge", decision=decision,
                    actor=actor)
    _event(UnitEventKind.MERGE, date=date, decision=decision, actor=actor, sources=sources,
           targets=[target], note=note or (f"{along} đơn vị trực thuộc ngừng hoạt động theo."
                                           if along else ""))
    record(target, "unit_merge_target", actor=actor, comment=decision,
           changes={"merged_from": [None, ", ".join(s.code for s in sources)]})
    return target


# --- split ------------------------------------------------------------------------------------

@transaction.atomic
def split_unit(source: Unit, *, parts: list[dict], date: dt.date, primary_code: str,
               parent: Unit | None = None, decision: str = "", note: str = "",
               actor=None) -> list[Unit]:
    """Split a unit into new units on `date`. Each part: {code, name, kind?, sector?}
    (kind and sector default to the source's). The source is retired; its successor is the
    part named by `primary_code`: that is where its past data rolls up, since a registration
    cannot be divided between the parts."""
    _check_date(date)
    if len(parts) < 2:
        raise StructureError("Cần ít nhất hai đơn vị mới khi chia tách.")
    codes = [p.get("code", "").strip() for p in parts]
    if len(set(codes)) != len(codes):
        raise StructureError("Các đơn vị mới có mã bị trùng nhau.")
    if primary_code not in codes:
        raise StructureError(
            f"Mã đơn vị kế thừa «{primary_code}» không thuộc các đơn vị mới ({', '.join(codes)}).")
    source = _lock([source])[0]
    _require_current(source, date)
    parent = parent if parent is not None else source.parent
    _check_parent(parent, date, [source])
    new = [_new_unit(code=p["code"], name=p.get("name", ""), kind=p.get("kind") or source.kind,
                     parent=parent, sector=p.get("sector", source.sector), date=date)
           for p in parts]
    primary = new[codes.index(primary_code)]
    _retire([source], date=date, successor=primary, kind="split", decision=decision,
            actor=actor)
    _event(UnitEventKind.SPLIT, date=date, decision=decision, note=note, actor=actor,
           sources=[source], targets=new)
    for u in new:
        record(u, "unit_split_target", actor=actor, comment=decision,
               changes={"split_from": [None, source.code]})
    return new


# --- move -------------------------------------------------------------------------------------

def _rewrite_subtree(unit: Unit, new_parent: Unit | None) -> str:
    """Point the path of `unit` and its whole subtree at the new parent: one UPDATE.

    Concat/Substr are translated by Django for each database (|| on SQLite, CONCAT on
    PostgreSQL), so the same code runs on both. No path collides meanwhile: the new
    paths all start with a prefix no other unit has (it ends with this unit's own id).
    """
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "/") + path_segment(unit.pk)
    low, high = subtree_bounds(old_path)
    Unit.objects.filter(path__gte=low, path__lt=high).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (new_path.count("/") - old_path.count("/")),
    )
    return new_path


def _check_move(unit: Unit, new_parent: Unit | None, date: dt.date) -> None:
    _require_current(unit, date)
    if new_parent is not None:
        _require_current(new_parent, date, role="Đơn vị cấp trên mới")
        if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
            raise StructureError(
                f"Không thể chuyển «{unit.code} – {unit.name}» vào dưới chính nó hoặc một "
                f"đơn vị trực thuộc của nó («{new_parent.code}»).")
    if (new_parent.pk if new_parent else None) == unit.parent_id:
        raise StructureError(f"«{unit.code}» đã trực thuộc đơn vị cấp trên này.")
    new_prefix = (new_parent.path if new_parent else "/") + path_segment(unit.pk)
    longest = max(len(p) for p in Unit.objects.subtree_of(unit).values_list("path", flat=True))
    if longest - len(unit.path) + len(new_prefix) > MAX_PATH:
        raise StructureError(f"Cây tổ chức sẽ quá sâu nếu chuyển «{unit.code}» vào đây.")


def _move(unit: Unit, new_parent: Unit | None, *, date, decision, note, actor) -> UnitEvent:
    old_parent, old_path = unit.parent, unit.path
    unit.path = _rewrite_subtree(unit, new_parent)
    unit.parent = new_parent
    unit.depth = unit.path.count("/") - 2
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    record(unit, "unit_move", actor=actor, comment=decision,
           changes={"parent": [old_parent.code if old_parent else None,
                               new_parent.code if new_parent else None]})
    return _event(UnitEventKind.MOVE, date=date, decision=decision, note=note, actor=actor,
                  sources=[unit], targets=[unit], old_parent=old_parent,
                  new_parent=new_parent, old_path=old_path)


@transaction.atomic
def move_unit(unit: Unit, *, new_parent: Unit | None, date: dt.date, decision: str = "",
              note: str = "", actor=None) -> Unit:
    """The same unit (same code, same data) under another parent from `date`.

    Its subtree moves with it, so subtree queries (and scopes) follow today's structure;
    the event keeps the old parent and path, from which history.parent_map_as_of rebuilds
    the structure of earlier dates."""
    _check_date(date)
    unit = _lock([unit])[0]
    if new_parent is not None:
        new_parent = _lock([new_parent])[0]
    _check_move(unit, new_parent, date)
    _move(unit, new_parent, date=date, decision=decision, note=note, actor=actor)
    return unit


# --- dissolve, rename -------------------------------------------------------------------------

@transaction.atomic
def dissolve_unit(unit: Unit, *, date: dt.date, successor: Unit | None = None,
                  decision: str = "", note: str = "", actor=None) -> Unit:
    """End a unit on `date`. Its current children must be moved or merged first, so that
    nothing in force is left without a place in the tree."""
    _check_date(date)
    unit = _lock([unit])[0]
    _require_current(unit, date)
    children = list(unit.children.filter(valid_until__isnull=True)
                    .order_by("sort_key").values_list("code", flat=True)[:6])
    if children:
        shown = ", ".join(children[:5]) + (", …" if len(children) > 5 else "")
        raise StructureError(
            f"Không thể giải thể «{unit.code} – {unit.name}»: còn đơn vị trực thuộc đang hoạt "
            f"động ({shown}). Hãy chuyển hoặc sáp nhập các đơn vị này trước.")
    if successor is not None:
        successor = _lock([successor])[0]
        if successor.pk == unit.pk:
            raise StructureError("Đơn vị kế thừa không thể là chính đơn vị bị giải thể.")
        _require_current(successor, date, role="Đơn vị kế thừa")
    _retire([unit], date=date, successor=successor, kind="dissolve", decision=decision,
            actor=actor)
    _event(UnitEventKind.DISSOLVE, date=date, decision=decision, note=note, actor=actor,
           sources=[unit], targets=[successor] if successor else [])
    return unit


@transaction.atomic
def rename_unit(unit: Unit, *, name: str, date: dt.date, decision: str = "", note: str = "",
                actor=None) -> Unit:
    """A new name for the same unit; the old one stays in the event and the history."""
    _check_date(date)
    name = (name or "").strip()
    if not name:
        raise StructureError("Thiếu tên mới của đơn vị.")
    unit = _lock([unit])[0]
    _require_current(unit, date)
    if name == unit.name:
        raise StructureError(f"Đơn vị «{unit.code}» đã mang tên «{name}».")
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name", "search_text", "sort_key"])
    record(unit, "unit_rename", actor=actor, comment=decision, changes={"name": [old, name]})
    _event(UnitEventKind.RENAME, date=date, decision=decision, actor=actor, sources=[unit],
           targets=[unit], note=note or f"Tên cũ: {old}")
    return unit
