"""Award rules and each refusal, through the real services (awards/services.py)."""
import datetime as dt

import pytest
from tests.acting import acting
from tests.awards.conftest import model

from dvk.awards import services
from dvk.awards.services import Recipient
from dvk.common.rules import Refused

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 20)


def refused(fn, *args, **kw) -> Refused:
    with pytest.raises(Refused) as exc:
        fn(*args, **kw)
    return exc.value


def test_a_proposal_is_made_at_the_committees_own_level_and_unit(proposal, unit, levels):
    p = proposal()
    assert (p.unit, p.level, p.state) == (unit("KG-GQ-02"), levels[0], "draft")
    assert proposal("gq.thuky").level == levels[1]
    assert proposal("tinh.thuky", authority="peoples_committee").level == levels[2]


@pytest.mark.parametrize("who, code, status", [
    ("dinhhoa.vanthu", "role", 403), ("tinh.lanhdao", "role", 403),
    ("gq.thamdinh", "role", 403)])
def test_only_a_secretariat_proposes(proposal, who, code, status):
    exc = refused(proposal, who)
    assert (exc.code, exc.status) == (code, status)


def test_the_whole_cycle_creates_awards_with_money_and_history(proposal, recognised, kinds):
    from dvk.awards.models import Award
    from dvk.common.history import history_of

    a, b = recognised("Khéo vận động hiến đất"), recognised("Khéo vận động thắp sáng đường quê")
    p = proposal()
    sec = acting("dinhhoa.thuky")
    services.add_recipients(p, [model(a, kinds["giay-khen"]),
                                model(b, kinds["giay-khen"], amount=300_000)], scope=sec)
    services.send_proposal(p, scope=sec)
    assert p.state == "sent" and p.sent_at is not None
    d = services.record_decision(p, scope=sec, number="25-QĐ/ĐU", date=DAY,
                                 signer="Nguyễn Văn Bí", amount_per_recipient=200_000,
                                 stated_total=500_000)
    awards = list(Award.objects.filter(decision=d.decision).order_by("amount"))
    assert [(x.registration, x.amount, x.occasion, x.level.name) for x in awards] == [
        (a, 200_000, "commemoration", "Cơ sở"), (b, 300_000, "commemoration", "Cơ sở")]
    assert d.decision.kind == "award" and d.decision.number == "25-QĐ/ĐU"
    assert d.proposal == p and p.award_decision == d
    p.refresh_from_db()
    assert p.state == "decided"
    assert [h.action for h in history_of(p)][:2] == ["decide", "send"]
    assert all(history_of(x).filter(action="create").exists() for x in awards)


def test_recipients_outside_the_subtree_are_not_found(proposal, kinds, unit):
    p = proposal()
    exc = refused(services.add_recipients, p, [Recipient(kind=kinds["giay-khen"],
                                                         recipient_type="unit",
                                                         unit=unit("KG-RG-01"))],
                  scope=acting("dinhhoa.thuky"))
    assert (exc.code, exc.status) == ("outside_scope", 404)


def test_another_committee_may_not_touch_the_proposal(proposal, kinds, recognised):
    p, reg = proposal(), recognised()
    for who, code, status in (("gq.thuky", "wrong_level", 403),
                              ("rachgia.vanthu", "outside_scope", 404),
                              ("dinhhoa.vanthu", "role", 403)):
        exc = refused(services.add_recipients, p, [model(reg, kinds["giay-khen"])],
                      scope=acting(who))
        assert (exc.code, exc.status) == (code, status), who


def test_only_recognised_models(proposal, at_state, kinds):
    from dvk.initiatives.enums import State

    reg = at_state(State.APPRAISED)
    exc = refused(services.add_recipients, proposal(), [model(reg, kinds["giay-khen"])],
                  scope=acting("dinhhoa.thuky"))
    assert exc.status == 409 and "chưa được công nhận" in exc.message


def test_only_models_registered_from_the_start_of_the_year_unless_exceptional(
        proposal, recognised, kinds):
    from dvk.initiatives.models import Registration

    reg = recognised()
    Registration.objects.filter(pk=reg.pk).update(is_late=True)
    reg.refresh_from_db()
    p, sec = proposal(), acting("dinhhoa.thuky")
    exc = refused(services.add_recipients, p, [model(reg, kinds["giay-khen"])], scope=sec)
    assert exc.status == 400 and "đăng ký từ đầu năm" in exc.message
    assert "late_registration" in _codes(p, reg, kinds["giay-khen"])
    items = services.add_recipients(p, [model(reg, kinds["giay-khen"],
                                              exceptional_reason="Phòng chống bão lũ")],
                                    scope=sec)
    assert items[0].exceptional_reason == "Phòng chống bão lũ"


def _codes(p, reg, kind, **kw):
    from dvk.awards.models import ProposalItem
    from dvk.awards.rules import can_add_item

    item = ProposalItem(proposal=p, recipient_type="model", kind=kind, registration=reg,
                        unit=reg.unit, **kw)
    refusal = can_add_item(acting("dinhhoa.thuky"), p, item)
    return {refusal.code} if refusal else set()


def test_kinds_follow_their_level_authority_and_recipients(proposal, recognised, kinds):
    reg = recognised()
    party = proposal()
    assert _codes(party, reg, kinds["bang-khen"]) == {"wrong_authority"}
    state = proposal(authority="peoples_committee")
    assert _codes(state, reg, kinds["bang-khen"]) == {"kind_level"}  # bằng khen: province only
    assert _codes(state, reg, kinds["co-thi-dua"]) == {"kind_recipient"}  # collectives only
    assert _codes(party, reg, kinds["giay-khen"]) == set()


