"""initiatives.queries.overdue holds each unit to its own cascading deadline (the calendar's
DVK_DEADLINE_OFFSET_DAYS), not to the province's date."""
import datetime as dt

import pytest
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db


def test_a_commune_is_late_from_its_own_registration_deadline(unit, phase26, settings):
    from dvk.initiatives.queries import overdue
    from dvk.orgs.models import Unit
    from tests.acting import acting

    Unit.objects.create(code="KG-GQ-97", name="Xã Chậm Đăng Ký", kind="grassroots",
                        parent=unit("KG-GQ"))
    scope = acting("gq.thuky")

    def late(day):
        return [u.code for u in overdue(scope, phase26, 2026, today=day)["units"]]

    # The commune's registrations are due 11/01/2026, 20 days before the province's 31/01.
    assert overdue(scope, phase26, 2026, today=dt.date(2026, 1, 15))[
        "registration_deadline"] == dt.date(2026, 1, 11)
    assert "KG-GQ-97" not in late(dt.date(2026, 1, 11))
    assert "KG-GQ-97" in late(dt.date(2026, 1, 15))  # before the province's date: late already
    # A larger offset moves the commune's deadline, and with it the day it becomes late.
    settings.DVK_DEADLINE_OFFSET_DAYS = {"registration": 3}  # commune due 25/01
    assert "KG-GQ-97" not in late(dt.date(2026, 1, 15))
    assert "KG-GQ-97" in late(dt.date(2026, 1, 26))


def test_an_achievement_report_is_overdue_from_its_units_deadline(at_state, phase26):
    from dvk.initiatives.enums import State
    from dvk.initiatives.queries import overdue
    from tests.acting import acting

    reg = at_state(State.ACCEPTED, title="Khéo vận động chưa nộp báo cáo")
    scope = acting("gq.thuky")

    def pending(day):
        return list(overdue(scope, phase26, 2026, today=day)["not_reported"]
                    .values_list("pk", flat=True))

    # The commune's reports are due 20/09/2026; the province's date is 10/10.
    assert reg.pk not in pending(dt.date(2026, 9, 20))
    assert reg.pk in pending(dt.date(2026, 9, 25))
