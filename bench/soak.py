"""The bounded load test of `make soak` (issue 14): 50 users for 5 minutes against gunicorn
on loopback, reading (home, list, queue, dashboard, search) and writing (new models through
the API), then counting errors and lost writes.

    .venv/bin/python bench/soak.py [--users 50] [--seconds 300] [--json var/soak.json]

The database is DATABASE_URL's (default: a fresh SQLite file under DVK_VAR_DIR). It is
migrated and seeded with a small demo if empty; the test makes its own accounts
(`soak.vanthu1…`, clerks of one commune, writing with personal API tokens, and
`soak.thuky1…`, secretariats of the province, reading). Rate limits are set explicitly
for the run (DVK_API_RATE, DVK_LOGIN_RATE below) and 429 answers are counted apart.
A lost write is a model the server acknowledged (201 with its id) that is not in the
database afterwards. Exit status 1 when there are errors or lost writes.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VAR = Path(os.environ.get("DVK_VAR_DIR", HERE.parent / "var"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'soak.sqlite3'}")
os.environ.setdefault("SECRET_KEY", "soak-only-secret-key-not-for-production-use-0123456789")
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvk.settings")

API_RATE = "600/m"  # per token: a script writing every second stays under it
TITLE = "Khéo vận động thử tải"
READ_PATHS = ["/", "/mo-hinh/", "/mo-hinh/hang-doi/", "/bao-cao/tong-quan/",
              "/mo-hinh/?q=dan+van"]


def log(msg):
    print(msg, flush=True)


def prepare(readers: int, writers: int) -> dict:
    """Migrate and seed when empty; the accounts, their sessions and tokens."""
    dvk = [str(Path(sys.executable).parent / "dvk")]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    subprocess.run([*dvk, "migrate", "--no-input", "-v", "0"], check=True, env=env)
    subprocess.run([*dvk, "seed_demo", "--if-empty", "--scale", "0.1"], check=True, env=env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    import data
    from dvk.api import tokens
    from dvk.common.scoping import allow_by_default
    from dvk.initiatives.models import Field
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership, Unit
    from dvk.orgs.scope import Scope

    allow_by_default("the load test sets up and checks its own accounts")
    province = Unit.objects.filter(parent__isnull=True).current().order_by("path").first()
    commune = (Unit.objects.filter(kind="grassroots", path__startswith=province.path)
               .current().order_by("path").first())
    User = get_user_model()

    def account(name, unit, role):
        user, _ = User.objects.get_or_create(username=name)
        membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        return user, membership

    cookies = []
    for i in range(readers):
        account(f"soak.thuky{i + 1}", province, Role.SECRETARIAT)
        cookies.append(data.session_cookie(f"soak.thuky{i + 1}"))
    raw_tokens = []
    for i in range(writers):
        user, membership = account(f"soak.vanthu{i + 1}", commune, Role.CLERK)
        scope = Scope(user=user, membership=membership)
        raw_tokens.append(tokens.create_token(scope, name="thử tải", membership=membership)[1])
    return {"cookies": cookies, "tokens": raw_tokens, "unit": commune.code,
            "field_id": Field.objects.order_by("order").first().pk}


def lost_writes(ids: list[int]) -> int:
    from dvk.initiatives.models import Initiative

    found = set(Initiative.objects.unscoped("the load test checks its writes")
                .filter(pk__in=ids).values_list("pk", flat=True))
    return len(set(ids) - found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--json", default=str(VAR / "soak.json"))
    args = parser.parse_args()
    import load

    VAR.mkdir(parents=True, exist_ok=True)
    log(f"Database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    accounts = prepare(readers=10, writers=5)
    settings = {"scenario": "soak", "paths": READ_PATHS, "title": TITLE, **accounts}
    env = {"DVK_API_RATE": API_RATE, "DVK_LOGIN_RATE": "20/m"}
    log(f"{args.users} users for {args.seconds} s (gunicorn, {args.workers} workers)")
    started = time.monotonic()
    with load.gunicorn(env, workers=args.workers, log_path=str(VAR / "soak-gunicorn.log")) as base:
        out = load.locust(base, users=args.users, seconds=args.seconds, settings=settings)
    total = out["requests"].get("Aggregated", {})
    lost = lost_writes(out.get("written", []))
    errors = sum(s["failures"] for name, s in out["requests"].items() if name != "Aggregated")
    result = {"users": args.users, "seconds": args.seconds,
              "elapsed": round(time.monotonic() - started, 1),
              "database": os.environ["DATABASE_URL"].split(":")[0],
              "requests": total.get("count", 0), "rps": total.get("rps", 0),
              "p50_ms": total.get("p50"), "p95_ms": total.get("p95"), "errors": errors,
              "throttled_429": out.get("throttled", 0), "writes": len(out.get("written", [])),
              "refused_writes": out.get("refused", []), "lost_writes": lost,
              "by_request": out["requests"]}
    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    for name, s in sorted(out["requests"].items()):
        log(f"  {name:<30} {s['count']:>7} req  {s['rps']:>6.1f}/s  p50 {s['p50']:>6.0f} ms  "
            f"p95 {s['p95']:>6.0f} ms  {s['failures']} errors")
    log(f"errors: {errors}; 429 (deliberate): {result['throttled_429']}; writes acknowledged: "
        f"{result['writes']}; lost writes: {lost}; written to {args.json}")
    sys.exit(1 if errors or lost else 0)


if __name__ == "__main__":
    main()
