"""Import historical registrations and outcomes (CONTRACTS §4).

All or nothing: every row is validated and every problem reported (row, column, reason, in
Vietnamese); the file is written in one transaction that commits only if there was none.
Idempotent: initiatives are matched by Mã mô hình, else by (unit, title folded);
registrations by (initiative, level, year); awards by (registration, kind). Importing the
same file twice creates nothing new.

Fast (≥ 20 000 rows/s on PostgreSQL, see docs/benchmarks.md):
- no per-row queries: units, sectors, fields, levels, award kinds and the existing
  initiatives/registrations/awards touched by the file are loaded up front;
- validation memoises the repeating columns (kind, sector, field, level, year, outcome,
  exceptional, award: one combination at a time; unit codes apart), so each distinct value
  is cleaned, folded and checked once; rows are plain tuples;
- folding and Vietnamese sort keys of titles are table-driven (common/text.py);
- validation of one chunk runs while a worker thread writes the previous one (PostgreSQL);
- rows are written through common/bulk.py: COPY streamed from generators on PostgreSQL,
  with foreign keys checked set-wise when the role may do so; bulk_create elsewhere;
  outcome changes are one UPDATE … FROM unnest();
- what the import creates has one history entry in all, its ImportBatch's.

What a re-import changes on an existing registration: the outcome when the file gives one
(Kết quả), the exceptional flag when the file sets it. An empty Kết quả never moves an
existing registration backwards (it may have progressed in the app since).
"""
from __future__ import annotations

import gc
import hashlib
import json
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from dvk.awards.models import Award, AwardKind
from dvk.common import history
from dvk.common.bulk import BulkWriter
from dvk.common.models import HistoryEntry
from dvk.common.tabular import (Column, ImportRefused, Problem, Problems, as_int, as_text,
                                 read_table)
from dvk.common.text import fold, sort_key
from dvk.orgs.models import Sector, Unit
from dvk.phases.models import Phase
from dvk.phases.services import PhaseOverlap, get_or_create_phase

from dvk.initiatives.enums import (INITIATIVE_KIND_FILE_LABELS, RESULT_FILE_LABELS, ExceptionalStatus,
                                   InitiativeKind, State)
from dvk.initiatives import workflow
from dvk.initiatives.models import Field, ImportBatch, Initiative, Registration
from dvk.initiatives.rules import import_ceiling

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


@dataclass(frozen=True)
class Source:
    """The imported file, as its import batch records it."""
    name: str
    sha256: str

    @classmethod
    def of(cls, path) -> "Source":
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return cls(Path(path).name, digest.hexdigest())


# --- Validation ----------------------------------------------------------------------------

def _lookup(names) -> dict[str, object]:
    return {fold(n): v for n, v in names}


def _memo(parse):
    """Memoise a cell parser by the raw cell (its type too: 1, 1.0 and True differ)."""
    cache: dict = {}

    def get(value):
        key = value if type(value) is str else (type(value), value)
        try:
            return cache[key]
        except KeyError:
            res = cache[key] = parse(value)
            return res
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


