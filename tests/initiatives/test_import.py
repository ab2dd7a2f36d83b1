"""dvk import_registrations: the contract of CONTRACTS §4, all-or-nothing, idempotency."""
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from dvk.awards.models import Award
from dvk.common.history import history_of
from dvk.initiatives.enums import State
from dvk.initiatives.models import Initiative, Registration
from dvk.phases.models import Phase
from tests.acting import command_line

HEADER = ["Mã mô hình", "Tên mô hình", "Loại", "Chủ thể", "Mã đơn vị", "Khối", "Lĩnh vực", "Cấp",
          "Năm", "Kết quả", "Đặc cách", "Khen thưởng"]
ROWS = [
    ["IMP-001", "Khéo vận động làm đường giao thông nông thôn", "Mô hình", "Hội Nông dân xã",
     "KG-GQ-02", "", "Kinh tế", "Cơ sở", 2017, "Công nhận", "", "Giấy khen"],
    ["IMP-001", "Khéo vận động làm đường giao thông nông thôn", "Mô hình", "Hội Nông dân xã",
     "KG-GQ-02", "", "Kinh tế", "Huyện và tương đương", 2018, "Công nhận", "", ""],
    ["", "Khéo vận động hòa giải ở cơ sở", "Mô hình", "", "KG-GQ-02", "Mặt trận - Đoàn thể",
     "Xây dựng hệ thống chính trị", "Trên cơ sở", 2019, "Không công nhận", "", ""],
    ["", "Nguyễn Văn Tư – gương vận động hiến đất", "Điển hình", "Nguyễn Văn Tư", "KG-GQ",
     "", "Văn hóa - Xã hội", "tỉnh", 2020, "", "x", ""],
]


def write_csv(path, header, rows, bom=True, sep=","):
    import csv

    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def write_xlsx(path, header, rows):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)  # years as numbers: calamine reads them back as 2017.0
    wb.close()
    return str(path)


def run(path, phase="2016-2020"):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_registrations", path, "--phase", phase, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return (Initiative.objects.count(), Registration.objects.count(), Award.objects.count())


def imported_regs():
    return Registration.objects.filter(initiative__title__in=[r[1] for r in ROWS]).select_related(
        "level", "initiative")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_contract_and_idempotency(tmp_path, fmt):
    # Columns in another order, headers in other case and with spaces.
    order = [4, 1, 0, 8, 7, 2, 3, 5, 6, 9, 11, 10]
    header = [f"  {HEADER[i].upper()} " if i % 2 else HEADER[i].lower() for i in order]
    rows = [[r[i] for i in order] for r in ROWS]
    path = (write_csv(tmp_path / "dk.csv", header, rows) if fmt == "csv"
            else write_xlsx(tmp_path / "dk.xlsx", header, rows))
    before = counts()
    out, _ = run(path)
    assert "4 lượt đăng ký mới" in out
    after = counts()
    # 3 initiatives (IMP-001 twice), 4 registrations, 1 award.
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (3, 4, 1)

    regs = {(r.initiative.title, r.level.name, r.year): r for r in imported_regs()}
    road = "Khéo vận động làm đường giao thông nông thôn"
    assert regs[(road, "Cơ sở", 2017)].state == State.RECOGNIZED
    assert regs[(road, "Huyện", 2018)].state == State.RECOGNIZED      # alias of Huyện
    assert regs[(road, "Cơ sở", 2017)].initiative_id == regs[(road, "Huyện", 2018)].initiative_id
    mediation = regs[("Khéo vận động hòa giải ở cơ sở", "Huyện", 2019)]   # "Trên cơ sở"
    assert mediation.state == State.NOT_RECOGNIZED
    assert mediation.sector.name == "Mặt trận - Đoàn thể"
    person = regs[("Nguyễn Văn Tư – gương vận động hiến đất", "Tỉnh", 2020)]
    assert person.state == State.ACCEPTED
    assert person.is_exceptional and person.exceptional_status == "approved"
    assert person.initiative.kind == "individual" and person.initiative.person_name == "Nguyễn Văn Tư"
    assert person.sector_id == person.unit.sector_id                    # Khối empty = unit's
    assert all(r.imported for r in regs.values())
    award = Award.objects.get(registration=regs[(road, "Cơ sở", 2017)])
    assert (award.kind.name, award.level.name, award.year, award.unit.code) == (
        "Giấy khen", "Cơ sở", 2017, "KG-GQ-02")
    assert history_of(person).filter(action="import").count() == 1

    # The same file again: nothing new, nothing changed.
    out2, _ = run(path)
    assert counts() == after
    assert "0 mô hình mới, 0 lượt đăng ký mới, 0 lượt đăng ký cập nhật, 0 khen thưởng mới" in out2


