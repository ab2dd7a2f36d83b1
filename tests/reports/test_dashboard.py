"""The dashboard: figures equal the summary and the database, roles and scope, data problems."""
import pytest
from django.urls import reverse

from dvk.common.formatting import vn_int, vn_percent
from dvk.initiatives.enums import REGISTERED, ExceptionalStatus, State

from .dash_helpers import plant_registration, strip_ids

pytestmark = pytest.mark.django_db

URL = "/bao-cao/tong-quan/"
CHECKS = "/bao-cao/tong-quan/kiem-tra/"  # the checks the dashboard fetches after its figures


def _phase(code):
    from dvk.phases.models import Phase

    return Phase.objects.get(code=code)


def test_url_names_resolve():
    assert reverse("reports:dashboard") == URL
    assert reverse("reports:index") == "/bao-cao/"


def test_dashboard_figures_equal_summary_and_database(client_as, unit):
    from dvk.initiatives.models import Registration
    from dvk.reports.summary import build_summary

    phase, province = _phase("2016-2020"), unit("KG")
    r = client_as("tinh.lanhdao").get(URL, {"phase": "2016-2020"})
    assert r.status_code == 200
    figs = r.context["figs"]
    summary = build_summary(phase, province)
    assert strip_ids(figs.levels) == summary["levels"]
    # An independent count straight from the table.
    for row, level in zip(figs.levels, phase.ordered_levels()):
        qs = Registration.objects.filter(phase=phase, level=level, state__in=REGISTERED)
        assert row["registered"] == qs.count() > 0
        assert row["recognized"] == qs.filter(state=State.RECOGNIZED).count()
        assert row["exceptional"] == qs.filter(is_exceptional=True).count()
    assert {u["code"]: strip_ids(u["levels"]) for u in figs.by_unit} == \
        {u["code"]: u["levels"] for u in summary["by_unit"]}
    assert {f["label"]: strip_ids(f["levels"]) for f in figs.by_field} == \
        {f["field"]: f["levels"] for f in summary["by_field"]}
    assert {s["label"]: strip_ids(s["levels"]) for s in figs.by_sector} == \
        {s["sector"]: s["levels"] for s in summary["by_sector"]}
    assert sorted((a["level"], a["kind"], a["count"]) for a in figs.awards) == \
        sorted((a["level"], a["kind"], a["count"]) for a in summary["awards"])
    # Trend adds up to the totals.
    assert sum(t["registered"] for t in figs.trend) == sum(r["registered"] for r in figs.levels)
    # The page shows them written the Vietnamese way.
    html = r.content.decode()
    top = figs.levels[-1]
    assert f'<span class="value">{vn_int(top["registered"])}</span>' in html
    assert vn_percent(top["recognition_rate"]) in html
    assert "," in vn_percent(top["recognition_rate"])


def test_dashboard_default_phase_has_registrations(client_as):
    r = client_as("tinh.thuky").get(URL)
    assert r.status_code == 200
    assert r.context["phase"].code == "2026-2030"
    assert r.context["figs"].total_registered > 0


def test_year_filter_restricts_figures(client_as):
    from dvk.initiatives.models import Registration

    r = client_as("tinh.lanhdao").get(URL, {"phase": "2016-2020", "year": "2018"})
    figs = r.context["figs"]
    assert [t["year"] for t in figs.trend] == [2018]
    expected = Registration.objects.filter(phase__code="2016-2020", year=2018,
                                           state__in=REGISTERED).count()
    assert figs.total_registered == expected
    html = r.content.decode()
    assert "2.018" not in html  # years are not numbers with a thousands separator
    assert '<option value="2018" selected>2018</option>' in html


def test_clerk_is_refused(client_as):
    assert client_as("dinhhoa.vanthu").get(URL).status_code == 403
    assert client_as("rachgia.vanthu").get(reverse("reports:index")).status_code == 403


