"""The demo tells today's story (issue: today's map): Kiên Giang and a smaller An Giang before
the reform, merged into the new Tỉnh An Giang on 01/07/2025 by the structure engine, and the
2026–2030 phase with two levels on the new province and its communes. Built by `seed_demo`
in its own database, as `make run` does, and read back through `dvk summary` and
`demo_logins` like a user would."""
import json
import os
import subprocess
import sys

import pytest

from dvk.demo.builder import AN_GIANG_FIGURES, PHASE_FIGURES

SCALE = 0.02


def _n(x):
    return max(0, round(x * SCALE))


@pytest.fixture(scope="module")
def dvk(tmp_path_factory):
    from tests.conftest import fresh_database_url

    tmp = tmp_path_factory.mktemp("reformed")
    env = dict(os.environ, DATABASE_URL=fresh_database_url("dvk_reformed", tmp),
               SECRET_KEY="tests-only", DEBUG="0", MEDIA_ROOT=str(tmp / "media"))
    exe = os.path.join(os.path.dirname(sys.executable), "dvk")

    def run(*args):
        out = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout

    run("migrate", "-v0", "--no-input")
    run("seed_demo", "--scale", str(SCALE))
    return run


def _levels(summary):
    return {row["level"]: (row["registered"], row["recognized"]) for row in summary["levels"]}


def test_history_keeps_its_figures_and_rolls_up_to_the_new_province(dvk):
    kg = json.loads(dvk("summary", "--phase", "2016-2020", "--unit", "KG"))
    f = PHASE_FIGURES["2016-2020"]
    # Seed 004's figures (scaled) under the structure of their time, after the merge.
    assert _levels(kg)["Cơ sở"] == (_n(f["g"][0]), _n(f["g"][1]))
    assert _levels(kg)["Huyện"] == (_n(f["d"][0]), _n(f["d"][1]))
    assert _levels(kg)["Tỉnh"][0] == _n(f["p"][0]) + _n(f["exceptional"])
    ag = json.loads(dvk("summary", "--phase", "2016-2020", "--unit", "AG"))
    assert _levels(ag)["Cơ sở"][0] == _n(AN_GIANG_FIGURES["2016-2020"]["g"][0])
    today = json.loads(dvk("summary", "--phase", "2016-2020", "--unit", "AGN",
                           "--structure", "today"))
    assert today["unit"]["name"] == "Tỉnh An Giang"
    for level, (registered, recognized) in _levels(today).items():
        assert registered == _levels(kg)[level][0] + _levels(ag)[level][0], level
        assert recognized == _levels(kg)[level][1] + _levels(ag)[level][1], level
    # Nothing of the new province's communes existed then: under the time's structure, 0.
    then = json.loads(dvk("summary", "--phase", "2016-2020", "--unit", "AGN"))
    assert all(n == 0 for n, _ in _levels(then).values())


def test_today_phase_has_two_levels_and_registrations_on_new_communes(dvk):
    now = json.loads(dvk("summary", "--phase", "2026-2030", "--unit", "AGN"))
    assert [row["level"] for row in now["levels"]] == ["Cơ sở", "Tỉnh"]
    assert _levels(now)["Cơ sở"][0] > 0
    # The old Kiên Giang holds nothing of 2026: its communes were merged a year before.
    old = json.loads(dvk("summary", "--phase", "2026-2030", "--unit", "KG"))
    assert sum(n for n, _ in _levels(old).values()) == 0
    gq = json.loads(dvk("summary", "--phase", "2026-2030", "--unit", "AGN-GQ-01"))
    assert gq["unit"]["name"] == "Xã Định Hòa"


def test_demo_logins_list_todays_accounts_and_the_history_ones(dvk):
    out = dvk("demo_logins", "--addr", "127.0.0.1:8123")
    today, history = out.split("Đơn vị trước sắp xếp")
    for username in ("tinh.thuky", "tinh.lanhdao", "tinh.thamdinh", "dinhhoa.vanthu",
                     "dinhhoa.thuky"):
        assert username in today
    assert "Tỉnh An Giang (AGN)" in today and "Xã Định Hòa (AGN-GQ-01)" in today
    assert "gq.thuky" in history and "Huyện Gò Quao (KG-GQ)" in history
    assert "http://127.0.0.1:8123/" in out
