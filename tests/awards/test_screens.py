"""The awards screens as a committee's secretariat uses them, and what others see."""

import pytest
from django.urls import reverse
from tests.acting import acting
from tests.awards.conftest import model

from dvk.awards import services

pytestmark = pytest.mark.django_db


def _sent(proposal, recognised, kinds, *titles):
    sec = acting("dinhhoa.thuky")
    p = proposal()
    services.add_recipients(p, [model(recognised(t), kinds["giay-khen"]) for t in titles],
                            scope=sec)
    services.send_proposal(p, scope=sec)
    return p


def test_a_secretariat_builds_sends_and_decides_a_proposal(client_as, recognised, kinds):
    from dvk.awards.models import Award, Proposal

    reg = recognised("Khéo vận động làm cầu giao thông nông thôn")
    c = client_as("dinhhoa.thuky")
    assert c.get(reverse("awards:proposal_create")).status_code == 200
    resp = c.post(reverse("awards:proposal_create"), {
        "phase": "2026-2030", "year": 2026, "occasion": "commemoration",
        "authority": "party_committee", "addressed_to": "Ban Thường vụ Đảng ủy xã Định Hòa",
        "number": "05-TTr/BCĐ", "date": "05/10/2026"})
    p = Proposal.objects.get(number="05-TTr/BCĐ")
    assert resp.status_code == 302 and resp["Location"] == reverse("awards:proposal",
                                                                   args=[p.pk])
    page = c.get(resp["Location"]).content.decode()
    assert reg.initiative.title in page and "candidate-models" in page
    resp = c.post(reverse("awards:proposal_add", args=[p.pk]), {
        "what": "models", "ids": [reg.pk], "kind": kinds["giay-khen"].pk, "amount": 200000})
    assert resp.status_code == 302 and p.items.count() == 1
    c.post(reverse("awards:proposal_add", args=[p.pk]), {
        "what": "person", "kind": kinds["giay-khen"].pk, "unit": "KG-GQ-02",
        "person_name": "Lê Văn Tâm", "person_position": "Trưởng ấp", "amount": 150000})
    assert p.items.count() == 2
    page = c.get(reverse("awards:proposal", args=[p.pk])).content.decode()
    assert "350.000 đồng" in page  # the money proposed, the Vietnamese way
    c.post(reverse("awards:proposal_send", args=[p.pk]))
    p.refresh_from_db()
    assert p.state == "sent"
    form = c.get(reverse("awards:proposal_decide", args=[p.pk])).content.decode()
    assert form.count('name="items"') == 2 and form.count('" checked') == 2
    resp = c.post(reverse("awards:proposal_decide", args=[p.pk]), {
        "number": "12-QĐ/ĐU", "date": "10/10/2026", "signer": "Phạm Văn Bí Thư",
        "items": [i.pk for i in p.items.all()], "stated_total": 350000})
    awards = Award.objects.filter(decision__number="12-QĐ/ĐU")
    assert resp.status_code == 302 and awards.count() == 2
    page = c.get(resp["Location"]).content.decode()
    assert "350.000 đồng" in page and "10/10/2026" in page
    # the award history on the registration, the model and the unit pages
    for url in (reverse("initiatives:registration", args=[reg.pk]),
                reverse("initiatives:initiative", args=[reg.initiative_id])):
        body = c.get(url).content.decode()
        assert 'id="award-history"' in body and "12-QĐ/ĐU" in body, url
    body = client_as("gq.thuky").get(reverse("units:detail", args=["KG-GQ-02"])).content.decode()
    assert "Lê Văn Tâm" in body and "12-QĐ/ĐU" in body
    listing = client_as("gq.thuky").get(reverse("awards:list"), {"occasion": "commemoration",
                                                                  "year": "2026"})
    assert "12-QĐ/ĐU" in listing.content.decode()


def test_a_refused_decision_stays_on_its_form_with_the_reason(client_as, proposal, recognised,
                                                              kinds):
    p = _sent(proposal, recognised, kinds, "Khéo vận động A")
    resp = client_as("dinhhoa.thuky").post(reverse("awards:proposal_decide", args=[p.pk]), {
        "number": "1-QĐ", "date": "10/10/2026", "amount_per_recipient": 200000,
        "stated_total": 999, "items": [p.items.get().pk]})
    assert resp.status_code == 200 and "khác tổng của danh sách" in resp.content.decode()


@pytest.mark.parametrize("who, status", [("gq.thuky", 403), ("dinhhoa.vanthu", 403),
                                         ("rachgia.vanthu", 404)])
def test_other_people_may_not_decide(client_as, proposal, recognised, kinds, who, status):
    p = _sent(proposal, recognised, kinds, "Khéo vận động B")
    assert client_as(who).get(reverse("awards:proposal_decide", args=[p.pk])).status_code \
        == status
    seen = client_as(who).get(reverse("awards:proposal", args=[p.pk])).status_code
    assert seen == (404 if status == 404 else 200)


def test_the_screens_speak_english_too(client_as, proposal, recognised, kinds):
    p = _sent(proposal, recognised, kinds, "Khéo vận động C")
    c = client_as("dinhhoa.thuky")
    c.cookies["django_language"] = "en"
    body = c.get(reverse("awards:proposal", args=[p.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Record the award decision" in body
    c.cookies["django_language"] = "vi"
    body = c.get(reverse("awards:proposal", args=[p.pk]), HTTP_ACCEPT_LANGUAGE="vi").content
    assert "Ghi quyết định khen thưởng".encode() in body


def test_lists_show_one_page_in_a_fixed_number_of_queries(client_as, proposal, recognised,
                                                          kinds, django_assert_max_num_queries):
    _sent(proposal, recognised, kinds, "Khéo vận động D", "Khéo vận động E")
    c = client_as("gq.thuky")
    for name in ("awards:list", "awards:proposals"):
        with django_assert_max_num_queries(20):
            assert c.get(reverse(name)).status_code == 200
