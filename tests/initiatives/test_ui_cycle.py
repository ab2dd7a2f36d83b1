"""The annual-cycle screens as each persona uses them (Django test client, demo province)."""
import datetime as dt

import pytest
from django.urls import reverse

from dvk.initiatives.enums import State
from tests.acting import acting

pytestmark = pytest.mark.django_db

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def url(name, **kw):
    return reverse(f"initiatives:{name}", kwargs=kw)


def register_post(unit_pk, phase, level, **over):
    from dvk.initiatives.models import Field

    data = {"unit": unit_pk, "kind": "collective",
            "title": "Khéo vận động phụ nữ ấp Minh Cường góp quỹ xoay vòng Zeta",
            "subject": "Chi hội Phụ nữ ấp Minh Cường", "field": Field.objects.first().pk,
            "phase": phase.pk, "level": level.pk, "year": 2026,
            "t-TOTAL_FORMS": 3, "t-INITIAL_FORMS": 0, "t-MIN_NUM_FORMS": 0,
            "t-MAX_NUM_FORMS": 20,
            "t-0-criterion": "Số hội viên tham gia", "t-0-baseline": "20", "t-0-target": "80",
            "t-0-unit_of_measure": "người", "submit": "1"}
    data.update(over)
    return data


def test_clerk_registers_and_submits_a_model(client_as, unit, phase26, levels):
    c = client_as("dinhhoa.vanthu")
    org = unit("KG-GQ-02-PN")
    resp = c.post(url("register"), register_post(org.pk, phase26, levels[0]), **VI)
    assert resp.status_code == 302
    from dvk.initiatives.models import Registration

    reg = Registration.objects.get(initiative__title__endswith="xoay vòng Zeta")
    assert reg.state == State.SUBMITTED and reg.unit == org
    assert list(reg.targets.values_list("criterion", "target")) == [("Số hội viên tham gia", "80")]
    page = c.get(resp["Location"], **VI).content.decode()
    assert "Số hội viên tham gia" in page and "badge-submitted" in page


def test_register_form_errors_are_shown_in_vietnamese(client_as, unit, phase26, levels):
    c = client_as("dinhhoa.vanthu")
    data = register_post(unit("KG-GQ-02-PN").pk, phase26, levels[0], year=2019,
                         exceptional="on", **{"t-0-criterion": "", "t-0-target": "", "t-0-baseline": "",
                                                  "t-0-unit_of_measure": ""})
    resp = c.post(url("register"), data, **VI)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "Năm phải nằm trong giai đoạn 2026-2030" in page
    assert "Nêu lý do đăng ký đặc cách" in page
    assert "Đăng ký ít nhất một tiêu chí đo lường được" in page


def test_register_refuses_a_unit_outside_scope(client_as, unit, phase26, levels):
    c = client_as("dinhhoa.vanthu")
    resp = c.post(url("register"), register_post(unit("KG-RG-01").pk, phase26, levels[0]), **VI)
    assert resp.status_code == 200  # the unit is not a choice: a form error, nothing written
    from dvk.initiatives.models import Initiative

    assert not Initiative.objects.filter(title__endswith="xoay vòng Zeta").exists()


def test_roles_are_refused_with_403(client_as, at_state):
    reg = at_state(State.SUBMITTED)
    assert client_as("dinhhoa.thamdinh").get(url("register")).status_code == 403
    assert client_as("dinhhoa.vanthu").get(url("queue")).status_code == 403
    assert client_as("dinhhoa.vanthu").get(url("assigned")).status_code == 403
    assert client_as("dinhhoa.vanthu").post(url("accept", registration_id=reg.pk)).status_code == 403
    assert client_as("tinh.lanhdao").post(url("submit", registration_id=reg.pk)).status_code == 403


def test_other_district_gets_404(client_as, at_state):
    reg = at_state(State.SUBMITTED)
    c = client_as("rachgia.vanthu")
    for name in ("registration", "report"):
        assert c.get(url(name, registration_id=reg.pk)).status_code == 404
    form1 = reverse("documents:form1", kwargs={"registration_id": reg.pk, "fmt": "docx"})
    assert c.get(form1).status_code == 404
    assert c.get(url("initiative", initiative_id=reg.initiative_id)).status_code == 404
    form2 = reverse("documents:form2", kwargs={"unit_code": "KG-GQ", "fmt": "xlsx"})
    assert c.get(form2).status_code == 404
    assert c.post(url("withdraw", registration_id=reg.pk)).status_code == 404
    listing = c.get(url("registrations") + "?q=hien mau").content.decode()
    assert reg.initiative.title not in listing


