"""Benchmark: the registrations list, its title search and the queue on the data of
bench/data.py (PostgreSQL), one request at a time through Django's test client.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_bench SECRET_KEY=x
    .venv/bin/dvk migrate && .venv/bin/python bench/run.py --sections figures
    .venv/bin/python bench/lists_1m.py [--runs 7] [--explain]

Adds (once) a national secretariat (unit VN, its committee recognising at the top level)
and a provincial one (P07, the middle level), then prints the median of each page for
both. --explain prints the plan of each page's main query.
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dvk.common.scoping import unscoped  # noqa: E402
from dvk.orgs.models import Membership, Unit  # noqa: E402
from dvk.phases.models import Phase, SteeringCommittee  # noqa: E402

PHASE = "2021-2025"


def user(username, unit_code, level_order):
    User = get_user_model()
    u, created = User.objects.get_or_create(username=username)
    unit = Unit.objects.get(code=unit_code)
    if created:
        Membership.objects.create(user=u, unit=unit, role="secretariat")
    phase = Phase.objects.get(code=PHASE)
    level = phase.ordered_levels()[level_order]
    SteeringCommittee.objects.get_or_create(unit=unit, phase=phase,
                                            defaults={"level": level, "name": f"BCĐ {unit_code}"})
    c = Client()
    c.force_login(u)
    return c


def pages():
    n = 500_000
    return [
        ("list", "/mo-hinh/", {}),
        ("list, phase", "/mo-hinh/", {"phase": PHASE}),
        ("list, phase+year+level", "/mo-hinh/", {"phase": PHASE, "year": "2023", "level": "__L1"}),
        ("list, year", "/mo-hinh/", {"year": "2022"}),
        ("list, level", "/mo-hinh/", {"level": "__L2"}),
        ("list, state", "/mo-hinh/", {"state": "not_recognized"}),
        ("list, sector", "/mo-hinh/", {"sector": "__S"}),
        ("list, kind", "/mo-hinh/", {"kind": "individual"}),
        ("list, state+field", "/mo-hinh/", {"state": "accepted", "field": "__F"}),
        ("list, unit subtree", "/mo-hinh/", {"unit": "P07-012"}),
        ("list, late", "/mo-hinh/", {"late": "1"}),
        ("list, exceptional", "/mo-hinh/", {"exceptional": "1"}),
        ("list, page 2", "/mo-hinh/", {"__next": True}),
        ("search title (one model)", "/mo-hinh/", {"q": f"mô hình số {n}"}),
        ("search common words", "/mo-hinh/", {"q": "Khéo vận động"}),
        ("search no match", "/mo-hinh/", {"q": "không có"}),
        ("queue", "/mo-hinh/hang-doi/", {"phase": PHASE, "tab": "recognized"}),
        ("queue, search", "/mo-hinh/hang-doi/", {"phase": PHASE, "tab": "recognized",
                                                 "q": "Khéo"}),
    ]


def resolve(params):
    phase = Phase.objects.get(code=PHASE)
    out = {}
    for k, v in params.items():
        if v in ("__L1", "__L2"):
            v = str(phase.ordered_levels()[int(v[-1])].pk)
        elif v == "__S":
            from dvk.orgs.models import Sector
            v = str(Sector.objects.order_by("order")[2].pk)
        elif v == "__F":
            from dvk.initiatives.models import Field
            v = str(Field.objects.order_by("order").first().pk)
        out[k] = v
    return out


def timed(client, url, params, runs):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            r = client.get(url, params)
            times.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, params, r.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries, r, ctx


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    with unscoped("benchmark set-up"):
        clients = {"national": user("bench.vn", "VN", 2), "province": user("bench.p07", "P07", 1)}
    print(f"{'page':34} {'national':>12} {'province':>12}")
    for name, url, params in pages():
        params = resolve(params)
        row = []
        for who, client in clients.items():
            p = dict(params)
            if p.pop("__next", False):
                first = client.get(url, p)
                nxt = getattr(first.context["page_obj"], "next_query", None) if first.context else None
                if nxt:
                    p.update(nxt)
                else:
                    p["page"] = "2"
            ms, q, r, ctx = timed(client, url, p, args.runs)
            row.append(f"{ms:8.0f} ms/{q:2d}q")
            if args.explain:
                # The two slowest queries' plans, their scans and sorts only.
                slow = sorted((q for q in ctx.captured_queries if q["sql"].startswith("SELECT")),
                              key=lambda c: -float(c["time"]))[:2]
                print(f"--- {name} / {who}")
                for q in slow:
                    with connection.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + q["sql"])
                        plan = [r[0] for r in cur.fetchall()]
                    nodes = [ln.strip().lstrip("-> ").split("  (")[0] for ln in plan
                             if any(w in ln for w in ("Scan", "Sort ", "Sort  ", "Limit"))]
                    print(f"    {q['time']} s: {q['sql'][:60]}…\n      "
                          + "\n      ".join(nodes[:8]) + f"\n      {plan[-1].strip()}")
        print(f"{name:34} {row[0]:>12} {row[1]:>12}", flush=True)


if __name__ == "__main__":
    main()
