"""Appraisal: assignment, scoring with optimistic locking, conflict of interest, minutes."""
import datetime as dt
import io

import pytest

from dvk.initiatives import services
from dvk.initiatives.appraisal import appraisal_minutes_docx
from dvk.initiatives.enums import State
from dvk.initiatives.models import Appraisal, Registration
from dvk.initiatives.workflow import TransitionRefused
from tests.acting import acting

SCORES = {"effectiveness": 9, "replicability": 8, "participation": 9, "creativity": 7,
          "difficulty": 8}


@pytest.fixture
def team(db):
    """Xã Định Hòa's appraisal team: its committee judges the commune's Cơ sở files."""
    from dvk.phases.models import AppraisalTeam

    return AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase__code="2026-2030")


def _appraiser(team, unit, username, also=None):
    """A new appraiser of Xã Định Hòa's committee, on its team (and, optionally, with a
    second membership elsewhere: also={"unit": Unit, "role": Role})."""
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    u = get_user_model().objects.create_user(username, first_name=username)
    Membership.objects.create(user=u, unit=unit("KG-GQ-02"), role=Role.APPRAISER)
    if also:
        Membership.objects.create(user=u, **also)
    team.members.create(user=u, full_name=username)
    return u


@pytest.fixture
def second_appraiser(team, unit):
    return _appraiser(team, unit, "dinhhoa.thamdinh2")


@pytest.fixture
def commune_appraiser(team, unit, dinhhoa_org):
    """An appraiser of the commune's team who also works in the model's own organisation."""
    from dvk.orgs.enums import Role

    return _appraiser(team, unit, "dinhhoa.thamdinh3", {"unit": dinhhoa_org, "role": Role.CLERK})


@pytest.fixture
def assigned(at_state, user, team):
    def make(appraiser="dinhhoa.thamdinh"):
        reg = at_state(State.REPORTED)
        a = appraiser if not isinstance(appraiser, str) else user(appraiser)
        return services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                         appraiser=a)

    return make


def test_appraisal_happy_path(assigned, user):
    a = assigned()
    a = services.save_appraisal(a, scope=acting(user("dinhhoa.thamdinh")), expected_version=a.version,
                                scores=SCORES, comments="Mô hình thiết thực.",
                                site_visit_date=dt.date(2026, 10, 5), conclusion="recommend")
    assert a.total == 41
    services.complete_appraisal(a, scope=acting(user("dinhhoa.thamdinh")))
    reg = Registration.objects.get(pk=a.registration_id)
    assert reg.state == State.APPRAISED
    assert reg.transitions.last().actor == user("dinhhoa.thamdinh")


def test_with_several_appraisers_the_last_to_complete_moves_the_registration(
        assigned, user, commune_appraiser, second_appraiser, team):
    first = assigned()
    reg = Registration.objects.get(pk=first.registration_id)
    second = services.assign_appraisal(reg, scope=acting(user("dinhhoa.thuky")), team=team,
                                       appraiser=second_appraiser)
    recused = services.assign_appraisal(reg, scope=acting(user("dinhhoa.thuky")), team=team,
                                        appraiser=commune_appraiser)
    services.declare_conflict(recused, scope=acting(commune_appraiser), reason="Tôi công tác ở xã.")
    services.rule_on_conflict(Appraisal.objects.get(pk=recused.pk), scope=acting(user("dinhhoa.thuky")),
                              accept=False)  # cancelled: not waited for
    for appraisal, who, scores, conclusion in (
            (first, "dinhhoa.thamdinh", SCORES, "recommend"),
            (second, "dinhhoa.thamdinh2", dict(SCORES, creativity=4), "not_recommend")):
        appraisal = services.save_appraisal(
            Appraisal.objects.get(pk=appraisal.pk), scope=acting(user(who)),
            expected_version=Appraisal.objects.get(pk=appraisal.pk).version, scores=scores,
            conclusion=conclusion)
        services.complete_appraisal(appraisal, scope=acting(user(who)))
        reg.refresh_from_db()
        if who == "dinhhoa.thamdinh":
            assert reg.state == State.REPORTED  # the other appraiser hasn't finished
    assert reg.state == State.APPRAISED
    assert reg.transitions.last().comment == (
        "Kết luận của 2 thành viên thẩm định: 1 đề nghị công nhận, 1 không đề nghị công "
        "nhận; điểm bình quân 39,5/50")


def test_two_saves_with_the_same_version_second_is_refused(assigned, user):
    a = assigned()
    seen = a.version
    first = Appraisal.objects.get(pk=a.pk)
    second = Appraisal.objects.get(pk=a.pk)
    services.save_appraisal(first, scope=acting(user("dinhhoa.thamdinh")), expected_version=seen,
                            scores={"effectiveness": 9})
    with pytest.raises(TransitionRefused, match="người khác lưu"):
        services.save_appraisal(second, scope=acting(user("dinhhoa.thamdinh")), expected_version=seen,
                                scores={"effectiveness": 2})
    assert Appraisal.objects.get(pk=a.pk).effectiveness == 9


