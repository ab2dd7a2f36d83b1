"""Fixtures for the decision documents: a batch of appraised models of Xã Định Hòa, decided
through the real services (the annual cycle's fixtures, tests/initiatives/conftest.py)."""
import datetime as dt

import pytest
from tests.acting import acting
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft, field_econ,  # noqa: F401
                                        levels, new_initiative, phase26)

TITLES = ["Khéo vận động người dân hiến đất mở rộng đường giao thông nông thôn ấp Tân Lợi",
          "Khéo vận động hội viên phụ nữ tiết kiệm mua bảo hiểm y tế cho người nghèo",
          "Khéo vận động đồng bào Khmer giữ gìn an ninh trật tự, xây dựng ấp văn hóa"]


@pytest.fixture
def appraised(at_state):
    from dvk.initiatives.enums import State

    def make(titles=TITLES):
        return [at_state(State.APPRAISED, title=t) for t in titles]

    return make


@pytest.fixture
def decided(appraised):
    """(decision, registrations): three models recognised by Định Hòa's committee."""
    from dvk.initiatives import services

    regs = appraised()
    decision = services.decide(regs, scope=acting("dinhhoa.thuky"), recognized=True,
                               decision_number="125-QĐ/TCĐ", decision_date=dt.date(2026, 10, 12),
                               signer="Lê Văn Bình")
    for r in regs:
        r.refresh_from_db()
    return decision, regs


@pytest.fixture
def scored(at_state, user):
    """scored(title, conclusion="recommend") → a registration appraised by Định Hòa's
    appraiser through the services: 9 + 8 + 9 + 7 + 8 = 41 points."""
    from dvk.initiatives import services
    from dvk.initiatives.enums import State
    from dvk.phases.models import AppraisalTeam

    def make(title=TITLES[0], conclusion="recommend"):
        reg = at_state(State.REPORTED, title=title)
        team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                         committee__phase=reg.phase)
        appraisal = services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                              appraiser=user("dinhhoa.thamdinh"))
        appraiser = acting("dinhhoa.thamdinh")
        appraisal = services.save_appraisal(
            appraisal, expected_version=appraisal.version, scope=appraiser,
            scores={"effectiveness": 9, "replicability": 8, "participation": 9,
                    "creativity": 7, "difficulty": 8}, conclusion=conclusion)
        services.complete_appraisal(appraisal, scope=appraiser)
        reg.refresh_from_db()
        assert reg.state == State.APPRAISED
        return reg

    return make
