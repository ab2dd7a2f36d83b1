"""`make bench`: the national-scale benchmark (issue 13). Not part of `make test`.

    createdb -h 127.0.0.1 -U postgres dvk_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_bench
    .venv/bin/dvk migrate && make bench            # or: .venv/bin/python bench/run.py --help

On SQLite (DATABASE_URL=sqlite:///var/bench.sqlite3, after `dvk migrate`) every section but
io runs too, the reference query written as four GROUP BYs joined by UNION ALL.

Builds the data once (bench/data.py; re-runs reuse it), then prints one table and writes
it as JSON (var/bench.json unless --json says otherwise). Every row has its absolute time
and its ratio to a limit measured in the same run on the same data, so a slower or
busier machine moves both:

- figures: the summary and the dashboard's figures, whole country and one province, vs.
  one hand-written GROUP BY of the same figures;
- pages: dashboard, home, registrations list, title search and queue through Django's
  test client, one request at a time, for a national and a province secretariat, vs. the
  summary (the dashboard) or the bars of the issue;
- load: the province secretariat's list, search, queue and home under 20 concurrent
  clients against gunicorn on loopback (bench/load.py, locust), requests/s, p50 and p95,
  vs. the same page served in-process one request at a time;
- growth (--growth 100000,1000000,3000000): summary and dashboard figures per phase size;
- lists (bench/lists.py): every filter of the list, page 2, searches and the queue, each
  against the page bar, with its query count (--explain: the slowest queries' plans);
- io (bench/import_export.py): `dvk import_registrations` of --import-rows rows into a
  phase of its own (2016-2020, deleted afterwards) vs. a bare COPY of the same rows, and
  its peak memory; the XLSX export of one year of the phase, whole country (~200,000
  rows), through the background task's function vs. xlsxwriter alone. Run once each.
Medians of --runs runs after one warm-up run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

import data  # noqa: E402

ROWS: list[dict] = []


def log(msg):
    print(msg, flush=True)


def timed(fn, runs: int) -> tuple[object, float]:
    """(last result, median seconds) of `runs` calls after one warm-up call."""
    result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def row(section, name, scope, seconds, *, limit_name="", limit=None, bar=None, note="",
        unit="ms"):
    """One line of the table; `bar` is the highest ratio (or, without a limit, the highest
    time in seconds) the issue allows. A row of another `unit` than time (e.g. "MB") gives
    `seconds` and `limit` in that unit; its JSON has "value"/"limit_value" instead of ms."""
    ratio = seconds / limit if limit else None
    ok = None
    if bar is not None:
        ok = (ratio if ratio is not None else seconds) <= bar
    if unit == "ms":
        value = {"ms": round(seconds * 1000, 1),
                 "limit_ms": round(limit * 1000, 1) if limit else None}
        shown_value = seconds * 1000
    else:
        value = {"ms": None, "limit_ms": None, "unit": unit, "value": round(seconds, 1),
                 "limit_value": round(limit, 1) if limit else None}
        shown_value = seconds
    ROWS.append({"section": section, "name": name, "scope": scope, **value,
                 "limit": limit_name,
                 "ratio": round(ratio, 2) if ratio is not None else None,
                 "bar": bar, "ok": ok, "note": note})
    shown = f"{ratio:.2f}×" if ratio is not None else ""
    log(f"  {name:<34} {scope:<10} {shown_value:>9.0f} {unit:<3} {shown:>7} {limit_name}")


# --- figures ---------------------------------------------------------------------------------

def reference(phase, unit):
    """The summary's registration figures from ONE hand-written GROUP BY GROUPING SETS
    (SQLite has no grouping sets: there, the same four groupings joined by UNION ALL)."""
    from dvk.initiatives.enums import REGISTERED
    from dvk.orgs.models import SEGMENT

    key_len = len(unit.path) + SEGMENT + 1
    states = "', '".join(REGISTERED)
    counts = """count(*), count(*) FILTER (WHERE r.state = 'recognized'),
                count(*) FILTER (WHERE r.state = 'not_recognized'),
                count(*) FILTER (WHERE r.is_exceptional)"""
    where = f"""FROM initiatives_registration r JOIN orgs_unit u ON u.id = r.unit_id
        WHERE r.phase_id = %(phase)s AND r.state IN ('{states}')
          AND u.path >= %(low)s AND u.path < %(high)s"""
    child = "substr(u.path, 1, %(k)s)"
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT {child} AS child, r.field_id, r.sector_id, r.level_id,
                   GROUPING({child}), GROUPING(r.field_id), GROUPING(r.sector_id), {counts}
            {where}
            GROUP BY GROUPING SETS (({child}, r.level_id), (r.field_id, r.level_id),
                                    (r.sector_id, r.level_id), (r.level_id))"""
    else:
        parts = [(f"{child}", "NULL", "NULL", "0, 1, 1", f"{child}, r.level_id"),
                 ("NULL", "r.field_id", "NULL", "1, 0, 1", "r.field_id, r.level_id"),
                 ("NULL", "NULL", "r.sector_id", "1, 1, 0", "r.sector_id, r.level_id"),
                 ("NULL", "NULL", "NULL", "1, 1, 1", "r.level_id")]
        sql = " UNION ALL ".join(
            f"SELECT {c}, {f}, {sec}, r.level_id, {flags}, {counts} {where} GROUP BY {group}"
            for c, f, sec, flags, group in parts)
    with connection.cursor() as cur:
        cur.execute(sql, {"k": key_len, "phase": phase.pk, "low": unit.path,
                          "high": unit.path[:-1] + "0"})
        return [(*row[:7], *(int(n or 0) for n in row[7:])) for row in cur.fetchall()]


