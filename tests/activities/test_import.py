"""dvk import_activities (CONTRACTS §7) on files with seed 004's figures: the summary
gives exactly those figures (§9), a second import changes nothing, a broken file is
refused row by row and writes nothing."""
import json
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from .conftest import (INSPECTION_HEADER, PRESS_HEADER, TRAINING_HEADER, inspection_rows,
                       press_rows, run, training_rows)
from tests.initiatives.test_import import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

SEED004 = {
    "training": {"classes": 20, "attendances": 1362},
    "inspections": {"rounds": 2, "units_visited": 35,
                    "by_form": {"Kiểm tra": 15, "Khảo sát": 20}},
    "press": {"entries": 470,
              "by_genre": {"Báo in": 111, "Báo hình": 123, "Báo nói": 41, "Báo điện tử": 195},
              "national_eligible": 123, "national_finalists": 3, "provincial_prizes": 33},
    "appraisal_teams": 37,
    "follow_up": {"visits": 0, "models_visited": 0, "models_visited_on_site": 0},
    "reviews": [{"kind": "Sơ kết", "expected": 20, "held": 20, "conference": 19,
                 "reported_only": ["Đảng ủy Bộ đội Biên phòng tỉnh"]},
                {"kind": "Tổng kết", "expected": 20, "held": 0, "conference": 0,
                 "reported_only": []}],
}


def counts():
    from dvk.activities.models import InspectionRound, InspectionVisit, PressEntry, TrainingClass
    from dvk.common.models import HistoryEntry
    from dvk.initiatives.models import ImportBatch

    return tuple(m.objects.count() for m in (TrainingClass, InspectionRound, InspectionVisit,
                                             PressEntry, ImportBatch, HistoryEntry))


def summary_json(*args):
    out = StringIO()
    call_command("summary", "--phase", "2016-2020", "--format", "json", *args, stdout=out,
                 stderr=StringIO())
    return json.loads(out.getvalue())


def test_dvk_summary_gives_seed_004s_figures(seed004):
    data = summary_json()
    assert data["activities"] == SEED004
    assert "levels" in data and "awards" in data  # §5 unchanged


def test_the_api_gives_the_same_block(seed004, client_as):
    r = client_as("tinh.thuky").get("/api/v1/summary", {"phase": "2016-2020"})
    assert r.status_code == 200 and r.json()["activities"] == SEED004


def test_year_and_unit_select_their_part(seed004):
    year = summary_json("--year", "2019")["activities"]
    assert year["training"] == {"classes": 4, "attendances": 4 * 68}
    assert year["inspections"] == {"rounds": 1, "units_visited": 15,
                                   "by_form": {"Kiểm tra": 15, "Khảo sát": 0}}
    assert year["press"]["entries"] == 157  # 2018 + i % 3 == 2019
    district = summary_json("--unit", "KG-GQ")["activities"]
    assert district["training"] == {"classes": 1, "attendances": 68}
    assert district["inspections"]["units_visited"] == 0  # the province's rounds
    assert district["press"]["entries"] == 0


def test_a_second_import_changes_nothing(seed004, seed004_files):
    before = counts()
    for kind, path in seed004_files.items():
        code, out, err = run(path, kind)
        assert code == 0, err
        assert re.match(r"Đã nhập \d+ dòng: 0 .+ mới, 0 cập nhật", out), out
    assert counts() == before
    assert summary_json()["activities"] == SEED004


def test_a_changed_row_is_updated_with_its_history(seed004, tmp_path):
    from dvk.activities.models import TrainingClass
    from dvk.common.history import history_of

    rows = training_rows()
    rows[3][4] = 90
    code, out, err = run(write_xlsx(tmp_path / "t.xlsx", TRAINING_HEADER, rows), "training")
    assert code == 0 and "0 lớp tập huấn mới, 1 cập nhật, 19 không thay đổi" in out
    changed = TrainingClass.objects.get(attendances=90)
    entries = list(history_of(changed))
    assert [e.action for e in entries] == ["import_update", "import"]
    assert entries[0].changes == {"attendances": [68, 90]}


