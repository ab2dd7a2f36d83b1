"""The annual report sent up: figures frozen at sending, who sent and who is late, returned
with a reason, frozen vs live differences."""
import pytest
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db


def _send(c, year=2026, note="Báo cáo kết quả năm 2026 của xã Định Hòa."):
    return c.post("/bao-cao-nam/gui/", {"phase": "2026-2030", "year": str(year), "note": note})


def test_a_sent_report_freezes_its_figures_and_shows_later_changes(client_as, draft):
    from dvk.reminders.models import AnnualReport
    from dvk.initiatives import services
    from tests.acting import acting

    commune = client_as("dinhhoa.thuky")
    assert _send(commune).status_code == 302
    report = AnnualReport._unguarded.get(unit__code="KG-GQ-02", year=2026)
    frozen = report.figures["levels"][0]["registered"]
    # A late registration after sending: the live figures move, the frozen ones do not.
    reg = draft("Khéo vận động sau khi gửi báo cáo")
    services.submit(reg, scope=acting("dinhhoa.vanthu"))
    report.refresh_from_db()
    assert report.figures["levels"][0]["registered"] == frozen
    page = client_as("gq.thuky").get(f"/bao-cao-nam/{report.pk}/").content.decode()
    assert 'id="differences"' in page and f"{frozen + 1}" in page
    assert "Đã thay đổi" in page or "Thay đổi" in page
    # Sent once: sending again is refused (a message, back) until the level above returns it.
    sent_at = report.sent_at
    _send(commune)
    report.refresh_from_db()
    assert report.sent_at == sent_at and report.figures["levels"][0]["registered"] == frozen


def test_the_upper_level_sees_who_sent_and_returns_with_a_reason(client_as, unit, phase26,
                                                                 levels):
    from dvk.orgs.models import Unit
    from dvk.phases.models import SteeringCommittee
    from dvk.reminders.models import AnnualReport

    silent = Unit.objects.create(code="KG-GQ-96", name="Xã Chưa Gửi", kind="grassroots",
                                 parent=unit("KG-GQ"))
    SteeringCommittee.objects.create(unit=silent, phase=phase26, level=levels[0],
                                     name="BCĐ xã Chưa Gửi")
    _send(client_as("dinhhoa.thuky"))
    report = AnnualReport._unguarded.get(unit__code="KG-GQ-02", year=2026)
    gq = client_as("gq.thuky")
    index = gq.get("/bao-cao-nam/", {"phase": "2026-2030", "year": "2026"}).content.decode()
    assert 'id="arrivals"' in index and "Xã Chưa Gửi" in index
    assert f'href="/bao-cao-nam/{report.pk}/"' in index and "Chưa gửi" in index
    # Only the committee it was sent to returns it, and only with a reason.
    assert client_as("tinh.thuky").post(f"/bao-cao-nam/{report.pk}/tra-lai/",
                                        {"reason": "x"}).status_code == 403
    gq.post(f"/bao-cao-nam/{report.pk}/tra-lai/", {"reason": " "})  # no reason: refused
    report.refresh_from_db()
    assert report.state == "sent"
    assert gq.post(f"/bao-cao-nam/{report.pk}/tra-lai/",
                   {"reason": "Bổ sung số liệu tập huấn."}).status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"
    mine = client_as("dinhhoa.thuky").get("/bao-cao-nam/", {"phase": "2026-2030",
                                                           "year": "2026"}).content.decode()
    assert "Bổ sung số liệu tập huấn." in mine
    assert _send(client_as("dinhhoa.thuky")).status_code == 302  # sent again
    report.refresh_from_db()
    assert report.state == "sent"


def test_a_returned_report_is_announced_to_its_unit_once(client_as):
    from django.core.management import call_command

    from dvk.reminders.models import AnnualReport, Notification

    _send(client_as("dinhhoa.thuky"))
    report = AnnualReport._unguarded.get(unit__code="KG-GQ-02", year=2026)
    client_as("gq.thuky").post(f"/bao-cao-nam/{report.pk}/tra-lai/",
                               {"reason": "Bổ sung số liệu."})
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    notes = Notification._unguarded.filter(user__username="dinhhoa.thuky",
                                           object_key=f"annual_report:{report.pk}")
    assert notes.count() == 1 and "Bổ sung số liệu." in notes.get().text


def test_a_clerk_neither_sends_nor_sees_the_reports_page(client_as):
    c = client_as("dinhhoa.vanthu")
    assert c.get("/bao-cao-nam/").status_code == 403
    assert _send(c).status_code == 403


def test_differences_tell_two_award_kinds_of_one_level_apart():
    from dvk.reminders.annual import differences

    frozen = {"awards": [{"level": "Cơ sở", "kind": "Giấy khen", "count": 3},
                         {"level": "Cơ sở", "kind": "Bằng khen", "count": 1}]}
    live = {"awards": [{"level": "Cơ sở", "kind": "Giấy khen", "count": 3},
                       {"level": "Cơ sở", "kind": "Bằng khen", "count": 2}]}
    assert differences(frozen, live) == [("awards › Cơ sở · Bằng khen › count", 1, 2)]
