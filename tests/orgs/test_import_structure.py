"""dvk import_structure FILE (CONTRACTS §6): every change kind from real files, refusals by
row and column with nothing written, idempotent re-import, and the preview."""
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dvk.common.models import HistoryEntry
from dvk.orgs import history
from dvk.orgs.enums import UnitEventKind, UnitKind
from dvk.orgs.models import Unit, UnitEvent
from dvk.orgs.tree import check_paths

from .conftest import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["Ngày hiệu lực", "Thay đổi", "Mã đơn vị", "Mã đơn vị kế thừa", "Tên đơn vị",
          "Mã đơn vị cấp trên", "Loại", "Khối"]
D = "01/07/2025"
REFORM = dt.date(2025, 7, 1)

EVERY_KIND = [
    [D, "Thành lập", "AG", "", "Tỉnh An Giang", "", "Tỉnh", ""],
    [D, "Thành lập", "AG-01", "", "Xã Định Hòa Mới", "AG", "Cơ sở", "Chính quyền"],
    [D, "Sáp nhập", "KG-GQ-02", "AG-01", "", "", "", ""],
    [D, "Sáp nhập", "KG-GQ-03", "AG-01", "", "", "", ""],
    [D, "Thành lập", "AG-02", "", "Xã Thủy Liễu A", "AG", "Cơ sở", ""],
    [D, "Thành lập", "AG-03", "", "Xã Thủy Liễu B", "AG", "Cơ sở", ""],
    [D, "Chia tách", "KG-GQ-04", "AG-03", "", "", "", ""],
    [D, "Chia tách", "KG-GQ-04", "AG-02", "", "", "", ""],
    [D, "Giải thể", "KG-GQ-05", "", "", "", "", ""],
    [D, "Đổi tên", "KG-GQ-06", "", "Xã Vĩnh Phước", "", "", ""],
    [D, "Chuyển", "KG-GQ-07", "", "", "AG", "", ""],
]


