"""Import and export at 200,000 rows: the "io" section of `make bench` (bench/run.py).

(Not named io.py: bench/ is first on sys.path when its scripts run, and a bench/io.py
would hide the standard library's io module.)

Import: `dvk import_registrations FILE --phase 2016-2020` of a generated CSV over the bench
units (write_registrations_csv), run as a child process so that its peak memory is its
own (os.wait4's ru_maxrss of that one child). Limit: a bare COPY of the very rows the import
wrote (read back from the tables with COPY … TO), into the same tables in one transaction
with the same foreign-key handling as the import (session_replication_role = replica
when the role may set it, common/bulk.py), initiatives, registrations, transitions, awards,
the import batch and its history entry, committed. The phase is the import's own and is
deleted afterwards (a leftover of an interrupted run is deleted first), so the bench phase
2021-2025 is untouched.

Export: the registrations of one year of the bench phase, whole country, to XLSX through
the background task's function (reports.exports.run_export_job, for a job of the national
secretariat, as reports.tasks.export_list runs it). Limit: the same rows (fetched and
built beforehand, dates already datetimes) written by xlsxwriter alone with the same
formats in the same constant-memory mode.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMPORT_PHASE = "2016-2020"
EXPORT_QUERY = "phase=2021-2025&year=2023"
BIN = Path(sys.executable).parent
SRC = Path(__file__).resolve().parent.parent / "src"


def log(msg):
    print(msg, flush=True)


# --- the import file -------------------------------------------------------------------------

FIELDS = ["Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"]
VERBS = ["hiến máu", "làm đường", "thắp sáng đường quê", "mua bảo hiểm y tế", "hòa giải",
         "xây nhà đại đoàn kết", "giữ gìn an ninh trật tự", "bảo vệ môi trường"]
HEADER = ["Mã mô hình", "Tên mô hình", "Loại", "Chủ thể", "Mã đơn vị", "Khối", "Lĩnh vực",
          "Cấp", "Năm", "Kết quả", "Đặc cách", "Khen thưởng"]


def import_units(root=None) -> list[str]:
    """Codes of the units a registration may belong to (below `root`, or all)."""
    from dvk.orgs.models import Unit

    qs = Unit.objects.filter(sector__isnull=False, kind__in=("grassroots", "below"))
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return list(qs.order_by("path").values_list("code", flat=True))


def write_registrations_csv(path, units: list[str], rows: int, phase_code: str,
                            seed: int = 7) -> int:
    """A registrations file (CONTRACTS §4) of `rows` data rows over `units`: one model per
    code, ~30 % registered again at the district level, ~8 % at the province; ~78 %
    recognised, a quarter of those with an award. Returns the number of rows written."""
    start, end = (int(x) for x in phase_code.split("-"))
    rng = random.Random(seed)
    n = i = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        while n < rows:
            i += 1
            unit = rng.choice(units)
            year = rng.randint(start, end)
            code = f"BM-{phase_code}-{i:07d}"
            title = f"Khéo vận động {rng.choice(VERBS)} số {i}"
            field = rng.choice(FIELDS)
            for level, y in (("Cơ sở", year), ("Huyện và tương đương", min(end, year + 1)),
                             ("Tỉnh", end)):
                result = rng.choices(["Công nhận", "Không công nhận", ""], [78, 20, 2])[0]
                award = "Giấy khen" if result == "Công nhận" and rng.random() < 0.25 else ""
                w.writerow([code, title, "Mô hình", "", unit, "", field, level, y, result,
                            "x" if rng.random() < 0.002 else "", award])
                n += 1
                if n >= rows or result != "Công nhận" or rng.random() > 0.35:
                    break
    return n


# --- what an import wrote --------------------------------------------------------------------

def _tables(phase_id: int, code: str) -> list[tuple[str, str]]:
    """(table, WHERE) of every row an import into the phase wrote, in the order they can be
    inserted (referenced rows first)."""
    from django.contrib.contenttypes.models import ContentType

    from dvk.awards.models import Award
    from dvk.common.models import HistoryEntry
    from dvk.initiatives.models import ImportBatch, Initiative, Registration, Transition

    ct = ContentType.objects.get_for_model
    regs = f"SELECT id FROM {Registration._meta.db_table} WHERE phase_id = {phase_id}"
    # The models of the bench's file (write_registrations_csv's codes), also one left
    # without registrations by an interrupted run.
    own = (f"code LIKE 'BM-{code}-%' AND NOT EXISTS (SELECT 1 FROM "
           f"{Registration._meta.db_table} o "
           f"WHERE o.initiative_id = {Initiative._meta.db_table}.id AND o.phase_id <> {phase_id})")
    batches = f"SELECT id FROM {ImportBatch._meta.db_table} WHERE phase_id = {phase_id}"
    awards = f"SELECT id FROM {Award._meta.db_table} WHERE phase_id = {phase_id}"
    history = " OR ".join(f"(content_type_id = {ct(model).pk} AND object_id IN "
                          f"(SELECT id::text FROM ({ids}) AS x))"
                          for model, ids in ((ImportBatch, batches), (Registration, regs),
                                             (Award, awards)))
    return [
        (ImportBatch._meta.db_table, f"phase_id = {phase_id}"),
        (Initiative._meta.db_table, own),
        (Registration._meta.db_table, f"phase_id = {phase_id}"),
        (Transition._meta.db_table, f"registration_id IN ({regs})"),
        (Award._meta.db_table, f"phase_id = {phase_id}"),
        (HistoryEntry._meta.db_table, history),
    ]


def _replica(cur) -> bool:
    """Foreign-key triggers off for this transaction, as common/bulk.py does, if allowed."""
    from django.db import connection

    from dvk.common.bulk import _may_set_replication_role

    if _may_set_replication_role(connection):
        cur.execute("SET LOCAL session_replication_role = replica")
        return True
    return False


def delete_import(phase_code: str, *, keep_phase: bool = False) -> int:
    """Delete what imports into `phase_code` wrote (and the phase itself unless
    `keep_phase`); the number of rows deleted. Tables are vacuumed afterwards, so the next
    measurement (and the bench phase's figures) find them as before."""
    from django.db import connection, transaction

    from dvk.phases.models import Phase

    phase = Phase.objects.filter(code=phase_code).first()
    if phase is None:
        return 0
    tables = _tables(phase.pk, phase.code)
    deleted = 0
    with transaction.atomic(), connection.cursor() as cur:
        # The foreign keys are deferred (or, in replica mode, unchecked): the order is that
        # of the WHEREs, which find rows through the registrations and awards, so those go last.
        _replica(cur)
        batch, initiative, registration, transition, award, history = tables
        for table, where in (history, transition, initiative, award, registration, batch):
            cur.execute(f'DELETE FROM "{table}" WHERE {where}')
            deleted += cur.rowcount
        if not keep_phase:
            for sql in ("DELETE FROM phases_level WHERE phase_id = %s",
                        "DELETE FROM phases_phase WHERE id = %s"):
                cur.execute(sql, [phase.pk])
    with connection.cursor() as cur:
        for table, _ in tables:
            cur.execute(f'VACUUM ANALYZE "{table}"')
    return deleted


def dump_import(phase_code: str, directory: str) -> list[tuple[str, str, int]]:
    """The rows an import into `phase_code` wrote, one COPY text file per table:
    [(table, file, rows)]."""
    from django.db import connection

    from dvk.phases.models import Phase

    phase = Phase.objects.get(code=phase_code)
    out = []
    with connection.cursor() as cur:
        for table, where in _tables(phase.pk, phase.code):
            path = os.path.join(directory, f"{table}.copy")
            n = 0
            with open(path, "wb") as f, cur.cursor.copy(
                    f'COPY (SELECT * FROM "{table}" WHERE {where}) TO STDOUT') as copy:
                for block in copy:
                    f.write(block)
                    n += bytes(block).count(b"\n")
            out.append((table, path, n))
    return out


def bare_copy(files: list[tuple[str, str, int]]) -> float:
    """Seconds to COPY the dumped rows back into their tables in one committed transaction,
    foreign keys handled as the import handles them."""
    from django.db import connection, transaction

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        _replica(cur)
        for table, path, _n in files:
            with open(path, "rb") as f, cur.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
    return time.perf_counter() - t


def run_import(path: str, phase_code: str) -> tuple[float, int, str]:
    """(seconds, peak resident memory in bytes, last line of output) of
    `dvk import_registrations path --phase phase_code` in a child process."""
    with tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        # The code of this checkout (the venv's `dvk` may be installed from another one).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
        child = subprocess.Popen([str(BIN / "dvk"), "import_registrations", path,
                                  "--phase", phase_code], stdout=out, stderr=subprocess.STDOUT,
                                 env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace").strip()
    if child.returncode:
        raise SystemExit(f"dvk import_registrations exited {child.returncode}:\n{text}")
    return seconds, usage.ru_maxrss * 1024, text.splitlines()[-1] if text else ""


def import_rows(row, root, rows: int) -> None:
    log(f"Import ({rows:,} rows into phase {IMPORT_PHASE}, `dvk import_registrations` in a "
        "child process)")
    if (leftover := delete_import(IMPORT_PHASE)):
        log(f"  deleted {leftover:,} rows left by an earlier run")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "registrations.csv")
        n = write_registrations_csv(path, import_units(root), rows, IMPORT_PHASE)
        try:
            seconds, peak, said = run_import(path, IMPORT_PHASE)
            log(f"    {said}")
            files = dump_import(IMPORT_PHASE, tmp)
            written = ", ".join(f"{t} {c:,}" for t, _, c in files)
            delete_import(IMPORT_PHASE, keep_phase=True)
            copy = bare_copy(files)
        finally:
            delete_import(IMPORT_PHASE)
    row("io", f"import {n:,} rows", "national", seconds, limit_name="vs bare COPY",
        limit=copy, bar=2.0, note=f"{n / seconds:,.0f} rows/s; rows written: {written}")
    row("io", "import peak memory", "national", peak / 1e6, limit_name="bar 500 MB",
        limit=500, bar=1.0, unit="MB", note="max resident set of the child process")


# --- export ----------------------------------------------------------------------------------

def export_job(username: str, query: str):
    """A background job of `username`'s secretariat exporting registrations to XLSX."""
    from django.contrib.auth import get_user_model

    from dvk.common.models import BackgroundJob
    from dvk.orgs.models import Membership

    user = get_user_model().objects.get(username=username)
    membership = Membership.objects.filter(user=user).first()
    return BackgroundJob.objects.create(
        kind="export", title="bench", owner=user, unit=membership.unit,
        params={"export": "registrations", "format": "xlsx", "query": query,
                "membership": membership.pk, "page": ""})


def run_task(job_id: int):
    """What reports.tasks.export_list runs for the job."""
    from dvk.common.jobs import running
    from dvk.reports.exports import run_export_job

    with running(job_id) as job:
        run_export_job(job)
        return job


def xlsxwriter_alone(rows: list[list], columns, path: str) -> float:
    """Seconds for xlsxwriter alone to write `rows` (dates already datetimes) with the
    export's sheet layout and formats, in the same constant-memory mode."""
    import xlsxwriter

    t = time.perf_counter()
    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                    "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Danh sách đăng ký mô hình")
    head = wb.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1,
                          "text_wrap": True, "valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    int_fmt = wb.add_format({"num_format": "#,##0"})
    for col, (header, _kind, width) in enumerate(columns):
        ws.set_column(col, col, width)
        ws.write_string(0, col, header, head)
    ws.freeze_panes(1, 0)
    kinds = [c[1] for c in columns]
    n = 0
    for n, values in enumerate(rows, start=1):
        for col, (value, kind) in enumerate(zip(values, kinds)):
            if value is None or value == "":
                continue
            if kind == "date":
                ws.write_datetime(n, col, value, date_fmt)
            elif kind == "int":
                ws.write_number(n, col, value, int_fmt)
            else:
                ws.write_string(n, col, value)
    ws.autofilter(0, 0, n, len(columns) - 1)
    wb.close()
    return time.perf_counter() - t


