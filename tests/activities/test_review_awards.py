"""A review's page shows the awards given at it (the awards app's template tag: activities
and awards are siblings), and the reviews list names who has not held theirs yet."""
import datetime as dt

import pytest
from tests.acting import acting
from tests.awards.conftest import kinds, model, proposal, recognised  # noqa: F401
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft, field_econ,  # noqa: F401
                                        levels, new_initiative, phase26)

from dvk.awards import services

pytestmark = pytest.mark.django_db


def _decided(proposal, regs, kind, *, occasion, number, amount):
    sec = acting("dinhhoa.thuky")
    p = proposal(occasion=occasion)
    services.add_recipients(p, [model(r, kind, amount=amount) for r in regs], scope=sec)
    services.send_proposal(p, scope=sec)
    return services.record_decision(p, scope=sec, number=number, date=dt.date(2026, 10, 12),
                                    today=dt.date(2026, 10, 20))


def test_a_review_page_shows_the_awards_given_at_it(client_as, proposal, recognised, kinds,
                                                    phase26, unit):
    from dvk.activities.enums import ReviewForm, ReviewKind
    from dvk.activities.models import Review

    review = Review.objects.create(phase=phase26, unit=unit("KG-GQ-02"), kind=ReviewKind.INTERIM,
                                   held_on=dt.date(2026, 10, 12), held_as=ReviewForm.CONFERENCE)
    interim = recognised("Khéo vận động hiến đất làm đường")
    other = recognised("Khéo vận động giữ gìn vệ sinh môi trường")
    _decided(proposal, [interim], kinds["giay-khen"], occasion="interim", number="20-QĐ/ĐU",
             amount=500000)
    _decided(proposal, [other], kinds["giay-khen"], occasion="commemoration",
             number="21-QĐ/ĐU", amount=200000)
    page = client_as("gq.thuky").get(f"/hoat-dong/so-ket/{review.pk}/").content.decode()
    section = page.split('id="review-awards"')[1]
    assert "20-QĐ/ĐU" in section and interim.initiative.title in section
    assert "21-QĐ/ĐU" not in section and other.initiative.title not in section
    assert "500.000 đồng" in section
    # Another review of the unit (the final one) has none yet.
    final = Review.objects.create(phase=phase26, unit=unit("KG-GQ-02"), kind=ReviewKind.FINAL,
                                  planned_date=dt.date(2030, 10, 1))
    page = client_as("gq.thuky").get(f"/hoat-dong/so-ket/{final.pk}/").content.decode()
    assert "Chưa ghi quyết định khen thưởng nào" in page.split('id="review-awards"')[1]


def test_the_reviews_list_names_who_has_not_held_one_in_the_current_phase(client_as, phase26,
                                                                         unit):
    from dvk.activities.enums import ReviewForm, ReviewKind
    from dvk.activities.models import Review

    Review.objects.create(phase=phase26, unit=unit("KG-GQ-02"), kind=ReviewKind.INTERIM,
                          held_on=dt.date(2026, 10, 12), held_as=ReviewForm.CONFERENCE)
    page = client_as("gq.thuky").get("/hoat-dong/so-ket/").content.decode()
    missing = page.split('id="not-yet-held"')[1]
    assert "2026-2030" in missing
    assert "Xã Định Hòa" not in missing  # held it
