"""The load harness shared by `make bench` (pages under 20 concurrent clients) and
`make soak` (50 users reading and writing for 5 minutes): the app served by gunicorn on
loopback, driven by locust, headless — each in its own process, so the load generator's
gevent never meets the Django process that prepared the accounts.

Nothing here imports Django: the caller hands over the sessions and tokens it made
(`session_cookie`, in bench/run.py and bench/soak.py) in the `settings` dict that
bench/locustfile.py reads.
"""
from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict | None = None, *, workers: int = 4, log_path: str | None = None):
    """The app under gunicorn on 127.0.0.1 (production settings: DEBUG off); yields its
    base URL once it answers."""
    port = free_port()
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT / "src")}
    full_env.pop("DEBUG", None)
    log = open(log_path or os.devnull, "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dvk.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "10"],
        env=full_env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped (exit {proc.returncode}); see {log_path}")
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 90 s")
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def locust(base: str, *, users: int, seconds: int, settings: dict) -> dict:
    """Run bench/locustfile.py headless against `base`. Returns {"requests": {name: {count,
    failures, rps, p50, p95 (ms)}}, plus what the locustfile recorded (throttled, written)}."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        env = {**os.environ, "DVK_LOAD": json.dumps({**settings, "result": str(result)})}
        cmd = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
               "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
               "--host", base, "--csv", str(Path(tmp) / "out"), "--only-summary",
               "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
        stats = {}
        with open(Path(tmp) / "out_stats.csv", newline="") as f:
            for r in csv.DictReader(f):
                stats[r["Name"]] = {"count": int(r["Request Count"]),
                                    "failures": int(r["Failure Count"]),
                                    "rps": float(r["Requests/s"]),
                                    "p50": float(r["50%"] or 0), "p95": float(r["95%"] or 0)}
        recorded = json.loads(result.read_text()) if result.exists() else {}
        return {"requests": stats, **recorded}
