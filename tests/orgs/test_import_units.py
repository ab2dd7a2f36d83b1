import os
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from dvk.common.tabular import ImportRefused
from dvk.orgs.enums import UnitEventKind, UnitKind
from dvk.orgs.importing import import_units
from dvk.orgs.models import Unit, UnitEvent
from dvk.orgs.tree import check_paths

from .conftest import HEADER, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

# The parent of the commune comes after it; the new district hangs under the existing KG.
GOOD = [
    ["AG-X1-01", "Xã Mới Một", "AG-X1", "Cơ sở", "Chính quyền"],
    ["AG-X1", "Huyện Mới", "KG", "Huyện", ""],
    ["AG-X1-01-PN", "Hội LHPN xã Mới Một", "AG-X1-01", "Dưới cơ sở", "Mặt trận - Đoàn thể"],
    ["AG", "Tỉnh An Giang", "", "Tỉnh", ""],
]


def run(path):
    """call_command → (exit status, stdout, stderr) as the shell would see them."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_units", str(path), stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)


def test_csv_with_bom_creates_tree_and_reimport_changes_nothing(tmp_path, unit):
    path = write_csv(tmp_path / "don_vi.csv", GOOD, bom=True)
    status, out, _ = run(path)
    assert status == 0
    assert "4 đơn vị tạo mới, 0 cập nhật, 0 không đổi" in out
    commune = unit("AG-X1-01")
    assert commune.parent == unit("AG-X1") and unit("AG-X1").parent == unit("KG")
    assert commune.sector.name == "Chính quyền" and commune.kind == UnitKind.GRASSROOTS
    assert unit("AG").parent is None and unit("AG").kind == UnitKind.PROVINCE
    assert set(Unit.objects.subtree_of(unit("AG-X1")).values_list("code", flat=True)) == {
        "AG-X1", "AG-X1-01", "AG-X1-01-PN"}
    assert check_paths() == []
    assert UnitEvent.objects.get(kind=UnitEventKind.CREATE).targets.count() == 4

    count = Unit.objects.count()
    status, out, _ = run(path)
    assert status == 0 and "0 đơn vị tạo mới, 0 cập nhật, 4 không đổi" in out
    assert Unit.objects.count() == count


def test_reimport_updates_names_and_moves_units_keeping_paths(tmp_path, unit):
    write_csv(tmp_path / "a.csv", GOOD)
    assert run(tmp_path / "a.csv")[0] == 0
    changed = [list(r) for r in GOOD]
    changed[0][1] = "Xã Mới Một (đổi tên)"
    changed[1][2] = "AG"  # the district now belongs to the new province: a move
    changed[3][4] = "Khác"
    status, out, _ = run(write_csv(tmp_path / "b.csv", changed))
    assert status == 0 and "3 cập nhật, 1 không đổi" in out and "1 đơn vị chuyển" in out
    assert unit("AG-X1-01").name == "Xã Mới Một (đổi tên)"
    assert unit("AG-X1").parent == unit("AG")
    assert unit("AG-X1-01-PN").path.startswith(unit("AG").path)
    assert check_paths() == []
    assert UnitEvent.objects.filter(kind=UnitEventKind.MOVE, old_parent=unit("KG")).exists()
    # An existing unit can be moved by the file too, under a unit created by the same file.
    rows = changed + [["AG-X2", "Huyện Hai", "AG", "Huyện", ""],
                      ["KG-GQ-02", "Xã Định Hòa", "AG-X2", "Cơ sở", ""]]
    assert run(write_csv(tmp_path / "c.csv", rows))[0] == 0
    assert unit("KG-GQ-02-PN").path.startswith(unit("AG-X2").path)
    assert check_paths() == []


def test_xlsx_columns_in_any_order_with_extra_columns(tmp_path, unit):
    header = ["Ghi chú", "  LOẠI ", "mã đơn vị", "Khối", "Tên Đơn Vị", "Mã đơn vị cấp trên"]
    rows = [["", "Cơ sở", "XL-01", "Công an", "Công an xã XL", "XL"],
            ["gốc", "Tỉnh", "XL", "", "Tỉnh XL", ""],
            ["", "Dưới cơ sở", 1234.0, "", "Tổ 1234", "XL-01"]]  # a number as code
    status, out, err = run(write_xlsx(tmp_path / "don_vi.xlsx", rows, header=header))
    assert status == 0, err
    assert unit("XL-01").sector.name == "Công an" and unit("XL-01").parent == unit("XL")
    assert unit("1234").parent == unit("XL-01")


def test_bad_rows_refuse_the_whole_file_and_name_each_row(tmp_path):
    rows = [list(r) for r in GOOD] + [
        ["AG-X1-02", "", "AG-X1", "Cơ sở", ""],             # row 6: no name
        ["AG-X1-03", "Xã Ba", "AG-X9", "Cơ sở", ""],        # row 7: unknown parent
        ["AG-X1-04", "Xã Bốn", "AG-X1", "Thôn", "Đảng"],    # row 8: unknown kind
        ["AG-X1-01", "Trùng", "AG-X1", "Cơ sở", ""],        # row 9: duplicate code
    ]
    count = Unit.objects.count()
    status, out, err = run(write_csv(tmp_path / "bad.csv", rows))
    assert status == 1
    assert "Dòng 6, cột «Tên đơn vị»: thiếu tên đơn vị." in err
    assert "Dòng 7, cột «Mã đơn vị cấp trên»: không có đơn vị mã «AG-X9»" in err
    assert "Dòng 8, cột «Loại»: «Thôn» không phải loại đơn vị hợp lệ" in err
    assert "«Tỉnh», «Huyện», «Cơ sở», «Dưới cơ sở»" in err
    assert "Dòng 9, cột «Mã đơn vị»: mã «AG-X1-01» trùng với dòng 2." in err
    assert "không có dữ liệu nào được ghi" in err
    assert "Dòng 2," not in err and "Dòng 3," not in err
    assert Unit.objects.count() == count


def test_cycles_and_retired_parents_are_refused(tmp_path, unit):
    from dvk.orgs.structure import dissolve_unit
    import datetime as dt

    dissolve_unit(unit("KG-GQ-02-A1"), date=dt.date(2025, 7, 1))
    rows = [["C1", "C một", "C2", "Cơ sở", ""],
            ["C2", "C hai", "C1", "Cơ sở", ""],
            ["KG", "Tỉnh Kiên Giang", "KG-GQ-02", "Tỉnh", ""],  # under its own descendant
            ["H1", "Tổ mới", "KG-GQ-02-A1", "Dưới cơ sở", ""]]
    with pytest.raises(ImportRefused) as refused:
        import_units(write_csv(tmp_path / "cycle.csv", rows))
    text = str(refused.value)
    assert "Dòng 2, cột «Mã đơn vị cấp trên»: vòng lặp cấp trên" in text
    assert "Dòng 3, cột «Mã đơn vị cấp trên»: vòng lặp cấp trên" in text
    assert "Dòng 4" in text and "KG-GQ-02" in text
    assert "Dòng 5, cột «Mã đơn vị cấp trên»: đơn vị cấp trên «KG-GQ-02-A1» đã ngừng hoạt động" in text
    assert unit("KG").parent is None and not Unit.objects.filter(code="C1").exists()


def test_missing_required_column_is_refused(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["A", "A"]], header=["Mã đơn vị", "Tên đơn vị"])
    status, _, err = run(path)
    assert status == 1 and "Dòng 1, cột «Loại»: thiếu cột bắt buộc." in err


def _units_csv(path, n, prefix="P", districts=100):
    """n units: province → districts → communes (1 in 20) → organisations, children first."""
    import csv

    per_district = (n - 1 - districts) // districts
    rows = [(prefix, "Tỉnh", "", "Tỉnh", "")]
    for d in range(districts):
        dcode, below = f"{prefix}-{d:03d}", []
        for i in range(per_district):
            ccode = f"{dcode}-{i // 20:04d}"
            below.append((ccode, f"Xã {d}.{i // 20}", dcode, "Cơ sở", "Chính quyền") if i % 20 == 0
                         else (f"{ccode}-{i % 20:02d}", f"Chi hội {i}", ccode, "Dưới cơ sở", ""))
        rows += reversed(below)
        rows.append((dcode, f"Huyện {d}", prefix, "Huyện", ""))
    rows += [(f"{prefix}-X{i}", f"Đơn vị {i}", prefix, "Cơ sở", "Khác") for i in range(n - len(rows))]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


@pytest.mark.slow
def test_import_100000_units(tmp_path, unit):
    path = _units_csv(tmp_path / "big.csv", 100_000)
    before = Unit.objects.count()
    started = time.perf_counter()
    result = import_units(path)
    elapsed = time.perf_counter() - started
    print(f"\nimport of 100,000 units: {elapsed:.1f} s")
    assert result.created == 100_000 and Unit.objects.count() == before + 100_000
    district = unit("P-042")
    sub = Unit.objects.subtree_of(district)
    assert sub.count() == 1 + (100_000 - 101) // 100
    assert sub.filter(kind=UnitKind.BELOW).count() > 900
    assert unit("P-042-0003-07").path.startswith(district.path)
    assert unit("P-042-0003-07").depth == unit("P").depth + 3
    assert Unit.objects.subtree_of(unit("P")).count() == 100_000


def test_exit_status_2_for_wrong_usage(tmp_path):
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}", SECRET_KEY="x")
    no_file = subprocess.run([dvk, "import_units", str(tmp_path / "missing.csv")], env=env,
                             capture_output=True, text=True)
    assert no_file.returncode == 2 and "Không tìm thấy tệp" in no_file.stderr
    (tmp_path / "units.txt").write_text("x")
    bad_kind = subprocess.run([dvk, "import_units", str(tmp_path / "units.txt")], env=env,
                              capture_output=True, text=True)
    assert bad_kind.returncode == 2 and "không được hỗ trợ" in bad_kind.stderr
    no_arg = subprocess.run([dvk, "import_units"], env=env, capture_output=True, text=True)
    assert no_arg.returncode == 2


def test_a_units_file_with_a_header_and_no_data_is_refused(tmp_path):
    status, _, err = run(write_csv(tmp_path / "trong.csv", [["", "", "", "", ""]]))
    assert status == 1 and "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào để nhập." in err


def test_unit_cells_the_database_cannot_hold_are_refused(tmp_path):
    rows = [["AG", "Tỉnh An\x00 Giang", "", "Tỉnh", ""],
            ["AG-1", "Huyện " + "x" * 300, "AG", "Huyện", ""],
            ["AG-2", "Huyện Hai", "A" * 200_000, "Huyện", ""]]
    status, _, err = run(write_csv(tmp_path / "sai.csv", rows))
    assert status == 1
    assert "Dòng 2, cột «Tên đơn vị»: có ký tự không hợp lệ U+0000 ở vị trí 8" in err
    assert "Dòng 3, cột «Tên đơn vị»: dài 306 ký tự, vượt giới hạn 255 ký tự." in err
    assert "Dòng 4, cột «Mã đơn vị cấp trên»: dài 200000 ký tự, vượt giới hạn 64 ký tự." in err
    assert "Traceback" not in err


def test_a_unit_is_never_of_a_kind_above_its_parents(tmp_path, unit):
    rows = [["T2", "Tỉnh dưới xã", "KG-GQ-02", "Tỉnh", ""],          # row 2: above its parent
            ["H2", "Huyện mới", "X2", "Huyện", ""],                   # row 3: under a commune
            ["X2", "Xã mới", "KG", "Cơ sở", ""],                      # a commune under the
            ["X2-A", "Ấp mới", "X2", "Dưới cơ sở", ""],               # province is fine
            ["X2-B", "Tổ mới", "X2-A", "Dưới cơ sở", ""]]             # same kind is fine
    status, _, err = run(write_csv(tmp_path / "loai.csv", rows))
    assert status == 1
    assert ("Dòng 2, cột «Loại»: đơn vị loại «Tỉnh» không thể trực thuộc đơn vị «KG-GQ-02» loại "
            "«Cơ sở» (đơn vị cấp trên phải cùng loại hoặc cao hơn).") in err
    assert "Dòng 3, cột «Loại»: đơn vị loại «Huyện» không thể trực thuộc đơn vị «X2» loại «Cơ sở»" in err
    assert "Dòng 4" not in err and "Dòng 5" not in err and "Dòng 6" not in err
    assert not Unit.objects.filter(code__in=["T2", "X2"]).exists()
    assert run(write_csv(tmp_path / "dung.csv", rows[2:]))[0] == 0
    assert unit("X2").parent == unit("KG")


def test_a_unit_cannot_become_a_kind_below_the_sub_units_it_keeps(tmp_path, unit):
    gq = unit("KG-GQ")  # a district with communes under it
    rows = [["KG-GQ", gq.name, "KG", "Dưới cơ sở", ""]]
    status, _, err = run(write_csv(tmp_path / "ha.csv", rows))
    assert status == 1
    assert ("Dòng 2, cột «Loại»: không thể đổi thành loại «Dưới cơ sở»: đơn vị trực thuộc «KG-GQ-01» (và"
            in err) and err.count("Dòng 2") == 1
    assert unit("KG-GQ").kind == UnitKind.DISTRICT
