"""Writing a checked registrations file: matching what exists, then COPY (PostgreSQL)
or bulk_create, outcomes through the workflow's bulk door, one history entry per import."""
from __future__ import annotations

import json
import queue
import threading
from collections import deque
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections

from dvk.awards.models import Award, mark_awarded
from dvk.common.bulk import BulkWriter
from dvk.common.models import HistoryEntry
from dvk.common.tabular import Problems
from dvk.common.text import fold, folds_and_sort_keys
from dvk.initiatives import workflow
from dvk.initiatives.enums import ExceptionalStatus, InitiativeKind, State
from dvk.initiatives.models import Initiative, Registration
from dvk.phases.models import Phase

from .registration_checks import (AWARD, BATCH, CODE, EXC, FIELD, KIND, LEVEL, PG_CHUNK, SECTOR,
                                  STATE, SUBJECT, TITLE, UNIT, YEAR, N, _chunks)

# The rows were checked against the importer's ceiling and subtree before any is written
# (registration_checks.py); what follows looks up what those rows are about to touch.
CHECKED = "the import looks up what its checked rows will write"
CODE_CHUNK = 500_000  # codes per lookup query (PostgreSQL; ~10 MB of text)


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
    """Writes validated rows, chunk by chunk: new initiatives (planned by plan() in the
    validating thread), new registrations with their Transition and award; collects outcome
    changes of existing registrations and their awards, written by finish(). Rows reach the
    database through generators, so the Python that derives a row runs while the server
    indexes the previous ones."""

    def __init__(self, bulk: BulkWriter, res: Result, phase: Phase, existing_ini: dict,
                 existing_reg: dict, batch_id: int, user_id, now, comment: str, cts):
        self.bulk, self.res, self.phase = bulk, res, phase
        self.ini_ids = dict(existing_ini)                # written by write()
        self.planned = set(existing_ini)                 # read and written by plan()
        self.plans: deque = deque()                      # plan() → write()
        self.existing_reg = existing_reg
        self.batch_id, self.user_id, self.now, self.comment = batch_id, user_id, now, comment
        self.reg_ct, self.award_ct = cts
        self.changed: dict[tuple, list[int]] = {}   # diff -> registration ids
        self.updates: list[tuple] = []               # (id, state, is_exceptional, exc_status)
        self.moves: list[tuple] = []                  # (id, from state, to state) → Transition
        self.awarded_old: list[tuple] = []            # (row, id) of existing registrations

    def plan(self, rows: list[tuple], keys: list) -> None:
        """In the validating thread, before `write(rows, keys)` is queued: the chunk's new
        initiatives (first row of each key neither in the database nor in an earlier
        chunk), as COPY rows with their search text and sort key. Folding and sort keys are
        most of the Python an initiative costs; done here, they run while the writer thread
        waits for the server to index the previous chunk. Plans are taken in order by
        write()."""
        planned = self.planned
        first_rows: dict = {}
        for row, key in zip(rows, keys):
            if key not in planned and key not in first_rows:
                first_rows[key] = row
        planned.update(first_rows)
        individual, user_id, now = InitiativeKind.INDIVIDUAL, self.user_id, self.now
        out = []
        append_row = out.append
        keys_of_titles = folds_and_sort_keys([row[TITLE] for row in first_rows.values()])
        for row, (search, title_key) in zip(first_rows.values(), keys_of_titles):
            title, subject = row[TITLE], row[SUBJECT]
            person = subject if row[KIND] == individual else ""
            if subject:
                fs = fold(subject)
                if fs:
                    search = f"{search} {fs}" if search else fs
                    if person:
                        search = f"{search} {fs}"
            append_row((row[CODE] or None, row[KIND], title, subject, person, row[UNIT],
                        row[SECTOR], row[FIELD], row[YEAR], user_id, now, now,
                        search[:800], title_key[:1500]))
        self.plans.append((list(first_rows), out))

    def write(self, rows: list[tuple], keys: list) -> None:
        if not self.plans:  # written without a plan (the validating thread made none)
            self.plan(rows, keys)
        self._initiatives(*self.plans.popleft())
        self._registrations(rows, keys)

    def _initiatives(self, new_keys: list, ini_rows: list) -> None:
        ids = self.bulk.insert(Initiative, [
            "code", "kind", "title", "subject", "person_name", "unit_id", "sector_id",
            "field_id", "start_year", "created_by_id", "created_at", "updated_at",
            "search_text", "sort_key"], ini_rows, len(ini_rows))
        self.ini_ids.update(zip(new_keys, ids))
        self.res.initiatives_created += len(ini_rows)

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
                       True, batch_id, user_id, now, now, bool(row[AWARD]))

        ids = self.bulk.insert(Registration, [
            "initiative_id", "phase_id", "level_id", "year", "unit_id", "sector_id",
            "field_id", "state", "is_exceptional", "exceptional_status", "imported",
            "import_batch_id", "created_by_id", "created_at", "updated_at", "has_award"],
            registration_rows(), len(new_rows))
        # A new registration's Transition and award are written with it, while the server
        # still has the chunk's pages at hand and the validating thread checks the next one.
        workflow.import_transitions(
            self.bulk, ((pk, "", row[STATE] or accepted) for row, pk in zip(new_rows, ids)),
            actor_id=user_id, at=now, comment=self.comment)
        awards = self._awards(((row, pk) for row, pk in zip(new_rows, ids) if row[AWARD]),
                              batch_id, set())
        self.bulk.insert(Award, AWARD_COLUMNS, awards, len(awards))
        self.res.awards_created += len(awards)
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
        later = self._awards(self.awarded_old, None, have)
        _history(bulk, bulk.insert(Award, AWARD_COLUMNS, later, len(later)), self.award_ct,
                 user_id, now, comment)
        mark_awarded(award[AWARD_COLUMNS.index("registration_id")] for award in later)
        self.res.awards_created += len(later)

    def _awards(self, pairs, batch_id, have: set) -> list[tuple]:
        """Award rows (AWARD_COLUMNS) of (row, registration id) pairs whose registration
        has no award of that kind yet (`have`: (registration, kind) pairs)."""
        phase_id, user_id, now = self.phase.pk, self.user_id, self.now
        return [(row[AWARD], phase_id, row[LEVEL], row[YEAR], pk, row[UNIT],
                 (row[SUBJECT] or row[TITLE])[:255], user_id, now, now, batch_id)
                for row, pk in pairs if (pk, row[AWARD]) not in have]


