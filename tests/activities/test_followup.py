"""Follow-up of a registered model: the secretariat of the committee of the registration's
level names the member who follows it; that member or the secretariat logs visits; the
registration page shows who follows it and the visit log; the summary counts the models
visited on site."""
import pytest
from tests.initiatives.conftest import (at_state, draft, field_econ, levels,  # noqa: F401
                                        dinhhoa_org, new_initiative, phase26)

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[-3000:]
    return r["Location"]


@pytest.fixture
def reg(at_state):
    from dvk.initiatives.enums import State

    return at_state(State.ACCEPTED)  # a Cơ sở file of Xã Định Hòa


@pytest.fixture
def members(reg):
    from dvk.phases.models import CommitteeMember

    return {m.full_name: m for m in CommitteeMember.objects.filter(
        committee__unit__code="KG-GQ-02", committee__phase=reg.phase)}


def test_the_secretariat_assigns_a_member_and_logs_a_visit_shown_on_the_registration(
        client_as, reg, members):
    from dvk.activities.models import FollowUpVisit
    from dvk.common.history import history_of

    c = client_as("dinhhoa.thuky")
    page = c.get(f"/mo-hinh/ho-so/{reg.pk}/").content.decode()
    assert "Theo dõi, chăm bồi" in page and "chưa phân công" in page
    bình = members["Lê Văn Bình"]
    _post(c, f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/", {"member": bình.pk,
                                                          "note": "Theo dõi hằng quý"})
    page = c.get(f"/mo-hinh/ho-so/{reg.pk}/").content.decode()
    assert "Lê Văn Bình" in page and "Theo dõi hằng quý" in page
    form = c.get(f"/hoat-dong/theo-doi/{reg.pk}/tham/").content.decode()
    assert "Lê Văn Bình" in form  # the assigned member is proposed as the visitor
    _post(c, f"/hoat-dong/theo-doi/{reg.pk}/tham/", {
        "date": "15/11/2026", "member": bình.pk, "visitor": "", "on_site": "on",
        "findings": "135 hộ tham gia, sổ theo dõi đầy đủ",
        "guidance": "Nhân rộng sang ấp bên cạnh", "next_step": "Thăm lại tháng 3/2027"})
    visit = FollowUpVisit.objects.unscoped("test").get()
    assert visit.visitor == "Lê Văn Bình" and visit.year == 2026
    page = c.get(f"/mo-hinh/ho-so/{reg.pk}/").content.decode()
    assert "15/11/2026" in page and "Nhân rộng sang ấp bên cạnh" in page
    assert "Thăm lại tháng 3/2027" in page and "1 lượt tại cơ sở" in page
    actions = [e.action for e in history_of(reg)]
    assert "followup.assigned" in actions and "followup.visit_logged" in actions
    assigned = next(e for e in history_of(reg) if e.action == "followup.assigned")
    assert assigned.changes == {"follow_up_member": [None, "Lê Văn Bình"]}
    # Editing the visit records what changed.
    _post(c, f"/hoat-dong/theo-doi/tham/{visit.pk}/sua/", {
        "date": "15/11/2026", "member": bình.pk, "visitor": "Lê Văn Bình", "on_site": "on",
        "findings": "135 hộ tham gia, sổ theo dõi đầy đủ",
        "guidance": "Nhân rộng sang hai ấp", "next_step": "Thăm lại tháng 3/2027"})
    edited = next(e for e in history_of(reg) if e.action == "followup.visit_changed")
    assert edited.changes == {"guidance": ["Nhân rộng sang ấp bên cạnh", "Nhân rộng sang hai ấp"]}
    # Changing the member is a history entry too.
    _post(c, f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/", {"member": members["Nguyễn Thị Thu"].pk})
    changed = [e for e in history_of(reg) if e.action == "followup.assigned"][0]
    assert changed.changes == {"follow_up_member": ["Lê Văn Bình", "Nguyễn Thị Thu"]}
    # A visit date outside the phase is refused on the form.
    r = c.post(f"/hoat-dong/theo-doi/{reg.pk}/tham/", {"date": "01/01/2024",
                                                       "visitor": "A", "findings": "x"})
    assert r.status_code == 200 and "ngoài giai đoạn 2026-2030" in r.content.decode()


def test_who_may_assign_and_log(client_as, reg, members, user):
    from dvk.activities import services
    from tests.acting import acting

    # The district's secretariat sees the file but its committee judges another level.
    gq = client_as("gq.thuky")
    page = gq.get(f"/mo-hinh/ho-so/{reg.pk}/").content.decode()
    assert "Theo dõi, chăm bồi" in page and 'id="follow-up-assign"' not in page
    assert gq.post(f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/",
                   {"member": members["Lê Văn Bình"].pk}).status_code == 403
    assert gq.get(f"/hoat-dong/theo-doi/{reg.pk}/tham/").status_code == 403
    # Another district answers 404.
    rg = client_as("rachgia.vanthu")
    assert rg.post(f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/",
                   {"member": members["Lê Văn Bình"].pk}).status_code == 404
    assert rg.get(f"/hoat-dong/theo-doi/{reg.pk}/tham/").status_code == 404
    # The assigned member, signed in with their own account, logs visits (not assigns).
    thu = members["Nguyễn Thị Thu"]
    thu.user = user("dinhhoa.thamdinh")
    thu.save()
    services.assign_follow_up(reg, thu, scope=acting("dinhhoa.thuky"))
    c = client_as("dinhhoa.thamdinh")
    assert c.get(f"/hoat-dong/theo-doi/{reg.pk}/tham/").status_code == 200
    _post(c, f"/hoat-dong/theo-doi/{reg.pk}/tham/", {"date": "02/12/2026", "member": thu.pk,
                                                     "findings": "Đang duy trì"})
    assert c.post(f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/",
                  {"member": thu.pk}).status_code == 403
    # A member of another committee cannot be assigned.
    from dvk.phases.models import CommitteeMember

    other = CommitteeMember.objects.filter(committee__unit__code="KG").first()
    d = client_as("dinhhoa.thuky")
    d.post(f"/hoat-dong/theo-doi/{reg.pk}/phan-cong/", {"member": other.pk})
    from dvk.activities.models import FollowUpAssignment

    assert FollowUpAssignment.objects.unscoped("test").get().member == thu


def test_the_summary_counts_models_visited_on_site(reg, members):
    import datetime as dt

    from dvk.activities.models import FollowUpVisit
    from dvk.reports.summary import build_summary

    for day, on_site in ((dt.date(2026, 11, 1), True), (dt.date(2026, 12, 1), True),
                         (dt.date(2027, 1, 5), False)):
        FollowUpVisit.objects.create(registration=reg, date=day, visitor="Lê Văn Bình",
                                     on_site=on_site, findings="x")
    from dvk.orgs.models import Unit

    data = build_summary(reg.phase, Unit.objects.get(code="KG"))
    assert data["activities"]["follow_up"] == {"visits": 3, "models_visited": 1,
                                               "models_visited_on_site": 1}
