"""Fixtures for the annual cycle: a fresh model of Xã Định Hòa (Gò Quao) at every step.

`at_state(State.X)` walks a new registration through the real services to state X, so
each test starts from data the workflow itself produced.
"""
import datetime as dt

import pytest
from tests.acting import acting


@pytest.fixture
def phase26(db):
    from dvk.phases.models import Phase

    return Phase.objects.get(code="2026-2030")


@pytest.fixture
def levels(phase26):
    return list(phase26.ordered_levels())


@pytest.fixture
def field_econ(db):
    from dvk.initiatives.models import Field

    return Field.objects.get(code="kinh-te")


@pytest.fixture
def dinhhoa_org(unit):
    """An organisation below Xã Định Hòa (KG-GQ-02) that carries a sector."""
    from dvk.orgs.models import Unit

    return (Unit.objects.subtree_of(unit("KG-GQ-02"), include_self=False)
            .filter(sector__isnull=False).order_by("code").first())


@pytest.fixture
def new_initiative(user, dinhhoa_org, field_econ):
    from dvk.initiatives import services

    def make(title="Khéo vận động người dân hiến máu cứu người", unit=None,
             actor="dinhhoa.vanthu", **kw):
        return services.create_initiative(scope=acting(actor), unit=unit or dinhhoa_org,
                                          kind=kw.pop("kind", "collective"), title=title,
                                          field=field_econ, **kw)

    return make


# The secretariat of the committee that judges a Định Hòa file at each level.
COMMITTEE_OF = {"Cơ sở": "dinhhoa.thuky", "Huyện": "gq.thuky", "Tỉnh": "tinh.thuky"}

TARGETS = [{"criterion": "Số hộ tham gia", "baseline": "40", "target": "120",
            "unit_of_measure": "hộ"}]


@pytest.fixture
def draft(user, new_initiative, phase26, levels):
    from dvk.initiatives import services

    def make(title="Khéo vận động người dân hiến máu cứu người", year=2026, level=None, **kw):
        ini = new_initiative(title)
        level = level or levels[0]
        # The clerk registers at the commune's level; a file straight at a higher level is
        # set up by the system administrator (otherwise it comes by promotion).
        who = "dinhhoa.vanthu" if level == levels[0] or kw.get("exceptional") else "quantri"
        return services.register(scope=acting(who), initiative=ini, phase=phase26,
                                 level=level, year=year, targets=TARGETS, **kw)

    return make


@pytest.fixture
def at_state(user, draft):
    """at_state(State.REPORTED) → a registration taken there through the services."""
    from dvk.initiatives import services
    from dvk.initiatives.enums import State

    def make(state, title="Khéo vận động người dân hiến máu cứu người", **kw):
        reg = draft(title, **kw)
        clerk, sec = user("dinhhoa.vanthu"), user(COMMITTEE_OF[reg.level.name])
        if state == State.DRAFT:
            return reg
        if state == State.WITHDRAWN:
            return services.withdraw(reg, scope=acting(clerk))
        services.submit(reg, scope=acting(clerk))
        if state == State.SUBMITTED:
            return reg
        if state == State.RETURNED:
            return services.return_to_unit(reg, scope=acting(sec), comment="Bổ sung chỉ tiêu.")
        services.accept(reg, scope=acting(sec))
        if state == State.ACCEPTED:
            return reg
        target = reg.targets.get()
        services.report_achievement(reg, scope=acting(clerk), results={target.pk: "135"},
                                    narrative="Vận động 135 hộ tham gia.",
                                    certifier_name="Nguyễn Văn A",
                                    certifier_position="Bí thư Đảng ủy xã",
                                    certified_on=dt.date(2026, 10, 2))
        if state == State.REPORTED:
            return reg
        # Appraised: the secretariat moves it directly (appraisal flow has its own tests).
        from dvk.initiatives.workflow import transition
        transition(reg, State.APPRAISED, scope=acting(sec))
        if state == State.APPRAISED:
            return reg
        services.decide([reg], scope=acting(sec), recognized=state == State.RECOGNIZED,
                        decision_number="15-QĐ/BCĐ", decision_date=dt.date(2026, 10, 12))
        reg.refresh_from_db()
        return reg

    return make
