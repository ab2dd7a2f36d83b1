"""build_summary against counts written independently with plain ORM filters."""
import datetime as dt

import pytest

from dvk.common.formatting import recognition_rate
from dvk.orgs.models import Sector, Unit
from dvk.reports.summary import NO_SECTOR, build_summary, level_rows, registered, trend_by_year

from .conftest import rows_by_level

LEVELROW_KEYS = ["level", "registered", "recognized", "not_recognized", "exceptional",
                 "recognition_rate"]


def test_province_totals_equal_plain_counts(phase, unit, orm_counts):
    summary = build_summary(phase, unit("KG"))
    levels = list(phase.ordered_levels())
    assert [r["level"] for r in summary["levels"]] == ["Cơ sở", "Huyện", "Tỉnh"]
    for level, row in zip(levels, summary["levels"]):
        reg, rec, exc = orm_counts(level)
        assert (row["registered"], row["recognized"], row["exceptional"]) == (reg, rec, exc)
        assert row["recognition_rate"] == recognition_rate(rec, reg)
    # The demo at scale 0.05 of seed 004: 400 grassroots registrations, exceptional only at
    # the provincial level.
    assert summary["levels"][0]["registered"] == round(7995 * 0.05)
    assert summary["levels"][2]["exceptional"] == round(8 * 0.05)


def test_every_child_rolls_up_its_subtree(phase, unit, orm_counts):
    kg = unit("KG")
    summary = build_summary(phase, kg)
    children = list(Unit.objects.filter(parent=kg).order_by("path"))
    assert [u["code"] for u in summary["by_unit"]] == [c.code for c in children]
    levels = list(phase.ordered_levels())
    for child in summary["by_unit"]:
        for level, row in zip(levels, child["levels"]):
            reg, rec, exc = orm_counts(level, child["code"])
            assert (row["registered"], row["recognized"], row["exceptional"]) == (reg, rec, exc), \
                (child["code"], level.name)
    # Children add up to the total (no registration sits on the province unit itself).
    for i, total in enumerate(summary["levels"]):
        assert sum(c["levels"][i]["registered"] for c in summary["by_unit"]) == total["registered"]


def test_district_summary_covers_only_its_communes(phase, unit, orm_counts):
    summary = build_summary(phase, unit("KG-GQ"))
    assert summary["unit"] == {"code": "KG-GQ", "name": "Huyện Gò Quao"}
    assert "KG-GQ-02" in [u["code"] for u in summary["by_unit"]]
    for level, row in zip(phase.ordered_levels(), summary["levels"]):
        assert row["registered"] == orm_counts(level, "KG-GQ")[0]
    commune = next(u for u in summary["by_unit"] if u["code"] == "KG-GQ-02")
    level = phase.ordered_levels().first()
    assert commune["levels"][0]["registered"] == orm_counts(level, "KG-GQ-02")[0]


def test_contract_shape_zeros_and_null_rate(phase, unit):
    kg = unit("KG")
    Unit.objects.create(code="KG-MOI", name="Đảng ủy mới thành lập", kind="district", parent=kg)
    summary = build_summary(phase, kg)
    # CONTRACTS §5 first, in its order; then the keys that extend it (§9, occasion and money).
    assert list(summary)[:7] == ["phase", "unit", "levels", "by_unit", "by_field", "by_sector",
                                 "awards"]
    assert set(summary) - {"phase", "unit", "levels", "by_unit", "by_field", "by_sector",
                           "awards"} == {"awards_by_occasion", "award_money", "activities"}
    assert summary["phase"] == "2016-2020"
    for row in summary["levels"]:
        assert list(row) == LEVELROW_KEYS
    new = next(u for u in summary["by_unit"] if u["code"] == "KG-MOI")
    assert list(new) == ["code", "name", "levels"]
    assert [r["registered"] for r in new["levels"]] == [0, 0, 0]
    assert [r["recognition_rate"] for r in new["levels"]] == [None, None, None]
    assert [f["field"] for f in summary["by_field"]] == [
        "Kinh tế", "Văn hóa - Xã hội", "Quốc phòng - An ninh", "Xây dựng hệ thống chính trị"]
    assert [s["sector"] for s in summary["by_sector"]] == list(
        Sector.objects.order_by("order", "name").values_list("name", flat=True))
    assert NO_SECTOR not in [s["sector"] for s in summary["by_sector"]]
    assert all(set(a) == {"level", "kind", "count"} for a in summary["awards"])


def test_fields_and_sectors_add_up_to_totals(phase, unit, orm_counts):
    summary = build_summary(phase, unit("KG"))
    for i, total in enumerate(summary["levels"]):
        assert sum(f["levels"][i]["registered"] for f in summary["by_field"]) == total["registered"]
        assert sum(s["levels"][i]["recognized"] for s in summary["by_sector"]) == total["recognized"]
    police = next(s for s in summary["by_sector"] if s["sector"] == "Công an")
    level = phase.ordered_levels().first()
    assert police["levels"][0]["registered"] == orm_counts(level, sector__code="cong-an")[0] > 0


def test_no_sector_row_appears_only_when_used(phase, unit):
    from dvk.initiatives.models import Registration

    reg = Registration.objects.filter(phase=phase, unit__code__startswith="KG-GQ-").first()
    Registration.objects.filter(pk=reg.pk).update(sector=None)
    summary = build_summary(phase, unit("KG"))
    row = summary["by_sector"][-1]
    assert row["sector"] == NO_SECTOR
    assert rows_by_level(row["levels"])[reg.level.name]["registered"] == 1


