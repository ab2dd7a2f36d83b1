"""Property: whatever the cells of an import file (random unicode with NUL and other control
characters, huge cells, numbers, dates, empty rows, valid values in the wrong column), each
importer exits 0 (imported) or 1 (refused, Vietnamese messages naming what is wrong) — never
a traceback — and a refused file writes nothing (the counts of every table it writes are
unchanged)."""
import datetime as dt
import math
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import given, settings, strategies as st

from tests.initiatives.test_import import HEADER as REG_HEADER, ROWS as REG_ROWS, \
    write_csv as reg_csv, write_xlsx as reg_xlsx
from tests.orgs.conftest import HEADER as UNIT_HEADER

from .conftest import soak_examples

pytestmark = pytest.mark.django_db

VIETNAMESE = re.compile(r"[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]", re.I)
UNIT_ROWS = [["FZ", "Tỉnh Thử", "", "Tỉnh", ""], ["FZ-1", "Huyện Thử", "FZ", "Huyện", ""],
             ["FZ-1-01", "Xã Thử", "FZ-1", "Cơ sở", "Chính quyền"],
             ["FZ-1-01-A", "Chi hội", "FZ-1-01", "Dưới cơ sở", ""]]
TABLES = ["orgs_unit", "orgs_unitevent", "initiatives_initiative", "initiatives_registration",
          "awards_award", "phases_phase", "phases_level", "common_historyentry"]

cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
cell = st.one_of(
    cell_text,
    st.sampled_from(["", " ", "\x00", "Cơ sở", "Tỉnh", "Huyện", "KG-GQ-02", "KG", "Kinh tế",
                     "Công nhận", "x", "2017", "2026", "9999", "-1", "=1+1", "Mô hình"]),
    st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "ộ", "\x00", " "]),
              st.integers(200, 140_000)),
)


def counts():
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in TABLES))
        return cur.fetchone()


def mutated(rows, header):
    """Rows made from valid ones, some cells replaced by generated ones; sometimes blank."""
    @st.composite
    def make(draw):
        out = []
        for _ in range(draw(st.integers(0, 5))):
            r = list(draw(st.sampled_from(rows)))
            for i in range(len(header)):
                if draw(st.integers(0, 3)) == 0:
                    r[i] = draw(cell)
            out.append(r)
        return out
    return make()


def _run(command, path, *args):
    """→ (exit status, stdout, stderr) as the shell would see them."""
    out, err = StringIO(), StringIO()
    try:
        call_command(command, path, *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    except CommandError as exc:
        status, err = exc.returncode, StringIO(err.getvalue() + str(exc))
    return status, out.getvalue(), err.getvalue()


def _check(command, path, *args):
    with transaction.atomic():
        before = counts()
        status, out, err = _run(command, path, *args)
        after = counts()
        transaction.set_rollback(True)
    assert status in (0, 1), (status, err[-500:])
    assert "Traceback" not in out + err
    if status == 1:
        assert after == before, "a refused file wrote rows"
        assert err.strip() and VIETNAMESE.search(err), err[-500:]
    return status


def _write(tmp_path, n, fmt, header, rows):
    import csv

    path = tmp_path / f"f{n}.{fmt}"
    if fmt == "xlsx":
        # A spreadsheet cell holds no NaN or infinity (xlsxwriter refuses to write one): as
        # text, as a person would type "nan" or "inf".
        return reg_xlsx(path, header, [[str(c)[:32_000] if isinstance(c, str)
                                        or (isinstance(c, float) and not math.isfinite(c))
                                        else c for c in r] for r in rows])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


COUNTER = iter(range(10**9))


@settings(max_examples=soak_examples(12))
@given(rows=mutated(REG_ROWS, REG_HEADER), fmt=st.sampled_from(["csv", "csv", "xlsx"]),
       phase=st.sampled_from(["2016-2020", "2016-2020", "2011-2015", "2016-2019", "1990-1994"]))
def test_fuzz_import_registrations(tmp_path, rows, fmt, phase):
    _check("import_registrations", _write(tmp_path, next(COUNTER), fmt, REG_HEADER, rows),
           "--phase", phase)


@settings(max_examples=soak_examples(12))
@given(rows=mutated(UNIT_ROWS, UNIT_HEADER), fmt=st.sampled_from(["csv", "csv", "xlsx"]))
def test_fuzz_import_units(tmp_path, rows, fmt):
    _check("import_units", _write(tmp_path, next(COUNTER), fmt, UNIT_HEADER, rows))


@settings(max_examples=soak_examples(8))
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(["csv", "xlsx"]),
       command=st.sampled_from(["import_units", "import_registrations"]))
def test_fuzz_arbitrary_bytes(tmp_path, data, fmt, command):
    """Any bytes under an importer's file name: refused in Vietnamese, or (rarely) read."""
    path = tmp_path / f"b{next(COUNTER)}.{fmt}"
    path.write_bytes(data)
    args = ("--phase", "2016-2020") if command == "import_registrations" else ()
    _check(command, str(path), *args)


def test_generated_valid_files_are_imported(tmp_path):
    """The fuzzers' starting rows themselves are good files (so mutations test refusals)."""
    assert _check("import_units", _write(tmp_path, "u", "csv", UNIT_HEADER, UNIT_ROWS)) == 0
    assert _check("import_registrations", _write(tmp_path, "r", "csv", REG_HEADER, REG_ROWS),
                  "--phase", "2016-2020") == 0
