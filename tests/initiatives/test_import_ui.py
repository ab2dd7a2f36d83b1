"""Importing a registrations file from the app: a secretariat uploads it, a background job
imports it within the uploader's subtree, and the job page shows the outcome or every
refused row."""
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from dvk.common.models import BackgroundJob
from dvk.initiatives.models import ImportBatch, Initiative, Registration

from .test_import import HEADER, ROWS as ALL_LEVELS, write_csv, write_xlsx
from tests.acting import command_line

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
URL = "/mo-hinh/nhap/"

# What a district secretariat may import: its own level and below (the file's 4th row,
# at province level, is the province's to import).
ROWS = [list(r) for r in ALL_LEVELS]
ROWS[3][7] = "Huyện"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(path, name=None):
    with open(path, "rb") as f:
        return SimpleUploadedFile(name or os.path.basename(path), f.read())


def post(client, path, phase="2016-2020", name=None):
    return client.post(URL, {"phase": phase, "file": upload(path, name)})


@override_settings(TASKS=IMMEDIATE)
def test_secretariat_imports_a_file_and_sees_the_summary(client_as, user, media, tmp_path):
    c = client_as("gq.thuky")
    page = c.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhập dữ liệu đăng ký" in html and "Mã đơn vị" in html
    assert 'href="/mo-hinh/nhap/"' in html  # in the main menu

    before = Registration.objects.count()
    r = post(c, write_xlsx(tmp_path / "mau-2-go-quao.xlsx", HEADER, ROWS))
    job = BackgroundJob.objects.get(owner=user("gq.thuky"), kind="import_registrations")
    assert r.status_code == 302 and r["Location"] == f"/bao-cao/cong-viec/{job.pk}/"
    assert job.status == "done" and job.total == 4 and job.percent == 100
    assert Registration.objects.count() == before + 4
    batch = ImportBatch.objects.get()
    assert batch.file_name == "mau-2-go-quao.xlsx" and batch.actor == user("gq.thuky")
    assert not any(files for _, _, files in os.walk(media))  # the upload is not kept

    html = c.get(r["Location"]).content.decode()
    assert "Đã nhập 4 dòng: 3 mô hình mới, 4 lượt đăng ký mới" in html
    assert "/mo-hinh/?phase=2016-2020" in html
    assert "Nhập tệp mau-2-go-quao.xlsx vào giai đoạn 2016-2020" in html
    assert 'href="/mo-hinh/nhap/" aria-current="page"' in html  # the menu says where we are
    assert "mau-2-go-quao.xlsx" in c.get(URL).content.decode()  # under recent imports


@override_settings(TASKS=IMMEDIATE)
def test_rows_outside_the_subtree_are_refused_like_unknown_units(client_as, media, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][4] = "KG-RG"        # a sibling district: exists, but not Gò Quao's
    rows[2][4] = "KHONG-CO"     # does not exist at all
    before = (Initiative.objects.count(), Registration.objects.count())
    c = client_as("gq.thuky")
    r = post(c, write_csv(tmp_path / "lan-sang.csv", HEADER, rows))
    job = BackgroundJob.objects.get(kind="import_registrations")
    assert job.status == "failed"
    assert (Initiative.objects.count(), Registration.objects.count()) == before
    assert not ImportBatch.objects.exists()

    html = c.get(r["Location"]).content.decode()
    assert "Tệp bị từ chối, không có dữ liệu nào được ghi" in html
    assert ("Dòng 3, cột «Mã đơn vị»: không có đơn vị mã «KG-RG» trong phạm vi đơn vị của bạn."
            in html)
    assert ("Dòng 4, cột «Mã đơn vị»: không có đơn vị mã «KHONG-CO» trong phạm vi đơn vị của "
            "bạn." in html)


@override_settings(TASKS=IMMEDIATE)
def test_the_province_may_import_what_the_district_may_not(client_as, media, tmp_path):
    rows = [list(r) for r in ROWS[:1]]
    rows[0][4] = "KG-RG"
    post(client_as("tinh.thuky"), write_csv(tmp_path / "tinh.csv", HEADER, rows))
    assert BackgroundJob.objects.get(kind="import_registrations").status == "done"


