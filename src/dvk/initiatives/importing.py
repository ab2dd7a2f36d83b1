"""Import historical registrations and outcomes (CONTRACTS §4).

All or nothing: every row is validated first and every problem reported (row, column,
reason, in Vietnamese); only a clean file is written, in one transaction.
Idempotent: initiatives are matched by Mã mô hình, else by (unit, title folded);
registrations by (initiative, level, year); awards by (registration, kind). Importing the
same file twice creates nothing new.

Fast: no per-row queries. Units, sectors, fields, levels, award kinds and the existing
initiatives/registrations/awards touched by the file are loaded into dicts up front;
writes are bulk_create / bulk_update in batches.

What a re-import changes on an existing registration: the outcome when the file gives one
(Kết quả), the exceptional flag when the file sets it. An empty Kết quả never moves an
existing registration backwards (it may have progressed in the app since).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dvk.awards.models import Award, AwardKind
from dvk.common import history
from dvk.common.tabular import Column, Problems, as_int, as_text, read_table
from dvk.common.text import fold, sort_key
from dvk.orgs.models import Sector, Unit
from dvk.phases.models import Phase
from dvk.phases.services import get_or_create_phase

from .enums import (INITIATIVE_KIND_FILE_LABELS, RESULT_FILE_LABELS, ExceptionalStatus,
                    InitiativeKind, State)
from .models import Field, Initiative, Registration

COLUMNS = [
    Column("Mã mô hình"),
    Column("Tên mô hình", required=True),
    Column("Loại", required=True),
    Column("Chủ thể"),
    Column("Mã đơn vị", required=True),
    Column("Khối"),
    Column("Lĩnh vực", required=True),
    Column("Cấp", required=True),
    Column("Năm", required=True),
    Column("Kết quả"),
    Column("Đặc cách"),
    Column("Khen thưởng"),
]
YES = {"x", "co", "yes", "1", "true"}
BATCH = 2000
CHUNK = 5000  # ids per IN (...) when loading existing rows


@dataclass
class Row:
    n: int
    code: str
    title: str
    kind: str
    subject: str
    unit_id: int
    sector_id: int | None
    field_id: int
    level_id: int
    year: int
    state: str | None          # None = no outcome in the file
    exceptional: bool
    award_kind_id: int | None
    key: tuple = ()


@dataclass
class Result:
    rows: int = 0
    initiatives_created: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0
    awards_created: int = 0
    phase_created: bool = False
    problems: list = field(default_factory=list)

    def summary(self) -> str:
        return (f"Đã nhập {self.rows} dòng: {self.initiatives_created} mô hình mới, "
                f"{self.registrations_created} lượt đăng ký mới, {self.registrations_updated} "
                f"lượt đăng ký cập nhật, {self.awards_created} khen thưởng mới.")


def _chunks(seq, size=CHUNK):
    seq = list(seq)
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _lookup(names) -> dict[str, object]:
    return {fold(n): v for n, v in names}


def import_registrations(path, *, phase_code: str, actor=None) -> Result:
    """Validate then write. Raises ImportRefused (nothing written) or ValueError (bad code)."""
    table = read_table(path, COLUMNS)
    phase, phase_created = get_or_create_phase(phase_code)
    try:
        return _import(table, phase, phase_created, actor)
    except BaseException:
        if phase_created:  # refused input writes nothing, not even the phase
            Phase.objects.filter(pk=phase.pk).delete()
        raise


def _import(table, phase: Phase, phase_created: bool, actor) -> Result:
    problems = Problems()
    levels = list(phase.ordered_levels())
    level_by_key = {k: lv.pk for lv in levels for k in lv.keys()}
    level_names = ", ".join(lv.name for lv in levels)
    sectors = _lookup(Sector.objects.values_list("name", "pk"))
    fields = _lookup(Field.objects.values_list("name", "pk"))
    award_kinds = _lookup(AwardKind.objects.values_list("name", "pk"))
    kinds = _lookup(INITIATIVE_KIND_FILE_LABELS.items())
    results = _lookup(RESULT_FILE_LABELS.items())

    raw_rows = list(table)
    codes = {as_text(r.get("Mã đơn vị")) for _, r in raw_rows}
    units = {}
    for chunk in _chunks(c for c in codes if c):
        units.update({c: (pk, s) for c, pk, s in
                      Unit.objects.filter(code__in=chunk).values_list("code", "pk", "sector_id")})

    rows: list[Row] = []
    for n, r in raw_rows:
        title = as_text(r.get("Tên mô hình"))
        if not title:
            problems.add(n, "Tên mô hình", "thiếu tên mô hình.")
        elif len(title) > 500:
            problems.add(n, "Tên mô hình", "tên mô hình dài quá 500 ký tự.")
        kind_text = as_text(r.get("Loại"))
        kind = kinds.get(fold(kind_text))
        if kind is None:
            problems.add(n, "Loại", f"«{kind_text}» không hợp lệ; dùng «Mô hình» hoặc «Điển hình».")
        unit_code = as_text(r.get("Mã đơn vị"))
        unit = units.get(unit_code)
        if not unit_code:
            problems.add(n, "Mã đơn vị", "thiếu mã đơn vị.")
        elif unit is None:
            problems.add(n, "Mã đơn vị", f"không có đơn vị mã «{unit_code}».")
        sector_text = as_text(r.get("Khối"))
        sector_id = None
        if sector_text:
            sector_id = sectors.get(fold(sector_text))
            if sector_id is None:
                problems.add(n, "Khối", f"khối «{sector_text}» không có trong danh mục.")
        elif unit:
            sector_id = unit[1]
        field_text = as_text(r.get("Lĩnh vực"))
        field_id = fields.get(fold(field_text))
        if field_id is None:
            problems.add(n, "Lĩnh vực", f"«{field_text}» không hợp lệ; dùng Kinh tế, Văn hóa - "
                                        "Xã hội, Quốc phòng - An ninh, Xây dựng hệ thống chính trị.")
        level_text = as_text(r.get("Cấp"))
        level_id = level_by_key.get(fold(level_text))
        if level_id is None:
            problems.add(n, "Cấp", f"cấp «{level_text}» không có trong giai đoạn {phase.code} "
                                   f"({level_names}).")
        year_raw = r.get("Năm")
        year = as_int(year_raw)
        if year is None:
            problems.add(n, "Năm", f"«{as_text(year_raw)}» không phải là năm.")
        elif year not in phase.years:
            problems.add(n, "Năm", f"năm {year} không thuộc giai đoạn {phase.code}.")
        result_text = as_text(r.get("Kết quả"))
        state = None
        if result_text:
            state = results.get(fold(result_text))
            if state is None:
                problems.add(n, "Kết quả", f"«{result_text}» không hợp lệ; dùng «Công nhận», "
                                           "«Không công nhận» hoặc để trống.")
        exc_text = as_text(r.get("Đặc cách"))
        exceptional = fold(exc_text) in YES
        if exc_text and not exceptional and fold(exc_text) not in ("khong", "no", "0"):
            problems.add(n, "Đặc cách", f"«{exc_text}» không hợp lệ; ghi «x» hoặc «Có», "
                                        "hoặc để trống.")
        award_text = as_text(r.get("Khen thưởng"))
        award_kind_id = None
        if award_text:
            award_kind_id = award_kinds.get(fold(award_text))
            if award_kind_id is None:
                problems.add(n, "Khen thưởng", f"«{award_text}» không hợp lệ; dùng Giấy khen, "
                                               "Bằng khen hoặc Cờ thi đua.")
            elif state == State.NOT_RECOGNIZED:
                problems.add(n, "Khen thưởng", "mô hình không được công nhận thì không thể "
                                               "khen thưởng.")
        subject = as_text(r.get("Chủ thể"))[:255]
        if kind == InitiativeKind.INDIVIDUAL and not subject:
            problems.add(n, "Chủ thể", "điển hình cá nhân phải ghi họ tên người thực hiện.")
        if problems.dropped:
            break
        if problems.items and problems.items[-1].row == n:
            continue
        rows.append(Row(n=n, code=as_text(r.get("Mã mô hình"))[:64], title=title, kind=kind,
                        subject=subject, unit_id=unit[0], sector_id=sector_id,
                        field_id=field_id, level_id=level_id, year=year, state=state,
                        exceptional=exceptional, award_kind_id=award_kind_id))

    # Identity of each row's initiative; the same code must stay in the same unit.
    first_of_code: dict[str, Row] = {}
    for row in rows:
        if row.code:
            first = first_of_code.setdefault(row.code, row)
            if first.unit_id != row.unit_id:
                problems.add(row.n, "Mã đơn vị", f"mô hình mã «{row.code}» đã ghi đơn vị khác ở "
                                                 f"dòng {first.n}.")
            row.key = ("code", row.code)
        else:
            row.key = ("title", row.unit_id, fold(row.title))
    seen: dict[tuple, int] = {}
    for row in rows:
        k = (row.key, row.level_id, row.year)
        if k in seen:
            problems.add(row.n, "Cấp", f"trùng với dòng {seen[k]}: cùng mô hình, cùng cấp, "
                                       "cùng năm.")
        else:
            seen[k] = row.n
    problems.raise_if_any()

    # Existing initiatives the file refers to.
    existing_ini: dict[tuple, int] = {}
    file_codes = {r.code for r in rows if r.code}
    for chunk in _chunks(file_codes):
        for pk, code in Initiative.objects.filter(code__in=chunk).values_list("pk", "code"):
            existing_ini[("code", code)] = pk
    titled_units = {r.unit_id for r in rows if not r.code}
    for chunk in _chunks(titled_units):
        for pk, unit_id, title in Initiative.objects.filter(unit_id__in=chunk).values_list(
                "pk", "unit_id", "title"):
            existing_ini.setdefault(("title", unit_id, fold(title)), pk)

    # Existing codes must belong to the same unit as in the file.
    if file_codes:
        code_units = {}
        for chunk in _chunks(file_codes):
            code_units.update(dict(Initiative.objects.filter(code__in=chunk)
                                   .values_list("code", "unit_id")))
        for code, row in first_of_code.items():
            if code in code_units and code_units[code] != row.unit_id:
                problems.add(row.n, "Mã mô hình", f"mã «{code}» đã dùng cho mô hình của đơn vị "
                                                  "khác trong hệ thống.")
        problems.raise_if_any()

    return _write(rows, phase, existing_ini, actor, phase_created)


def _write(rows: list[Row], phase: Phase, existing_ini: dict, actor, phase_created) -> Result:
    res = Result(rows=len(rows), phase_created=phase_created)
    now = timezone.now()
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    sort_cache: dict[str, str] = {}
    with transaction.atomic():
        new_inis: dict[tuple, Initiative] = {}
        for row in rows:
            if row.key in existing_ini or row.key in new_inis:
                continue
            individual = row.kind == InitiativeKind.INDIVIDUAL
            ini = Initiative(code=row.code or None, kind=row.kind, title=row.title,
                             subject=row.subject, person_name=row.subject if individual else "",
                             unit_id=row.unit_id, sector_id=row.sector_id,
                             field_id=row.field_id, start_year=row.year, created_by=user,
                             created_at=now, updated_at=now)
            ini.search_text = fold(f"{ini.title} {ini.subject} {ini.person_name}")[:800]
            sk = sort_cache.get(ini.title)
            if sk is None:
                sk = sort_cache[ini.title] = sort_key(ini.title)[:1500]
            ini.sort_key = sk
            new_inis[row.key] = ini
        Initiative.objects.bulk_create(list(new_inis.values()), batch_size=BATCH)
        res.initiatives_created = len(new_inis)
        ini_ids = dict(existing_ini)
        ini_ids.update({k: ini.pk for k, ini in new_inis.items()})

        # Existing registrations of those initiatives (only the known ones can have any).
        existing_reg: dict[tuple, Registration] = {}
        for chunk in _chunks(set(existing_ini.values())):
            for reg in Registration.objects.filter(initiative_id__in=chunk, phase=phase).only(
                    "pk", "initiative_id", "level_id", "year", "state", "is_exceptional",
                    "exceptional_status", "version", "unit_id"):
                existing_reg[(reg.initiative_id, reg.level_id, reg.year)] = reg

        new_regs: list[tuple[Row, Registration]] = []
        changed: dict[tuple, list[Registration]] = {}
        row_reg: list[tuple[Row, Registration]] = []
        for row in rows:
            ini_id = ini_ids[row.key]
            reg = existing_reg.get((ini_id, row.level_id, row.year))
            if reg is None:
                reg = Registration(
                    initiative_id=ini_id, phase=phase, level_id=row.level_id, year=row.year,
                    unit_id=row.unit_id, sector_id=row.sector_id, field_id=row.field_id,
                    state=row.state or State.ACCEPTED, is_exceptional=row.exceptional,
                    exceptional_status=ExceptionalStatus.APPROVED if row.exceptional
                    else ExceptionalStatus.NONE, imported=True, created_by=user,
                    created_at=now, updated_at=now)
                new_regs.append((row, reg))
            else:
                diff = {}
                if row.state and reg.state != row.state:
                    diff["state"] = (reg.state, row.state)
                    reg.state = row.state
                if row.exceptional and not (reg.is_exceptional and
                                            reg.exceptional_status == ExceptionalStatus.APPROVED):
                    diff["is_exceptional"] = (reg.is_exceptional, True)
                    reg.is_exceptional = True
                    reg.exceptional_status = ExceptionalStatus.APPROVED
                if diff:
                    reg.version += 1
                    reg.updated_at = now
                    changed.setdefault(tuple(sorted(diff.items())), []).append(reg)
            row_reg.append((row, reg))
        Registration.objects.bulk_create([r for _, r in new_regs], batch_size=BATCH)
        res.registrations_created = len(new_regs)
        updated = [r for regs in changed.values() for r in regs]
        Registration.objects.bulk_update(updated, ["state", "is_exceptional", "exceptional_status",
                                                   "version", "updated_at"], batch_size=BATCH)
        res.registrations_updated = len(updated)

        history.record_many([r for _, r in new_regs], "import", actor=actor,
                            comment=f"Nhập dữ liệu giai đoạn {phase.code}")
        for diff, regs in changed.items():
            history.record_many(regs, "import", actor=actor,
                                changes={k: list(v) for k, v in diff},
                                comment=f"Nhập dữ liệu giai đoạn {phase.code}")

        # Awards: one per (registration, kind); an existing one is kept as is.
        wanted = [(row, reg) for row, reg in row_reg if row.award_kind_id]
        have = set()
        for chunk in _chunks({reg.pk for _, reg in wanted}):
            have.update(Award.objects.filter(registration_id__in=chunk)
                        .values_list("registration_id", "kind_id"))
        awards = [Award(kind_id=row.award_kind_id, phase=phase, level_id=row.level_id,
                        year=row.year, registration_id=reg.pk, unit_id=reg.unit_id,
                        recipient_name=(row.subject or row.title)[:255], created_by=user,
                        created_at=now, updated_at=now)
                  for row, reg in wanted if (reg.pk, row.award_kind_id) not in have]
        Award.objects.bulk_create(awards, batch_size=BATCH)
        history.record_many(awards, "import", actor=actor,
                            comment=f"Nhập dữ liệu giai đoạn {phase.code}")
        res.awards_created = len(awards)
    return res
