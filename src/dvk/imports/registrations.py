"""Import historical registrations and outcomes (CONTRACTS §4).

All or nothing: every row is validated and every problem reported (row, column, reason, in
Vietnamese); the file is written in one transaction that commits only if there was none.
Idempotent: initiatives are matched by Mã mô hình, else by (unit, title folded);
registrations by (initiative, level, year); awards by (registration, kind). Importing the
same file twice creates nothing new.

Fast (≥ 20 000 rows/s on PostgreSQL, see docs/benchmarks.md):
- no per-row queries: units, sectors, fields, levels, award kinds and the existing
  initiatives/registrations/awards touched by the file are loaded up front;
- validation goes column by column and memoises the repeating columns (kind, sector, field,
  level, year, outcome, exceptional, award: one combination at a time; unit codes apart),
  so each distinct value is cleaned, folded and checked once; rows are plain tuples;
- folding and Vietnamese sort keys of titles are table-driven, word by word
  (common/text.py), computed in the validating thread (_Writer.plan);
- validation of one chunk runs while a worker thread writes the previous one (PostgreSQL):
  its new models, registrations, and those registrations' transitions and awards;
- rows are written through common/bulk.py: COPY streamed from generators on PostgreSQL,
  with foreign keys checked set-wise when the role may do so; bulk_create elsewhere;
  outcome changes are one UPDATE … FROM unnest();
- what the import creates has one history entry in all, its ImportBatch's.

What a re-import changes on an existing registration: the outcome when the file gives one
(Kết quả), the exceptional flag when the file sets it. An empty Kết quả never moves an
existing registration backwards (it may have progressed in the app since).

The columns and row checks are in registration_checks.py, the writing in
registration_writer.py.
"""
from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from dvk.awards.models import Award
from dvk.common import history
from dvk.common.bulk import BulkWriter
from dvk.common.tabular import ImportRefused, Problem, Problems, read_table
from dvk.initiatives.codes import fill_codes
from dvk.initiatives.models import ImportBatch, Initiative, Registration
from dvk.phases.models import Phase
from dvk.phases.services import PhaseOverlap, get_or_create_phase

from .registration_checks import COLUMNS, PIPELINE_CHUNK, _checker
from .registration_writer import (Result, _existing_initiatives, _existing_registrations, _Identity,
                                  _Pipeline, _tune_session, _Writer)


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


def _let_go(rows: list, size: int):
    """Chunks of `rows`; a chunk's place in the list is emptied when the next one is asked
    for, so the rows already checked can be freed."""
    for i in range(0, len(rows), size):
        chunk = rows[i:i + size]
        yield chunk
        rows[i:i + size] = [None] * len(chunk)


def _import(table, phase: Phase, phase_created: bool, source: Source, scope,
            progress=None) -> Result:
    problems = Problems()
    checker = _checker(table, phase, problems, scope)
    # From here the rows are read through the checker, which lets go of each chunk once it
    # is checked (_let_go): the file's raw rows are the largest part of an import's memory.
    table.rows.clear()
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
                for chunk in _let_go(checker.raw_rows, PIPELINE_CHUNK):
                    rows = checker.check(chunk)
                    keys = identify(rows)
                    res.rows += len(rows)
                    checked += len(chunk)
                    if progress is not None:
                        progress(checked, total)
                    if problems.dropped:
                        break
                    if not problems:
                        writer.plan(rows, keys)
                        pipeline.put(rows, keys)
            problems.raise_if_any()
            writer.finish()
        new_ids = set(writer.ini_ids.values()) - set(existing_ini.values())
        if new_ids:  # models the file left without a "Mã mô hình" get one (initiatives.codes)
            fill_codes(Initiative.objects.unscoped("the import's own new rows, by the ids it "
                                                   "just wrote")
                       .filter(pk__gte=min(new_ids), pk__lte=max(new_ids)))
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