@pytest.mark.django_db
def test_reimport_updates_outcome_and_award(tmp_path):
    run(write_csv(tmp_path / "a.csv", HEADER, ROWS))
    changed = [list(r) for r in ROWS]
    changed[3][9] = "Công nhận"
    changed[3][11] = "Bằng khen"
    before = counts()
    out, _ = run(write_csv(tmp_path / "b.csv", HEADER, changed))
    assert "1 lượt đăng ký cập nhật, 1 khen thưởng mới" in out
    assert counts() == (before[0], before[1], before[2] + 1)
    person = imported_regs().get(initiative__kind="individual")
    assert person.state == State.RECOGNIZED
    entry = history_of(person).first()
    assert entry.changes == {"state": ["accepted", "recognized"]}


@pytest.mark.django_db
def test_phase_is_created_on_demand_with_default_levels(tmp_path):
    rows = [["", "Khéo vận động xây nhà đại đoàn kết", "Mô hình", "", "KG-GQ-02", "", "Kinh tế",
             "Cơ sở", 2012, "Công nhận", "", ""]]
    out, _ = run(write_csv(tmp_path / "old.csv", HEADER, rows), phase="2011-2015")
    phase = Phase.objects.get(code="2011-2015")
    assert [lv.name for lv in phase.ordered_levels()] == ["Cơ sở", "Huyện", "Tỉnh"]
    assert "Đã tạo giai đoạn 2011-2015" in out
    assert Registration.objects.filter(phase=phase).count() == 1


@pytest.mark.django_db
def test_bad_file_writes_nothing_and_names_rows_and_columns(tmp_path):
    bad = [list(r) for r in ROWS] + [
        ["", "Khéo vận động A", "Mô hình", "", "KHONG-CO", "", "Kinh tế", "Cơ sở", 2017, "", "", ""],
        ["", "Khéo vận động B", "Dự án", "", "KG-GQ-02", "", "Nông nghiệp", "Xã", 2031,
         "Đạt", "", "Huân chương"],
        ["", "", "Mô hình", "", "KG-GQ-02", "", "Kinh tế", "Cơ sở", "năm", "", "", ""],
        ROWS[0],  # duplicate of row 2: same model, level and year
    ]
    path = write_csv(tmp_path / "bad.csv", HEADER, bad)
    before = counts()
    with pytest.raises(SystemExit) as exc:
        _, err = run(path, phase="2016-2020")
    assert exc.value.code == 1
    assert counts() == before
    assert not Initiative.objects.filter(title="Khéo vận động làm đường giao thông nông thôn").exists()


@pytest.mark.django_db
def test_problem_messages(tmp_path):
    from dvk.common.tabular import ImportRefused
    from dvk.imports.registrations import import_registrations

    bad = [
        ["", "Khéo vận động A", "Mô hình", "", "KHONG-CO", "", "Kinh tế", "Cơ sở", 2017, "", "", ""],
        ["", "Khéo vận động B", "Dự án", "", "KG-GQ-02", "", "Nông nghiệp", "Xã", 2031,
         "Đạt", "", "Huân chương"],
        ["", "Khéo vận động C", "Mô hình", "", "KG-GQ-02", "", "Kinh tế", "Cơ sở", 2017.0, "", "",
         ""],
        ["", "Khéo vận động C", "Mô hình", "", "KG-GQ-02", "", "Kinh tế", "Cơ sở", "2017", "", "",
         ""],
    ]
    with pytest.raises(ImportRefused) as exc:
        import_registrations(write_csv(tmp_path / "bad.csv", HEADER, bad), phase_code="2016-2020",
                             scope=command_line())
    text = [str(p) for p in exc.value.problems]
    assert "Dòng 2, cột «Mã đơn vị»: không có đơn vị mã «KHONG-CO»." in text
    for column in ("Loại", "Lĩnh vực", "Cấp", "Năm", "Kết quả", "Khen thưởng"):
        assert any(t.startswith(f"Dòng 3, cột «{column}»") for t in text), column
    assert any(t.startswith("Dòng 5, cột «Cấp»: trùng với dòng 4") for t in text)
    assert len(text) == 8