def import_registrations(path, *, phase_code: str, scope, progress=None,
                         file_name: str | None = None) -> Result:
    """Validate then write. Raises ImportRefused (nothing written) or ValueError (bad code).

    `scope` (orgs.scope.Scope) is who imports: an import started from the app touches only
    its secretariat's subtree, at levels up to its committee's (rule `registrations.import`);
    the command line passes `Scope.system(...)`. History and transitions name scope.user.
    `progress(done, total)` is told how many data rows have been checked.
    `file_name` is the name the import batch records (an upload is stored under another)."""
    # The cyclic garbage collector would rescan the file's hundreds of thousands of live
    # rows again and again while they are built (~10% of an import). The few cycles an
    # import leaves are collected once it is switched back on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        table = read_table(path, COLUMNS)
        source = Source.of(path)
        if file_name:
            source = Source(file_name, source.sha256)
        # A new phase is created in the import's transaction: refused input, or a process
        # killed half-way, leaves no phase behind.
        with transaction.atomic():
            try:
                phase, phase_created = get_or_create_phase(phase_code)
            except PhaseOverlap as exc:  # a well-formed code the data refuses: exit 1
                raise ImportRefused([Problem(None, None, str(exc))]) from None
            return _import(table, phase, phase_created, source, scope, progress)
    finally:
        if collecting:
            gc.enable()


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

    codes = set()
    text = _memo(as_text)
    for _, raw in raw_rows:
        codes.add(text(raw[col["Mã đơn vị"]]))
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

    def p_code(v):
        return as_text(v)[:64]

    not_recognized = State.NOT_RECOGNIZED

    def p_outcome(key):
        """The repeating columns of a row at once: ((kind, sector, field, level, year,
        state, exceptional, award), [(column, problem)…]). A file has few distinct
        combinations, so each is checked once; `key` is (cells, their types)."""
        kind_v, sector_v, field_v, level_v, year_v, result_v, exc_v, award_v = key[0]
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

    outcome_of, unit_of = _memo(p_outcome), _memo(p_unit)
    subject_of, code_of = _memo(p_subject), _memo(p_code)
    i_code, i_title, i_subject, i_unit = (col["Mã mô hình"], col["Tên mô hình"], col["Chủ thể"],
                                          col["Mã đơn vị"])
    i_kind, i_sector, i_field, i_level = col["Loại"], col["Khối"], col["Lĩnh vực"], col["Cấp"]
    i_year, i_result, i_exc, i_award = (col["Năm"], col["Kết quả"], col["Đặc cách"],
                                        col["Khen thưởng"])
    individual = InitiativeKind.INDIVIDUAL
    add = problems.add

    def check(chunk) -> list[tuple]:
        rows: list[tuple] = []
        append = rows.append
        for n, r in chunk:
            bad = False
            title = as_text(r[i_title])
            if not title:
                add(n, "Tên mô hình", "thiếu tên mô hình.")
                bad = True
            elif len(title) > 500:
                add(n, "Tên mô hình", "tên mô hình dài quá 500 ký tự.")
                bad = True
            cells = (r[i_kind], r[i_sector], r[i_field], r[i_level], r[i_year], r[i_result],
                     r[i_exc], r[i_award])
            (kind, sector_id, field_id, level_id, year, state, exceptional, award_kind_id), msgs = \
                outcome_of((cells, tuple(map(type, cells))))
            unit, unit_msg = unit_of(r[i_unit])
            if msgs or unit_msg:
                bad = True
                if msgs and msgs[0][0] == "Loại":  # messages in column order
                    add(n, *msgs[0])
                if unit_msg:
                    add(n, "Mã đơn vị", unit_msg)
                for column, msg in msgs:
                    if column != "Loại":
                        add(n, column, msg)
            if sector_id is False:
                sector_id = unit[1] if unit else None
            subject = subject_of(r[i_subject])
            if kind == individual and not subject:
                add(n, "Chủ thể", "điển hình cá nhân phải ghi họ tên người thực hiện.")
                bad = True
            if problems.dropped:
                break
            if bad:
                continue
            append((n, code_of(r[i_code]), title, kind, subject, unit[0], sector_id, field_id,
                    level_id, year, state, exceptional, award_kind_id))
        return rows

    codes, titled_units = set(), set()
    for _, r in raw_rows:
        code = code_of(r[i_code])
        if code:
            codes.add(code)
        else:
            unit = unit_of(r[i_unit])[0]
            if unit:
                titled_units.add(unit[0])
    return _Checker(raw_rows, check, codes, titled_units)