def export_rows(row, username: str = "bench.quocgia", query: str = EXPORT_QUERY) -> None:
    from django.http import QueryDict
    from django.utils import translation

    from dvk.common.models import BackgroundJob
    from dvk.reports import exports

    log(f"Export (registrations of {query}, whole country, to XLSX through the background "
        "task's function)")
    job = export_job(username, query)
    try:
        t = time.perf_counter()
        job = run_task(job.pk)
        seconds = time.perf_counter() - t
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.DONE, job.message
        size = job.result_file.size
        n = job.total
    finally:
        if job.result_file:
            job.result_file.delete(save=False)
        BackgroundJob.objects.unscoped("the benchmark's own job").filter(pk=job.pk).delete()
    from dvk.orgs.scope import scope_for
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    scope = scope_for(user, job.params.get("membership"))
    export = exports.build("registrations", scope, QueryDict(query))
    t = time.perf_counter()
    with translation.override("vi"):
        rows = [[dt.datetime.combine(exports._local_date(v), dt.time())
                 if k == exports.DATE and v is not None else
                 (str(v) if k == exports.TEXT and v is not None else v)
                 for v, k in zip(values, (c[1] for c in export.columns))]
                for values in export.rows()]
    fetched = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        alone = xlsxwriter_alone(rows, export.columns, os.path.join(tmp, "alone.xlsx"))
    assert len(rows) == n, (len(rows), n)
    row("io", f"export {n:,} rows to XLSX", "national", seconds,
        limit_name="vs xlsxwriter alone", limit=alone, bar=2.0,
        note=f"{n / seconds:,.0f} rows/s, {size / 1e6:.1f} MB; fetching and building the "
             f"rows alone {fetched:.1f} s")
