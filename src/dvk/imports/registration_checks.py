"""The registrations file's columns and the checks of every row (CONTRACTS §4): each
problem named by row, column and reason, in Vietnamese; nothing written."""
from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from dvk.awards.models import AwardKind
from dvk.common.tabular import Column, Problems, as_int, as_text, as_texts
from dvk.common.text import fold
from dvk.initiatives.enums import (INITIATIVE_KIND_FILE_LABELS, RESULT_FILE_LABELS, InitiativeKind,
                                   State)
from dvk.initiatives.models import Field, Initiative
from dvk.initiatives.rules import import_ceiling
from dvk.orgs.models import Sector, Unit
from dvk.phases.models import Phase


def _size(model, name: str) -> int:
    return model._meta.get_field(name).max_length


COLUMNS = [  # max_length: the text reaches the database (checked by the reader)
    Column("Mã mô hình", max_length=_size(Initiative, "code")),
    Column("Tên mô hình", required=True, max_length=_size(Initiative, "title")),
    Column("Loại", required=True),
    Column("Chủ thể", max_length=_size(Initiative, "subject")),
    Column("Mã đơn vị", required=True, max_length=_size(Unit, "code")),
    Column("Khối"),
    Column("Lĩnh vực", required=True),
    Column("Cấp", required=True),
    Column("Năm", required=True),
    Column("Kết quả"),
    Column("Đặc cách"),
    Column("Khen thưởng"),
]
YES = {"x", "co", "yes", "1", "true"}
NO = {"khong", "no", "0"}
BATCH = 2000
CHUNK = 5000      # ids per IN (...) when loading existing rows (SQLite)
PG_CHUNK = 50000  # values per = ANY(%s) array (PostgreSQL)
PIPELINE_CHUNK = 20000  # rows validated while the database writes the previous ones

# Row tuple layout (validated file rows).
N, CODE, TITLE, KIND, SUBJECT, UNIT, SECTOR, FIELD, LEVEL, YEAR, STATE, EXC, AWARD = range(13)


# --- Validation ----------------------------------------------------------------------------

def _lookup(names) -> dict[str, object]:
    return {fold(n): v for n, v in names}


class _Cache(dict):
    """parse(key), memoised; many keys are looked up at once by map(cache.__getitem__, …),
    a C-level loop that calls Python only for a key not seen before."""

    def __init__(self, parse):
        super().__init__()
        self.parse = parse

    def __missing__(self, key):
        res = self[key] = self.parse(key)
        return res


# Cells of these types may share one cache: none equals a cell of another type (unlike 1,
# 1.0 and True, whose cache is keyed by their type too).
_PLAIN = {str, type(None)}


def _plain(values) -> bool:
    return set(map(type, values)) <= _PLAIN


def _memo(parse):
    """Memoise a cell parser by the raw cell (its type too: 1, 1.0 and True differ).
    `get.column(values)` parses a column's cells at once."""
    plain = _Cache(parse)
    typed = _Cache(lambda key: parse(key[1]))

    def get(value):
        return plain[value] if type(value) in _PLAIN else typed[(type(value), value)]

    def column(values) -> list:
        if _plain(values):
            return list(map(plain.__getitem__, values))
        return list(map(get, values))

    get.column = column
    return get


_REQUIRED = object()


def _choice(table: dict, problem, empty=_REQUIRED):
    """Parser of a cell naming a catalogue entry, looked up folded in `table`;
    `problem(text)` when it names none. An optional column's empty cell gives `empty`
    without a problem."""
    def parse(v):
        t = as_text(v)
        if not t and empty is not _REQUIRED:
            return empty, None
        found = table.get(fold(t))
        return found, (None if found is not None else problem(t))
    return parse


def _chunks(seq, size=CHUNK):
    seq = list(seq)
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


@dataclass
class _Checker:
    """The file's non-blank raw rows, `check(chunk)` that turns (n, raw) rows into row
    tuples (layout N, CODE, …; problems go to `problems` and their rows are left out), and
    what the database must be asked before writing: the codes, and the units of the rows
    without a code (read from the raw cells, so the lookups can come before validation)."""
    raw_rows: list
    check: object
    codes: set
    titled_units: set