def mismatches(summary, rows, phase, unit) -> int:
    """Figures of the summary that differ from the hand-written query's (0 = exact)."""
    from dvk.initiatives.models import Field
    from dvk.orgs.models import Sector, Unit

    levels = {lv.pk: lv.name for lv in phase.ordered_levels()}
    paths = dict(Unit.objects.filter(parent=unit).values_list("path", "code"))
    fields = dict(Field.objects.values_list("pk", "name"))
    sectors = dict(Sector.objects.values_list("pk", "name"))
    index = {("total", r["level"]): r for r in summary["levels"]}
    for key, name in (("by_unit", "code"), ("by_field", "field"), ("by_sector", "sector")):
        for group in summary[key]:
            for r in group["levels"]:
                index[(key, group[name], r["level"])] = r
    bad = 0
    for child, field, sector, level, g_child, g_field, g_sector, *counts in rows:
        lv = levels[level]
        if not g_child:
            key = ("by_unit", paths.get(child), lv)
        elif not g_field:
            key = ("by_field", fields[field], lv)
        elif not g_sector:
            key = ("by_sector", sectors.get(sector, "Chưa xác định khối"), lv)
        else:
            key = ("total", lv)
        got = index.get(key)
        if got is None or [got["registered"], got["recognized"], got["not_recognized"],
                           got["exceptional"]] != counts:
            bad += 1
    return bad


def figures_section(phase, units, runs):
    from dvk.orgs.scope import Scope
    from dvk.reports import dashboard
    from dvk.reports.summary import build_summary

    log("Figures")
    out = {}
    for label, unit in units.items():
        rows, ref = timed(lambda: reference(phase, unit), runs)
        result, summary = timed(lambda: build_summary(phase, unit), runs)
        bad = mismatches(result, rows, phase, unit)
        log(f"  {label}: summary vs hand-written query: "
            f"{'every figure equal' if not bad else f'{bad} MISMATCHES'}")
        if bad:
            raise SystemExit(f"the summary's figures differ from the reference ({label})")
        scope = Scope.system("the benchmark reads figures as the dashboard does")
        _, dash = timed(lambda: dashboard.figures(scope, phase, unit), runs)
        row("figures", "reference GROUP BY", label, ref)
        row("figures", "build_summary", label, summary, limit_name="vs reference", limit=ref)
        row("figures", "dashboard figures", label, dash, limit_name="vs summary",
            limit=summary, bar=1.5)
        out[label] = summary
    return out