AWARD_COLUMNS = ["kind_id", "phase_id", "level_id", "year", "registration_id", "unit_id",
                 "recipient_name", "created_by_id", "created_at", "updated_at",
                 "import_batch_id"]


def _existing_initiatives(codes: set, titled_units: set) -> tuple[dict, dict[str, int]]:
    """Initiatives of the database the file may refer to, by key (code, or (unit, folded
    title)), and the unit of each known code."""
    existing: dict = {}
    code_units: dict[str, int] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for chunk in _chunks(codes, CODE_CHUNK):
                # One newline-joined string rather than an array parameter: adapting a list
                # of 50 000 strings costs more than the query (codes are clean(): no newline).
                # Few, large chunks: the server answers each with one hash join over all
                # initiatives (a scan of the table), whatever the chunk's size.
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
            for pk, code, unit_id in Initiative.objects.unscoped(CHECKED).filter(code__in=chunk).values_list(
                    "pk", "code", "unit_id"):
                existing[code] = pk
                code_units[code] = unit_id
        titled = []
        for chunk in _chunks(titled_units):
            titled.extend(Initiative.objects.unscoped(CHECKED).filter(unit_id__in=chunk).order_by("sort_key", "pk")
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
            for reg in Registration.objects.unscoped(CHECKED).filter(
                    initiative_id__in=chunk, phase=phase) \
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
            have.update(Award.objects.unscoped(CHECKED).filter(registration_id__in=chunk)
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
    regs = {r.pk: r for r in Registration.objects.unscoped(CHECKED).filter(
        pk__in=[u[0] for u in updates])
            .only("pk", "state", "is_exceptional", "exceptional_status", "version")}
    for pk, state, exc, status in updates:
        reg = regs[pk]
        reg.state, reg.is_exceptional, reg.exceptional_status = state, exc, status
        reg.version += 1
        reg.updated_at = now
    Registration.objects.bulk_update(list(regs.values()), [
        "state", "is_exceptional", "exceptional_status", "version", "updated_at"],
        batch_size=BATCH)
