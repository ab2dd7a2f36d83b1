"""How dvk import_registrations writes: one import batch as the history of what it
created, and, on PostgreSQL, foreign keys checked set-wise (common/bulk.py) or by the
database's own triggers when the role may not turn them off."""
import hashlib

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from dvk.awards.models import Award
from dvk.common import bulk
from dvk.common.bulk import BulkWriter, ReferenceMissing
from dvk.common.history import history_of
from dvk.imports import registrations as importing
from dvk.initiatives.models import ImportBatch, Initiative, Registration
from dvk.orgs.models import Unit

from .test_import import HEADER, ROWS, counts, run, write_csv
from tests.acting import command_line

COLS = ["unit_id", "field_id", "title", "search_text", "sort_key", "created_at", "updated_at"]
NOW = timezone.now()
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="COPY and session_replication_role are PostgreSQL's")


@pytest.mark.django_db
def test_the_batch_records_who_when_which_file_and_is_the_history_of_what_it_created(tmp_path):
    path = write_csv(tmp_path / "lich-su.csv", HEADER, ROWS)
    run(path)
    batch = ImportBatch.objects.get()
    assert batch.file_name == "lich-su.csv"
    assert batch.sha256 == hashlib.sha256(open(path, "rb").read()).hexdigest()
    assert (batch.rows, batch.initiatives_created, batch.registrations_created,
            batch.awards_created) == (4, 3, 4, 1)
    reg = Registration.objects.get(initiative__code="IMP-001", year=2017)
    award = Award.objects.get(registration=reg)
    assert reg.import_batch_id == award.import_batch_id == batch.pk
    for obj in (reg, award):
        entry = history_of(obj).get()
        assert entry.action == "import" and "lich-su.csv" in entry.comment
        assert "3 mô hình mới, 4 lượt đăng ký mới" in entry.comment

    run(path)  # nothing to do: no second batch
    assert ImportBatch.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("fast", [True, False], ids=["set-wise", "triggers"])
def test_both_ways_of_checking_references_give_the_same_data(tmp_path, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(bulk, "_may_set_replication_role", lambda db: False)
    before = counts()
    run(write_csv(tmp_path / "a.csv", HEADER, ROWS))
    assert counts() == (before[0] + 3, before[1] + 4, before[2] + 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # the setting never outlives the import
            cur.execute("SHOW session_replication_role")
            assert cur.fetchone()[0] == "origin"


@postgres_only
@pytest.mark.django_db
def test_a_reference_to_a_missing_row_is_refused_and_nothing_is_written():
    unit = Unit.objects.filter(code="KG-GQ-02").get()
    before = Initiative.objects.count()
    with pytest.raises(ReferenceMissing, match="orgs_unit"):
        with transaction.atomic(), BulkWriter() as writer:
            assert writer.checks_references  # CI's role is a superuser
            writer.insert(Initiative, COLS, [(unit.pk, 1, "Có thật", "co that", "x", NOW, NOW),
                                             (10**9, 1, "Không có", "khong co", "x", NOW, NOW)],
                          2)
    assert Initiative.objects.count() == before


@postgres_only
@pytest.mark.django_db
def test_references_are_locked_like_the_triggers_lock_them():
    unit = Unit.objects.filter(code="KG-GQ-02").get()
    with transaction.atomic(), BulkWriter() as writer:
        writer.insert(Initiative, COLS, [(unit.pk, 1, "Khóa dòng", "khoa dong", "x", NOW, NOW)],
                      1)
        writer.check_references()
        # Another session can't delete the unit (nor lock it for update) until we commit.
        other = connection.get_new_connection(connection.get_connection_params())
        try:
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("SELECT id FROM orgs_unit WHERE id = %s FOR UPDATE NOWAIT",
                              [unit.pk])
        finally:
            other.close()


@pytest.mark.django_db
def test_a_problem_after_chunks_were_written_still_writes_nothing(tmp_path, monkeypatch):
    """Chunks are written while later ones are validated: a bad last row must undo them."""
    monkeypatch.setattr(importing, "PIPELINE_CHUNK", 2)
    rows = [list(r) for r in ROWS] + [["", "Khéo vận động sai năm", "Mô hình", "", "KG-GQ-02",
                                       "", "Kinh tế", "Cơ sở", 1999, "", "", ""]]
    before = counts()
    with pytest.raises(SystemExit) as exit_:
        run(write_csv(tmp_path / "bad.csv", HEADER, rows))
    assert exit_.value.code == 1
    assert counts() == before and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_failure_while_writing_a_chunk_undoes_the_whole_import(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "PIPELINE_CHUNK", 2)
    write = importing._Writer.write
    calls = []

    def fail_second(self, rows, keys):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        write(self, rows, keys)

    monkeypatch.setattr(importing._Writer, "write", fail_second)
    before = counts()
    with pytest.raises(RuntimeError, match="disk full"):
        importing.import_registrations(write_csv(tmp_path / "a.csv", HEADER, ROWS),
                                       phase_code="2016-2020", scope=command_line())
    assert calls == [2, 2] and counts() == before


@pytest.mark.django_db
def test_administrators_see_the_imports_read_only(client_as, tmp_path):
    run(write_csv(tmp_path / "ky-truoc.csv", HEADER, ROWS))
    c = client_as("quantri")
    page = c.get("/admin/initiatives/importbatch/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200 and "ky-truoc.csv" in page.content.decode()
    batch = ImportBatch.objects.get()
    assert c.post(f"/admin/initiatives/importbatch/{batch.pk}/delete/",
                  {"post": "yes"}).status_code == 403
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