# --- pages, one request at a time ------------------------------------------------------------

PAGES = {
    "dashboard": "/bao-cao/tong-quan/",
    "dashboard checks": "/bao-cao/tong-quan/kiem-tra/",
    "home": "/",
    "registrations list": "/mo-hinh/",
    "title search": "/mo-hinh/?q=mo+hinh+so+4711",
    "queue": "/mo-hinh/hang-doi/",
    "queue's late cards (htmx)": "/mo-hinh/hang-doi/tre-han/",
}
# The bars: ≤ 300 ms for a national user, ≤ 100 ms for a province user (seconds).
PAGE_BARS = {"national": 0.300, "province": 0.100}


def client_for(username):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def pages_section(summaries, runs):
    log("Pages (Django test client, one request at a time)")
    for label, username in (("national", "bench.quocgia"), ("province", "bench.tinh")):
        client = client_for(username)
        for name, url in PAGES.items():
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            _, seconds = timed(get, runs)
            if name == "dashboard" and label == "national":
                # The bar for the national dashboard: ≤ 1.5 × the summary, under 1 s
                # (a province's dashboard is one of "every other page").
                row("pages", name, label, seconds, limit_name="vs summary",
                    limit=summaries[label], bar=1.5)
                ROWS[-1]["ok"] = ROWS[-1]["ok"] and seconds < 1.0
            else:
                row("pages", name, label, seconds, limit_name=f"bar {PAGE_BARS[label]*1000:.0f} ms",
                    limit=PAGE_BARS[label], bar=1.0)


# --- load: concurrent clients against gunicorn ------------------------------------------------

LOAD_PAGES = ("registrations list", "title search", "queue", "home",
              "queue's late cards (htmx)")
# The bars for a province secretariat under 20 clients: ≥ 50 requests/s, p95 ≤ 500 ms.
LOAD_RPS, LOAD_P95 = 50, 0.500


def load_section(runs, clients, seconds):
    import load

    log(f"Load ({clients} concurrent clients × {seconds} s per page, gunicorn on loopback)")
    direct_client = client_for("bench.tinh")
    cookies = [data.session_cookie("bench.tinh") for _ in range(clients)]
    env = {"DVK_API_RATE": "0", "DVK_LOGIN_RATE": "0"}  # the bench measures, it is not throttled
    var = os.environ.get("DVK_VAR_DIR", "var")
    with load.gunicorn(env, workers=4, log_path=os.path.join(var, "bench-gunicorn.log")) as base:
        for name in LOAD_PAGES:
            url = PAGES[name]
            _, direct = timed(lambda: direct_client.get(url), runs)
            out = load.locust(base, users=clients, seconds=seconds,
                              settings={"scenario": "pages", "path": url, "name": name,
                                        "cookies": cookies})
            stats = out["requests"].get(name, {"count": 0, "failures": 0, "rps": 0,
                                               "p50": 0, "p95": 0})
            p95 = stats["p95"] / 1000
            ok = stats["rps"] >= LOAD_RPS and p95 <= LOAD_P95 and not stats["failures"]
            row("load", f"{name} p95", "province", p95, limit_name="vs direct single", limit=direct,
                note=f"{stats['rps']:.1f} req/s, p50 {stats['p50']:.0f} ms, "
                     f"{stats['count']} requests, {stats['failures']} errors")
            ROWS[-1].update(ok=ok, rps=stats["rps"], p50_ms=stats["p50"],
                            requests=stats["count"], errors=stats["failures"])
            log(f"    {ROWS[-1]['note']}")


# --- growth ----------------------------------------------------------------------------------

