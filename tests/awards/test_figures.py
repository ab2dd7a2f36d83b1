"""Awards in the figures: the summary's new keys (occasion, money) beside CONTRACTS §5's
"awards", the API summary, and the dashboard."""
import datetime as dt

import pytest
from django.urls import reverse
from tests.acting import acting
from tests.awards.conftest import model

from dvk.awards import services
from dvk.awards.services import Recipient
from dvk.reports.summary import build_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(proposal, recognised, kinds, unit):
    """Two decisions of Định Hòa's committee in 2026: 15/10 (two models, 200.000 đ each)
    and the interim review (the commune, 1.000.000 đ)."""
    sec = acting("dinhhoa.thuky")
    p = proposal()
    services.add_recipients(p, [model(recognised("Khéo vận động M1"), kinds["giay-khen"]),
                                model(recognised("Khéo vận động M2"), kinds["giay-khen"])],
                            scope=sec)
    services.send_proposal(p, scope=sec)
    services.record_decision(p, scope=sec, number="40-QĐ/ĐU", date=dt.date(2026, 10, 14),
                             amount_per_recipient=200_000)
    q = proposal(occasion="interim")
    services.add_recipients(q, [Recipient(kind=kinds["giay-khen"], recipient_type="unit",
                                          unit=unit("KG-GQ-02"), amount=1_000_000)], scope=sec)
    services.send_proposal(q, scope=sec)
    services.record_decision(q, scope=sec, number="41-QĐ/ĐU", date=dt.date(2026, 11, 20))


def test_summary_keeps_one_awards_row_per_level_and_kind_and_adds_occasion_and_money(
        decided, phase26, unit):
    s = build_summary(phase26, unit("KG-GQ"), year=2026)
    assert s["awards"] == [{"level": "Cơ sở", "kind": "Giấy khen", "count": 3}]
    assert s["awards_by_occasion"] == [
        {"level": "Cơ sở", "kind": "Giấy khen", "occasion": "Biểu dương 15/10", "count": 2},
        {"level": "Cơ sở", "kind": "Giấy khen", "occasion": "Sơ kết", "count": 1}]
    assert s["award_money"] == {"total": 1_400_000, "awards_with_money": 3, "by_level": [
        {"level": "Cơ sở", "kind": "Giấy khen", "amount": 1_400_000}]}
    # the subtree: a sibling district sees none of it
    other = build_summary(phase26, unit("KG-RG"), year=2026)
    assert other["awards"] == [] and other["award_money"]["total"] == 0


def test_imported_awards_have_no_occasion_and_no_money(phase, unit):
    s = build_summary(phase, unit("KG"))
    assert sum(r["count"] for r in s["awards_by_occasion"]) == sum(r["count"] for r in s["awards"])
    assert {r["occasion"] for r in s["awards_by_occasion"]} == {None}
    assert s["award_money"] == {"total": 0, "awards_with_money": 0, "by_level": []}


@pytest.fixture
def phase(db):
    from dvk.phases.models import Phase

    return Phase.objects.get(code="2016-2020")


def test_the_api_summary_and_the_dashboard_show_them(decided, client_as):
    c = client_as("gq.thuky")
    data = c.get("/api/v1/summary", {"phase": "2026-2030", "unit": "KG-GQ",
                                     "year": "2026"}).json()
    assert data["award_money"]["total"] == 1_400_000
    assert [r["occasion"] for r in data["awards_by_occasion"]] == ["Biểu dương 15/10", "Sơ kết"]
    page = c.get(reverse("reports:dashboard"), {"phase": "2026-2030", "unit": "KG-GQ",
                                                "year": "2026"}).content.decode()
    assert 'id="table-award-occasions"' in page
    assert "Sơ kết" in page and "1.400.000 đồng" in page and "1.000.000" in page


def test_the_awards_api_lists_and_records(decided, client_as, proposal, recognised, kinds):
    c = client_as("dinhhoa.thuky")
    data = c.get("/api/v1/awards", {"year": "2026", "occasion": "commemoration"}).json()
    assert data["count"] == 2 and data["money"] == 400_000
    assert {a["decision_number"] for a in data["results"]} == {"40-QĐ/ĐU"}
    reg = recognised("Khéo vận động qua API")
    made = c.post("/api/v1/proposals", {
        "phase": "2026-2030", "year": 2026, "occasion": "ad_hoc", "date": "2026-10-01",
        "items": [{"kind": "giay-khen", "registration_id": reg.pk, "amount": 300000}]},
        content_type="application/json")
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    assert c.post(f"/api/v1/proposals/{pid}/send").json()["state"] == "sent"
    done = c.post(f"/api/v1/proposals/{pid}/decision", {"number": "50-QĐ/ĐU",
                                                         "date": "2026-10-03"},
                  content_type="application/json")
    assert done.status_code == 201 and done.json()["decision_number"] == "50-QĐ/ĐU"
    again = c.post(f"/api/v1/proposals/{pid}/decision", {"number": "51", "date": "2026-10-03"},
                   content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "not_sent"
    twice = c.post("/api/v1/proposals", {
        "phase": "2026-2030", "year": 2026, "occasion": "ad_hoc",
        "items": [{"kind": "giay-khen", "registration_id": reg.pk}]},
        content_type="application/json")
    assert twice.status_code == 409 and "đã được tặng" in twice.json()["detail"]
    from dvk.awards.models import Proposal

    assert not Proposal.objects.filter(occasion="ad_hoc", items__isnull=True).exists()
