"""The activities import from the app: a secretariat uploads a file, a background job
imports it within the uploader's subtree (the registrations import's machinery), the job
page lists a refused file's rows; each kind has a blank template to download."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .conftest import PRESS_HEADER, TRAINING_HEADER, press_rows, training_rows
from tests.initiatives.test_import import write_csv, write_xlsx

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
URL = "/hoat-dong/nhap/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def upload(path):
    with open(path, "rb") as f:
        return SimpleUploadedFile(path.rsplit("/", 1)[-1], f.read())


@override_settings(TASKS=IMMEDIATE)
def test_a_secretariat_imports_press_entries_as_a_background_job(client_as, user, tmp_path):
    from dvk.activities.models import PressEntry
    from dvk.common.models import BackgroundJob

    c = client_as("tinh.thuky")
    page = c.get(URL).content.decode()
    assert "Nhập dữ liệu hoạt động" in page and "Tải tệp mẫu trống" in page
    path = write_xlsx(tmp_path / "bao-chi.xlsx", PRESS_HEADER, press_rows()[:40])
    r = c.post(URL, {"kind": "press", "phase": "2016-2020", "file": upload(path)})
    job = BackgroundJob.objects.get(owner=user("tinh.thuky"), kind="import_activities")
    assert r["Location"] == f"/bao-cao/cong-viec/{job.pk}/"
    assert job.status == "done" and job.percent == 100, job.message
    assert job.message.startswith("Đã nhập 40 dòng: 40 tác phẩm dự thi mới")
    assert PressEntry.objects.count() == 40
    assert "Quay lại trang nhập dữ liệu" in c.get(r["Location"]).content.decode()


@override_settings(TASKS=IMMEDIATE)
def test_a_district_cannot_import_rows_of_other_units(client_as, user, tmp_path):
    from dvk.activities.models import TrainingClass
    from dvk.common.models import BackgroundJob

    path = write_csv(tmp_path / "t.csv", TRAINING_HEADER, training_rows()[:3])
    r = client_as("gq.thuky").post(URL, {"kind": "training", "phase": "2016-2020",
                                         "file": upload(path)})
    job = BackgroundJob.objects.get(owner=user("gq.thuky"), kind="import_activities")
    assert job.status == "failed"
    assert job.message_lines[0] == ("Dòng 2, cột «Mã đơn vị»: không có đơn vị mã «KG» trong "
                                    "phạm vi đơn vị của bạn.")
    page = client_as("gq.thuky").get(r["Location"]).content.decode()
    assert 'id="job-problems"' in page
    assert TrainingClass.objects.count() == 0


def test_only_a_secretariat_imports(client_as):
    assert client_as("dinhhoa.vanthu").get(URL).status_code == 403


def test_blank_templates_have_the_contract_columns(client_as):
    from python_calamine import CalamineWorkbook

    r = client_as("dinhhoa.vanthu").get(URL + "mau/", {"kind": "training"})
    assert r.status_code == 200 and "mau-tap-huan.xlsx" in r["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0)
    assert sheet.to_python()[0] == TRAINING_HEADER
    assert client_as("dinhhoa.vanthu").get(URL + "mau/", {"kind": "x"}).status_code == 404