@pytest.mark.django_db
def test_missing_required_column_is_refused(tmp_path):
    from dvk.common.tabular import ImportRefused
    from dvk.imports.registrations import import_registrations

    header = [h for h in HEADER if h != "Năm"]
    rows = [[v for h, v in zip(HEADER, r) if h != "Năm"] for r in ROWS]
    with pytest.raises(ImportRefused) as exc:
        import_registrations(write_csv(tmp_path / "x.csv", header, rows), phase_code="2016-2020",
                             scope=command_line())
    assert [str(p) for p in exc.value.problems] == ["Dòng 1, cột «Năm»: thiếu cột bắt buộc."]


@pytest.mark.django_db
def test_refused_file_does_not_leave_a_new_phase(tmp_path):
    rows = [["", "X", "Mô hình", "", "KHONG-CO", "", "Kinh tế", "Cơ sở", 2008, "", "", ""]]
    with pytest.raises(SystemExit):
        run(write_csv(tmp_path / "x.csv", HEADER, rows), phase="2006-2010")
    assert not Phase.objects.filter(code="2006-2010").exists()


@pytest.mark.django_db
def test_malformed_phase_code_is_wrong_usage(tmp_path):
    with pytest.raises(CommandError) as exc:
        run(write_csv(tmp_path / "a.csv", HEADER, ROWS), phase="2016")
    assert exc.value.returncode == 2


def test_missing_arguments_exit_2():
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    env = dict(os.environ, SECRET_KEY="x")
    proc = subprocess.run([dvk, "import_registrations", "--skip-checks"], env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        "dvk import_registrations: error: the following arguments are required: file, --phase")


@pytest.mark.django_db
def test_blank_lines_and_absent_optional_columns(tmp_path):
    required = ["Tên mô hình", "Loại", "Mã đơn vị", "Lĩnh vực", "Cấp", "Năm"]
    header = required + ["Ghi chú"]  # an extra column, ignored
    rows = [["Khéo vận động trồng cây", "Mô hình", "KG-GQ-02", "Kinh tế", "Cơ sở", 2017, "x"],
            ["", "", "", "", "", "", ""],
            ["Khéo vận động trồng cây", "Mô hình", "KG-GQ-02", "Kinh tế", "Huyện", 2018, "ghi"]]
    before = counts()
    out, _ = run(write_csv(tmp_path / "min.csv", header, rows))
    assert "1 mô hình mới, 2 lượt đăng ký mới" in out
    assert counts() == (before[0] + 1, before[1] + 2, before[2])
    reg = Registration.objects.get(initiative__title="Khéo vận động trồng cây", year=2017)
    assert not reg.is_exceptional and reg.state == State.ACCEPTED  # "x" was in Ghi chú
    out2, _ = run(write_csv(tmp_path / "min.csv", header, rows))
    assert "0 mô hình mới, 0 lượt đăng ký mới, 0 lượt đăng ký cập nhật" in out2
    assert counts() == (before[0] + 1, before[1] + 2, before[2])


@pytest.mark.django_db
def test_import_derived_fields_match_model_save(tmp_path):
    """The bulk path computes search_text / sort_key itself: same as Initiative.save()."""
    run(write_csv(tmp_path / "a.csv", HEADER, ROWS))
    for ini in Initiative.objects.filter(title__in=[r[1] for r in ROWS]):
        search, key = ini.search_text, ini.sort_key
        ini.refresh_derived()
        assert (search, key) == (ini.search_text, ini.sort_key)