def test_bulk_accept_and_return(client_as, at_state):
    a = at_state(State.SUBMITTED, title="Khéo vận động hiến máu A")
    b = at_state(State.SUBMITTED, title="Khéo vận động hiến máu B")
    c = client_as("dinhhoa.thuky")
    resp = c.post(url("bulk"), {"action": "return", "ids": [a.pk, b.pk], "comment": ""}, **VI)
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.state == State.SUBMITTED  # a return needs a comment
    resp = c.post(url("bulk"), {"action": "accept", "ids": [a.pk, b.pk]}, follow=True, **VI)
    a.refresh_from_db(), b.refresh_from_db()
    assert a.state == b.state == State.ACCEPTED
    assert "2 hồ sơ đã được tiếp nhận" in resp.content.decode()


def test_bulk_decision_records_one_decision(client_as, at_state):
    a = at_state(State.APPRAISED, title="Khéo vận động hiến máu A")
    b = at_state(State.APPRAISED, title="Khéo vận động hiến máu B")
    c = client_as("dinhhoa.thuky")
    c.post(url("bulk"), {"action": "decide", "ids": [a.pk, b.pk], "decision_number": "21-QĐ/BCĐ",
                         "decision_date": "2026-10-14", "signer": "Nguyễn Văn B",
                         "recognized": "1"}, **VI)
    a.refresh_from_db(), b.refresh_from_db()
    assert a.state == b.state == State.RECOGNIZED
    assert a.decision_id == b.decision_id and a.decision.number == "21-QĐ/BCĐ"


def test_bulk_decision_refuses_a_not_appraised_one_and_says_why(client_as, at_state):
    a = at_state(State.APPRAISED, title="Khéo vận động hiến máu A")
    b = at_state(State.ACCEPTED, title="Khéo vận động hiến máu B")
    resp = client_as("dinhhoa.thuky").post(
        url("bulk"), {"action": "decide", "ids": [a.pk, b.pk], "decision_number": "22-QĐ/BCĐ",
                      "decision_date": "2026-10-14", "recognized": "1"}, follow=True, **VI)
    a.refresh_from_db()
    assert a.state == State.APPRAISED
    assert "Không thể ra quyết định" in resp.content.decode()


def test_achievement_report_form(client_as, at_state):
    reg = at_state(State.ACCEPTED)
    c = client_as("dinhhoa.vanthu")
    target = reg.targets.get()
    resp = c.post(url("report", registration_id=reg.pk),
                  {"narrative": "Đã vận động 130 hộ.", "certifier_name": "Lê Văn C",
                   "certifier_position": "Bí thư Đảng ủy xã", "certified_on": "2026-10-01",
                   f"result_{target.pk}": ""}, **VI)
    assert resp.status_code == 200 and "Trường này là bắt buộc" in resp.content.decode()
    resp = c.post(url("report", registration_id=reg.pk),
                  {"narrative": "Đã vận động 130 hộ.", "certifier_name": "Lê Văn C",
                   "certifier_position": "Bí thư Đảng ủy xã", "certified_on": "2026-10-01",
                   f"result_{target.pk}": "130"}, **VI)
    assert resp.status_code == 302
    reg.refresh_from_db()
    assert reg.state == State.REPORTED and reg.targets.get().result == "130"


def _assigned(at_state, user, client_as):
    from dvk.initiatives import services
    from dvk.phases.models import AppraisalTeam

    reg = at_state(State.REPORTED)
    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02", committee__phase__code="2026-2030")
    client_as("dinhhoa.thuky").post(url("assign", registration_id=reg.pk),
                               {"team": team.pk, "appraiser": user("dinhhoa.thamdinh").pk})
    return reg, services.Appraisal.objects.get(registration=reg) if hasattr(services, "Appraisal") \
        else reg.appraisals.get()


def test_assign_and_appraise(client_as, at_state, user):
    reg, appr = _assigned(at_state, user, client_as)
    assert appr.appraiser.username == "dinhhoa.thamdinh"
    c = client_as("dinhhoa.thamdinh")
    assert reg.initiative.title in c.get(url("assigned")).content.decode()
    data = {"version": appr.version, "effectiveness": 8, "replicability": 7, "participation": 9,
            "creativity": 6, "difficulty": 8, "comments": "Tốt", "site_visit_date": "2026-10-05",
            "conclusion": "recommend", "complete": "1"}
    resp = c.post(url("appraisal", appraisal_id=appr.pk), data, **VI)
    assert resp.status_code == 302
    reg.refresh_from_db()
    appr.refresh_from_db()
    assert reg.state == State.APPRAISED and appr.total == 38
    minutes = c.get(reverse("documents:minutes", kwargs={"appraisal_id": appr.pk}))
    assert minutes.status_code == 200 and minutes.content[:2] == b"PK"


