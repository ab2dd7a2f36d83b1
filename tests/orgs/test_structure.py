import datetime as dt

import pytest

from dvk.orgs import history, structure
from dvk.orgs.enums import UnitEventKind, UnitKind
from dvk.orgs.models import Unit, UnitEvent
from dvk.initiatives.queries import registrations_for
from dvk.orgs.structure import StructureError
from dvk.orgs.tree import check_paths

from .conftest import REFORM

pytestmark = pytest.mark.django_db


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_merge_keeps_past_registrations_under_old_district_and_rolls_up_to_new_commune(
        unit, user, scope_of, register_2018):
    mine = register_2018("KG-GQ-02-PN", 2) + register_2018("KG-GQ-03-ND", 1)
    district_scope = scope_of("gq.thuky")
    before = registrations_for(district_scope).count()

    new = structure.merge_units([unit("KG-GQ-02"), unit("KG-GQ-03")], into_code="AG-DH",
                                into_name="Xã Định Hòa", kind=UnitKind.GRASSROOTS,
                                parent=unit("KG"), date=REFORM, decision="1680/NQ-UBTVQH15",
                                actor=user("quantri"))

    # Structure of the time: the old district still sees every 2018 registration.
    assert registrations_for(district_scope).count() == before
    assert {r.pk for r in mine} <= set(registrations_for(district_scope).values_list("pk", flat=True))
    # The commune clerk of the merged commune keeps her unit's past data too.
    assert registrations_for(scope_of("dinhhoa.vanthu")).filter(pk=mine[0].pk).exists()
    # Rolled up to today's units: both communes' organisations land on the new commune.
    rolled = history.current_unit_map()
    for code in ("KG-GQ-02", "KG-GQ-02-PN", "KG-GQ-03", "KG-GQ-03-ND"):
        assert rolled[unit(code).pk] == new.pk
    assert history.carrier_of(unit("KG-GQ-02-PN")) == new
    assert {r.unit_id for r in mine} <= history.roll_up_ids(new)
    # Retired units keep their place; the new one is in force from the date.
    old = unit("KG-GQ-02")
    assert old.valid_until == REFORM and old.successor == new and old.parent == unit("KG-GQ")
    assert new.valid_from == REFORM and new.path.startswith(unit("KG").path)
    assert "KG-GQ-02" in codes(history.units_as_of(dt.date(2025, 6, 30)))
    assert "KG-GQ-02" not in codes(history.units_as_of(REFORM))
    assert "AG-DH" in codes(history.units_as_of(REFORM))
    assert "AG-DH" not in codes(history.units_as_of(dt.date(2025, 6, 30)))
    assert not codes(Unit.objects.current(REFORM).subtree_of(old))  # the unions ended too

    event = UnitEvent.objects.get(kind=UnitEventKind.MERGE)
    assert event.date == REFORM and event.decision == "1680/NQ-UBTVQH15"
    assert codes(event.sources) == {"KG-GQ-02", "KG-GQ-03"} and codes(event.targets) == {"AG-DH"}
    assert event.actor == user("quantri")


def test_merge_into_existing_unit(unit):
    target = unit("KG-GQ-04")
    result = structure.merge_units([unit("KG-GQ-05")], into=target, date=REFORM)
    assert result == target and unit("KG-GQ-05").successor == target
    assert target.valid_until is None


@pytest.mark.parametrize("case, message", [
    ("single", "ít nhất hai"),
    ("retired", "đã ngừng hoạt động"),
    ("parent_inside", "nằm trong đơn vị bị thay đổi"),
    ("code_taken", "đã tồn tại"),
    ("into_itself", "chính nó"),
])
def test_merge_refusals(unit, case, message):
    a, b = unit("KG-GQ-02"), unit("KG-GQ-03")
    kwargs = dict(into_code="NEW", into_name="Xã Mới", kind=UnitKind.GRASSROOTS,
                  parent=unit("KG"), date=REFORM)
    if case == "single":
        sources = [a]
    elif case == "retired":
        structure.dissolve_unit(unit("KG-GQ-02-A1"), date=dt.date(2024, 1, 1))
        sources, kwargs["parent"] = [a, unit("KG-GQ-02-A1")], unit("KG")
    elif case == "parent_inside":
        sources, kwargs["parent"] = [a, b], unit("KG-GQ-02-PN")
    elif case == "code_taken":
        sources, kwargs["into_code"] = [a, b], "KG-RG"
    else:
        sources, kwargs = [a], dict(into=a, date=REFORM)
    with pytest.raises(StructureError, match=message):
        structure.merge_units(sources, **kwargs)
    assert unit("KG-GQ-03").valid_until is None
    assert not Unit.objects.filter(code="NEW").exists()