def _import(table, phase: Phase, phase_created: bool, source: Source, scope,
            progress=None) -> Result:
    problems = Problems()
    checker = _checker(table, phase, problems, scope)
    total, checked = len(checker.raw_rows), 0
    existing_ini, code_units = _existing_initiatives(checker.codes, checker.titled_units)
    existing_reg = _existing_registrations(set(existing_ini.values()), phase)
    identify = _Identity(problems, code_units)

    res = Result(phase_created=phase_created)
    now = timezone.now()
    actor = scope.user
    user = actor if getattr(actor, "is_authenticated", False) else None
    comment = f"Nhập dữ liệu giai đoạn {phase.code} từ tệp {source.name}"
    cts = (ContentType.objects.get_for_model(Registration).pk,
           ContentType.objects.get_for_model(Award).pk)
    with transaction.atomic():
        _tune_session()
        batch = ImportBatch.objects.create(phase=phase, file_name=source.name[:255],
                                           sha256=source.sha256, actor=user, at=now)
        with BulkWriter() as bulk:  # only bulk writes inside: see common/bulk.py
            writer = _Writer(bulk, res, phase, existing_ini, existing_reg, batch.pk,
                             user.pk if user else None, now, comment, cts)
            # On PostgreSQL chunk k is written by a worker thread while this one validates
            # chunk k+1: the server indexes while Python checks. After the first problem
            # nothing more is written, but the whole file is still checked so that every
            # problem is reported; the transaction then rolls back what was written.
            with _Pipeline(writer.write, threaded=bulk.pg) as pipeline:
                for chunk in _chunks(checker.raw_rows, PIPELINE_CHUNK):
                    rows = checker.check(chunk)
                    keys = identify(rows)
                    res.rows += len(rows)
                    checked += len(chunk)
                    if progress is not None:
                        progress(checked, total)
                    if problems.dropped:
                        break
                    if not problems:
                        pipeline.put(rows, keys)
            problems.raise_if_any()
            writer.finish()
        if not (res.initiatives_created or res.registrations_created
                or res.registrations_updated or res.awards_created):
            batch.delete()  # a re-import that changed nothing leaves no trace
        else:
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows=res.rows, initiatives_created=res.initiatives_created,
                registrations_created=res.registrations_created,
                registrations_updated=res.registrations_updated,
                awards_created=res.awards_created)
            history.record(batch, "import", actor=user, comment=f"{comment}. {res.summary()}")
    return res


class _Identity:
    """Each row's initiative key: its code, else (unit, folded title). Checks that a code
    stays in one unit (also against the database) and that no model is registered twice at
    the same level in the same year."""

    def __init__(self, problems: Problems, code_units: dict[str, int]):
        self.problems = problems
        self.code_units = code_units
        self.first_of_code: dict[str, tuple] = {}
        self.seen: dict[tuple, int] = {}

    def __call__(self, rows: list[tuple]) -> list:
        add = self.problems.add
        keys = []
        for row in rows:
            code = row[CODE]
            if code:
                first = self.first_of_code.get(code)
                if first is None:
                    first = self.first_of_code[code] = row
                    if self.code_units.get(code, row[UNIT]) != row[UNIT]:
                        add(row[N], "Mã mô hình", f"mã «{code}» đã dùng cho mô hình của đơn vị "
                                                  "khác trong hệ thống.")
                elif first[UNIT] != row[UNIT]:
                    add(row[N], "Mã đơn vị", f"mô hình mã «{code}» đã ghi đơn vị khác ở "
                                             f"dòng {first[N]}.")
                key = code
            else:
                key = (row[UNIT], fold(row[TITLE]))
            keys.append(key)
            n = self.seen.setdefault((key, row[LEVEL], row[YEAR]), row[N])
            if n != row[N]:
                add(row[N], "Cấp", f"trùng với dòng {n}: cùng mô hình, cùng cấp, cùng năm.")
        return keys


class _Pipeline:
    """Hands chunks to `consume`: in a worker thread when `threaded`, else at once. The
    worker uses the producer's database connection (common/bulk.py captures it), which the
    producer must leave alone until the pipeline closes."""

    def __init__(self, consume, *, threaded: bool):
        self.consume, self.threaded = consume, threaded
        self.error: BaseException | None = None

    def __enter__(self):
        if self.threaded:
            self.db = connections[DEFAULT_DB_ALIAS]
            self.db.inc_thread_sharing()
            self.queue: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._work, name="dvk-import-writer")
            self.thread.start()
        return self

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.consume(*item)
                except BaseException as exc:  # raised again in the producer's thread
                    self.error = exc

    def put(self, *item) -> None:
        if not self.threaded:
            self.consume(*item)
        elif self.error is not None:
            raise self.error
        else:
            self.queue.put(item)

    def __exit__(self, exc_type, exc, tb):
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
            self.db.dec_thread_sharing()
            if self.error is not None and exc_type is None:
                raise self.error
        return False


