"""dvk backup / dvk restore (CONTRACTS §10), run as the commands they are, on the suite's
database engine: a demo database with history and an uploaded file comes back into a fresh
one row for row, sequence for sequence and byte for byte; a database holding data, a damaged
file, a file of another schema and a missing file are refused without writing anything."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import pytest

from dvk.initiatives import sqlite_indexes

DVK = os.path.join(os.path.dirname(sys.executable), "dvk")
BASE_URL = os.environ.get("DATABASE_URL", "")
ON_PG = BASE_URL.startswith("postgres")
# Not in the file, by design (restore --help says so); Django's own migration record is
# compared through the schema check instead.
NOT_COMPARED = {"django_session", "django_tasks_database_dbtaskresult", "django_migrations"}

EXTRAS = """
from django.core.files.base import ContentFile
from dvk.common.history import record
from dvk.common.models import HistoryEntry
from dvk.initiatives.models import Attachment, Registration
reg = Registration._unguarded.order_by("id").first()
att = Attachment(registration=reg, original_name="Báo cáo tổng kết.pdf",
                 content_type="application/pdf", size=6)
att.file.save("bao-cao.pdf", ContentFile(b"%PDF\\x00\\xff"), save=True)
record(reg, "registration.changed", changes={"title": ["Cũ", "Mới — “ngoặc”"]},
       comment="Sửa tên 😀")
gone = record(reg, "registration.changed", comment="removed: leaves a gap in the ids")
gone.delete()
"""


def _worker():
    return os.environ.get("PYTEST_XDIST_WORKER", "gw")


def _admin_url():
    return BASE_URL.rsplit("/", 1)[0] + "/postgres"


class Databases:
    """Fresh migrated databases of the suite's engine, cloned from one template."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.made = []
        self.template = self._url("tpl")
        if ON_PG:
            self._pg(f'DROP DATABASE IF EXISTS "{self._name("tpl")}" WITH (FORCE)',
                     f'CREATE DATABASE "{self._name("tpl")}"')
        self.run(self.template, "migrate", "-v0", "--no-input", check=True)

    def _name(self, tag):
        return f"dvk_bk_{_worker()}_{tag}"

    def _url(self, tag):
        if ON_PG:
            return BASE_URL.rsplit("/", 1)[0] + "/" + self._name(tag)
        return f"sqlite:///{self.tmp / (tag + '.sqlite3')}"

    def _pg(self, *statements):
        import psycopg

        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            for s in statements:
                conn.execute(s)

    def fresh(self, tag):
        url = self._url(tag)
        if ON_PG:
            self._pg(f'DROP DATABASE IF EXISTS "{self._name(tag)}" WITH (FORCE)',
                     f'CREATE DATABASE "{self._name(tag)}" TEMPLATE "{self._name("tpl")}"')
            self.made.append(tag)
        else:
            shutil.copy(self.template.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        (self.tmp / f"media-{tag}").mkdir(exist_ok=True)
        return url

    def media(self, url):
        tag = url.rsplit("/", 1)[1].removesuffix(".sqlite3").rsplit("_", 1)[-1]
        return self.tmp / f"media-{tag}"

    def run(self, url, *args, check=False):
        env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(self.media(url)),
                   SECRET_KEY="backup-tests")
        env.pop("DEBUG", None)
        result = subprocess.run([DVK, *args], env=env, capture_output=True, text=True)
        if check and result.returncode:
            raise AssertionError(result.stderr)
        return result

    def drop_all(self):
        if ON_PG:
            self._pg(*(f'DROP DATABASE IF EXISTS "{self._name(t)}" WITH (FORCE)'
                       for t in [*self.made, "tpl"]))


def dump(url) -> dict:
    """Every table's rows and every sequence, read straight from the database."""
    if ON_PG:
        import psycopg

        with psycopg.connect(url) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")]
            data = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))
                    for t in tables if t not in NOT_COMPARED}
            data["<sequences>"] = sorted(conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences").fetchall(), key=repr)
            return data
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        # The title search's FTS5 index is derived from the models' table: its shadow tables'
        # bytes depend on the order rows were written. Compare what it finds instead, after
        # FTS5's own check that it agrees with the table (raises if it does not).
        index = sqlite_indexes.INDEX
        conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        data = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))
                for t in tables if t not in NOT_COMPARED and not t.startswith(index + "_")}
        data["<search>"] = conn.execute(
            f"SELECT group_concat(rowid) FROM (SELECT rowid FROM {index} "
            f"WHERE {index} MATCH 'khe' ORDER BY rowid)").fetchall()
        data["<sequences>"] = sorted(conn.execute("SELECT name, seq FROM sqlite_sequence"))
    return data


