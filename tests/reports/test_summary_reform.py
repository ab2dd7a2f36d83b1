"""Reports across the 2025 reform: `--structure time` keeps each registration under the tree of
its year (moves included), `--structure today` rolls everything up to today's units, and both
ways add up to the same totals. The changes come from a structure file (CONTRACTS §6)."""
import csv
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from dvk.orgs.enums import UnitKind
from dvk.orgs.models import Unit
from dvk.reports.summary import build_summary, trend_by_year

pytestmark = pytest.mark.django_db

HEADER = ["Ngày hiệu lực", "Thay đổi", "Mã đơn vị", "Mã đơn vị kế thừa", "Tên đơn vị",
          "Mã đơn vị cấp trên", "Loại", "Khối"]
D = "01/07/2025"


def import_structure(tmp_path, rows, name="co_cau.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    out = StringIO()
    call_command("import_structure", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def by_code(summary):
    return {u["code"]: u["levels"] for u in summary["by_unit"]}


def registered(levels):
    return [row["registered"] for row in levels]


def commune_with_data(phase, orm_counts, district="KG-GQ"):
    level = phase.ordered_levels().first()
    communes = Unit.objects.filter(parent__code=district, kind=UnitKind.GRASSROOTS)
    return next(c.code for c in communes.order_by("code")
                if orm_counts(level, c.code, year__lt=2018)[0]
                and orm_counts(level, c.code, year__gte=2018)[0])


def test_time_structure_keeps_a_moved_commune_under_its_district_of_the_time(
        tmp_path, phase, unit, orm_counts):
    commune = commune_with_data(phase, orm_counts)
    before = {code: build_summary(phase, unit(code)) for code in ("KG", "KG-GQ", "KG-RG")}
    trend = trend_by_year(phase, unit("KG-GQ"))

    import_structure(tmp_path, [[D, "Chuyển", commune, "", "", "KG-RG", "", ""]])
    assert unit(commune).parent == unit("KG-RG")

    # The structure of the time: 2016–2020 is counted as if nothing had moved.
    assert build_summary(phase, unit("KG-GQ")) == before["KG-GQ"]
    assert trend_by_year(phase, unit("KG-GQ")) == trend
    rg = build_summary(phase, unit("KG-RG"))
    assert rg["levels"] == before["KG-RG"]["levels"]
    assert all(row["registered"] == 0 for row in by_code(rg)[commune])
    assert build_summary(phase, unit("KG")) == before["KG"]
    # Today's structure: the commune's data now counts under its new district.
    moved = registered(by_code(before["KG-GQ"])[commune])
    gq_today = build_summary(phase, unit("KG-GQ"), structure="today")
    rg_today = build_summary(phase, unit("KG-RG"), structure="today")
    assert commune not in by_code(gq_today) and by_code(rg_today)[commune] == \
        by_code(before["KG-GQ"])[commune]
    assert [a - m for a, m in zip(registered(before["KG-GQ"]["levels"]), moved)] == \
        registered(gq_today["levels"])
    assert [a + m for a, m in zip(registered(before["KG-RG"]["levels"]), moved)] == \
        registered(rg_today["levels"])


def test_a_move_inside_the_phase_splits_the_years_between_both_parents(
        tmp_path, phase, unit, orm_counts):
    """Moved on 01/07/2018: in 2018 (its last day) it already sat under the new district."""
    level = phase.ordered_levels().first()
    commune = commune_with_data(phase, orm_counts)
    gq_before = build_summary(phase, unit("KG-GQ"))["levels"][0]["registered"]
    rg_before = build_summary(phase, unit("KG-RG"))["levels"][0]["registered"]
    import_structure(tmp_path, [["01/07/2018", "Chuyển", commune, "", "", "KG-RG", "", ""]])

    early = orm_counts(level, commune, year__lt=2018)[0]
    late = orm_counts(level, commune, year__gte=2018)[0]
    gq = build_summary(phase, unit("KG-GQ"))
    rg = build_summary(phase, unit("KG-RG"))
    assert gq["levels"][0]["registered"] == gq_before - late
    assert rg["levels"][0]["registered"] == rg_before + late
    assert by_code(gq)[commune][0]["registered"] == early
    assert by_code(rg)[commune][0]["registered"] == late
    assert build_summary(phase, unit("KG-GQ"), year=2017)["levels"][0]["registered"] == \
        orm_counts(level, "KG-GQ", year=2017)[0]
    trend = {t["year"]: t["levels"][0]["registered"] for t in trend_by_year(phase, unit("KG-RG"))}
    assert trend[2017] == orm_counts(level, "KG-RG", year=2017)[0]
    assert trend[2019] == orm_counts(level, "KG-RG", year=2019)[0] + \
        orm_counts(level, commune, year=2019)[0]


def reform_file():
    """KG merged into a new province AG (first row: the order of rows does not matter on one
    date), every district dissolved, its communes merged two by two into new communes."""
    rows = [[D, "Thành lập", "AG", "", "Tỉnh An Giang", "", "Tỉnh", ""],
            [D, "Sáp nhập", "KG", "AG", "", "", "", ""]]
    shares: dict[str, list[str]] = {}
    districts = Unit.objects.filter(parent__code="KG", kind=UnitKind.DISTRICT,
                                    valid_until__isnull=True).order_by("code")
    for district in districts:
        communes = list(district.children.filter(kind=UnitKind.GRASSROOTS,
                                                 valid_until__isnull=True).order_by("code"))
        for i in range(0, len(communes), 2):
            new = f"AG-{len(shares) + 1:03d}"
            rows.append([D, "Thành lập", new, "", f"Xã mới {len(shares) + 1}", "AG", "Cơ sở", ""])
            shares[new] = [c.code for c in communes[i:i + 2]]
            rows += [[D, "Sáp nhập", code, new, "", "", "", ""] for code in shares[new]]
        rows.append([D, "Giải thể", district.code, "", "", "", "", ""])
    return rows, shares


def test_reform_from_a_file_keeps_every_figure_and_sums_the_same_both_ways(
        tmp_path, phase, unit, orm_counts):
    before = build_summary(phase, unit("KG"))
    assert before["levels"][0]["registered"] > 0
    rows, shares = reform_file()
    assert len(shares) > 10
    out = import_structure(tmp_path, rows)
    assert "0 thay đổi đã có từ trước" in out
    assert not Unit.objects.current(dt.date(2025, 7, 1)).subtree_of(unit("KG")).exists()

    # Structure of the time: every 2016–2020 figure as before the reform.
    assert build_summary(phase, unit("KG")) == before
    assert all(row["registered"] == 0 for row in build_summary(phase, unit("AG"))["levels"])
    # Today's structure: the new province carries the old totals…
    today = build_summary(phase, unit("AG"), structure="today")
    assert today["levels"] == before["levels"]
    assert today["by_field"] == before["by_field"] and today["awards"] == before["awards"]
    # …each new commune its two predecessors' share, at every level…
    levels = list(phase.ordered_levels())
    new_units = by_code(today)
    for new, old in shares.items():
        expected = [sum(orm_counts(level, code)[0] for code in old) for level in levels]
        assert registered(new_units[new]) == expected, new
    # …and nothing is lost between them: both ways sum to the same totals.
    def total(summary):
        return sum(row["registered"] for row in summary["levels"])

    assert total(today) == total(before) == sum(
        orm_counts(level)[0] for level in levels)
    # The same from the command line.
    out = StringIO()
    call_command("summary", "--phase", phase.code, "--unit", "AG", "--structure", "today",
                 stdout=out)
    assert json.loads(out.getvalue())["levels"] == before["levels"]

    # A second import of the same file changes nothing.
    units = list(Unit.objects.order_by("pk").values_list("pk", "path", "valid_until",
                                                         "successor_id"))
    assert "Đã áp dụng 0 thay đổi" in import_structure(tmp_path, rows)
    assert list(Unit.objects.order_by("pk").values_list("pk", "path", "valid_until",
                                                        "successor_id")) == units
    assert build_summary(phase, unit("AG"), structure="today") == today