class _Writer:
    """Writes validated rows: new initiatives, new registrations; collects outcome
    changes of existing registrations and the awards, written by finish(). Rows reach the
    database through generators, so the Python that derives a row runs while the server
    indexes the previous ones."""

    def __init__(self, bulk: BulkWriter, res: Result, phase: Phase, existing_ini: dict,
                 existing_reg: dict, batch_id: int, user_id, now, comment: str, cts):
        self.bulk, self.res, self.phase = bulk, res, phase
        self.ini_ids = dict(existing_ini)
        self.existing_reg = existing_reg
        self.batch_id, self.user_id, self.now, self.comment = batch_id, user_id, now, comment
        self.reg_ct, self.award_ct = cts
        self.changed: dict[tuple, list[int]] = {}   # diff -> registration ids
        self.updates: list[tuple] = []               # (id, state, is_exceptional, exc_status)
        self.moves: list[tuple] = []                  # (id, from state, to state) → Transition
        self.awarded_old: list[tuple] = []            # (row, id) of existing registrations
        self.awarded_new: list[tuple] = []            # (row, id) of new registrations

    def write(self, rows: list[tuple], keys: list) -> None:
        self._initiatives(rows, keys)
        self._registrations(rows, keys)

    def _initiatives(self, rows, keys) -> None:
        ini_ids = self.ini_ids
        first_rows: dict = {}
        for row, key in zip(rows, keys):
            if key not in ini_ids and key not in first_rows:
                first_rows[key] = row
        individual, user_id, now = InitiativeKind.INDIVIDUAL, self.user_id, self.now

        def initiative_rows():
            for row in first_rows.values():
                title, subject = row[TITLE], row[SUBJECT]
                person = subject if row[KIND] == individual else ""
                search = fold(title)
                if subject:
                    fs = fold(subject)
                    if fs:
                        search = f"{search} {fs}" if search else fs
                        if person:
                            search = f"{search} {fs}"
                yield (row[CODE] or None, row[KIND], title, subject, person, row[UNIT],
                       row[SECTOR], row[FIELD], row[YEAR], user_id, now, now,
                       search[:800], sort_key(title)[:1500])

        ids = self.bulk.insert(Initiative, [
            "code", "kind", "title", "subject", "person_name", "unit_id", "sector_id",
            "field_id", "start_year", "created_by_id", "created_at", "updated_at",
            "search_text", "sort_key"], initiative_rows(), len(first_rows))
        ini_ids.update(zip(first_rows, ids))
        self.res.initiatives_created += len(first_rows)

    def _registrations(self, rows, keys) -> None:
        """Registrations the database has (only known initiatives can have any) take the
        file's outcome / exceptional flag; the other rows are new registrations."""
        approved, none = ExceptionalStatus.APPROVED, ExceptionalStatus.NONE
        existing_reg, ini_ids = self.existing_reg, self.ini_ids
        new_rows, new_ini = [], []
        for row, key in zip(rows, keys):
            ini_id = ini_ids[key]
            reg = existing_reg.get((ini_id, row[LEVEL], row[YEAR])) if existing_reg else None
            if reg is None:
                new_rows.append(row)
                new_ini.append(ini_id)
                continue
            pk, _, _, _, state, is_exc, exc_status = reg
            diff = []
            if row[STATE] and state != row[STATE]:
                diff.append(("state", (state, row[STATE])))
                self.moves.append((pk, state, row[STATE]))
                state = row[STATE]
            if row[EXC] and not (is_exc and exc_status == approved):
                diff.append(("is_exceptional", (is_exc, True)))
                is_exc, exc_status = True, approved
            if diff:
                self.changed.setdefault(tuple(sorted(diff)), []).append(pk)
                self.updates.append((pk, state, is_exc, exc_status))
            if row[AWARD]:
                self.awarded_old.append((row, pk))
        phase_id, accepted = self.phase.pk, State.ACCEPTED
        batch_id, user_id, now = self.batch_id, self.user_id, self.now

        def registration_rows():
            for row, ini_id in zip(new_rows, new_ini):
                exc = row[EXC]
                yield (ini_id, phase_id, row[LEVEL], row[YEAR], row[UNIT], row[SECTOR],
                       row[FIELD], row[STATE] or accepted, exc, approved if exc else none,
                       True, batch_id, user_id, now, now)

        ids = self.bulk.insert(Registration, [
            "initiative_id", "phase_id", "level_id", "year", "unit_id", "sector_id",
            "field_id", "state", "is_exceptional", "exceptional_status", "imported",
            "import_batch_id", "created_by_id", "created_at", "updated_at"],
            registration_rows(), len(new_rows))
        self.moves.extend((pk, "", row[STATE] or accepted) for row, pk in zip(new_rows, ids))
        self.awarded_new.extend((row, pk) for row, pk in zip(new_rows, ids) if row[AWARD])
        self.res.registrations_created += len(new_rows)

    def finish(self) -> None:
        """Outcome changes (one history entry each) and awards: one per (registration,
        kind), an existing one kept as is. Awards of new registrations carry the batch; one
        added to an older registration gets its own history entry."""
        bulk, user_id, now, comment = self.bulk, self.user_id, self.now, self.comment
        _update_registrations(self.updates, now)
        # The workflow's door for imported outcomes: each state a row gives (new or changed)
        # is a Transition row, like any other state change.
        workflow.import_transitions(bulk, self.moves, actor_id=user_id, at=now, comment=comment)
        self.res.registrations_updated = len(self.updates)
        for diff, ids in self.changed.items():
            _history(bulk, ids, self.reg_ct, user_id, now, comment,
                     {k: list(v) for k, v in diff})
        have = _existing_awards({pk for _, pk in self.awarded_old})
        cols = ["kind_id", "phase_id", "level_id", "year", "registration_id", "unit_id",
                "recipient_name", "created_by_id", "created_at", "updated_at",
                "import_batch_id"]
        phase_id = self.phase.pk

        def awards(pairs, batch_id):
            return [(row[AWARD], phase_id, row[LEVEL], row[YEAR], pk, row[UNIT],
                     (row[SUBJECT] or row[TITLE])[:255], user_id, now, now, batch_id)
                    for row, pk in pairs if (pk, row[AWARD]) not in have]

        fresh, later = awards(self.awarded_new, self.batch_id), awards(self.awarded_old, None)
        bulk.insert(Award, cols, fresh, len(fresh))
        _history(bulk, bulk.insert(Award, cols, later, len(later)), self.award_ct, user_id,
                 now, comment)
        self.res.awards_created = len(fresh) + len(later)