def test_a_broken_file_is_refused_naming_its_rows_and_writes_nothing(seed004_files, tmp_path):
    before = counts()
    rows = training_rows()
    rows[1][0] = "KG-KHONG-CO"
    rows[2][1] = "12/05/2021"
    rows[4][4] = "-3"
    rows[5][2] = ""
    rows.append(list(rows[0]))
    code, out, err = run(write_csv(tmp_path / "hong.csv", TRAINING_HEADER, rows), "training")
    assert code == 1
    assert err.splitlines()[:5] == [
        "Dòng 3, cột «Mã đơn vị»: không có đơn vị mã «KG-KHONG-CO» trong phạm vi đơn vị của bạn.",
        "Dòng 4, cột «Ngày»: ngày 12/05/2021 không thuộc giai đoạn 2016-2020.",
        "Dòng 6, cột «Số lượt tham dự»: «-3» không phải số nguyên không âm.",
        "Dòng 7, cột «Tên lớp»: thiếu tên lớp.",
        "Dòng 22: trùng với dòng 2 (cùng đơn vị, ngày và tên lớp).",
    ]
    assert "không có dữ liệu nào được ghi" in err
    assert counts() == before


def test_inspection_and_press_rows_are_checked(db, tmp_path):
    before = counts()
    rows = inspection_rows()
    rows[1][2] = "Khảo sát"  # the round's first row says Kiểm tra
    rows[2][4] = rows[0][4]  # the same unit twice in one round
    rows[3][2] = "Thanh tra"
    code, _, err = run(write_csv(tmp_path / "kt.csv", INSPECTION_HEADER, rows), "inspections")
    assert code == 1
    assert "Dòng 3, cột «Hình thức»: đợt «KT-2019» đã có hình thức khác ở dòng 2." in err
    assert "Dòng 4: trùng với dòng 2 (cùng mã đợt và đơn vị được kiểm tra)." in err
    assert ("Dòng 5, cột «Hình thức»: «Thanh tra» không phải hình thức hợp lệ; chọn một trong "
            "«Kiểm tra», «Khảo sát».") in err
    press = press_rows()[:3]
    press[0][4] = 2021
    press[1][5] = "không"
    press[2][3] = "Báo tường"
    press[2][8] = "KHONG-CO"
    code, _, err = run(write_xlsx(tmp_path / "bc.xlsx", PRESS_HEADER, press), "press")
    assert code == 1
    assert err.splitlines()[:4] == [
        "Dòng 2, cột «Năm»: năm 2021 không thuộc giai đoạn 2016-2020.",
        "Dòng 3, cột «Đủ điều kiện dự thi toàn quốc»: «không» không hợp lệ; ghi «x» hoặc «Có», "
        "hoặc để trống.",
        "Dòng 4, cột «Thể loại»: «Báo tường» không phải thể loại hợp lệ; chọn một trong «Báo in», "
        "«Báo hình», «Báo nói», «Báo điện tử».",
        "Dòng 4, cột «Mã mô hình»: không có mô hình mã «KHONG-CO» trong phạm vi đơn vị của bạn.",
    ]
    assert counts() == before


def test_wrong_usage_exits_2(tmp_path, db):
    path = write_csv(tmp_path / "t.csv", TRAINING_HEADER, training_rows()[:1])
    assert run(tmp_path / "khong-co.csv", "training")[0] == 2
    assert run(path, "training", phase="2016")[0] == 2
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    unknown_kind = subprocess.run([dvk, "import_activities", path, "--phase", "2016-2020",
                                   "--kind", "budget"], capture_output=True, text=True)
    assert unknown_kind.returncode == 2 and "--kind" in unknown_kind.stderr


def test_an_import_in_a_scope_sees_only_its_subtree(db, tmp_path, scope_of):
    from dvk.activities.importing import import_activities
    from dvk.common.tabular import ImportRefused

    rows = training_rows()[:3]  # KG, then the first two district-level units
    with pytest.raises(ImportRefused) as exc:
        import_activities(write_csv(tmp_path / "t.csv", TRAINING_HEADER, rows),
                          phase_code="2016-2020", kind="training", scope=scope_of("gq.thuky"))
    assert [p.row for p in exc.value.problems] == [2, 3, 4]