def test_stale_appraisal_save_keeps_input_and_explains(client_as, at_state, user):
    reg, appr = _assigned(at_state, user, client_as)
    c = client_as("dinhhoa.thamdinh")
    old = appr.version
    c.post(url("appraisal", appraisal_id=appr.pk), {"version": old, "effectiveness": 5, "save": "1"})
    resp = c.post(url("appraisal", appraisal_id=appr.pk),
                  {"version": old, "effectiveness": 9, "comments": "Nhận xét của tôi",
                   "save": "1"}, **VI)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "vừa được người khác lưu" in page
    assert "Nhận xét của tôi" in page and 'value="9"' in page
    appr.refresh_from_db()
    assert appr.effectiveness == 5


def test_appraiser_sees_only_own_appraisals(client_as, at_state, user):
    reg, appr = _assigned(at_state, user, client_as)
    assert client_as("tinh.thamdinh").get(url("appraisal", appraisal_id=appr.pk)).status_code == 404


def test_promotion_appears_in_upper_queue(client_as, at_state):
    reg = at_state(State.RECOGNIZED)
    c = client_as("dinhhoa.thuky")
    resp = c.post(url("promote", registration_id=reg.pk), follow=True, **VI)
    upper = reg.promotions.get()
    assert upper.level.order > reg.level.order and upper.state == State.SUBMITTED
    # the proposal waits in the queue of the committee at the level above
    queue = client_as("gq.thuky").get(url("queue") + "?tab=proposals", **VI).content.decode()
    assert reg.initiative.title in queue
    assert reg.initiative.title not in c.get(url("queue") + "?tab=proposals", **VI).content.decode()


def test_list_filters_kept_and_paginated(client_as):
    c = client_as("tinh.thuky")
    resp = c.get(url("registrations") + "?phase=2021-2025&state=recognized", **VI)
    page = resp.content.decode()
    assert len(resp.context["page_obj"].object_list) == 25
    assert all(r.state == State.RECOGNIZED for r in resp.context["page_obj"])
    nxt = resp.context["page_obj"].next_cursor
    assert f'href="?phase=2021-2025&amp;state=recognized&amp;after={nxt}" rel="next"' in page


def test_list_query_count_does_not_grow_with_rows(client_as, at_state, django_assert_num_queries):
    """One row or a full page: the same number of queries (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at_state(State.SUBMITTED)
    c = client_as("tinh.thuky")
    c.get(url("registrations"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        resp = c.get(url("registrations") + "?q=hien mau cuu nguoi&unit=KG-GQ-02&year=2026&phase=2026-2030")
    assert len(resp.context["page_obj"].object_list) == 1
    with CaptureQueriesContext(connection) as many:
        resp = c.get(url("registrations") + "?phase=2021-2025")
    assert len(resp.context["page_obj"].object_list) == 25
    assert len(many) <= len(one)
    after = resp.context["page_obj"].next_cursor
    with django_assert_num_queries(len(many)):
        c.get(url("registrations") + f"?phase=2021-2025&after={after}")


def test_queue_counts_and_tabs(client_as, at_state):
    at_state(State.SUBMITTED)
    c = client_as("dinhhoa.thuky")
    resp = c.get(url("queue") + "?phase=2026-2030&year=2026", **VI)
    assert resp.status_code == 200
    assert any(v == "submitted" and n >= 1 and not capped
               for v, _l, n, capped in resp.context["tabs"])


def test_replications_listed_on_model_page(client_as, new_initiative, unit):
    original = new_initiative("Khéo vận động thắp sáng đường quê")
    from dvk.initiatives import services
    from dvk.initiatives.models import Field
    from django.contrib.auth import get_user_model

    copy = services.create_initiative(
        scope=acting("dinhhoa.vanthu"), unit=unit("KG-GQ-02-ND"),
        kind="collective", title="Thắp sáng đường quê (Hội Nông dân)", field=Field.objects.first(),
        replicates=original)
    page = client_as("dinhhoa.thuky").get(url("initiative", initiative_id=original.pk), **VI)
    assert copy.title in page.content.decode()
