"""Bulk decisions (all or nothing) and promotion to the next level under both rules."""
import datetime as dt

import pytest

from dvk.initiatives import services
from dvk.initiatives.enums import State
from dvk.initiatives.models import Decision, Registration
from dvk.initiatives.workflow import TransitionRefused
from dvk.phases.models import PromotionRule
from tests.acting import acting


def _decide(regs, user, recognized=True):
    return services.decide(regs, scope=acting(user("dinhhoa.thuky")), recognized=recognized,
                           decision_number="21-QĐ/BCĐ", decision_date=dt.date(2026, 10, 12),
                           signer="Phó Bí thư Thường trực")


def test_bulk_decide_recognises_all_with_certificates(at_state, user):
    regs = [at_state(State.APPRAISED, title=f"Khéo vận động mô hình số {i}") for i in range(3)]
    decision = _decide(Registration.objects.filter(pk__in=[r.pk for r in regs]), user)
    assert decision.unit.code == "KG-GQ-02" and decision.level.name == "Cơ sở"
    fresh = Registration.objects.filter(pk__in=[r.pk for r in regs])
    assert {r.state for r in fresh} == {State.RECOGNIZED}
    assert sorted(r.certificate_number for r in fresh) == [
        "21-QĐ/BCĐ/0001", "21-QĐ/BCĐ/0002", "21-QĐ/BCĐ/0003"]
    assert all(r.decision_id == decision.pk for r in fresh)


def test_bulk_decide_is_all_or_nothing_and_names_the_culprits(at_state, user):
    ok = at_state(State.APPRAISED, title="Khéo vận động mô hình đã thẩm định")
    bad = at_state(State.ACCEPTED, title="Khéo vận động mô hình chưa báo cáo")
    decisions = Decision.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        _decide([ok, bad], user)
    assert "Khéo vận động mô hình chưa báo cáo" in exc.value.message
    assert "Khéo vận động mô hình đã thẩm định" not in exc.value.message
    assert Registration.objects.get(pk=ok.pk).state == State.APPRAISED
    assert Decision.objects.count() == decisions


def test_not_recognised_gets_no_certificate(at_state, user):
    reg = at_state(State.APPRAISED)
    _decide([reg], user, recognized=False)
    fresh = Registration.objects.get(pk=reg.pk)
    assert (fresh.state, fresh.certificate_number) == (State.NOT_RECOGNIZED, "")


def test_clerk_cannot_decide(at_state, user):
    reg = at_state(State.APPRAISED)
    with pytest.raises(TransitionRefused) as exc:
        services.decide([reg], scope=acting(user("dinhhoa.vanthu")), recognized=True,
                        decision_number="1", decision_date=dt.date(2026, 10, 12))
    assert exc.value.status == 403


def test_promotion_under_recognised_below(at_state, user, levels):
    reg = at_state(State.RECOGNIZED)
    assert services.promotion_eligible(reg) == (True, "")
    up = services.propose_promotion(reg, scope=acting(user("dinhhoa.thuky")))
    assert (up.level, up.state, up.promoted_from_id, up.year) == (levels[1], State.SUBMITTED,
                                                                 reg.pk, reg.year)
    assert up.targets.count() == reg.targets.count()
    ok, reason = services.promotion_eligible(reg)
    assert not ok and "đã được đề nghị" in reason
    with pytest.raises(TransitionRefused):
        services.propose_promotion(reg, scope=acting(user("dinhhoa.thuky")))


def test_not_recognised_and_top_level_are_not_eligible(at_state, levels):
    assert services.promotion_eligible(at_state(State.NOT_RECOGNIZED))[0] is False
    top = at_state(State.RECOGNIZED, title="Khéo vận động cấp tỉnh", level=levels[-1])
    ok, reason = services.promotion_eligible(top)
    assert not ok and "cao nhất" in reason


def test_promotion_under_two_years(at_state, user, phase26, new_initiative, levels):
    phase26.promotion_rule = PromotionRule.TWO_YEARS
    phase26.save()
    reg = at_state(State.RECOGNIZED, year=2027)
    ok, reason = services.promotion_eligible(reg)
    assert not ok and "2 năm liên tiếp" in reason
    # Recognised in 2026 too (recorded as an imported outcome of the same model).
    Registration.objects.create(initiative=reg.initiative, phase=phase26, level=levels[0],
                                year=2026, unit=reg.unit, field=reg.field,
                                state=State.RECOGNIZED, imported=True)
    reg = Registration.objects.get(pk=reg.pk)
    assert services.promotion_eligible(reg) == (True, "")
