import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_unit_page_names_only_the_event_units_in_scope(client_as, unit):
    """A structural change that also involved a unit of another district shows only the
    units the viewer may see."""
    from dvk.orgs.enums import UnitEventKind
    from dvk.orgs.models import UnitEvent

    mine, foreign = unit("KG-GQ-02"), unit("KG-RG-01")
    event = UnitEvent.objects.create(kind=UnitEventKind.MERGE, date=dt.date(2025, 7, 1),
                                     decision="1234/NQ-UBTVQH15")
    event.sources.set([mine, foreign])
    event.targets.set([mine])

    page = client_as("gq.thuky").get(f"/don-vi/{mine.code}/").content.decode()
    assert "1234/NQ-UBTVQH15" in page and mine.name in page
    assert foreign.name not in page

    province_page = client_as("tinh.thuky").get(f"/don-vi/{mine.code}/").content.decode()
    assert foreign.name in province_page