def test_the_province_proposes_bang_khen_to_the_peoples_committee(proposal, kinds, unit):
    p = proposal("tinh.thuky", authority="peoples_committee")
    items = services.add_recipients(p, [
        Recipient(kind=kinds["bang-khen"], recipient_type="unit", unit=unit("KG-GQ")),
        Recipient(kind=kinds["co-thi-dua"], recipient_type="unit", unit=unit("KG-GQ")),
        Recipient(kind=kinds["bang-khen"], recipient_type="person", unit=unit("KG-GQ"),
                  person_name="Trần Thị Chỉ Đạo", person_position="Trưởng Ban Dân vận")],
        scope=acting("tinh.thuky"))
    assert len(items) == 3
    exc = refused(services.add_recipients, p, [Recipient(kind=kinds["giay-khen"],
                                                         recipient_type="unit",
                                                         unit=unit("KG-GQ"))],
                  scope=acting("tinh.thuky"))
    assert exc.status == 400 and "lập đề nghị riêng" in exc.message


def test_no_second_award_of_a_kind_to_a_recipient_for_one_occasion(proposal, recognised, kinds,
                                                                   unit):
    reg, sec, gk = recognised(), acting("dinhhoa.thuky"), kinds["giay-khen"]
    p = proposal()
    services.add_recipients(p, [model(reg, gk),
                                Recipient(kind=gk, recipient_type="person", unit=unit("KG-GQ-02"),
                                          person_name="Nguyễn Văn Dân")], scope=sec)
    # twice in one proposal, in one batch, in another pending proposal
    assert refused(services.add_recipients, p, [model(reg, gk)], scope=sec).status == 409
    other = proposal()
    exc = refused(services.add_recipients, other, [model(reg, gk)], scope=sec)
    assert exc.status == 409 and "đang chờ quyết định" in exc.message
    # the same person, written without accents and in lower case, is the same person
    exc = refused(services.add_recipients, other, [Recipient(
        kind=gk, recipient_type="person", unit=unit("KG-GQ-02"), person_name="nguyen van dan")],
        scope=sec)
    assert exc.status == 409
    services.send_proposal(p, scope=sec)
    services.record_decision(p, scope=sec, number="30-QĐ/ĐU", date=DAY)
    exc = refused(services.add_recipients, other, [model(reg, gk)], scope=sec)
    assert exc.status == 409 and "đã được tặng" in exc.message
    # another occasion is another award (the unit at the interim review)
    interim = proposal(occasion="interim")
    services.add_recipients(interim, [Recipient(kind=gk, recipient_type="person",
                                                unit=unit("KG-GQ-02"),
                                                person_name="Nguyễn Văn Dân")], scope=sec)


def test_a_sent_proposal_is_frozen_and_a_draft_has_no_decision(proposal, recognised, kinds):
    reg, sec = recognised(), acting("dinhhoa.thuky")
    p = proposal()
    exc = refused(services.send_proposal, p, scope=sec)
    assert (exc.code, exc.status) == ("empty_proposal", 409)
    services.add_recipients(p, [model(reg, kinds["giay-khen"])], scope=sec)
    exc = refused(services.record_decision, p, scope=sec, number="1", date=DAY)
    assert (exc.code, exc.status) == ("not_sent", 409)
    services.send_proposal(p, scope=sec)
    exc = refused(services.add_recipients, p, [model(reg, kinds["giay-khen"])], scope=sec)
    assert (exc.code, exc.status) == ("not_draft", 409)
    exc = refused(services.remove_recipient, p, p.items.get().pk, scope=sec)
    assert exc.code == "not_draft"


@pytest.mark.parametrize("kwargs, code", [
    ({"number": "", "date": DAY}, "no_number"),
    ({"number": "2-QĐ", "date": dt.date(2026, 12, 31)}, "future_date"),
    ({"number": "2-QĐ", "date": DAY, "amount_per_recipient": 200_000, "stated_total": 300_000},
     "total_mismatch"),
    ({"number": "2-QĐ", "date": DAY, "item_ids": []}, "nothing_chosen"),
])
def test_decision_input_is_checked(proposal, recognised, kinds, kwargs, code):
    reg, sec = recognised(), acting("dinhhoa.thuky")
    p = proposal()
    services.add_recipients(p, [model(reg, kinds["giay-khen"])], scope=sec)
    services.send_proposal(p, scope=sec)
    exc = refused(services.record_decision, p, scope=sec, today=dt.date(2026, 11, 1), **kwargs)
    assert (exc.code, exc.status) == (code, 400)


def test_the_decision_may_grant_part_of_the_proposal(proposal, recognised, kinds):
    from dvk.awards.models import Award

    a, b = recognised("Mô hình A khéo vận động"), recognised("Mô hình B khéo vận động")
    sec, p = acting("dinhhoa.thuky"), proposal()
    items = services.add_recipients(p, [model(a, kinds["giay-khen"]),
                                        model(b, kinds["giay-khen"])], scope=sec)
    services.send_proposal(p, scope=sec)
    d = services.record_decision(p, scope=sec, number="3-QĐ", date=DAY,
                                 item_ids=[items[1].pk], amount_per_recipient=100_000)
    assert list(Award.objects.filter(decision=d.decision).values_list(
        "registration_id", "amount")) == [(b.pk, 100_000)]
    again = refused(services.record_decision, p, scope=sec, number="4-QĐ", date=DAY)
    assert again.code == "not_sent"
