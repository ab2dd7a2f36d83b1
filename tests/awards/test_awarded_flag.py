"""Registration.has_award, which the dashboard's check "awards to models that are not
recognised" reads through its partial index: every way an award is written sets it, and a
model whose outcome changes after its award shows on the check."""
import datetime as dt

import pytest
from django.db.models import Exists, OuterRef

from dvk.awards import services
from dvk.awards.models import Award
from dvk.initiatives.enums import State
from dvk.initiatives.models import Registration
from tests.acting import acting
from tests.awards.conftest import model
from tests.initiatives.test_import import HEADER, ROWS, run, write_csv

CHECKS = "/bao-cao/tong-quan/kiem-tra/"


def _flag_disagrees():
    """Registrations whose flag says other than their awards (an award deleted later may
    leave the flag set: it only over-states)."""
    awarded = Exists(Award.objects.unscoped("the whole table").filter(registration=OuterRef("pk")))
    return list(Registration.objects.unscoped("the whole table")
                .annotate(awarded=awarded).filter(awarded=True, has_award=False)
                .values_list("pk", flat=True))


def _unrecognised_awards(client_as, phase):
    r = client_as("tinh.lanhdao").get(CHECKS, {"phase": phase})
    problem = next(p for p in r.context["problems"] if p.code == "award_unrecognised")
    return problem, r.content.decode()


@pytest.mark.django_db
def test_the_demo_data_flags_every_awarded_registration():
    assert Award.objects.unscoped("the whole table").filter(registration__isnull=False).exists()
    assert _flag_disagrees() == []


@pytest.mark.django_db
def test_an_import_flags_its_awards_and_a_later_outcome_change_shows_on_the_check(
        tmp_path, client_as):
    run(write_csv(tmp_path / "a.csv", HEADER, ROWS))
    regs = Registration.objects.filter(initiative__title__in=[r[1] for r in ROWS])
    # Only the first row carries an award (Giấy khen, 2017).
    assert sorted(regs.values_list("year", "has_award")) == [
        (2017, True), (2018, False), (2019, False), (2020, False)]
    awarded = regs.get(has_award=True)
    problem, _ = _unrecognised_awards(client_as, "2016-2020")
    assert awarded.pk not in [a.registration_id for a in problem.items]

    # The same file again, the awarded model now not recognised and one more award given
    # to a registration that had none: its award stays and the check lists it.
    changed = [list(r) for r in ROWS]
    changed[0][9], changed[0][11] = "Không công nhận", ""
    changed[3][9], changed[3][11] = "Công nhận", "Bằng khen"
    run(write_csv(tmp_path / "b.csv", HEADER, changed))
    assert _flag_disagrees() == []
    assert regs.get(initiative__kind="individual").has_award
    problem, html = _unrecognised_awards(client_as, "2016-2020")
    assert [a.registration_id for a in problem.items] == [awarded.pk]
    assert problem.count == 1
    assert "Khéo vận động làm đường giao thông nông thôn" in html


@pytest.mark.django_db
def test_an_award_decision_flags_its_models(proposal, recognised, kinds, client_as):
    a, b = recognised("Khéo vận động hiến đất"), recognised("Khéo vận động thắp sáng đường quê")
    assert not a.has_award and not b.has_award
    p = proposal()
    sec = acting("dinhhoa.thuky")
    services.add_recipients(p, [model(a, kinds["giay-khen"])], scope=sec)
    services.send_proposal(p, scope=sec)
    services.record_decision(p, scope=sec, number="25-QĐ/ĐU", date=dt.date(2026, 10, 5))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.has_award, b.has_award) == (True, False)
    problem, _ = _unrecognised_awards(client_as, "2026-2030")
    assert a.pk not in [x.registration_id for x in problem.items]

    # A correction that takes the recognition back (outside the award's own path).
    Registration.objects.unscoped("a correction in the test").filter(pk=a.pk).update(
        state=State.NOT_RECOGNIZED)
    problem, _ = _unrecognised_awards(client_as, "2026-2030")
    assert [x.registration_id for x in problem.items] == [a.pk]
