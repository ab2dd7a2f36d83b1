"""Benchmark: build_summary on a country-sized tree with 1,000,000 registrations.

    createdb -h 127.0.0.1 -U postgres dvk_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_bench SECRET_KEY=x
    .venv/bin/dvk migrate && .venv/bin/python bench/summary_1m.py [--registrations N]

Builds (once; re-runs reuse the data) a root "VN" with 34 provinces × 98 communes × 8
organisations (≈ 30,000 units) and N registrations written by INSERT … SELECT FROM
generate_series, then times build_summary() for the whole country and for one province
and compares every figure with ONE hand-written SQL query (GROUP BY GROUPING SETS).
PostgreSQL only.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dvk.awards.models import Award, AwardKind  # noqa: E402
from dvk.initiatives.enums import REGISTERED  # noqa: E402
from dvk.initiatives.models import Field, Initiative, Registration  # noqa: E402
from dvk.orgs.models import SEGMENT, Sector, Unit  # noqa: E402
from dvk.orgs.tree import bulk_insert_units  # noqa: E402
from dvk.phases.services import get_or_create_phase  # noqa: E402
from dvk.reports.summary import build_summary  # noqa: E402

PROVINCES, COMMUNES, ORGS = 34, 98, 8
PHASE = "2021-2025"


def log(msg):
    print(msg, flush=True)


def build_tree():
    if Unit.objects.filter(code="VN").exists():
        return Unit.objects.get(code="VN")
    t = time.perf_counter()
    sectors = list(Sector.objects.order_by("order"))
    root = Unit(code="VN", name="Toàn quốc", kind="province")
    units = [root]
    for p in range(1, PROVINCES + 1):
        prov = Unit(code=f"P{p:02d}", name=f"Tỉnh {p:02d}", kind="province", parent=root)
        units.append(prov)
        for c in range(1, COMMUNES + 1):
            com = Unit(code=f"P{p:02d}-{c:03d}", name=f"Xã {p:02d}-{c:03d}", kind="grassroots",
                       parent=prov, sector=sectors[1])
            units.append(com)
            for o in range(1, ORGS + 1):
                units.append(Unit(code=f"P{p:02d}-{c:03d}-{o}", name=f"Tổ chức {o} xã {p}-{c}",
                                  kind="below", parent=com, sector=sectors[o % len(sectors)]))
    bulk_insert_units(units)
    log(f"  {len(units):,} units in {time.perf_counter() - t:.1f} s")
    return root


def _insert_select(model, n, exprs, source="generate_series(1, %(n)s) AS g", joins=""):
    """INSERT INTO model (every concrete column) SELECT … using `exprs` for some columns and
    a neutral value for the others ('' / false / NULL / now())."""
    cols, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f'"{f.column}"')
        if f.column in exprs:
            values.append(exprs[f.column])
        elif f.null:
            values.append("NULL")
        elif f.get_internal_type() in ("DateTimeField",):
            values.append("now()")
        elif f.get_internal_type() == "BooleanField":
            values.append("false")
        elif f.get_internal_type() in ("PositiveIntegerField", "IntegerField",
                                       "PositiveSmallIntegerField"):
            values.append("1")
        else:
            values.append("''")
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
           f'SELECT {", ".join(values)} FROM {source} {joins}')
    with connection.cursor() as cur:
        cur.execute(sql, {"n": n})


def build_registrations(root, n):
    phase, _ = get_or_create_phase(PHASE)
    if Registration.objects.filter(phase=phase).count() >= n:
        return phase
    t = time.perf_counter()
    levels = list(phase.ordered_levels().values_list("pk", flat=True))
    fields = list(Field.objects.order_by("order").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_carrier")
        cur.execute("CREATE TEMP TABLE bench_carrier AS SELECT row_number() OVER (ORDER BY id) - 1 "
                    "AS idx, id AS unit_id, sector_id FROM orgs_unit WHERE kind IN ('grassroots', 'below') "
                    "AND path LIKE %s", [root.path + "%"])
        cur.execute("SELECT count(*) FROM bench_carrier")
        carriers = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM initiatives_initiative")
        first_ini = cur.fetchone()[0]
        field_arr = "ARRAY[%s]" % ",".join(map(str, fields))
        level_arr = "ARRAY[%s]" % ",".join(map(str, levels))
        # One initiative per registration keeps (initiative, level, year) unique.
        _insert_select(Initiative, n, {
            "kind": "'collective'", "title": "'Khéo vận động mô hình số ' || g",
            "unit_id": "c.unit_id", "sector_id": "c.sector_id",
            "field_id": f"({field_arr})[1 + (g %% 4)]",
            "search_text": "'kheo van dong ' || g", "sort_key": "'k' || g",
            "code": f"'B' || g",
        }, source="generate_series(1, %(n)s) AS g",
            joins=f"JOIN bench_carrier c ON c.idx = (g::bigint * 7919) %% {carriers}")
        _insert_select(Registration, n, {
            "initiative_id": f"{first_ini} + g", "phase_id": str(phase.pk),
            # 70 % grassroots, 23 % district, 7 % province
            "level_id": f"({level_arr})[CASE WHEN g %% 100 < 70 THEN 1 WHEN g %% 100 < 93 THEN 2 ELSE 3 END]",
            "year": f"{phase.start_year} + (g %% 5)",
            "unit_id": "i.unit_id", "sector_id": "i.sector_id", "field_id": "i.field_id",
            "state": "CASE WHEN (g * 31) %% 100 < 78 THEN 'recognized' WHEN (g * 31) %% 100 < 93 "
                     "THEN 'not_recognized' WHEN (g * 31) %% 100 < 97 THEN 'accepted' "
                     "WHEN (g * 31) %% 100 < 99 THEN 'draft' ELSE 'withdrawn' END",
            "is_exceptional": "(g %% 97 = 0)",
            "exceptional_status": "''", "version": "1", "imported": "true",
        }, source="generate_series(1, %(n)s) AS g",
            joins=f"JOIN initiatives_initiative i ON i.id = {first_ini} + g")
        kinds = list(AwardKind.objects.order_by("order").values_list("pk", flat=True))
        _insert_select(Award, n, {
            "kind_id": f"(ARRAY[{','.join(map(str, kinds))}])[1 + (r.id %% {len(kinds)})]",
            "phase_id": "r.phase_id", "level_id": "r.level_id", "year": "r.year",
            "registration_id": "r.id", "unit_id": "r.unit_id", "recipient_name": "'x'",
        }, source="initiatives_registration r",
            joins=f"WHERE r.phase_id = {phase.pk} AND r.state = 'recognized' AND r.id %% 4 = 0")
        cur.execute("ANALYZE")
    log(f"  {n:,} registrations in {time.perf_counter() - t:.1f} s")
    return phase


def reference(phase, unit):
    """Every figure of the summary from ONE hand-written query."""
    key_len = len(unit.path) + SEGMENT + 1
    states = "', '".join(REGISTERED)
    sql = f"""
        SELECT substr(u.path, 1, %(k)s) AS child, r.field_id, r.sector_id, r.level_id,
               GROUPING(substr(u.path, 1, %(k)s)) AS g_child, GROUPING(r.field_id) AS g_field,
               GROUPING(r.sector_id) AS g_sector,
               count(*), count(*) FILTER (WHERE r.state = 'recognized'),
               count(*) FILTER (WHERE r.state = 'not_recognized'),
               count(*) FILTER (WHERE r.is_exceptional)
        FROM initiatives_registration r JOIN orgs_unit u ON u.id = r.unit_id
        WHERE r.phase_id = %(phase)s AND r.state IN ('{states}')
          AND u.path >= %(low)s AND u.path < %(high)s
        GROUP BY GROUPING SETS ((substr(u.path, 1, %(k)s), r.level_id),
                                (r.field_id, r.level_id), (r.sector_id, r.level_id), (r.level_id))
    """
    with connection.cursor() as cur:
        cur.execute(sql, {"k": key_len, "phase": phase.pk, "low": unit.path,
                          "high": unit.path[:-1] + "0"})
        rows = cur.fetchall()
    return rows


def compare(summary, rows, phase, unit):
    levels = {lv.pk: lv.name for lv in phase.ordered_levels()}
    paths = dict(Unit.objects.filter(parent=unit).values_list("path", "code"))
    fields = dict(Field.objects.values_list("pk", "name"))
    sectors = dict(Sector.objects.values_list("pk", "name"))
    index = {}
    for row in summary["levels"]:
        index[("total", row["level"])] = row
    for u in summary["by_unit"]:
        for row in u["levels"]:
            index[("unit", u["code"], row["level"])] = row
    for f in summary["by_field"]:
        for row in f["levels"]:
            index[("field", f["field"], row["level"])] = row
    for s in summary["by_sector"]:
        for row in s["levels"]:
            index[("sector", s["sector"], row["level"])] = row
    bad = checked = 0
    for child, field, sector, level, g_child, g_field, g_sector, reg, rec, notrec, exc in rows:
        lv = levels[level]
        if not g_child:
            key = ("unit", paths.get(child), lv)
        elif not g_field:
            key = ("field", fields[field], lv)
        elif not g_sector:
            key = ("sector", sectors.get(sector, "Chưa xác định khối"), lv)
        else:
            key = ("total", lv)
        got = index.get(key)
        checked += 1
        if got is None or (got["registered"], got["recognized"], got["not_recognized"],
                           got["exceptional"]) != (reg, rec, notrec, exc):
            bad += 1
            if bad <= 5:
                log(f"  MISMATCH {key}: summary {got} vs SQL {(reg, rec, notrec, exc)}")
    return checked, bad


def timed(fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Cần PostgreSQL: đặt DATABASE_URL=postgres://…")
    log("Dữ liệu:")
    root = build_tree()
    phase = build_registrations(root, args.registrations)
    log(f"  units: {Unit.objects.count():,}; registrations in {PHASE}: "
        f"{Registration.objects.filter(phase=phase).count():,}; awards: "
        f"{Award.objects.filter(phase=phase).count():,}")
    ok = True
    for unit in (root, Unit.objects.get(code="P07")):
        for structure in ("time", "today"):
            summary, best, median = timed(lambda: build_summary(phase, unit, structure=structure))
            log(f"build_summary({unit.code}, {structure}): best {best * 1000:.0f} ms, "
                f"median {median * 1000:.0f} ms")
        rows, best, median = timed(lambda: reference(phase, unit), runs=3)
        log(f"hand-written SQL ({unit.code}): best {best * 1000:.0f} ms, median {median * 1000:.0f} ms")
        summary = build_summary(phase, unit)
        checked, bad = compare(summary, rows, phase, unit)
        log(f"  {checked} figures groups compared: {'OK' if not bad else f'MISMATCH ({bad})'}")
        ok = ok and not bad
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