def test_district_secretariat_sees_only_its_district(client_as, unit):
    from dvk.reports.summary import build_summary

    c = client_as("gq.thuky")
    r = c.get(URL, {"phase": "2016-2020"})
    assert r.status_code == 200
    assert r.context["unit"].code == "KG-GQ"
    figs = r.context["figs"]
    assert strip_ids(figs.levels) == build_summary(_phase("2016-2020"), unit("KG-GQ"))["levels"]
    assert all(u["code"].startswith("KG-GQ-") for u in figs.by_unit)
    assert {u.code for u in r.context["units"]} >= {"KG-GQ"}
    assert all(u.code.startswith("KG-GQ") for u in r.context["units"])
    # Another district or the province: not found.
    assert c.get(URL, {"unit": "KG-RG"}).status_code == 404
    assert c.get(URL, {"unit": "KG"}).status_code == 404
    assert c.get(reverse("reports:index"), {"unit": "KG-RG"}).status_code == 404


def test_drill_down_links_filter_the_registrations_list(client_as):
    from urllib.parse import parse_qs, urlsplit

    from dvk.initiatives.queries import filter_registrations
    from dvk.orgs.scope import scope_for
    from dvk.initiatives.queries import registrations_for

    c = client_as("tinh.lanhdao")
    r = c.get(URL, {"phase": "2016-2020"})
    figs = r.context["figs"]
    row = next(f for f in figs.by_field if f["registered"])
    assert row["url"].startswith(reverse("initiatives:registrations") + "?")
    assert f'href="{row["url"].replace("&", "&amp;")}"' in r.content.decode()
    params = {k: v[0] for k, v in parse_qs(urlsplit(row["url"]).query).items()}
    assert params["field"] == str(row["key"]) and params["phase"] == "2016-2020"
    scope = scope_for(r.wsgi_request.user)
    assert filter_registrations(registrations_for(scope), params).count() == row["registered"]
    landing = c.get(row["url"])
    assert landing.status_code == 200


def test_problem_missing_committee_found(client_as):
    r = client_as("tinh.lanhdao").get(CHECKS, {"phase": "2026-2030"})
    problem = next(p for p in r.context["problems"] if p.code == "no_committee")
    assert [u.code for u in problem.items] == ["KG-KH"]
    assert problem.count == 1
    assert "Kiên Hải" in r.content.decode()
    older = client_as("tinh.lanhdao").get(CHECKS, {"phase": "2021-2025"})
    assert next(p for p in older.context["problems"] if p.code == "no_committee").count == 0


def test_planted_problems_are_listed_with_counts(client_as, unit):
    from dvk.awards.models import Award, AwardKind

    base = client_as("tinh.lanhdao").get(CHECKS, {"phase": "2021-2025"}).context["problems"]
    before = {p.code: p.count for p in base}
    # District level with nothing recognised below.
    jump = plant_registration("KG-GQ-01", level_order=2, title="Mô hình nhảy cấp")
    # Promoted properly: recognised below, then registered above — not a problem.
    below = plant_registration("KG-GQ-02", state=State.RECOGNIZED, certificate_number="1/2021",
                               title="Mô hình đúng quy trình")
    from dvk.initiatives.models import Registration

    Registration.objects.create(initiative=below.initiative, phase=below.phase,
                                level=below.phase.levels.get(order=2), year=2022,
                                unit=below.unit, sector=below.sector, field=below.field,
                                state=State.SUBMITTED, promoted_from=below)
    # Award to a model that was not recognised.
    refused = plant_registration("KG-GQ-03", state=State.NOT_RECOGNIZED, title="Mô hình bị khen nhầm")
    Award.objects.create(kind=AwardKind.objects.first(), phase=refused.phase, level=refused.level,
                         year=refused.year, registration=refused, unit=refused.unit)
    # Exceptional without a reason; recognised without any number.
    plant_registration("KG-RG-01", is_exceptional=True, exceptional_status=ExceptionalStatus.PENDING,
                       title="Mô hình đặc cách thiếu lý do")
    plant_registration("KG-RG-02", state=State.RECOGNIZED, title="Mô hình thiếu số chứng nhận")

    r = client_as("tinh.lanhdao").get(CHECKS, {"phase": "2021-2025"})
    problems = {p.code: p for p in r.context["problems"]}
    assert problems["unpromoted"].count == before["unpromoted"] + 1
    assert jump.pk in [x.pk for x in problems["unpromoted"].items]
    assert problems["award_unrecognised"].count == before["award_unrecognised"] + 1
    assert problems["exceptional"].count == before["exceptional"] + 1
    assert problems["no_number"].count == before["no_number"] + 1
    html = r.content.decode()
    for title in ("Mô hình nhảy cấp", "Mô hình bị khen nhầm", "Mô hình đặc cách thiếu lý do",
                  "Mô hình thiếu số chứng nhận"):
        assert title in html
    assert "Mô hình đúng quy trình" not in html
    assert reverse("initiatives:registration", kwargs={"registration_id": jump.pk}) in html

    # Scoped: Gò Quao's secretariat sees its planted problems, not Rạch Giá's.
    gq = client_as("gq.thuky").get(CHECKS, {"phase": "2021-2025"})
    gq_html = gq.content.decode()
    assert "Mô hình nhảy cấp" in gq_html
    assert "Mô hình đặc cách thiếu lý do" not in gq_html