def growth_section(sizes, runs):
    """Summary and dashboard figures of phases of growing size (each phase its own data)."""
    from dvk.orgs.scope import Scope
    from dvk.reports import dashboard
    from dvk.reports.summary import build_summary

    log("Growth (whole country)")
    scope = Scope.system("the benchmark reads figures as the dashboard does")
    previous = None
    for i, n in enumerate(sizes):
        start = 2031 + 5 * i  # one phase per size, after the main one
        root, phase = data.ensure_phase(n, f"{start}-{start + 4}")
        _, summary = timed(lambda: build_summary(phase, root), runs)
        _, dash = timed(lambda: dashboard.figures(scope, phase, root), runs)
        if previous is None:
            row("growth", f"build_summary {n:,}", "national", summary)
            row("growth", f"dashboard figures {n:,}", "national", dash)
        else:
            # Linear growth from the size before: time(n) ≤ time(before) × n / before.
            scale = n / previous[0]
            row("growth", f"build_summary {n:,}", "national", summary,
                limit_name=f"vs {scale:g}× {previous[0]:,}", limit=previous[1] * scale, bar=1.0)
            row("growth", f"dashboard figures {n:,}", "national", dash,
                limit_name=f"vs {scale:g}× {previous[0]:,}", limit=previous[2] * scale, bar=1.0)
        previous = (n, summary, dash)


def machine() -> dict:
    import platform

    info = {"python": platform.python_version(), "cpus": os.cpu_count(),
            "database": connection.vendor, "when": time.strftime("%Y-%m-%d %H:%M"),
            "loadavg_at_end": os.getloadavg()}
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            info["server"] = cur.fetchone()[0]
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sections", default="figures,pages,load",
                        help="comma-separated: figures, pages, load, growth, lists, io")
    parser.add_argument("--explain", action="store_true", help="lists: print query plans")
    parser.add_argument("--clients", type=int, default=20, help="load: concurrent clients")
    parser.add_argument("--seconds", type=int, default=20, help="load: seconds per page")
    parser.add_argument("--growth", default="100000,1000000,3000000",
                        help="phase sizes for the growth section")
    parser.add_argument("--import-rows", type=int, default=200_000,
                        help="io: rows of the imported file")
    parser.add_argument("--json", default=os.path.join(os.environ.get("DVK_VAR_DIR", "var"),
                                                       "bench.json"))
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    if connection.vendor != "postgresql" and "io" in sections:
        sys.exit("the io section needs PostgreSQL (it compares with COPY): "
                 "set DATABASE_URL=postgres://…")
    from dvk.common.scoping import allow_by_default
    from dvk.orgs.models import Unit

    # The benchmark reads its own data directly; requests still enforce scoping.
    allow_by_default("the benchmark sets up and checks its own data")
    log(f"Data: {args.registrations:,} registrations ({connection.vendor}); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    root, phase = data.ensure(args.registrations)
    units = {"national": root, "province": Unit.objects.get(code=data.PROVINCE)}
    summaries = {}
    if "figures" in sections or "pages" in sections:
        summaries = figures_section(phase, units, args.runs)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's templates-rendered signal, ALLOWED_HOSTS
    if "pages" in sections:
        pages_section(summaries, args.runs)
    if "lists" in sections:
        import lists

        lists.section(row=row, timed=timed, client_for=client_for, bars=PAGE_BARS,
                      runs=args.runs, explain=args.explain)
    if "load" in sections:
        load_section(args.runs, args.clients, args.seconds)
    if "growth" in sections:
        growth_section([int(n) for n in args.growth.split(",")], max(3, args.runs // 2))
    if "io" in sections:
        import import_export

        import_export.import_rows(row, root, args.import_rows)
        import_export.export_rows(row)
    result = {"machine": machine(), "registrations": args.registrations, "rows": ROWS}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    failed = [r for r in ROWS if r["ok"] is False]
    log(f"\n{len(ROWS)} rows written to {args.json}; {len(failed)} above their bar")
    for r in failed:
        log(f"  above the bar: {r['name']} ({r['scope']}) {r['ratio'] or r['ms']}")


if __name__ == "__main__":
    main()
