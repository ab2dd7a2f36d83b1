"""A `dvk import_registrations` killed with SIGKILL at random points (no except, no finally
runs) leaves the database exactly as before: the same row counts and the same checksum of
the rows of every table the import writes. Runs on PostgreSQL, where another process sees
the test database (SQLite's is in memory). About 100 s for four kills: `slow`."""
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.initiatives.test_import import HEADER, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.soak,
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="another process must see the test database")]

TABLES = ["orgs_unit", "initiatives_initiative", "initiatives_registration",
          "initiatives_transition", "awards_award", "phases_phase", "phases_level",
          "common_historyentry"]
KILLS = int(os.environ.get("DVK_KILLS", "4"))


def snapshot():
    """(table, row count, md5 of its rows in id order) for every table the import writes."""
    out = []
    with connection.cursor() as cur:
        for t in TABLES:
            cur.execute(f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY id), '')) "
                        f"FROM {t} t")
            out.append((t, *cur.fetchone()))
    return out


def big_file(tmp_path, n=60_000):
    """Big enough that the import outlasts the latest kill (3 s) on a fast machine: 20,000
    rows took under 3 s once the import got faster."""
    rows = [[f"KILL-{i:05d}", f"Khéo vận động thử {i}", "Mô hình", "Hội Nông dân",
             "KG-GQ-02", "", "Kinh tế", "Cơ sở", 2003, "Công nhận", "", ""] for i in range(n)]
    return write_csv(tmp_path / "lon.csv", HEADER, rows)


def test_killed_imports_leave_the_database_as_before(tmp_path, capsys):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="x")
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    path = big_file(tmp_path)
    before = snapshot()
    # How long a whole import takes, to kill within it (measured, then undone below).
    rng = random.Random(os.environ.get("DVK_KILL_SEED", time.time_ns()))
    survived, delays = 0, []
    for _ in range(KILLS):
        proc = subprocess.Popen([dvk, "import_registrations", path, "--phase", "2001-2005"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        delay = rng.uniform(0.3, 3.0)
        delays.append(round(delay, 2))
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if proc.returncode == -signal.SIGKILL:
            time.sleep(0.2)  # the server ends the killed session's transaction
            assert snapshot() == before, f"a kill after {delay:.2f} s left rows behind"
            survived += 1
        else:  # finished before the kill: the file is too small for this machine
            _undo()
            pytest.fail(f"the import ended ({proc.returncode}) before the kill at {delay:.2f} s: "
                        + proc.stderr.read().decode()[-2000:])
    with capsys.disabled():
        print(f"\nSIGKILL during import: {survived} of {KILLS} kills survived, delays {delays}")
    assert survived >= 1


def _undo():
    """What a finished import committed, removed on a connection of its own."""
    own = connection.get_new_connection(connection.get_connection_params())
    own.autocommit = True
    with own.cursor() as cur:
        cur.execute("SELECT id FROM phases_phase WHERE code = '2001-2005'")
        ids = [r[0] for r in cur.fetchall()]
        if not ids:
            return
        for sql in ("DELETE FROM awards_award WHERE registration_id IN (SELECT id FROM "
                    "initiatives_registration WHERE phase_id = ANY(%s))",
                    "DELETE FROM initiatives_transition WHERE registration_id IN (SELECT id "
                    "FROM initiatives_registration WHERE phase_id = ANY(%s))",
                    "DELETE FROM initiatives_registration WHERE phase_id = ANY(%s)",
                    "DELETE FROM initiatives_importbatch WHERE phase_id = ANY(%s)",
                    "DELETE FROM phases_level WHERE phase_id = ANY(%s)",
                    "DELETE FROM phases_phase WHERE id = ANY(%s)"):
            cur.execute(sql, [ids])
        cur.execute("DELETE FROM initiatives_initiative WHERE code LIKE 'KILL-%%'")
    own.close()