def _existing_initiatives(codes: set, titled_units: set) -> tuple[dict, dict[str, int]]:
    """Initiatives of the database the file may refer to, by key (code, or (unit, folded
    title)), and the unit of each known code."""
    existing: dict = {}
    code_units: dict[str, int] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for chunk in _chunks(codes, PG_CHUNK):
                # One newline-joined string rather than an array parameter: adapting a list
                # of 50 000 strings costs more than the query (codes are clean(): no newline).
                cur.execute("SELECT t.id, t.code, t.unit_id FROM unnest(string_to_array(%s, "
                            "E'\\n')) AS u(code) JOIN initiatives_initiative t ON t.code = u.code",
                            ["\n".join(chunk)])
                for pk, code, unit_id in cur.fetchall():
                    existing[code] = pk
                    code_units[code] = unit_id
            titled = []
            for chunk in _chunks(titled_units, PG_CHUNK):
                cur.execute("SELECT t.id, t.unit_id, t.title FROM unnest(%s::bigint[]) AS u(id) "
                            "JOIN initiatives_initiative t ON t.unit_id = u.id "
                            "ORDER BY t.sort_key, t.id", [chunk])
                titled.extend(cur.fetchall())
    else:
        for chunk in _chunks(codes):
            for pk, code, unit_id in Initiative.objects.filter(code__in=chunk).values_list(
                    "pk", "code", "unit_id"):
                existing[code] = pk
                code_units[code] = unit_id
        titled = []
        for chunk in _chunks(titled_units):
            titled.extend(Initiative.objects.filter(unit_id__in=chunk).order_by("sort_key", "pk")
                          .values_list("pk", "unit_id", "title"))
    for pk, unit_id, title in titled:
        existing.setdefault((unit_id, fold(title)), pk)
    return existing, code_units