def run(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_structure", str(path), *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)


def footprint():
    """What an import writes: units (and their state), events, history entries."""
    return (list(Unit.objects.order_by("pk").values_list(
        "pk", "code", "name", "path", "valid_from", "valid_until", "successor_id")),
        UnitEvent.objects.count(), HistoryEntry.objects.count())


def write_xlsx(path, rows, header=HEADER):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_every_change_kind_from_a_csv_with_bom_then_a_second_import_changes_nothing(
        tmp_path, unit, register_2018):
    regs = register_2018("KG-GQ-02-PN", 2) + register_2018("KG-GQ-05", 1)
    pn = unit("KG-GQ-02-PN")
    path = write_csv(tmp_path / "co_cau.csv", EVERY_KIND, header=HEADER, bom=True)
    status, out, err = run(path)
    assert status == 0, err
    assert "Đã áp dụng 10 thay đổi" in out and "0 thay đổi đã có từ trước" in out

    ag, new = unit("AG"), unit("AG-01")
    assert ag.parent is None and ag.kind == UnitKind.PROVINCE and ag.valid_from == REFORM
    assert new.parent == ag and new.sector.name == "Chính quyền"
    # Merge: both communes retire on the date, their organisations with them.
    for code in ("KG-GQ-02", "KG-GQ-03"):
        old = unit(code)
        assert old.valid_until == REFORM and old.successor == new
        assert old.parent == unit("KG-GQ")  # keeps its place for past data
    assert unit("KG-GQ-02-PN").valid_until == REFORM and unit("KG-GQ-02-PN").successor == new
    assert history.carrier_of(pn) == new
    # Split: the first successor row receives the data.
    split = unit("KG-GQ-04")
    assert split.valid_until == REFORM and split.successor == unit("AG-03")
    event = UnitEvent.objects.get(kind=UnitEventKind.SPLIT)
    assert set(event.targets.values_list("code", flat=True)) == {"AG-02", "AG-03"}
    # Dissolution without a successor: the data rolls up to the nearest current ancestor.
    assert unit("KG-GQ-05").valid_until == REFORM
    assert history.carrier_of(unit("KG-GQ-05")) == unit("KG-GQ")
    # Rename and move keep the unit (same code, same data).
    assert unit("KG-GQ-06").name == "Xã Vĩnh Phước" and unit("KG-GQ-06").valid_until is None
    moved = unit("KG-GQ-07")
    assert moved.parent == ag and moved.valid_until is None
    assert all(u.path.startswith(ag.path) for u in Unit.objects.subtree_of(moved))
    assert check_paths() == []
    # Registrations stay attached to their units.
    assert {r.unit_id for r in regs} == {pn.pk, unit("KG-GQ-05").pk}
    # Every change is in the unit history, with the file named in the event.
    assert HistoryEntry.objects.filter(object_id=str(unit("KG-GQ-03").pk),
                                       action="unit_merge").exists()
    assert HistoryEntry.objects.filter(object_id=str(pn.pk), action="unit_merge").exists()
    assert HistoryEntry.objects.filter(object_id=str(ag.pk), action="unit_create").exists()
    assert HistoryEntry.objects.filter(object_id=str(moved.pk), action="unit_move").exists()
    merge = UnitEvent.objects.filter(kind=UnitEventKind.MERGE, sources=unit("KG-GQ-03")).get()
    assert merge.date == REFORM and "co_cau.csv, dòng 5" in merge.note

    before = footprint()
    status, out, err = run(path)
    assert status == 0, err
    assert "Đã áp dụng 0 thay đổi" in out and "10 thay đổi đã có từ trước" in out
    assert footprint() == before


def test_xlsx_with_real_dates_columns_in_any_order_and_extra_columns(tmp_path, unit):
    header = ["Ghi chú", "Mã đơn vị cấp trên", "thay đổi", " MÃ ĐƠN VỊ ", "Tên đơn vị",
              "Loại", "Ngày hiệu lực", "Mã đơn vị kế thừa", "Quyết định"]
    rows = [["", "KG", "Thành lập", "KG-NEW", "Xã Mới", "Cơ sở", dt.datetime(2025, 7, 1), "",
             "1680/NQ-UBTVQH15"],
            ["x", "", "Sáp nhập", "KG-GQ-08", "", "", dt.date(2025, 7, 1), "KG-NEW", ""],
            ["", "", "Đổi tên", 1234.0, "Tổ mới", "", "15/08/2025", "", ""]]
    Unit(code="1234", name="Tổ cũ", kind=UnitKind.BELOW, parent=unit("KG-GQ-06")).save()
    status, out, err = run(write_xlsx(tmp_path / "co_cau.xlsx", rows, header=header))
    assert status == 0, err
    assert unit("KG-NEW").valid_from == REFORM and unit("KG-NEW").parent == unit("KG")
    assert unit("KG-GQ-08").successor == unit("KG-NEW")
    assert unit("1234").name == "Tổ mới"
    rename = UnitEvent.objects.get(kind=UnitEventKind.RENAME, sources=unit("1234"))
    assert rename.date == dt.date(2025, 8, 15) and "Tổ cũ" in rename.note
    assert UnitEvent.objects.get(kind=UnitEventKind.CREATE, targets=unit("KG-NEW")).decision \
        == "1680/NQ-UBTVQH15"


def test_rows_apply_by_date_then_file_order(tmp_path, unit):
    """The merge into a unit the file creates later in the file, but on an earlier date."""
    rows = [["01/09/2025", "Sáp nhập", "KG-GQ-08", "KG-NEW", "", "", "", ""],
            ["01/07/2025", "Thành lập", "KG-NEW", "", "Xã Mới", "KG", "Cơ sở", ""]]
    status, _, err = run(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    assert status == 0, err
    assert unit("KG-GQ-08").valid_until == dt.date(2025, 9, 1)


def test_a_retiring_unit_leaves_the_sub_units_the_file_changes_on_that_date(tmp_path, unit):
    """The district is merged first in the file; its communes still get their own changes,
    and what the file does not touch goes with the district."""
    rows = [[D, "Thành lập", "AG", "", "Tỉnh An Giang", "", "Tỉnh", ""],
            [D, "Sáp nhập", "KG-GQ", "AG", "", "", "", ""],
            [D, "Thành lập", "AG-01", "", "Xã Gò Quao", "AG", "Cơ sở", ""],
            [D, "Sáp nhập", "KG-GQ-01", "AG-01", "", "", "", ""],
            [D, "Chuyển", "KG-GQ-02", "", "", "AG", "", ""]]
    status, _, err = run(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    assert status == 0, err
    assert unit("KG-GQ-01").successor == unit("AG-01")
    assert unit("KG-GQ-01-PN").successor == unit("AG-01")  # with its own commune
    assert unit("KG-GQ-02").valid_until is None and unit("KG-GQ-02").parent == unit("AG")
    assert unit("KG-GQ-02-PN").valid_until is None  # moved along with its commune
    assert unit("KG-GQ-03").successor == unit("AG")  # untouched: goes with the district
    assert not Unit.objects.current(REFORM).subtree_of(unit("KG-GQ")).exists()
    assert check_paths() == []


def test_bad_rows_of_the_file_are_each_named_and_nothing_is_written(tmp_path):
    rows = [["31/02/2025", "Sáp nhập", "KG-GQ-02", "KG-GQ-03", "", "", "", ""],   # 2
            [D, "Nhập", "KG-GQ-02", "KG-GQ-03", "", "", "", ""],                   # 3
            [D, "Sáp nhập", "", "KG-GQ-03", "", "", "", ""],                       # 4
            [D, "Sáp nhập", "KG-GQ-02", "", "", "", "", ""],                       # 5
            [D, "Thành lập", "N1", "", "", "KG", "Cơ sở", ""],                     # 6
            [D, "Thành lập", "N2", "", "Xã", "KG", "Thôn", ""],                    # 7
            [D, "Thành lập", "N3", "", "Xã", "KG", "Cơ sở", "Hội nông dân"],       # 8
            [D, "Đổi tên", "KG-GQ-06", "", "", "", "", ""],                         # 9
            [D, "Chuyển", "KG-GQ-07", "", "", "", "", ""],                          # 10
            [D, "Chia tách", "KG-GQ-04", "KG-GQ-03", "", "", "", ""],               # 11
            [D, "Giải thể", "KG-GQ-05", "KG-GQ-05", "", "", "", ""],                # 12
            [D, "Sáp nhập", "KG-GQ-08", "KG-GQ-03", "", "", "", ""],                # 13
            [D, "Sáp nhập", "KG-GQ-08", "KG-GQ-03", "", "", "", ""],                # 14
            [D, "Giải thể", "KG-GQ-08", "", "", "", "", ""]]                        # 15
    before = footprint()
    status, out, err = run(write_csv(tmp_path / "sai.csv", rows, header=HEADER))
    assert status == 1
    for expected in [
        "Dòng 2, cột «Ngày hiệu lực»: «31/02/2025» không phải ngày hợp lệ",
        "Dòng 3, cột «Thay đổi»: «Nhập» không phải loại thay đổi hợp lệ; chọn một trong "
        "«Thành lập», «Sáp nhập», «Chia tách», «Giải thể», «Đổi tên», «Chuyển».",
        "Dòng 4, cột «Mã đơn vị»: thiếu mã đơn vị.",
        "Dòng 5, cột «Mã đơn vị kế thừa»: thiếu mã đơn vị nhận sáp nhập",
        "Dòng 6, cột «Tên đơn vị»: thiếu tên của đơn vị mới",
        "Dòng 7, cột «Loại»: «Thôn» không phải loại đơn vị hợp lệ",
        "Dòng 8, cột «Khối»: «Hội nông dân» không phải khối hợp lệ",
        "Dòng 9, cột «Tên đơn vị»: thiếu tên mới của đơn vị",
        "Dòng 10, cột «Mã đơn vị cấp trên»: thiếu mã đơn vị cấp trên mới",
        "Dòng 11, cột «Mã đơn vị kế thừa»: chia tách «KG-GQ-04» cần ít nhất hai đơn vị kế thừa",
        "Dòng 12, cột «Mã đơn vị kế thừa»: đơn vị kế thừa không thể là chính đơn vị đó.",
        "Dòng 14, cột «Mã đơn vị»: dòng này trùng với dòng 13.",
        "Dòng 15, cột «Mã đơn vị»: đơn vị «KG-GQ-08» đã ngừng hoạt động theo dòng 13",
    ]:
        assert expected in err
    assert "Dòng 13," not in err
    assert "không có dữ liệu nào được ghi" in err
    assert footprint() == before


@pytest.mark.parametrize("row, expected", [
    ([D, "Sáp nhập", "KHONG-CO", "KG-GQ-03", "", "", "", ""],
     "cột «Mã đơn vị»: không có đơn vị mã «KHONG-CO»"),
    ([D, "Sáp nhập", "KG-GQ-02", "KHONG-CO", "", "", "", ""],
     "cột «Mã đơn vị kế thừa»: không có đơn vị kế thừa mã «KHONG-CO»"),
    ([D, "Sáp nhập", "KG-GQ", "KG-GQ-02", "", "", "", ""],
     "cột «Mã đơn vị kế thừa»: Đơn vị kế thừa «KG-GQ-02» nằm trong chính đơn vị «KG-GQ»"),
    ([D, "Thành lập", "KG-RG", "", "Trùng", "KG", "Huyện", ""],
     "cột «Mã đơn vị»: mã đơn vị «KG-RG» đã tồn tại"),
    ([D, "Thành lập", "N1", "", "Xã mới", "KHONG-CO", "Cơ sở", ""],
     "cột «Mã đơn vị cấp trên»: không có đơn vị cấp trên mã «KHONG-CO»"),
    ([D, "Thành lập", "N1", "", "Huyện mới", "KG-GQ-02", "Huyện", ""],
     "cột «Loại»: đơn vị loại «Huyện» không thể trực thuộc đơn vị «KG-GQ-02» loại «Cơ sở»"),
    ([D, "Chuyển", "KG-GQ", "", "", "KG-GQ-02-PN", "", ""],
     "cột «Mã đơn vị cấp trên»: Đơn vị cấp trên mới «KG-GQ-02-PN» nằm trong chính đơn vị"),
    ([D, "Chuyển", "KG-GQ-02-A1", "", "", "KG-GQ-03", "", ""],
     "cột «Mã đơn vị»: Đơn vị «KG-GQ-02-A1 – "),  # retired by the row above
])
def test_rows_the_database_refuses_name_row_and_column_and_nothing_is_written(
        tmp_path, row, expected):
    good = [[D, "Thành lập", "OK-1", "", "Xã hợp lệ", "KG", "Cơ sở", ""],
            ["01/01/2025", "Giải thể", "KG-GQ-02-A1", "", "", "", "", ""]]
    before = footprint()
    status, _, err = run(write_csv(tmp_path / "sai.csv", good + [row], header=HEADER))
    assert status == 1
    assert f"Dòng 4, {expected}" in err
    assert "Dòng 2," not in err and "Dòng 3," not in err
    assert footprint() == before
    assert not Unit.objects.filter(code="OK-1").exists()


def test_preview_describes_the_effect_and_writes_nothing(tmp_path, unit, register_2018):
    from dvk.imports.structure_impact import impact_of
    from dvk.orgs.structure_changes import preview_changes

    register_2018("KG-GQ-02-PN", 2)
    register_2018("KG-GQ-03", 1)
    path = write_csv(tmp_path / "co_cau.csv", EVERY_KIND, header=HEADER)
    before = footprint()
    result = preview_changes(path, impact=impact_of)
    assert footprint() == before
    impact = result.impact
    retired = {r.code: r for r in impact.retired}
    assert {"KG-GQ-02", "KG-GQ-02-PN", "KG-GQ-03", "KG-GQ-04", "KG-GQ-05"} <= set(retired)
    assert retired["KG-GQ-02-PN"].carrier_code == "AG-01"
    assert retired["KG-GQ-05"].carrier_code == "KG-GQ"
    assert retired["KG-GQ-04"].carrier_code == "AG-03"
    assert impact.roll_up["AG-01"] >= 3
    assert ("KG-GQ-02", "Xã Định Hòa") in [(r.code, r.name) for r in impact.retired]
    assert ("dinhhoa.vanthu", "KG-GQ-02") in [(u, c) for u, _, c in impact.memberships]
    assert any(unit_code == "KG-GQ-02" for unit_code, _, _ in impact.committees)
    assert ("AG-01", "Xã Định Hòa Mới") in impact.created
    assert ("KG-GQ-07", unit("KG-GQ-07").name, "AG") in impact.moved

    status, out, err = run(path, "--xem-truoc")
    assert status == 0, err
    assert "Xem trước, chưa ghi gì. Sẽ áp dụng 10 thay đổi" in out
    assert "KG-GQ-02-PN – " in out and "→ AG-01 – Xã Định Hòa Mới" in out
    assert "dinhhoa.vanthu" in out
    assert footprint() == before


def test_wrong_usage_exits_2(tmp_path):
    assert run(tmp_path / "khong_co.csv")[0] == 2
    (tmp_path / "a.txt").write_text("x")
    assert run(tmp_path / "a.txt")[0] == 2