@pytest.mark.parametrize("name, content, error", [
    ("mau-2.xlsx", b"Ma mo hinh,Ten mo hinh\n", "Chỉ nhập được tệp .xlsx (Excel) và .csv"),
    ("mau-2.pdf", b"%PDF-1.4\n", "Chỉ nhập được tệp .xlsx (Excel) và .csv"),
    ("mau-2.csv", "Tên mô hình\nMô hình\n".encode("cp1252"), "không phải văn bản UTF-8"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_at_once(client_as, media, name, content,
                                                             error):
    r = client_as("gq.thuky").post(URL, {"phase": "2016-2020",
                                         "file": SimpleUploadedFile(name, content)})
    assert r.status_code == 200 and error in r.content.decode()
    assert not BackgroundJob.objects.exists()


def test_only_the_secretariat_imports(client_as, client):
    assert client_as("dinhhoa.vanthu").get(URL).status_code == 403
    assert client_as("tinh.lanhdao").get(URL).status_code == 403
    assert client_as("gq.thamdinh").post(URL, {"phase": "2016-2020"}).status_code == 403
    assert client.get(URL).status_code == 302  # anonymous: to the sign-in page


@override_settings(TASKS=IMMEDIATE)
def test_a_member_who_lost_the_role_before_the_job_ran_imports_nothing(user, unit, media,
                                                                         tmp_path):
    from django.core.files.storage import default_storage

    from dvk.imports.jobs import run_import_job
    from dvk.orgs.models import Membership

    owner = user("gq.thuky")
    membership = Membership.objects.get(user=owner, unit__code="KG-GQ")
    path = write_csv(tmp_path / "f.csv", HEADER, ROWS)
    with open(path, "rb") as f:
        name = default_storage.save("imports/f.csv", f)
    job = BackgroundJob.objects.create(
        kind="import_registrations", owner=owner, unit=unit("KG-GQ"),
        params={"phase": "2016-2020", "file_name": "f.csv", "upload": name,
                "membership": membership.pk})
    Membership.objects.filter(user=owner).update(is_active=False)
    before = Registration.objects.count()
    run_import_job(job)
    job.refresh_from_db()
    assert job.status == "failed" and "không còn quyền" in job.message
    assert Registration.objects.count() == before
    assert not default_storage.exists(name)


def test_the_import_reports_progress_per_chunk(db, tmp_path, monkeypatch):
    from dvk.imports import registrations as importing

    monkeypatch.setattr(importing, "PIPELINE_CHUNK", 2)
    seen = []
    importing.import_registrations(write_csv(tmp_path / "f.csv", HEADER, ROWS),
                                   phase_code="2016-2020", scope=command_line(),
                                   progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 4), (4, 4)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="progress goes through a second "
                    "connection on PostgreSQL; SQLite has one writer")
@pytest.mark.django_db
def test_progress_is_visible_while_the_import_transaction_is_open():
    """The page polls from another connection: progress must not wait for the import's
    COMMIT (nor use the import's connection, which its writer thread owns)."""
    from dvk.imports.jobs import _report_progress

    # The job row is committed by a connection of its own, as the worker's job.start() is;
    # this test's connection stays inside its (never committed) transaction throughout.
    page = connection.get_new_connection(connection.get_connection_params())
    page.autocommit = True
    try:
        job_id = page.execute(
            "INSERT INTO common_backgroundjob (kind, title, status, done, total, message, params,"
            " result_file, result_name, created_at) VALUES ('import_registrations', '', "
            "'running', 0, 0, '', '{}', '', '', now()) RETURNING id").fetchone()[0]
        _report_progress(job_id)(3, 10)
        assert page.execute("SELECT done, total FROM common_backgroundjob WHERE id = %s",
                            [job_id]).fetchone() == (3, 10)
    finally:
        page.execute("DELETE FROM common_backgroundjob WHERE kind = 'import_registrations'")
        page.close()


API = "/api/v1/imports/registrations"


@override_settings(TASKS=IMMEDIATE)
def test_api_imports_a_file_as_a_job_the_caller_can_follow(client_as, media, tmp_path):
    c = client_as("gq.thuky")
    with open(write_csv(tmp_path / "mau-2.csv", HEADER, ROWS), "rb") as f:
        r = c.post(API, {"phase": "2016-2020", "file": f})
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["status"] == "done" and job["percent"] == 100 and job["problems"] == []
    assert job["message"].startswith("Đã nhập 4 dòng: 3 mô hình mới, 4 lượt đăng ký mới")
    assert job["page"] == f"/bao-cao/cong-viec/{job['id']}/" and job["download"] is None
    assert c.get(f"/api/v1/jobs/{job['id']}").json() == job
    assert client_as("tinh.thuky").get(f"/api/v1/jobs/{job['id']}").status_code == 404


@override_settings(TASKS=IMMEDIATE)
def test_api_lists_a_refused_files_problems(client_as, media, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][7] = "Trung ương"
    before = Registration.objects.count()
    with open(write_csv(tmp_path / "sai.csv", HEADER, rows), "rb") as f:
        job = client_as("gq.thuky").post(API, {"phase": "2016-2020", "file": f}).json()
    assert job["status"] == "failed" and job["message"] == ""
    assert job["problems"] == ["Dòng 2, cột «Cấp»: cấp «Trung ương» không có trong giai đoạn "
                               "2016-2020 (Cơ sở, Huyện, Tỉnh)."]
    assert Registration.objects.count() == before


def test_api_refuses_other_roles_and_bad_input(client_as, media):
    pdf = SimpleUploadedFile("mau-2.pdf", b"%PDF-1.4\n")
    r = client_as("dinhhoa.vanthu").post(API, {"phase": "2016-2020", "file": pdf})
    assert r.status_code == 403 and r.json()["detail"] == "Chỉ thư ký Ban Chỉ đạo được nhập dữ liệu."
    pdf.seek(0)
    r = client_as("gq.thuky").post(API, {"phase": "2016-2020", "file": pdf})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Tệp (.xlsx hoặc .csv): Chỉ nhập được tệp .xlsx")
    pdf.seek(0)
    r = client_as("gq.thuky").post(API, {"phase": "1999-2000", "file": pdf})
    assert r.status_code == 400 and r.json()["detail"].startswith("Giai đoạn: ")
    assert not BackgroundJob.objects.exists()


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize("case", ["bomb", "nul", "long", "empty"])
def test_the_new_refusals_are_listed_on_the_job_page(client_as, media, tmp_path, case):
    from .test_import_refusals import ROW, row, zip_bomb

    if case == "bomb":
        path, expected = zip_bomb(tmp_path / "bom.xlsx"), "nén bất thường"
    elif case == "nul":
        path = write_xlsx(tmp_path / "nul.xlsx", HEADER, [ROW, row(Chủ_thể="Hội\x00 Nông dân")])
        expected = "Dòng 3, cột «Chủ thể»: có ký tự không hợp lệ U+0000 ở vị trí 4"
    elif case == "long":
        path = write_csv(tmp_path / "dai.csv", HEADER, [row(Tên_mô_hình="x" * 150_000)])
        expected = "Dòng 2, cột «Tên mô hình»: dài 150000 ký tự, vượt giới hạn 500 ký tự."
    else:
        path = write_csv(tmp_path / "trong.csv", HEADER, [])
        expected = "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào để nhập."
    before = (Initiative.objects.count(), Registration.objects.count())
    c = client_as("gq.thuky")
    r = post(c, path)
    job = BackgroundJob.objects.get(kind="import_registrations")
    assert job.status == "failed" and expected in job.message
    assert (Initiative.objects.count(), Registration.objects.count()) == before
    page = c.get(r["Location"])
    assert page.status_code == 200 and expected in page.content.decode()
    assert not any(files for _, _, files in os.walk(media))  # the upload is not kept


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize("who, file_level, ceiling", [
    ("gq.thuky", "tỉnh", "Huyện"),        # a district's secretariat, a province-level row
    ("dinhhoa.thuky", "Huyện", "Cơ sở"),  # a commune's secretariat, a district-level row
])
def test_a_secretariat_imports_no_outcome_above_its_committees_level(client_as, media,
                                                                     tmp_path, who,
                                                                     file_level, ceiling):
    rows = [list(r) for r in ROWS]
    rows[0][7] = file_level
    before = Registration.objects.count()
    with open(write_csv(tmp_path / "cap-tren.csv", HEADER, rows), "rb") as f:
        job = client_as(who).post(API, {"phase": "2016-2020", "file": f}).json()
    assert job["status"] == "failed"
    assert (f"Dòng 2, cột «Cấp»: cấp «{file_level}» cao hơn cấp {ceiling} của Ban Chỉ đạo đơn "
            "vị bạn; kết quả cấp này do Ban Chỉ đạo cấp trên nhập.") in job["problems"]
    assert Registration.objects.count() == before


@override_settings(TASKS=IMMEDIATE)
def test_the_province_imports_outcomes_at_every_level(client_as, media, tmp_path):
    with open(write_csv(tmp_path / "tinh.csv", HEADER, ALL_LEVELS), "rb") as f:
        job = client_as("tinh.thuky").post(API, {"phase": "2016-2020", "file": f}).json()
    assert job["status"] == "done", job["problems"]