def test_dashboard_query_count_does_not_grow_with_data(client_as, django_assert_num_queries):
    c = client_as("tinh.lanhdao")
    c.get(URL, {"phase": "2016-2020"})  # warm caches (sessions, content types)
    with django_assert_num_queries(18):
        r = c.get(URL, {"phase": "2016-2020"})
    assert r.status_code == 200
    plant_registration("KG-GQ-01", level_order=2, title="Thêm một mô hình")
    plant_registration("KG-GQ-02", level_order=2, title="Thêm mô hình nữa")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        c.get(URL, {"phase": "2021-2025"})
    plant_registration("KG-GQ-03", level_order=3, title="Thêm mô hình cấp tỉnh")
    with CaptureQueriesContext(connection) as second:
        c.get(URL, {"phase": "2021-2025"})
    assert len(second) == len(first)


def test_dashboard_shows_its_figures_first_and_fetches_its_checks(client_as):
    """The figures come at once; the checks (which scan more) arrive by htmx, or open as a
    page of their own without JavaScript."""
    c = client_as("tinh.lanhdao")
    html = c.get(URL, {"phase": "2021-2025"}).content.decode()
    assert 'hx-get="/bao-cao/tong-quan/kiem-tra/?phase=2021-2025&amp;unit=' in html
    assert 'id="problem-no_committee"' not in html
    fragment = c.get(CHECKS, {"phase": "2021-2025"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="dashboard-checks">')
    assert 'id="problem-no_committee"' in fragment and "<html" not in fragment
    page = c.get(CHECKS, {"phase": "2021-2025"}).content.decode()
    assert "<html" in page and 'id="problem-no_committee"' in page


def test_a_problem_found_everywhere_is_counted_up_to_a_cap(client_as, monkeypatch):
    """A check matching most of a country's registrations counts up to PROBLEM_CAP, then
    says "more than": the count stays a bounded scan."""
    from dvk.reports import dashboard

    for i in range(5):
        plant_registration("KG-RG-01", state=State.RECOGNIZED, title=f"Chưa có số {i}")
    c = client_as("tinh.lanhdao")
    exact = {p.code: p.count for p in c.get(CHECKS, {"phase": "2021-2025"}).context["problems"]}
    assert exact["no_number"] >= 5
    monkeypatch.setattr(dashboard, "PROBLEM_CAP", 3)
    monkeypatch.setattr(dashboard, "PROBLEM_ITEMS", 2)
    r = c.get(CHECKS, {"phase": "2021-2025"}, HTTP_HX_REQUEST="true")
    problem = next(p for p in r.context["problems"] if p.code == "no_number")
    assert problem.capped and problem.count == 4
    assert "hơn 3" in r.content.decode()


def test_page_without_chart_library_still_has_tables(client_as, monkeypatch):
    from dvk.reports import views

    monkeypatch.setattr(views, "_chart_js_url", lambda: None)
    r = client_as("tinh.lanhdao").get(URL, {"phase": "2016-2020"})
    html = r.content.decode()
    assert "chart.umd.min.js" not in html
    for table in ("table-levels", "table-trend", "table-unit", "table-field", "table-sector"):
        assert f'id="{table}"' in html
    assert 'id="dashboard-data"' in html
