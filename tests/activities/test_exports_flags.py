"""Exports of the activity lists (XLSX and CSV: the list's rows, user text never a formula,
an inspections export that the import reads back) and the warnings on the lists."""
import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _sheet(resp):
    ws = load_workbook(io.BytesIO(resp.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def _csv(resp):
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


@pytest.fixture
def activities(unit):
    from dvk.activities.models import InspectionRound, InspectionVisit, PressEntry, TrainingClass
    from dvk.phases.models import Phase

    phase = Phase.objects.get(code="2026-2030")
    gq, rg = unit("KG-GQ"), unit("KG-RG")
    TrainingClass.objects.create(phase=phase, unit=gq, date=dt.date(2026, 4, 2), attendances=85,
                                 name='=HYPERLINK("http://x","Xem")')
    TrainingClass.objects.create(phase=phase, unit=gq, date=dt.date(2026, 4, 3), attendances=0,
                                 name="Lớp chưa nhập số người")
    TrainingClass.objects.create(phase=phase, unit=gq, date=dt.date(2026, 4, 4),
                                 attendances=5000, name="Lớp quá đông")
    TrainingClass.objects.create(phase=phase, unit=rg, date=dt.date(2026, 4, 2), attendances=40,
                                 name="Lớp của Rạch Giá")
    r = InspectionRound.objects.create(phase=phase, unit=gq, code="KT-GQ-26", form="inspection",
                                       start_date=dt.date(2026, 1, 5),
                                       end_date=dt.date(2026, 1, 30))
    InspectionVisit.objects.create(round=r, unit=unit("KG-GQ-02"), date=dt.date(2026, 1, 10),
                                   findings="+ Tốt")
    PressEntry.objects.create(phase=phase, unit=gq, title="Chung kết mà chưa đủ điều kiện",
                              author="B", genre="radio", year=2026, national_finalist=True)
    return phase


def test_training_export_is_the_lists_rows_and_keeps_text_as_text(client_as, activities):
    c = client_as("gq.thuky")
    rows = _sheet(c.get("/hoat-dong/tap-huan/xuat/", {"phase": "2026-2030", "fmt": "xlsx"}))
    assert rows[0][:5] == ["Mã đơn vị", "Ngày", "Tên lớp", "Đối tượng", "Số lượt tham dự"]
    names = [r[2] for r in rows[1:]]
    assert '=HYPERLINK("http://x","Xem")' in names and "Lớp của Rạch Giá" not in names
    assert {r[4] for r in rows[1:]} >= {85, 0, 5000}
    # the filters of the list apply
    only = _sheet(c.get("/hoat-dong/tap-huan/xuat/", {"q": "quá đông"}))
    assert [r[2] for r in only[1:]] == ["Lớp quá đông"]
    lines = _csv(c.get("/hoat-dong/tap-huan/xuat/", {"phase": "2026-2030", "fmt": "csv"}))
    assert "'=HYPERLINK(\"http://x\",\"Xem\")" in [r[2] for r in lines[1:]]
    assert "02/04/2026" in [r[1] for r in lines[1:]]


def test_the_inspections_export_reimports(client_as, activities, tmp_path):
    from tests.activities.conftest import run

    c = client_as("gq.thuky")
    resp = c.get("/hoat-dong/kiem-tra/xuat/", {"phase": "2026-2030", "fmt": "xlsx"})
    rows = _sheet(resp)
    assert rows[1][:6] == ["KT-GQ-26", "KG-GQ", "Kiểm tra", dt.datetime(2026, 1, 10),
                           "KG-GQ-02", "+ Tốt"]
    path = tmp_path / "kiem-tra.xlsx"
    path.write_bytes(resp.content)
    code, out, err = run(path, "inspections", phase="2026-2030")
    assert code == 0, err


@pytest.mark.parametrize("url", ["/hoat-dong/bao-chi/xuat/", "/hoat-dong/so-ket/xuat/",
                                 "/hoat-dong/kinh-phi/xuat/"])
def test_every_list_exports(client_as, activities, url):
    c = client_as("gq.thuky")
    assert c.get(url).status_code == 200 and _csv(c.get(url, {"fmt": "csv"}))[0]


def test_lists_warn_about_data_problems(client_as, activities):
    c = client_as("gq.thuky")
    page = c.get("/hoat-dong/tap-huan/", {"phase": "2026-2030"}).content.decode()
    assert "Số lượt tham dự bằng 0." in page
    assert "Số lượt tham dự (5.000) lớn bất thường cho một lớp (quá 1.000)." in page
    assert "2 dòng trên trang này có thể có số liệu bất thường" in page
    press = c.get("/hoat-dong/bao-chi/").content.decode()
    assert "Vào chung kết toàn quốc nhưng không được ghi là đủ điều kiện" in press
    rounds = c.get("/hoat-dong/kiem-tra/").content.decode()
    assert "1 lượt kiểm tra chưa kết thúc theo dõi dù đợt đã kết thúc quá 90 ngày." in rounds


def test_flag_rules():
    from types import SimpleNamespace as O

    from dvk.activities import flags

    assert flags.training_flags(O(attendances=68)) == []
    assert flags.press_flags(O(national_finalist=True, national_eligible=True)) == []
    end = dt.date(2026, 1, 30)
    assert flags.round_flags(O(n_open=1, end_date=end), today=dt.date(2026, 3, 1)) == []
    assert flags.round_flags(O(n_open=0, end_date=end), today=dt.date(2027, 1, 1)) == []
    assert flags.round_flags(O(n_open=2, end_date=end), today=dt.date(2027, 1, 1))
