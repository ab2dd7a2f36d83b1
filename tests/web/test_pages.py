"""The base web UI as users see it: home per role, org tree, unit, phase, committee pages."""
import pytest
from django.urls import reverse

from dvk.common.models import HistoryEntry
from dvk.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


# --- home per role -------------------------------------------------------------------------

def test_home_secretariat_shows_queue_counts_for_current_phase(client_as, scope_of,
                                                              django_assert_num_queries):
    from dvk.initiatives.queries import registrations_for

    c = client_as("tinh.thuky")
    submitted = registrations_for(scope_of("tinh.thuky")).filter(
        phase__code="2026-2030", state="submitted").count()
    assert submitted > 0
    with django_assert_num_queries(13):
        r = c.get("/")
    body = text(r)
    assert "Thư ký Ban Chỉ đạo · Tỉnh Kiên Giang" in body
    assert "Tỉnh Kiên Giang" in body
    assert 'id="queue"' in body
    # The submitted count is shown in its tile.
    assert f'<span class="value">{submitted}</span><span class="label"><span class="badge badge-submitted">' in body


def test_home_leader_shows_key_figures_per_level(client_as):
    r = client_as("tinh.lanhdao").get("/?phase=2016-2020")
    body = text(r)
    assert 'id="figures"' in body
    assert 'id="queue"' not in body
    for level in ("Cơ sở", "Huyện", "Tỉnh"):
        assert f"<td>{level}</td>" in body
    assert "Tỷ lệ công nhận" in body


def test_home_clerk_sees_own_unit_and_no_figures(client_as):
    body = text(client_as("dinhhoa.vanthu").get("/"))
    assert "Xã Định Hòa" in body
    assert 'id="figures"' not in body
    assert "/admin/" not in body


def test_home_admin_links_to_admin(client_as):
    body = text(client_as("quantri").get("/"))
    assert 'id="admin-link"' in body and 'href="/admin/"' in body


def test_home_appraiser_lists_their_team(client_as):
    body = text(client_as("gq.thamdinh").get("/"))
    assert 'id="my-teams"' in body
    assert "Tổ thẩm định số 1 – Huyện Gò Quao" in body


def test_membership_switcher_changes_acting_unit(client_as, user, unit):
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    m = Membership.objects.create(user=user("gq.thuky"), unit=unit("KG-GQ-02"), role=Role.CLERK)
    c = client_as("gq.thuky")
    body = text(c.get("/"))
    assert 'id="switch-membership"' in body
    c.post(reverse("switch_membership"), {"membership": m.pk, "next": "/"})
    body = text(c.get("/"))
    assert "Bạn đang làm việc với vai trò Văn thư đơn vị của Xã Định Hòa." in body
    assert f'<option value="{m.pk}" selected>Văn thư đơn vị · Xã Định Hòa</option>' in body
    assert '<dd>KG-GQ-02</dd>' in body


# --- login, lockout, language ----------------------------------------------------------------