def test_year_restricts_to_one_year(phase, unit, orm_counts):
    summary = build_summary(phase, unit("KG"), year=2018)
    for level, row in zip(phase.ordered_levels(), summary["levels"]):
        assert row["registered"] == orm_counts(level, year=2018)[0]
    trend = trend_by_year(phase, unit("KG"))
    assert [t["year"] for t in trend] == [2016, 2017, 2018, 2019, 2020]
    assert next(t for t in trend if t["year"] == 2018)["levels"] == summary["levels"]


def test_awards_by_level_and_kind(phase, unit):
    from dvk.awards.models import Award

    summary = build_summary(phase, unit("KG"))
    assert [(a["level"], a["kind"]) for a in summary["awards"]] == [
        ("Cơ sở", "Giấy khen"), ("Huyện", "Giấy khen"), ("Tỉnh", "Bằng khen")]
    assert summary["awards"][0]["count"] == Award.objects.filter(
        phase=phase, level__order=1, kind__code="giay-khen").count() == round(1802 * 0.05)


def test_draft_and_withdrawn_are_not_registered(phase, unit):
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Registration

    before = build_summary(phase, unit("KG"))["levels"][0]["registered"]
    reg = Registration.objects.filter(phase=phase, level__order=1).first()
    Registration.objects.filter(pk=reg.pk).update(state=State.WITHDRAWN)
    assert build_summary(phase, unit("KG"))["levels"][0]["registered"] == before - 1


def test_level_rows_selector_on_any_queryset(phase, unit):
    qs = registered(phase).filter(unit__code__startswith="KG-GQ-")
    rows = level_rows(qs, phase.ordered_levels())
    assert rows == build_summary(phase, unit("KG-GQ"))["levels"]


@pytest.mark.parametrize("code,time,today", [("KG", 10, 9), ("KG-GQ", 9, 9)])
def test_query_count_does_not_grow_with_the_tree(phase, unit, code, time, today,
                                                 django_assert_num_queries):
    from dvk.activities.figures import ACTIVITY_QUERIES  # §9's block: a fixed number

    u = unit(code)
    with django_assert_num_queries(time + ACTIVITY_QUERIES):
        build_summary(phase, u)
    with django_assert_num_queries(today + ACTIVITY_QUERIES):
        build_summary(phase, u, structure="today")


def _merge(unit, codes, into_code, parent_code):
    """Merge communes on 1/7/2025 with the org tree's own service (descendants go along)."""
    from dvk.orgs.structure import merge_units

    return merge_units([unit(c) for c in codes], date=dt.date(2025, 7, 1), into_code=into_code,
                       into_name=f"Xã mới {into_code}", kind="grassroots",
                       parent=unit(parent_code), decision="Nghị quyết sắp xếp đơn vị hành chính")


def test_structure_today_rolls_merged_communes_into_the_new_one(phase, unit, orm_counts):
    _merge(unit, ["KG-GQ-02", "KG-GQ-03"], "KG-GQ-M1", "KG-GQ")
    level = phase.ordered_levels().first()
    old = orm_counts(level, "KG-GQ-02")[0] + orm_counts(level, "KG-GQ-03")[0]
    assert old > 0

    time = build_summary(phase, unit("KG-GQ"), structure="time")
    time_units = {u["code"]: u for u in time["by_unit"]}
    assert time_units["KG-GQ-02"]["levels"][0]["registered"] == orm_counts(level, "KG-GQ-02")[0]
    assert time_units["KG-GQ-M1"]["levels"][0]["registered"] == 0

    today = build_summary(phase, unit("KG-GQ"), structure="today")
    today_units = {u["code"]: u for u in today["by_unit"]}
    assert "KG-GQ-02" not in today_units and "KG-GQ-03" not in today_units
    assert today_units["KG-GQ-M1"]["levels"][0]["registered"] == old
    assert today["levels"] == time["levels"]  # same district total either way

    # Seen from the new commune itself, today's structure includes its predecessors' data.
    assert build_summary(phase, unit("KG-GQ-M1"), structure="today")["levels"][0]["registered"] == old
    assert build_summary(phase, unit("KG-GQ-M1"), structure="time")["levels"][0]["registered"] == 0


def test_structure_today_moves_data_across_districts(phase, unit, orm_counts):
    """A commune merged into another district's unit leaves its old district today."""
    level = phase.ordered_levels().first()
    commune = next(c for c in (f"KG-GQ-{i:02d}" for i in range(1, 9)) if orm_counts(level, c)[0])
    _merge(unit, [commune, "KG-RG-02"], "KG-RG-M1", "KG-RG")
    moved = orm_counts(level, commune)[0]
    assert moved > 0
    gq_time = build_summary(phase, unit("KG-GQ"))["levels"][0]["registered"]
    gq_today = build_summary(phase, unit("KG-GQ"), structure="today")["levels"][0]["registered"]
    rg_today = build_summary(phase, unit("KG-RG"), structure="today")
    assert gq_today == gq_time - moved
    assert rg_today["levels"][0]["registered"] == orm_counts(level, "KG-RG")[0] + moved
    new = next(u for u in rg_today["by_unit"] if u["code"] == "KG-RG-M1")
    assert new["levels"][0]["registered"] == moved + orm_counts(level, "KG-RG-02")[0]
    kg = build_summary(phase, unit("KG"), structure="today")
    assert kg["levels"] == build_summary(phase, unit("KG"))["levels"]