def files(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("backup"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(dbs):
    """A demo database with history entries (one deleted: a gap below the sequence), an
    attachment on disk, and its backup file."""
    url = dbs.fresh("src")
    dbs.run(url, "seed_demo", "--scale", "0.02", check=True)
    dbs.run(url, "shell", "-c", EXTRAS, check=True)
    path = dbs.tmp / "dvk-backup.zip"
    result = dbs.run(url, "backup", str(path))
    assert result.returncode == 0, result.stderr
    assert "Bảng initiatives_registration:" in result.stderr  # progress on stderr
    return url, path


def test_round_trip_restores_every_table_sequence_and_file(dbs, source):
    url, path = source
    target = dbs.fresh("dst")
    result = dbs.run(target, "restore", str(path))
    assert result.returncode == 0, result.stderr
    before, after = dump(url), dump(target)
    assert before["common_historyentry"] and before["initiatives_attachment"]
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], table
    assert files(dbs.media(target)) == files(dbs.media(url))
    assert any(name.startswith("attachments/") or name.endswith(".pdf")
               for name in files(dbs.media(url)))


def test_restored_database_goes_on_with_the_next_ids(dbs, source):
    """Sequences come back: the next history entry gets the id after the deleted one, not
    the deleted one's id again."""
    url, path = source
    target = dbs.fresh("seq")
    assert dbs.run(target, "restore", str(path)).returncode == 0
    last = ("from django.db.models import Max\n"
            "from dvk.common.models import HistoryEntry\n"
            "print(HistoryEntry.objects.aggregate(m=Max('id'))['m'])")
    kept = int(dbs.run(url, "shell", "-c", last, check=True).stdout.split()[-1])
    probe = ("from dvk.orgs.models import Unit\n"
             "from dvk.common.history import record\n"
             "print(record(Unit.objects.first(), 'probe').pk)")
    new = int(dbs.run(target, "shell", "-c", probe, check=True).stdout.split()[-1])
    assert new == kept + 2


def test_refuses_a_database_with_data_unless_forced(dbs, source):
    url, path = source
    target = dbs.fresh("full")
    dbs.run(target, "seed_demo", "--scale", "0.02", check=True)
    before = dump(target)
    result = dbs.run(target, "restore", str(path))
    assert result.returncode == 1
    assert "đã có dữ liệu" in result.stderr and "--force" in result.stderr
    assert "orgs_unit" in result.stderr
    assert dump(target) == before
    forced = dbs.run(target, "restore", str(path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert dump(target) == dump(url)


def test_refuses_a_media_folder_with_files(dbs, source):
    _, path = source
    target = dbs.fresh("media")
    (dbs.media(target) / "stray.txt").write_text("x")
    result = dbs.run(target, "restore", str(path))
    assert result.returncode == 1 and "tệp tải lên" in result.stderr


def _rewrite(src, dst, *, manifest=None, drop=None, add=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info)
            if info.filename == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def _other_schema(m):
    m["migrations"] = [x for x in m["migrations"] if not x.startswith("awards.")] + [
        "awards.9999_from_the_future"]
    return m


def _damaged(src, dst):
    """Flip bytes in the middle of the largest member: its CRC no longer matches."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        big = max(z.infolist(), key=lambda i: i.compress_size)
    middle = big.header_offset + 30 + len(big.filename) + big.compress_size // 2
    data[middle:middle + 8] = bytes(8)
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("make, says", [
    (lambda src, dst: dst.write_bytes(b"PK\x03\x04 not really a zip") and dst,
     "không phải là bản sao lưu DVK"),
    (lambda src, dst: _rewrite(src, dst, drop="manifest.json"), "manifest.json"),
    (lambda src, dst: _rewrite(src, dst, manifest=_other_schema), "lược đồ dữ liệu khác"),
    (lambda src, dst: _rewrite(src, dst, manifest=lambda m: {**m, "format": "x"}),
     "không phải là bản sao lưu DVK"),
    (lambda src, dst: _rewrite(src, dst, add={"media/../../escape.txt": b"x"}),
     "đường dẫn không hợp lệ"),
    (_damaged, "bị hỏng"),
], ids=["not-a-zip", "no-manifest", "other-schema", "foreign-format", "path-escape", "damaged"])
def test_refuses_a_damaged_or_foreign_file_and_writes_nothing(dbs, source, make, says):
    _, path = source
    target = dbs.fresh("bad")
    before = dump(target)
    bad = make(path, dbs.tmp / "bad.zip")
    result = dbs.run(target, "restore", str(bad))
    assert result.returncode == 1, result.stderr
    assert says in result.stderr and "Không có dữ liệu nào được ghi" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(target) == before
    assert files(dbs.media(target)) == {}
    assert not (dbs.tmp / "escape.txt").exists()


def test_usage_errors_exit_2(dbs):
    target = dbs.fresh("usage")
    missing = dbs.run(target, "restore", str(dbs.tmp / "nowhere.zip"))
    assert missing.returncode == 2 and "Không tìm thấy tệp" in missing.stderr
    assert dbs.run(target, "restore").returncode == 2
    assert dbs.run(target, "backup").returncode == 2
    assert dbs.run(target, "backup", str(dbs.tmp / "no-such-folder" / "x.zip")).returncode == 2


def test_help_says_what_is_left_out(dbs):
    for command in ("backup", "restore"):
        text = " ".join(dbs.run(dbs.template, command, "--help").stdout.split()).lower()
        assert "phiên đăng nhập" in text and "hàng đợi công việc nền" in text
