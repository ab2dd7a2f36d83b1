"""The `lists` section of `make bench`: every filter a user can pick on the registrations
list, page 2, the title search and the queue, for the national and the province
secretariat (bench/data.py's accounts), one request at a time through Django's test
client; each row against the issue's page bar (300 ms national, 100 ms province) and
with its query count. `--explain` prints the two slowest queries' scans of each page.
"""
from __future__ import annotations

PHASE = "2021-2025"
SEARCHED = 500_000  # "mô hình số 500000": one model's title


def variants() -> list[tuple[str, str, dict]]:
    """(name, url, params); "__L1"/"__L2" a level, "__S" a sector, "__F" a field, "__next"
    the list's second page."""
    return [
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
        ("search, one title", "/mo-hinh/", {"q": f"mô hình số {SEARCHED}"}),
        ("search, common words", "/mo-hinh/", {"q": "Khéo vận động"}),
        ("search, no match", "/mo-hinh/", {"q": "không có"}),
        ("queue, recognised tab", "/mo-hinh/hang-doi/", {"phase": PHASE, "tab": "recognized"}),
        ("queue, search", "/mo-hinh/hang-doi/", {"phase": PHASE, "tab": "recognized",
                                                 "q": "Khéo"}),
        ("queue's late cards", "/mo-hinh/hang-doi/tre-han/", {"phase": PHASE}),
    ]


def _resolve(params: dict) -> dict:
    from dvk.initiatives.models import Field
    from dvk.orgs.models import Sector
    from dvk.phases.models import Phase

    levels = Phase.objects.get(code=PHASE).ordered_levels()
    out = {}
    for key, value in params.items():
        if value in ("__L1", "__L2"):
            value = str(levels[int(value[-1])].pk)
        elif value == "__S":
            value = str(Sector.objects.order_by("order")[2].pk)
        elif value == "__F":
            value = str(Field.objects.order_by("order").first().pk)
        out[key] = value
    return out


def _explain(name, who, queries):
    from django.db import connection

    slow = sorted((q for q in queries if q["sql"].startswith("SELECT")),
                  key=lambda q: -float(q["time"]))[:2]
    print(f"--- {name} / {who}")
    for q in slow:
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + q["sql"])
            plan = [r[0] for r in cur.fetchall()]
        nodes = [ln.strip().lstrip("-> ").split("  (")[0] for ln in plan
                 if any(w in ln for w in ("Scan", "Sort ", "Sort  ", "Limit"))]
        print(f"    {q['time']} s: {q['sql'][:60]}…\n      " + "\n      ".join(nodes[:8])
              + f"\n      {plan[-1].strip()}")


def section(*, row, timed, client_for, bars, runs, explain=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("Lists (every filter, page 2, search, queue; one request at a time)", flush=True)
    clients = {"national": client_for("bench.quocgia"), "province": client_for("bench.tinh")}
    for name, url, params in variants():
        params = _resolve(params)
        for who, client in clients.items():
            p = dict(params)
            if p.pop("__next", False):
                first = client.get(url, p)
                p.update(first.context["page_obj"].next_query or {"page": "2"})
            captured = CaptureQueriesContext(connection)

            def get():
                with captured:
                    response = client.get(url, p)
                assert response.status_code == 200, (url, p, response.status_code)
            _, seconds = timed(get, runs)
            row("lists", name, who, seconds, limit_name=f"bar {bars[who] * 1000:.0f} ms",
                limit=bars[who], bar=1.0, note=f"{len(captured.captured_queries)} queries")
            if explain:
                _explain(name, who, captured.captured_queries)
