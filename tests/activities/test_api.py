"""The activities API lists what the screens list: the caller's subtree, filtered by phase,
year and unit, paginated with a total count, with the same warnings."""
import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(unit):
    from dvk.activities.models import (BudgetLine, FollowUpVisit, InspectionRound,
                                       InspectionVisit, PressEntry, Review, TrainingClass)
    from dvk.initiatives.models import Registration
    from dvk.phases.models import Phase

    phase = Phase.objects.get(code="2026-2030")
    gq, rg = unit("KG-GQ"), unit("KG-RG")
    for i, u in enumerate((gq, gq, rg)):
        TrainingClass.objects.create(phase=phase, unit=u, date=dt.date(2026, 3, 1 + i),
                                     name=f"Lớp {u.code} {i}", attendances=0 if i == 1 else 60)
    r = InspectionRound.objects.create(phase=phase, unit=gq, code="KT-1", form="survey",
                                       start_date=dt.date(2026, 5, 1))
    InspectionVisit.objects.create(round=r, unit=unit("KG-GQ-02"), date=dt.date(2026, 5, 3),
                                   findings="Tốt")
    PressEntry.objects.create(phase=phase, unit=gq, title="Bài 1", author="A", genre="online",
                              year=2026, national_finalist=True)
    Review.objects.create(phase=phase, unit=unit("KG-GQ-02"), kind="final",
                          planned_date=dt.date(2030, 10, 1))
    BudgetLine.objects.create(phase=phase, unit=gq, kind="allocation", amount=2_000_000,
                              date=dt.date(2026, 2, 1), purpose="Kinh phí 2026")
    reg = Registration.objects.unscoped("tests").filter(unit__path__startswith=gq.path).first()
    other = Registration.objects.unscoped("tests").filter(unit__path__startswith=rg.path).first()
    FollowUpVisit.objects.create(registration=reg, date=dt.date(2026, 11, 1), visitor="Lê Bình",
                                 findings="Duy trì", guidance="Nhân rộng", on_site=True)
    FollowUpVisit.objects.create(registration=other, date=dt.date(2026, 11, 1), visitor="X",
                                 findings="Rạch Giá")
    return reg


def test_lists_are_scoped_filtered_and_paginated(client_as, rows):
    c = client_as("gq.thuky")
    data = c.get("/api/v1/activities/training", {"phase": "2026-2030"}).json()
    assert data["count"] == 2 and {t["unit"] for t in data["items"]} == {"KG-GQ"}
    assert [t["warnings"] for t in data["items"]] == [["Số lượt tham dự bằng 0."], []]
    page = c.get("/api/v1/activities/training", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["name"] == "Lớp KG-GQ 0"
    rounds = c.get("/api/v1/activities/inspections").json()["items"]
    assert rounds[0]["form"] == "Khảo sát" and rounds[0]["visits"][0]["unit"] == "KG-GQ-02"
    press = c.get("/api/v1/activities/press").json()["items"]
    assert press[0]["genre"] == "Báo điện tử" and press[0]["warnings"]
    assert c.get("/api/v1/activities/reviews").json()["items"][0]["kind"] == "Tổng kết"
    assert c.get("/api/v1/activities/budget").json()["items"][0]["amount"] == 2_000_000
    visits = c.get("/api/v1/activities/follow-up-visits").json()
    assert visits["count"] == 1 and visits["items"][0]["guidance"] == "Nhân rộng"
    assert visits["items"][0]["registration_id"] == rows.pk
    # a unit outside the subtree answers 404; a unit inside narrows the list
    assert c.get("/api/v1/activities/training", {"unit": "KG-RG"}).status_code == 404
    narrowed = c.get("/api/v1/activities/inspections", {"unit": "KG-GQ-02"}).json()
    assert narrowed["count"] == 0
    assert client_as("tinh.thuky").get("/api/v1/activities/training").json()["count"] == 3
