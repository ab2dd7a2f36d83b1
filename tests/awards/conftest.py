"""Fixtures for awards: recognised models of Xã Định Hòa (Gò Quao) made by the real
services, and a draft proposal of Định Hòa's committee (Cơ sở level, 2026)."""
import datetime as dt

import pytest
from tests.acting import acting
from tests.initiatives.conftest import (TARGETS, at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)


@pytest.fixture
def kinds(db):
    from dvk.awards.models import AwardKind

    return {k.code: k for k in AwardKind.objects.all()}


@pytest.fixture
def recognised(at_state):
    """recognised("title") → a registration recognised at Cơ sở in 2026, registered in time."""
    from dvk.initiatives.enums import State
    from dvk.initiatives.models import Registration

    def make(title="Khéo vận động hiến đất làm đường", **kw):
        reg = at_state(State.RECOGNIZED, title=title, **kw)
        Registration.objects.filter(pk=reg.pk).update(is_late=False)
        reg.refresh_from_db()
        return reg

    return make


@pytest.fixture
def proposal(phase26):
    from dvk.awards import services

    def make(who="dinhhoa.thuky", **kw):
        kw.setdefault("year", 2026)
        kw.setdefault("date", dt.date(2026, 10, 5))
        return services.create_proposal(scope=acting(who), phase=phase26, **kw)

    return make


def model(reg, kind, **kw):
    from dvk.awards.services import Recipient

    return Recipient(kind=kind, recipient_type="model", registration=reg, **kw)