@pytest.mark.parametrize("scores", [{"effectiveness": 11}, {"effectiveness": -1},
                                    {"beauty": 5}, {"creativity": "nhiều"}])
def test_scores_are_validated(assigned, user, scores):
    a = assigned()
    with pytest.raises(TransitionRefused):
        services.save_appraisal(a, scope=acting(user("dinhhoa.thamdinh")), expected_version=a.version,
                                scores=scores)


def test_only_the_assigned_appraiser_saves(assigned, user, second_appraiser):
    a = assigned()
    with pytest.raises(TransitionRefused) as exc:
        services.save_appraisal(a, scope=acting(second_appraiser), expected_version=a.version,
                                scores=SCORES)
    assert exc.value.status == 404  # a colleague's appraisal is not theirs to see


def test_incomplete_appraisal_cannot_be_completed(assigned, user):
    a = assigned()
    services.save_appraisal(a, scope=acting(user("dinhhoa.thamdinh")), expected_version=a.version,
                            scores={"effectiveness": 9})
    with pytest.raises(TransitionRefused, match="Chưa chấm đủ"):
        services.complete_appraisal(a, scope=acting(user("dinhhoa.thamdinh")))


def test_only_reported_registrations_are_assigned(at_state, user, team):
    reg = at_state(State.ACCEPTED)
    with pytest.raises(TransitionRefused):
        services.assign_appraisal(reg, scope=acting(user("dinhhoa.thuky")), team=team,
                                  appraiser=user("dinhhoa.thamdinh"))


def test_own_unit_appraiser_is_blocked_until_declared_and_accepted(assigned, user,
                                                                   commune_appraiser):
    a = assigned(commune_appraiser)
    with pytest.raises(TransitionRefused, match="thuộc đơn vị của bạn"):
        services.save_appraisal(a, scope=acting(commune_appraiser), expected_version=a.version,
                                scores=SCORES)
    services.declare_conflict(a, scope=acting(commune_appraiser), reason="Tôi công tác tại xã Định Hòa.")
    with pytest.raises(TransitionRefused, match="chưa xem xét"):
        services.save_appraisal(a, scope=acting(commune_appraiser), expected_version=a.version,
                                scores=SCORES)
    with pytest.raises(TransitionRefused) as exc:
        services.rule_on_conflict(a, scope=acting(commune_appraiser), accept=True)
    assert exc.value.status == 403
    services.rule_on_conflict(a, scope=acting(user("dinhhoa.thuky")), accept=True)
    services.save_appraisal(a, scope=acting(commune_appraiser), expected_version=a.version,
                            scores=SCORES, conclusion="recommend")
    services.complete_appraisal(a, scope=acting(commune_appraiser))
    assert Registration.objects.get(pk=a.registration_id).state == State.APPRAISED


def test_refused_conflict_recuses_the_appraiser(assigned, user, commune_appraiser):
    a = assigned(commune_appraiser)
    services.declare_conflict(a, scope=acting(commune_appraiser), reason="Người nhà là chủ thể.")
    services.rule_on_conflict(a, scope=acting(user("dinhhoa.thuky")), accept=False)
    assert Appraisal.objects.get(pk=a.pk).status == "cancelled"
    with pytest.raises(TransitionRefused):
        services.save_appraisal(a, scope=acting(commune_appraiser), expected_version=a.version,
                                scores=SCORES)


def test_the_communes_own_committee_is_not_in_conflict_with_its_communes_models(
        at_state, user, commune_appraiser):
    """A commune's committee recognising its commune's models is the normal grassroots
    flow; working in the model's own organisation is a conflict."""
    reg = at_state(State.REPORTED)
    assert services.is_own_unit(user("dinhhoa.thamdinh"), reg) is False
    assert services.is_own_unit(commune_appraiser, reg) is True


def test_minutes_document(assigned, user):
    from docx import Document

    a = assigned()
    services.save_appraisal(a, scope=acting(user("dinhhoa.thamdinh")), expected_version=a.version,
                            scores=SCORES, comments="Mô hình thiết thực.",
                            site_visit_date=dt.date(2026, 10, 5), conclusion="recommend")
    doc = Document(io.BytesIO(appraisal_minutes_docx(a)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert cells[1].startswith("ĐẢNG CỘNG SẢN VIỆT NAM")  # top right
    assert cells[0].startswith(a.team.committee.name.upper())  # issuing body, top left
    assert "BIÊN BẢN THẨM ĐỊNH" in text
    assert "ngày 5 tháng 10 năm 2026" in cells[1]
    assert "41/50" in cells and "9" in cells
    assert "Đề nghị Ban Chỉ đạo công nhận" in text
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210
    assert doc.styles["Normal"].font.name == "Times New Roman"