# --- Writing -------------------------------------------------------------------------------

def _tune_session() -> None:
    """PostgreSQL, for this transaction only: more memory for the trigram GIN index's
    pending-list flushes (each flush merges more entries at once; measured ~25% faster
    inserts of 150 000 models). The pending-list size itself stays the server's, so searches
    never scan a big unflushed list after an import (autovacuum may be off)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL work_mem = '256MB'")


def _existing_registrations(initiative_ids: set, phase: Phase) -> dict[tuple, tuple]:
    """(initiative, level, year) -> (id, initiative, level, year, state, is_exceptional,
    exceptional_status) of the phase's registrations of those initiatives."""
    found: dict[tuple, tuple] = {}
    cols = ["id", "initiative_id", "level_id", "year", "state", "is_exceptional",
            "exceptional_status"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for chunk in _chunks(initiative_ids, PG_CHUNK):
                cur.execute(f"SELECT {', '.join('r.' + c for c in cols)} FROM unnest(%s::bigint[]) "
                            "AS u(ini) JOIN initiatives_registration r ON r.initiative_id = u.ini "
                            "WHERE r.phase_id = %s", [chunk, phase.pk])
                for reg in cur.fetchall():
                    found[(reg[1], reg[2], reg[3])] = reg
    else:
        for chunk in _chunks(initiative_ids):
            for reg in Registration.objects.filter(initiative_id__in=chunk, phase=phase) \
                    .values_list(*cols):
                found[(reg[1], reg[2], reg[3])] = reg
    return found


def _existing_awards(registration_ids: set) -> set[tuple[int, int]]:
    """(registration, kind) of the awards those registrations already have."""
    have = set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for chunk in _chunks(registration_ids, PG_CHUNK):
                cur.execute("SELECT a.registration_id, a.kind_id FROM unnest(%s::bigint[]) "
                            "AS u(reg) JOIN awards_award a ON a.registration_id = u.reg", [chunk])
                have.update(cur.fetchall())
    else:
        for chunk in _chunks(registration_ids):
            have.update(Award.objects.filter(registration_id__in=chunk)
                        .values_list("registration_id", "kind_id"))
    return have


def _history(bulk: BulkWriter, ids, ct_id, actor_id, now, comment, changes=None) -> None:
    changes = changes or {}
    if connection.vendor == "postgresql":
        changes = json.dumps(changes)
    bulk.insert(HistoryEntry, ["content_type_id", "object_id", "action", "actor_id", "at",
                               "changes", "comment"],
                ((ct_id, str(pk), "import", actor_id, now, changes, comment) for pk in ids),
                len(ids))


def _update_registrations(updates: list[tuple], now) -> None:
    """Apply (id, state, is_exceptional, exceptional_status), bumping version/updated_at.
    Only Writer.finish calls it, which writes the matching Transition rows."""
    if not updates:
        return
    if connection.vendor == "postgresql":
        ids, states, excs, statuses = (list(c) for c in zip(*updates))
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE initiatives_registration AS r SET state = u.state, "
                "is_exceptional = u.exc, exceptional_status = u.status, "
                "version = r.version + 1, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::varchar[], %s::boolean[], %s::varchar[]) "
                "AS u(id, state, exc, status) WHERE r.id = u.id",
                [now, ids, states, excs, statuses])
        return
    regs = {r.pk: r for r in Registration.objects.filter(pk__in=[u[0] for u in updates])
            .only("pk", "state", "is_exceptional", "exceptional_status", "version")}
    for pk, state, exc, status in updates:
        reg = regs[pk]
        reg.state, reg.is_exceptional, reg.exceptional_status = state, exc, status
        reg.version += 1
        reg.updated_at = now
    Registration.objects.bulk_update(list(regs.values()), [
        "state", "is_exceptional", "exceptional_status", "version", "updated_at"],
        batch_size=BATCH)
