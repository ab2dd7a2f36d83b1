"""The bell, the notifications page, marking read, the lagging units, the home calendar."""
import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _note(username, text="Hồ sơ bị trả lại", url="/mo-hinh/", unit=None):
    from django.contrib.auth import get_user_model

    from dvk.orgs.models import Membership
    from dvk.reminders.models import Notification

    user = get_user_model().objects.get(username=username)
    unit = unit or Membership.objects.filter(user=user).first().unit
    return Notification.objects.create(user=user, unit=unit, kind="returned",
                                       object_key="registration:1", text=text, url=url)


def test_the_bell_counts_unread_notifications_and_marking_read_clears_it(client_as):
    n1 = _note("dinhhoa.vanthu", "Mô hình A bị trả lại")
    _note("dinhhoa.vanthu", "Mô hình B bị trả lại")
    c = client_as("dinhhoa.vanthu")
    home = c.get("/").content.decode()
    assert 'id="bell"' in home and '<span class="bell-count">2</span>' in home
    page = c.get("/thong-bao/").content.decode()
    assert "Mô hình A bị trả lại" in page and "Mô hình B bị trả lại" in page
    resp = c.post(f"/thong-bao/{n1.pk}/da-doc/", {"open": "1"})
    assert resp.status_code == 302 and resp["Location"] == "/mo-hinh/"
    assert '<span class="bell-count">1</span>' in c.get("/").content.decode()
    unread = c.get("/thong-bao/?unread=1").content.decode()
    assert "Mô hình A bị trả lại" not in unread and "Mô hình B bị trả lại" in unread
    c.post("/thong-bao/da-doc-het/")
    assert "bell-count" not in c.get("/").content.decode()


def test_someone_elses_notification_is_not_found(client_as):
    theirs = _note("rachgia.vanthu", "Thông báo của Rạch Giá")
    c = client_as("dinhhoa.vanthu")
    assert c.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    assert "Thông báo của Rạch Giá" not in c.get("/thong-bao/").content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_home_shows_the_units_calendar_with_countdowns(client_as):
    from django.utils import timezone

    body = client_as("dinhhoa.vanthu").get("/").content.decode()
    assert 'id="deadlines"' in body and "Hạn đăng ký mô hình" in body
    assert 'id="worklist"' in body and "Việc cần làm" in body
    year = timezone.localdate().year
    if 2026 <= year <= 2030:
        # The commune's report to the district: 05/12 (5 days before the district's 10/12).
        assert f"05/12/{year}" in body
    assert ("còn " in body) or ("quá hạn " in body) or ("hạn hôm nay" in body)


def test_home_state_counts_are_links_to_the_filtered_list(client_as):
    body = client_as("dinhhoa.vanthu").get("/").content.decode()
    assert 'class="kpi" href="/mo-hinh/?phase=' in body and "&amp;state=returned" in body


def test_the_worklist_links_each_returned_file_to_its_page(client_as):
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Registration

    reg = Registration.objects.filter(unit__code__startswith="KG-GQ-02",
                                      state=State.RETURNED).first()
    body = client_as("dinhhoa.vanthu").get("/").content.decode()
    if reg is not None and reg.phase.start_year <= dt.date.today().year <= reg.phase.end_year:
        assert f'href="/mo-hinh/ho-so/{reg.pk}/"' in body


def test_registration_pages_show_the_calendar(client_as):
    c = client_as("dinhhoa.vanthu")
    assert 'id="deadlines"' in c.get("/mo-hinh/dang-ky/").content.decode()
    assert 'id="deadlines"' in c.get("/mo-hinh/").content.decode()


def test_the_lagging_page_lists_late_units_for_the_committee(client_as, unit):
    from dvk.orgs.models import Unit
    from dvk.phases.models import Phase, SteeringCommittee
    from django.utils import timezone

    year = timezone.localdate().year
    phase = Phase.objects.filter(start_year__lte=year, end_year__gte=year).first()
    if phase is None:
        pytest.skip("no phase covers this year")
    commune = Unit.objects.create(code="KG-GQ-98", name="Xã Chậm Trễ", kind="grassroots",
                                  parent=unit("KG-GQ"))
    SteeringCommittee.objects.create(unit=commune, phase=phase,
                                     level=phase.ordered_levels().first(), name="BCĐ xã")
    body = client_as("gq.thuky").get("/thong-bao/don-vi-cham/").content.decode()
    from dvk.phases.calendar import deadline_of

    passed = deadline_of(commune, phase, year, "registration").date < timezone.localdate()
    assert ("Xã Chậm Trễ" in body) == passed
    assert client_as("dinhhoa.vanthu").get("/thong-bao/don-vi-cham/").status_code == 403
