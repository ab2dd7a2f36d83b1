"""Files with seed 004's figures (report 552-BC/TU, 2016–2020), written by the tests:
20 training classes with 1.362 attendances; 2 rounds of 35 visits (15 inspected, 20
surveyed); 470 press entries (111 print, 123 television, 41 radio as printed, the other
195 online), 123 eligible for the national round, 3 finalists, 33 provincial prizes; and
the interim review of the 20 district-level units, 19 as a conference, the Border Guard
reporting only; 37 appraisal teams."""
import datetime as dt

import pytest

from tests.initiatives.test_import import write_csv, write_xlsx

TRAINING_HEADER = ["Mã đơn vị", "Ngày", "Tên lớp", "Đối tượng", "Số lượt tham dự"]
INSPECTION_HEADER = ["Mã đợt", "Mã đơn vị chủ trì", "Hình thức", "Ngày",
                     "Mã đơn vị được kiểm tra", "Kết luận"]
PRESS_HEADER = ["Tên tác phẩm", "Tác giả", "Cơ quan báo chí", "Thể loại", "Năm",
                "Đủ điều kiện dự thi toàn quốc", "Vào chung kết", "Giải cấp tỉnh", "Mã mô hình",
                "Mã đơn vị"]
PRIZES = ["A", "B", "C", "Khuyến khích"]


def district_codes():
    from dvk.orgs.enums import UnitKind
    from dvk.orgs.models import Unit

    return list(Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path")
                .values_list("code", flat=True))


def training_rows():
    districts = district_codes()
    # 19 classes of 68 and one of 70: 1.362 attendances.
    return [["KG" if i == 0 else districts[i - 1], f"{10 + i % 15:02d}/0{4 + i % 5}/{2016 + i % 5}",
             f"Tập huấn xây dựng mô hình “Dân vận khéo” lớp {i + 1}",
             "Thành viên ban chỉ đạo các cấp", 70 if i == 0 else 68] for i in range(20)]


def inspection_rows():
    from dvk.orgs.enums import UnitKind
    from dvk.orgs.models import Unit

    communes = list(Unit.objects.filter(kind=UnitKind.GRASSROOTS, parent__kind=UnitKind.DISTRICT)
                    .order_by("path").values_list("code", flat=True)[:15])
    inspected = [["KT-2019", "KG", "Kiểm tra", f"{5 + i}/06/2019", code,
                  "Thực hiện tốt quy trình đăng ký" if i % 2 else ""]
                 for i, code in enumerate(communes)]
    surveyed = [["KS-2020", "KG", "Khảo sát", f"{3 + i}/08/2020", code, ""]
                for i, code in enumerate(district_codes())]
    return inspected + surveyed


def press_rows():
    genres = ["Báo in"] * 111 + ["Báo hình"] * 123 + ["Báo nói"] * 41 + ["Báo điện tử"] * 195
    return [[f"Tấm gương dân vận khéo số {i + 1}", f"Tác giả {i % 97 + 1}", "Báo Kiên Giang",
             genre, 2018 + i % 3, "x" if i < 123 else "", "Có" if i < 3 else "",
             PRIZES[i % 4] if i < 33 else "", "", ""] for i, genre in enumerate(genres)]


@pytest.fixture
def seed004_files(db, tmp_path):
    return {
        "training": write_xlsx(tmp_path / "tap-huan.xlsx", TRAINING_HEADER, training_rows()),
        "inspections": write_csv(tmp_path / "kiem-tra.csv", INSPECTION_HEADER,
                                 inspection_rows()),
        "press": write_xlsx(tmp_path / "bao-chi.xlsx", PRESS_HEADER, press_rows()),
    }


def run(path, kind, phase="2016-2020"):
    """(exit status, stdout, stderr) of dvk import_activities."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = StringIO(), StringIO()
    try:
        call_command("import_activities", str(path), phase=phase, kind=kind, stdout=out,
                     stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def seed004(seed004_files, user):
    """Seed 004's activities in the database: the three files imported by the command,
    the interim reviews recorded, and appraisal teams up to 37."""
    from dvk.activities.enums import ReviewForm, ReviewKind
    from dvk.activities.models import Review
    from dvk.orgs.models import Unit
    from dvk.phases.models import AppraisalTeam, Phase, SteeringCommittee

    for kind, path in seed004_files.items():
        code, out, err = run(path, kind)
        assert code == 0, err
    phase = Phase.objects.get(code="2016-2020")
    for code in district_codes():
        Review.objects.create(phase=phase, unit=Unit.objects.get(code=code),
                              kind=ReviewKind.INTERIM, held_on=dt.date(2018, 10, 10),
                              held_as=ReviewForm.REPORT if code == "KG-BP" else
                              ReviewForm.CONFERENCE)
    committees = list(SteeringCommittee.objects.filter(phase=phase, unit__parent__isnull=True))
    have = AppraisalTeam.objects.filter(committee__phase=phase).count()
    AppraisalTeam.objects.bulk_create([AppraisalTeam(committee=committees[0], name=f"Tổ {i}")
                                       for i in range(37 - have)])
    return phase
