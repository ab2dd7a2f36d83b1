"""Issue 9, item 3: phases as data from the UI. A system administrator creates a phase with
its own ordered levels and calendar; the app proposes the two levels of today's map (Cơ sở,
Tỉnh), the import keeps the contract's three."""
import pytest

from dvk.common.models import HistoryEntry
from dvk.phases.models import Phase
from dvk.phases.services import get_or_create_phase

pytestmark = pytest.mark.django_db
URL = "/giai-doan/tao-moi/"


def form_data(**over):
    data = {"code": "2031-2035", "name": "", "levels": "Cơ sở\nTỉnh",
            "registration_deadline": "31/01", "report_deadline": "10/10",
            "commemoration_day": "15/10", "up_report_deadline": "10/12",
            "interim_review_date": "", "final_review_date": "",
            "promotion_rule": "recognised_below"}
    return {**data, **over}


def test_the_form_proposes_todays_two_levels(client_as):
    page = client_as("quantri").get(URL)
    assert page.status_code == 200
    assert page.context["form"]["levels"].value() == "Cơ sở\nTỉnh"


def test_a_phase_with_its_own_levels_and_calendar(client_as):
    c = client_as("quantri")
    r = c.post(URL, form_data(levels="Cơ sở\nTỉnh", registration_deadline="28/02"))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    phase = Phase.objects.get(code="2031-2035")
    assert (phase.start_year, phase.end_year, phase.name) == (2031, 2035, "Giai đoạn 2031–2035")
    assert [(lv.name, lv.order, lv.yearly) for lv in phase.ordered_levels()] == \
        [("Cơ sở", 1, True), ("Tỉnh", 2, False)]
    assert phase.registration_deadline == "28/02"
    assert HistoryEntry.objects.filter(object_id=phase.pk, action="phase.created").exists()
    detail = c.get(r["Location"]).content.decode()
    assert "Cơ sở" in detail and "Tỉnh" in detail


def test_three_levels_when_told(client_as):
    r = client_as("quantri").post(URL, form_data(levels="Cơ sở\nTrên cơ sở\nTỉnh"))
    assert r.status_code == 302
    assert [lv.name for lv in Phase.objects.get(code="2031-2035").ordered_levels()] == \
        ["Cơ sở", "Trên cơ sở", "Tỉnh"]


@pytest.mark.parametrize("over,field,message", [
    ({"code": "2024-2028"}, "code", "trùng thời gian với giai đoạn 2021-2025"),
    ({"code": "2035-2031"}, "code", "không hợp lệ"),
    ({"levels": "Cơ sở\ncơ sở"}, "levels", "được nhập hai lần"),
    ({"levels": "  \n "}, "levels", ""),
    ({"registration_deadline": "31/02"}, "registration_deadline", ""),
])
def test_refusals_say_why_and_write_nothing(client_as, over, field, message):
    before = Phase.objects.count()
    r = client_as("quantri").post(URL, form_data(**over))
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Phase.objects.count() == before


def test_only_the_system_administrator(client_as):
    for who in ("tinh.thuky", "gq.thuky", "dinhhoa.vanthu", "tinh.lanhdao"):
        assert client_as(who).get(URL).status_code == 403, who
        assert client_as(who).post(URL, form_data()).status_code == 403, who
    assert not Phase.objects.filter(code="2031-2035").exists()
    assert URL in client_as("quantri").get("/giai-doan/").content.decode()
    assert URL not in client_as("tinh.thuky").get("/giai-doan/").content.decode()


def test_the_import_keeps_the_contracts_three_levels():
    phase, created = get_or_create_phase("2031-2035")
    assert created
    assert [lv.name for lv in phase.ordered_levels()] == ["Cơ sở", "Huyện", "Tỉnh"]