def _checker(table, phase: Phase, problems: Problems, scope) -> _Checker:
    levels = list(phase.ordered_levels())
    level_by_key = {k: lv.pk for lv in levels for k in lv.keys()}
    level_names = ", ".join(lv.name for lv in levels)
    sectors = _lookup(Sector.objects.values_list("name", "pk"))
    fields = _lookup(Field.objects.values_list("name", "pk"))
    award_kinds = _lookup(AwardKind.objects.values_list("name", "pk"))
    kinds = _lookup(INITIATIVE_KIND_FILE_LABELS.items())
    results = _lookup(RESULT_FILE_LABELS.items())
    years = set(phase.years)
    this_year = timezone.localdate().year

    index = table.index
    width = max(index.values()) + 1
    # Absent optional columns read the always-empty cell at `width`.
    col = {c.name: index.get(c.name, width) for c in COLUMNS}
    absent = width in col.values()
    raw_rows = []
    for n, raw in enumerate(table.rows, start=2):
        for v in raw:  # usually stops at the first cell
            if v is not None and v != "" and (type(v) is not str or not v.isspace()):
                break
        else:
            continue  # blank lines are common at the end of sheets
        if absent:
            raw = list(raw[:width])
            raw.extend([None] * (width + 1 - len(raw)))
        elif len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        raw_rows.append((n, raw))

    raws = list(map(itemgetter(1), raw_rows))
    unit_cells = list(map(itemgetter(col["Mã đơn vị"]), raws))
    codes = set(_memo(as_text).column(unit_cells))
    codes.discard("")
    # An import started from the app sees only its scope's units: the others are answered
    # like unknown codes, so nobody learns they exist.
    scoped = not scope.is_superuser
    units = {}
    if connection.vendor == "postgresql" and not scoped:
        for chunk in _chunks(codes, PG_CHUNK):
            with connection.cursor() as cur:
                cur.execute("SELECT t.code, t.id, t.sector_id FROM unnest(%s::text[]) AS u(code) "
                            "JOIN orgs_unit t ON t.code = u.code", [chunk])
                units.update({c: (pk, s) for c, pk, s in cur.fetchall()})
    else:
        from dvk.orgs.scope import units_for

        visible = units_for(scope) if scoped else Unit.objects.all()
        for chunk in _chunks(codes):
            units.update({c: (pk, s) for c, pk, s in visible.filter(code__in=chunk)
                          .values_list("code", "pk", "sector_id")})
    unknown_unit = ("không có đơn vị mã «{}»." if not scoped else
                    "không có đơn vị mã «{}» trong phạm vi đơn vị của bạn.")

    # Each parser gives (value, problem or None); memoised by raw cell.
    p_kind = _choice(kinds, lambda t: f"«{t}» không hợp lệ; dùng «Mô hình» hoặc «Điển hình».")

    def p_unit(v):
        t = as_text(v)
        if not t:
            return None, "thiếu mã đơn vị."
        u = units.get(t)
        return u, (None if u is not None else unknown_unit.format(t))

    p_sector = _choice(sectors, lambda t: f"khối «{t}» không có trong danh mục.",
                       empty=False)  # False: take the unit's
    p_field = _choice(fields, lambda t: f"«{t}» không hợp lệ; dùng Kinh tế, Văn hóa - Xã hội, "
                                        "Quốc phòng - An ninh, Xây dựng hệ thống chính trị.")
    p_any_level = _choice(level_by_key, lambda t: f"cấp «{t}» không có trong giai đoạn "
                                                  f"{phase.code} ({level_names}).")
    # A secretariat records outcomes up to its own committee's level, never above it.
    ceiling = import_ceiling(scope, phase, levels)
    above = {lv.pk for lv in levels[levels.index(ceiling) + 1:]} if ceiling else set()

    def p_level(v):
        pk, msg = p_any_level(v)
        if pk in above:
            return None, (f"cấp «{as_text(v)}» cao hơn cấp {ceiling.name} của Ban Chỉ đạo đơn "
                          "vị bạn; kết quả cấp này do Ban Chỉ đạo cấp trên nhập.")
        return pk, msg

    def p_year(v):
        y = as_int(v)
        if y is None:
            return None, f"«{as_text(v)}» không phải là năm."
        if y not in years:
            return None, f"năm {y} không thuộc giai đoạn {phase.code}."
        if y > this_year:  # the file records what happened: a model cannot start later
            return None, f"năm {y} chưa tới (nay là năm {this_year})."
        return y, None

    p_result = _choice(results, lambda t: f"«{t}» không hợp lệ; dùng «Công nhận», «Không công "
                                          "nhận» hoặc để trống.", empty=None)

    def p_exc(v):
        t = as_text(v)
        f = fold(t)
        if f in YES:
            return True, None
        if t and f not in NO:
            return False, f"«{t}» không hợp lệ; ghi «x» hoặc «Có», hoặc để trống."
        return False, None

    p_award = _choice(award_kinds, lambda t: f"«{t}» không hợp lệ; dùng Giấy khen, Bằng khen "
                                             "hoặc Cờ thi đua.", empty=False)  # False: no award

    def p_subject(v):
        return as_text(v)[:255]

    not_recognized = State.NOT_RECOGNIZED

    def p_outcome(cells):
        """The repeating columns of a row at once: ((kind, sector, field, level, year,
        state, exceptional, award), [(column, problem)…]). A file has few distinct
        combinations, so each is checked once."""
        kind_v, sector_v, field_v, level_v, year_v, result_v, exc_v, award_v = cells
        out, msgs = [], []
        for column, parse, value in (
                ("Loại", p_kind, kind_v), ("Khối", p_sector, sector_v),
                ("Lĩnh vực", p_field, field_v), ("Cấp", p_level, level_v),
                ("Năm", p_year, year_v), ("Kết quả", p_result, result_v),
                ("Đặc cách", p_exc, exc_v), ("Khen thưởng", p_award, award_v)):
            v, msg = parse(value)
            out.append(v)
            if msg:
                msgs.append((column, msg))
        if out[7] is False:
            out[7] = None
        elif out[7] is not None and out[5] == not_recognized:
            msgs.append(("Khen thưởng", "mô hình không được công nhận thì không thể khen "
                                        "thưởng."))
        return tuple(out), msgs

    unit_of, subject_of = _memo(p_unit), _memo(p_subject)

    def codes_of(cells) -> list[str]:
        """`as_text(cell)[:64]` of each cell. Codes are mostly distinct: no memo, the column
        at once."""
        texts = as_texts(cells)
        return texts if max(map(len, texts), default=0) <= 64 else [t[:64] for t in texts]
    outcomes = _Cache(p_outcome)                                     # by cells
    typed_outcomes = _Cache(lambda key: p_outcome(key[0]))           # by (cells, types)
    i_code, i_title, i_subject, i_unit = (col["Mã mô hình"], col["Tên mô hình"], col["Chủ thể"],
                                          col["Mã đơn vị"])
    i_outcome = (col["Loại"], col["Khối"], col["Lĩnh vực"], col["Cấp"], col["Năm"],
                 col["Kết quả"], col["Đặc cách"], col["Khen thưởng"])
    individual = InitiativeKind.INDIVIDUAL
    add = problems.add

    def report(n, title, msgs, unit_msg, kind, subject) -> None:
        """The problems of a bad row, in column order."""
        if not title:
            add(n, "Tên mô hình", "thiếu tên mô hình.")
        elif len(title) > 500:
            add(n, "Tên mô hình", "tên mô hình dài quá 500 ký tự.")
        if msgs and msgs[0][0] == "Loại":
            add(n, *msgs[0])
        if unit_msg:
            add(n, "Mã đơn vị", unit_msg)
        for column, msg in msgs:
            if column != "Loại":
                add(n, column, msg)
        if kind == individual and not subject:
            add(n, "Chủ thể", "điển hình cá nhân phải ghi họ tên người thực hiện.")

    def check(chunk) -> list[tuple]:
        """Column by column: each column's cells are parsed at once (as_texts, the memos'
        C-level lookups), then one loop over the rows puts the tuples together."""
        if not chunk:
            return []
        cols = list(zip(*map(itemgetter(1), chunk)))  # rows are padded: none is cut
        outcome_cols = [cols[i] for i in i_outcome]
        if all(map(_plain, outcome_cols)):
            outs = list(map(outcomes.__getitem__, zip(*outcome_cols)))
        else:
            cells = list(zip(*outcome_cols))
            outs = list(map(typed_outcomes.__getitem__,
                            zip(cells, (tuple(map(type, c)) for c in cells))))
        rows: list[tuple] = []
        append = rows.append
        for n, title, (out, msgs), (unit, unit_msg), subject, code in zip(
                map(itemgetter(0), chunk), as_texts(cols[i_title]), outs,
                unit_of.column(cols[i_unit]), subject_of.column(cols[i_subject]),
                codes_of(cols[i_code])):
            kind, sector_id, field_id, level_id, year, state, exceptional, award_kind_id = out
            if (msgs or unit_msg or not title or len(title) > 500
                    or (kind == individual and not subject)):
                report(n, title, msgs, unit_msg, kind, subject)
                if problems.dropped:
                    break
                continue
            if sector_id is False:  # the file left Khối empty: the unit's
                sector_id = unit[1]
            append((n, code, title, kind, subject, unit[0], sector_id, field_id,
                    level_id, year, state, exceptional, award_kind_id))
        return rows

    row_codes = codes_of(list(map(itemgetter(i_code), raws)))
    codes = set(row_codes)
    codes.discard("")
    untitled = [cell for code, cell in zip(row_codes, unit_cells) if not code]
    titled_units = {u[0] for u, _ in unit_of.column(untitled) if u}
    del raws, unit_cells, row_codes, untitled
    return _Checker(raw_rows, check, codes, titled_units)