def test_login_page_is_vietnamese_and_correct_login_works(client):
    r = client.get(reverse("login"))
    assert "Đăng nhập" in text(r) and "Mật khẩu" in text(r)
    r = client.post(reverse("login"), {"username": "gq.thuky", "password": DEMO_PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert "Huyện Gò Quao" in text(client.get("/"))


def test_five_wrong_passwords_lock_the_account(client):
    for _ in range(5):
        r = client.post(reverse("login"), {"username": "gq.thuky", "password": "sai-mat-khau"})
    # The sixth attempt, even with the right password, shows the locked page.
    r = client.post(reverse("login"), {"username": "gq.thuky", "password": DEMO_PASSWORD})
    assert r.status_code == 429
    assert "<h1>Tài khoản tạm khóa</h1>" in text(r)
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    r = client.post(reverse("login"), {"username": "gq.thamdinh", "password": DEMO_PASSWORD})
    assert r.status_code == 302


def test_wrong_password_shows_error_in_vietnamese(client):
    r = client.post(reverse("login"), {"username": "gq.thuky", "password": "x"})
    assert r.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in text(r)
    assert "<h1>Tài khoản tạm khóa</h1>" not in text(r)


def test_language_switch_to_english(client_as):
    c = client_as("gq.thuky")
    assert "Trang chủ" in text(c.get("/"))
    r = c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert r.status_code == 302
    body = text(c.get("/"))
    assert "Home" in body and "Sign out" in body
    assert "Trang chủ" not in body


def test_anonymous_is_sent_to_login(client):
    for url in ("/", "/don-vi/", "/giai-doan/", "/giai-doan/ban-chi-dao/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


# --- org tree ---------------------------------------------------------------------------------

def test_tree_starts_at_the_users_unit(client_as):
    body = text(client_as("gq.thuky").get(reverse("units:tree")))
    assert "Huyện Gò Quao" in body
    assert "Xã Định Hòa" in body
    assert "Thành phố Rạch Giá" not in body


def test_children_partial_for_htmx(client_as, unit, django_assert_num_queries):
    c = client_as("tinh.thuky")
    url = reverse("units:children", args=["KG-GQ"])
    with django_assert_num_queries(9):
        r = c.get(url, headers={"HX-Request": "true"})
    body = text(r)
    assert "<html" not in body  # a fragment, not a page
    assert "Xã Định Hòa" in body
    # Nodes with children load theirs on expand.
    assert f'hx-get="{reverse("units:children", args=["KG-GQ-02"])}"' in body


def test_children_query_count_does_not_grow_with_children(client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_as("tinh.thuky")
    c.get("/")  # warm the session
    # The province has dozens of children, a commune a few: the same number of queries.
    counts = []
    for code in ("KG", "KG-GQ-02"):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("units:children", args=[code])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 9


def test_search_ignores_accents_and_case(client_as):
    body = text(client_as("gq.thuky").get(reverse("units:tree"), {"q": "hoi nong dan"}))
    assert "Hội Nông dân xã Định Hòa" in body
    # Ancestors are shown with each result.
    assert "Huyện Gò Quao › Xã Định Hòa" in body
    # Nothing from another district.
    assert "Rạch Giá" not in body
    body = text(client_as("gq.thuky").get(reverse("units:tree"), {"q": "HỘI NÔNG DÂN XÃ ĐỊNH"}))
    assert "Hội Nông dân xã Định Hòa" in body


def test_search_results_are_paginated(client_as, django_assert_num_queries):
    c = client_as("tinh.thuky")
    with django_assert_num_queries(11):
        r = c.get(reverse("units:tree"), {"q": "hoi"})
    body = text(r)
    assert 'class="pagination"' in body
    assert "page=2" in body and "q=hoi" in body


def test_retired_units_hidden_unless_asked(client_as, unit):
    import datetime as dt

    old = unit("KG-GQ-02")
    old.valid_until = dt.date(2025, 7, 1)
    old.successor = unit("KG-GQ-01")
    old.save()
    c = client_as("gq.thuky")
    assert "Xã Định Hòa" not in text(c.get(reverse("units:children", args=["KG-GQ"])))
    body = text(c.get(reverse("units:children", args=["KG-GQ"]), {"retired": "1"}))
    assert "Xã Định Hòa" in body and "badge-retired" in body and "01/07/2025" in body
    assert unit("KG-GQ-01").name in body


def test_units_outside_scope_are_404(client_as):
    c = client_as("rachgia.vanthu")
    assert c.get(reverse("units:detail", args=["KG-GQ"])).status_code == 404
    assert c.get(reverse("units:children", args=["KG-GQ"])).status_code == 404
    assert c.get(reverse("units:detail", args=["KG"])).status_code == 404


def test_unit_page_shows_structure_and_registrations(client_as, unit):
    body = text(client_as("tinh.thuky").get(reverse("units:detail", args=["KG-GQ"])))
    assert "Huyện Gò Quao" in body
    assert "Tỉnh Kiên Giang" in body  # breadcrumb
    assert 'id="committees"' in body and "2021-2025" in body
    assert 'id="registrations"' in body
    assert 'id="memberships"' in body and "gq.thuky" in body


def test_unit_page_hides_memberships_from_clerk(client_as):
    body = text(client_as("dinhhoa.vanthu").get(reverse("units:detail", args=["KG-GQ-02"])))
    assert 'id="memberships"' not in body


# --- phases -----------------------------------------------------------------------------------

def test_phase_detail_levels_calendar_pilots(client_as):
    body = text(client_as("gq.thuky").get(reverse("phases:detail", args=["2016-2020"])))
    assert body.index("<td>Cơ sở</td>") < body.index("<td>Huyện</td>") < body.index("<td>Tỉnh</td>")
    assert "31/01/2018" in body and "15/10/2020" in body
    assert "Huyện Gò Quao" in body  # pilot unit of 2016-2020


def test_phase_edit_forbidden_to_district_secretariat_and_clerk(client_as):
    url = reverse("phases:edit", args=["2021-2025"])
    assert client_as("gq.thuky").get(url).status_code == 403
    assert client_as("dinhhoa.vanthu").post(url, {}).status_code == 403
    assert client_as("tinh.lanhdao").get(url).status_code == 403


def test_phase_edit_by_province_secretariat_records_history(client_as):
    from dvk.phases.models import Phase

    Phase.objects.filter(code="2021-2025").update(report_deadline="05/10")
    c = client_as("tinh.thuky")
    url = reverse("phases:edit", args=["2021-2025"])
    r = c.get(url)
    assert r.status_code == 200
    # The form shows the phase's current calendar (not the defaults), ready to edit.
    assert '<label for="id_registration_deadline">Hạn đăng ký (ngày/tháng):' in text(r)
    assert 'name="report_deadline" value="05/10"' in text(r)
    r = c.post(url, {"registration_deadline": "15/02", "report_deadline": "10/10",
                     "commemoration_day": "15/10", "up_report_deadline": "10/12",
                     "interim_review_date": "15/10/2023", "final_review_date": "",
                     "promotion_rule": "two_years"})
    assert r.status_code == 302
    phase = Phase.objects.get(code="2021-2025")
    assert phase.registration_deadline == "15/02" and phase.interim_review_date.year == 2023
    entry = HistoryEntry.objects.filter(object_id=str(phase.pk), action="phase.calendar_changed").get()
    assert entry.changes["registration_deadline"] == ["31/01", "15/02"]
    body = text(c.get(reverse("phases:detail", args=["2021-2025"])))
    assert "15/02/2022" in body and "15/10/2023" in body


def test_phase_edit_rejects_bad_day_month(client_as):
    r = client_as("quantri").post(reverse("phases:edit", args=["2021-2025"]), {
        "registration_deadline": "31/02", "report_deadline": "10/10", "commemoration_day": "15/10",
        "up_report_deadline": "10/12", "promotion_rule": "two_years"})
    assert r.status_code == 200
    assert 'class="errorlist' in text(r)


# --- committees -------------------------------------------------------------------------------

def test_committee_list_scoped_filtered_and_query_bounded(client_as,
                                                          django_assert_num_queries):
    c = client_as("tinh.thuky")
    with django_assert_num_queries(11):
        body = text(c.get(reverse("phases:committees"), {"phase": "2021-2025"}))
    assert "Huyện Gò Quao" in body and "2016-2020</td>" not in body
    body = text(client_as("gq.thuky").get(reverse("phases:committees")))
    assert "Huyện Gò Quao" in body and "Rạch Giá" not in body and "Tỉnh Kiên Giang</a>" not in body


def test_committee_detail_shows_decision_members_by_role_and_teams(client_as, committee_of):
    com = committee_of("KG-GQ")
    body = text(client_as("gq.thuky").get(reverse("phases:committee", args=[com.pk])))
    assert com.decision_number in body
    assert "Trưởng ban" in body and "Phó Trưởng ban Thường trực" in body
    assert "Nguyễn Văn Lãnh" in body
    assert "Tổ thẩm định số 1 – Huyện Gò Quao" in body and "Võ Minh Tâm" in body
    assert "Ban Dân vận Huyện Gò Quao" in body


def test_committee_outside_scope_is_404(client_as, committee_of):
    com = committee_of("KG-GQ")
    c = client_as("rachgia.vanthu")
    for name in ("phases:committee", "phases:committee_edit", "phases:committee_member_add"):
        assert c.get(reverse(name, args=[com.pk])).status_code == 404
    province = committee_of("KG")
    assert client_as("gq.thuky").get(reverse("phases:committee", args=[province.pk])).status_code == 404


def test_committee_edit_forbidden_to_non_secretariat(client_as, committee_of):
    com = committee_of("KG-GQ")
    for username in ("gq.thamdinh", "dinhhoa.vanthu"):
        # The clerk's unit is below the district: the committee is not even visible.
        expected = 404 if username == "dinhhoa.vanthu" else 403
        c = client_as(username)
        assert c.get(reverse("phases:committee_edit", args=[com.pk])).status_code == expected
    c = client_as("tinh.lanhdao")
    assert c.get(reverse("phases:committee_edit", args=[com.pk])).status_code == 403
    member = com.members.first()
    r = c.post(reverse("phases:committee_member_remove", args=[com.pk, member.pk]))
    assert r.status_code == 403
    assert com.members.filter(pk=member.pk).exists()


def test_secretariat_adds_and_removes_a_member(client_as, committee_of):
    com = committee_of("KG-GQ")
    c = client_as("gq.thuky")
    r = c.post(reverse("phases:committee_member_add", args=[com.pk]),
               {"full_name": "Đỗ Văn Mới", "position": "Chủ tịch Hội Nông dân", "role": "member"})
    assert r.status_code == 302
    body = text(c.get(reverse("phases:committee", args=[com.pk])))
    assert "<td>Đỗ Văn Mới</td>" in body
    member = com.members.get(full_name="Đỗ Văn Mới")
    r = c.post(reverse("phases:committee_member_remove", args=[com.pk, member.pk]))
    assert r.status_code == 302
    assert "<td>Đỗ Văn Mới</td>" not in text(c.get(reverse("phases:committee", args=[com.pk])))
    actions = set(HistoryEntry.objects.filter(object_id=str(com.pk)).values_list("action", flat=True))
    assert {"committee.member_added", "committee.member_removed"} <= actions


def test_member_of_another_committee_is_404(client_as, committee_of):
    gq, rg = committee_of("KG-GQ"), committee_of("KG-RG")
    other = rg.members.first()
    r = client_as("tinh.thuky").post(reverse("phases:committee_member_remove", args=[gq.pk, other.pk]))
    assert r.status_code == 404


def test_committee_edit_saves_decision(client_as, committee_of):
    com = committee_of("KG-GQ")
    c = client_as("gq.thuky")
    r = c.post(reverse("phases:committee_edit", args=[com.pk]), {
        "name": com.name, "decision_number": "99-QĐ/HU", "decision_date": "05/03/2021",
        "decision_signer": "Bí thư", "standing_agency": com.standing_agency})
    assert r.status_code == 302
    com.refresh_from_db()
    assert com.decision_number == "99-QĐ/HU" and com.decision_date.day == 5 and com.decision_date.month == 3
    assert "05/03/2021" in text(c.get(reverse("phases:committee", args=[com.pk])))


def test_only_the_most_specific_nav_item_is_current(client_as):
    body = text(client_as("gq.thuky").get(reverse("phases:committees")))
    assert body.count('aria-current="page"') == 1
    assert f'<a href="{reverse("phases:committees")}" aria-current="page">' in body


def test_header_shows_name_in_vietnamese_order(client_as):
    assert '<span class="username">Phạm Thị Lan</span>' in text(client_as("gq.thuky").get("/"))


def test_list_pages_do_not_grow_queries_with_rows(client_as):
    """Committee list (3 vs 1 phase) and unit page (district vs commune): same query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_as("tinh.thuky")
    c.get("/")

    def count(url, **params):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    committees = reverse("phases:committees")
    assert count(committees) == count(committees, phase="2021-2025") <= 11
    assert count(reverse("units:detail", args=["KG-GQ"])) == \
        count(reverse("units:detail", args=["KG-GQ-02"])) <= 17


def test_home_dashboard_and_summary_give_the_same_figures(client_as, unit):
    """One definition of the figures (initiatives/figures.py): the leader's home page, the
    dashboard and the summary JSON agree level by level."""
    from dvk.phases.models import Phase
    from dvk.reports.summary import build_summary

    c = client_as("tinh.lanhdao")
    home = c.get("/", {"phase": "2016-2020"}).context["levels"]
    dashboard = c.get(reverse("reports:dashboard"), {"phase": "2016-2020"}).context["figs"].levels
    summary = build_summary(Phase.objects.get(code="2016-2020"), unit("KG"))["levels"]
    def contract(rows):  # LEVELROWs without the links and ids the pages add
        return [{k: v for k, v in row.items() if k not in ("level_id", "url", "url_recognized")}
                for row in rows]

    assert contract(home) == contract(dashboard) == summary
    assert sum(r["registered"] for r in summary) > 0
