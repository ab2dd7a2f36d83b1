"""Issue 9, item 2: memberships and committees of a unit no longer in force (merged,
dissolved) stop granting authority for new work, and keep read access to its history."""
import datetime as dt

import pytest
from django.utils import timezone

from dvk.common.rules import RULES, Refused, allowed
from dvk.initiatives import services
from dvk.initiatives.enums import State
from tests.acting import acting

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinhhoa_merged(unit):
    """Xã Định Hòa merged away yesterday (the successor does not matter here)."""
    def retire():
        u = unit("KG-GQ-02")
        u.valid_until = timezone.localdate() - dt.timedelta(days=1)
        u.save(update_fields=["valid_until"])
        return u
    return retire


def test_a_retired_units_clerk_cannot_start_new_work(dinhhoa_merged, draft, dinhhoa_org,
                                                     field_econ):
    reg = draft()  # registered while the commune was in force
    dinhhoa_merged()
    clerk = acting("dinhhoa.vanthu")
    with pytest.raises(Refused) as refused:
        services.create_initiative(scope=clerk, unit=dinhhoa_org, kind="collective",
                                   title="Khéo vận động sau sáp nhập", field=field_econ)
    assert refused.value.code == "retired_unit"
    assert "đã thôi hoạt động từ ngày" in refused.value.message
    reg.refresh_from_db()
    assert not allowed("registration.to_submitted", clerk, reg)
    assert not allowed("registration.edit", clerk, reg)


def test_a_retired_units_committee_cannot_judge(dinhhoa_merged, at_state):
    reg = at_state(State.SUBMITTED)
    dinhhoa_merged()
    with pytest.raises(Refused) as refused:
        services.accept(reg, scope=acting("dinhhoa.thuky"))
    assert refused.value.code == "retired_unit"
    reg.refresh_from_db()
    assert reg.state == State.SUBMITTED


def test_history_stays_readable(dinhhoa_merged, draft, client_as, field_econ):
    reg = draft()
    dinhhoa_merged()
    c = client_as("dinhhoa.vanthu")
    page = c.get(f"/mo-hinh/ho-so/{reg.pk}/")
    assert page.status_code == 200
    assert reg.initiative.title in page.content.decode()
    assert c.get("/mo-hinh/", {"phase": "2026-2030"}).status_code == 200
    # …but the form to start new work answers with the reason, not a blank page.
    api = c.post("/api/v1/initiatives", {"title": "Mô hình mới", "unit": "KG-GQ-02",
                                         "field_id": field_econ.pk, "kind": "collective"},
                 content_type="application/json")
    assert api.status_code == 403, api.content
    assert "retired_unit" in api.content.decode()


def test_units_in_force_are_untouched(draft):
    reg = draft()
    assert allowed("registration.to_submitted", acting("dinhhoa.vanthu"), reg)


def test_every_rule_that_starts_work_is_marked():
    """Reading rules stay open to a retired unit; everything else is new work. A user's own
    API keys are their account's, not work: a key reads a retired unit's history like the
    user, and the rule book refuses it new work as it refuses the user."""
    reading = {"registration.queue", "appraisal.list", "appraisal.view", "reports.view",
               "initiative.replicate",
               # reading one's notifications (and marking them read), the lagging units
               "notification.read", "reminders.lagging",
               "api_token.create", "api_token.revoke",
               # the system-wide history log: reading (system admin on a retired root too)
               "audit.read"}
    unmarked = {name for name, fn in RULES.items() if not getattr(fn, "new_work", False)}
    assert unmarked <= reading, unmarked - reading