def test_split_retires_source_and_primary_part_carries_its_data(unit, register_2018):
    regs = register_2018("KG-GQ-04-PN", 1)
    parts = [{"code": "GQ4-A", "name": "Xã Bốn A"}, {"code": "GQ4-B", "name": "Xã Bốn B"}]
    a, b = structure.split_unit(unit("KG-GQ-04"), parts=parts, primary_code="GQ4-B",
                                date=REFORM, decision="QĐ chia tách")
    source = unit("KG-GQ-04")
    assert source.valid_until == REFORM and source.successor == b
    assert a.parent == source.parent and a.kind == source.kind and a.valid_from == REFORM
    assert history.carrier_of(regs[0].unit) == b
    event = UnitEvent.objects.get(kind=UnitEventKind.SPLIT)
    assert codes(event.targets) == {"GQ4-A", "GQ4-B"} and codes(event.sources) == {"KG-GQ-04"}
    with pytest.raises(StructureError, match="không thuộc các đơn vị mới"):
        structure.split_unit(unit("KG-GQ-05"), parts=[{"code": "Z1", "name": "Z"},
                                                      {"code": "Z2", "name": "Z"}],
                             primary_code="Z3", date=REFORM)


def test_move_rewrites_subtree_paths_and_keeps_the_old_structure_readable(unit, scope_of,
                                                                          register_2018):
    reg = register_2018("KG-GQ-05-PN", 1)[0]
    moved = unit("KG-GQ-05")
    below = codes(Unit.objects.subtree_of(moved))
    assert len(below) > 3

    structure.move_unit(moved, new_parent=unit("KG-RG"), date=REFORM, decision="QĐ điều chỉnh")

    moved = unit("KG-GQ-05")
    assert moved.parent == unit("KG-RG") and moved.depth == unit("KG-RG").depth + 1
    assert check_paths() == []  # every descendant's path and depth follow the new parent
    assert below <= codes(Unit.objects.subtree_of(unit("KG-RG")))
    assert not below & codes(Unit.objects.subtree_of(unit("KG-GQ")))
    # Scopes follow today's structure…
    assert registrations_for(scope_of("gq.thuky")).filter(pk=reg.pk).count() == 0
    # …and the structure of the time is rebuilt from the move event.
    assert moved.pk in history.subtree_ids_as_of(unit("KG-GQ"), dt.date(2020, 12, 31))
    assert moved.pk not in history.subtree_ids_as_of(unit("KG-GQ"), REFORM)
    event = UnitEvent.objects.get(kind=UnitEventKind.MOVE)
    assert event.old_parent == unit("KG-GQ") and event.new_parent == unit("KG-RG")
    assert event.old_path.startswith(unit("KG-GQ").path)


def test_move_refuses_under_itself_or_own_descendant(unit):
    district = unit("KG-GQ")
    for target in (district, unit("KG-GQ-02"), unit("KG-GQ-02-PN")):
        with pytest.raises(StructureError, match="dưới chính nó"):
            structure.move_unit(district, new_parent=target, date=REFORM)
    assert unit("KG-GQ").path == district.path


def test_dissolve_refuses_unit_with_current_children(unit):
    with pytest.raises(StructureError, match="còn đơn vị trực thuộc đang hoạt động"):
        structure.dissolve_unit(unit("KG-GQ"), date=REFORM)
    assert unit("KG-GQ").valid_until is None
    hamlet = structure.dissolve_unit(unit("KG-GQ-02-A1"), date=REFORM, successor=unit("KG-GQ-02"))
    assert hamlet.valid_until == REFORM and hamlet.successor == unit("KG-GQ-02")
    with pytest.raises(StructureError, match="đã ngừng hoạt động"):
        structure.dissolve_unit(unit("KG-GQ-02-A1"), date=REFORM)


def test_rename_keeps_unit_and_records_old_name(unit):
    from dvk.common.history import history_of

    u = structure.rename_unit(unit("KG-GQ-02"), name="Xã Định Hòa mới", date=REFORM)
    assert unit("KG-GQ-02").name == "Xã Định Hòa mới" and "dinh hoa moi" in u.search_text
    event = UnitEvent.objects.get(kind=UnitEventKind.RENAME)
    assert "Xã Định Hòa" in event.note
    assert history_of(u).first().changes == {"name": ["Xã Định Hòa", "Xã Định Hòa mới"]}


def test_reform_dissolving_a_district_keeps_its_history(unit, scope_of):
    """2025: the district's units merge into a commune under the province, the district ends."""
    district = unit("KG-GQ")
    gq_scope = scope_of("gq.thuky")
    before = set(registrations_for(gq_scope).values_list("pk", "unit_id"))
    children = list(district.children.filter(valid_until__isnull=True))
    new = structure.merge_units(children[:2], into_code="AG-GQ", into_name="Xã Gò Quao",
                                kind=UnitKind.GRASSROOTS, parent=unit("KG"), date=REFORM)
    structure.merge_units(children[2:], into=new, date=REFORM)
    structure.dissolve_unit(district, date=REFORM, successor=new)

    assert set(registrations_for(gq_scope).values_list("pk", "unit_id")) == before
    assert {unit_id for _, unit_id in before} <= history.roll_up_ids(new)
    assert not Unit.objects.current(REFORM).subtree_of(unit("KG-GQ")).exists()
    assert history.current_unit_map()[district.pk] == new.pk
