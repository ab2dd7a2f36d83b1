"""The rule book's findings, one test (or a few) each: every one failed on the code before
the rule book (authority by role and subtree only) and passes now.

The grassroots (Cơ sở) files of Xã Định Hòa are judged by the commune's own committee
(`dinhhoa.thuky`, `dinhhoa.thamdinh`); Huyện files by Gò Quao's (`gq.thuky`); Tỉnh files
by the province's (`tinh.thuky`).
"""
import datetime as dt
import json

import pytest

from dvk.common.rules import Refused
from dvk.initiatives import services
from dvk.initiatives.enums import State
from dvk.initiatives.models import Appraisal, Initiative, Registration, Transition
from dvk.initiatives.workflow import transition
from tests.acting import acting, command_line

SCORES = {"effectiveness": 9, "replicability": 8, "participation": 9, "creativity": 7,
          "difficulty": 8}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _recognise(reg, secretariat):
    """Take a submitted registration to recognised as its level's committee would."""
    sec = acting(secretariat)
    services.accept(reg, scope=sec)
    target = reg.targets.first()
    services.report_achievement(reg, scope=acting("dinhhoa.vanthu"),
                                results={target.pk: "130"}, narrative="Đạt chỉ tiêu.",
                                certifier_name="Nguyễn Văn A", certifier_position="Bí thư",
                                certified_on=dt.date(2026, 10, 2))
    transition(reg, State.APPRAISED, scope=sec)
    services.decide([reg], scope=sec, recognized=True, decision_number="9-QĐ/BCĐ",
                    decision_date=dt.date(2026, 10, 12))
    reg.refresh_from_db()
    return reg


@pytest.fixture
def province_file(at_state):
    """A Định Hòa model recognised at Cơ sở, then Huyện, now proposed at Tỉnh by Gò Quao."""
    grassroots = at_state(State.RECOGNIZED)
    district = services.propose_promotion(grassroots, scope=acting("dinhhoa.thuky"))
    district = _recognise(district, "gq.thuky")
    return services.propose_promotion(district, scope=acting("gq.thuky"))


# 1. A district committee acted on province-level files -----------------------------------

def test_1_district_committee_cannot_accept_or_decide_a_province_level_file(
        province_file, client_as):
    assert province_file.level.name == "Tỉnh" and province_file.state == State.SUBMITTED
    gq = client_as("gq.thuky")
    r = post(gq, f"/api/v1/registrations/{province_file.pk}/accept")
    assert r.status_code == 403 and r.json()["code"] == "wrong_level"
    assert "cấp Tỉnh" in r.json()["detail"]
    # the province's own committee can
    r = post(client_as("tinh.thuky"), f"/api/v1/registrations/{province_file.pk}/accept")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    Registration.objects.filter(pk=province_file.pk).update(state=State.APPRAISED)
    r = post(gq, f"/api/v1/registrations/{province_file.pk}/decide", {
        "recognized": True, "decision_number": "1-QĐ/BCĐ", "decision_date": "2026-10-12"})
    assert r.status_code == 403
    assert Registration.objects.get(pk=province_file.pk).state == State.APPRAISED


def test_1_district_committee_cannot_assign_its_appraisers_to_a_province_file(
        province_file, user):
    from dvk.phases.models import AppraisalTeam

    Registration.objects.filter(pk=province_file.pk).update(state=State.REPORTED)
    province_file.refresh_from_db()
    gq_team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ",
                                        committee__phase__code="2026-2030")
    with pytest.raises(Refused) as exc:
        services.assign_appraisal(province_file, scope=acting("gq.thuky"), team=gq_team,
                                  appraiser=user("gq.thamdinh"))
    assert exc.value.status == 403 and exc.value.code == "wrong_level"
    assert not Appraisal.objects.filter(registration=province_file).exists()


def test_1_the_district_queue_lists_district_files_only(province_file, client_as):
    page = client_as("gq.thuky").get("/mo-hinh/hang-doi/?phase=2026-2030&tab=submitted")
    assert province_file.initiative.title not in page.content.decode()
    page = client_as("tinh.thuky").get("/mo-hinh/hang-doi/?phase=2026-2030&tab=submitted")
    assert province_file.initiative.title in page.content.decode()


# 2. A commune clerk registered straight at province level ----------------------------------

def test_2_commune_clerk_registers_at_the_units_level_only(new_initiative, levels, client_as):
    ini = new_initiative("Khéo vận động giữ gìn vệ sinh kênh rạch")
    clerk = client_as("dinhhoa.vanthu")
    body = {"phase": "2026-2030", "year": 2026,
            "targets": [{"criterion": "Số hộ cam kết", "target": "200"}]}
    r = post(clerk, f"/api/v1/initiatives/{ini.pk}/registrations",
             {**body, "level_id": levels[-1].pk})
    assert r.status_code == 403 and r.json()["code"] == "wrong_level"
    assert not Registration.objects.filter(initiative=ini).exists()
    # an exceptional registration states its reason and waits for approval
    r = post(clerk, f"/api/v1/initiatives/{ini.pk}/registrations",
             {**body, "level_id": levels[-1].pk, "exceptional": True,
              "exceptional_reason": "Mô hình phòng, chống thiên tai đột xuất"})
    assert r.status_code == 201 and r.json()["exceptional_status"] == "pending"
    r = post(clerk, f"/api/v1/initiatives/{ini.pk}/registrations",
             {**body, "level_id": levels[0].pk})
    assert r.status_code == 201


# 3. One person took a model of their own unit through every step ---------------------------

@pytest.fixture
def two_hats(unit, db):
    """A member of Xã Định Hòa's committee holding both the secretariat and appraiser roles."""
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership
    from dvk.phases.models import AppraisalTeam

    u = get_user_model().objects.create_user("dinhhoa.hai_vai", first_name="Hai Vai")
    sec = Membership.objects.create(user=u, unit=unit("KG-GQ-02"), role=Role.SECRETARIAT)
    appr = Membership.objects.create(user=u, unit=unit("KG-GQ-02"), role=Role.APPRAISER)
    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase__code="2026-2030")
    team.members.create(user=u, full_name="Hai Vai")
    return u, acting(u, sec), acting(u, appr), team


def test_3_nobody_rules_on_a_conflict_they_declared(at_state, two_hats):
    user, as_secretariat, as_appraiser, team = two_hats
    reg = at_state(State.REPORTED)
    a = services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                  appraiser=user)
    services.declare_conflict(a, scope=as_appraiser, reason="Vợ tôi là chủ thể mô hình.")
    a.refresh_from_db()
    with pytest.raises(Refused) as exc:
        services.rule_on_conflict(a, scope=as_secretariat, accept=True)
    assert exc.value.code == "own_conflict"
    assert Appraisal.objects.get(pk=a.pk).conflict_status == "pending"


def test_3_whoever_appraised_does_not_record_the_decision(at_state, two_hats):
    user, as_secretariat, as_appraiser, team = two_hats
    reg = at_state(State.REPORTED)
    a = services.assign_appraisal(reg, scope=as_secretariat, team=team, appraiser=user)
    a = services.save_appraisal(a, scope=as_appraiser, expected_version=a.version,
                                scores=SCORES, conclusion="recommend")
    services.complete_appraisal(a, scope=as_appraiser)
    reg.refresh_from_db()
    assert reg.state == State.APPRAISED
    with pytest.raises(Refused) as exc:
        services.decide([reg], scope=as_secretariat, recognized=True,
                        decision_number="3-QĐ/BCĐ", decision_date=dt.date(2026, 10, 12))
    assert exc.value.status == 403 and "đã thẩm định" in exc.value.message
    # a colleague of the secretariat records it
    services.decide([reg], scope=acting("dinhhoa.thuky"), recognized=True,
                    decision_number="3-QĐ/BCĐ", decision_date=dt.date(2026, 10, 12))
    assert Registration.objects.get(pk=reg.pk).state == State.RECOGNIZED


# 4. Appraisers could be assigned outside their appraisal team ------------------------------

def test_4_appraisers_come_from_the_team_of_the_committee_at_the_files_level(at_state, user):
    from dvk.phases.models import AppraisalTeam

    reg = at_state(State.REPORTED)
    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase__code="2026-2030")
    # gq.thamdinh holds the appraiser role, but is not on Định Hòa's team
    with pytest.raises(Refused) as exc:
        services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                  appraiser=user("gq.thamdinh"))
    assert exc.value.code == "not_in_team"
    # nor can the district's team be borrowed for a commune's file
    gq_team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ",
                                        committee__phase__code="2026-2030")
    with pytest.raises(Refused) as exc:
        services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=gq_team,
                                  appraiser=user("gq.thamdinh"))
    assert exc.value.code == "wrong_team"
    assert not Appraisal.objects.filter(registration=reg).exists()
    services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                              appraiser=user("dinhhoa.thamdinh"))


# 6. Screens and API disagreed -------------------------------------------------------------

def test_6_summary_api_refuses_a_clerk_like_the_reports_screen(client_as):
    clerk = client_as("dinhhoa.vanthu")
    assert clerk.get("/bao-cao/").status_code == 403
    r = clerk.get("/api/v1/summary", {"phase": "2016-2020"})
    assert r.status_code == 403 and r.json()["code"] == "role"
    assert client_as("tinh.lanhdao").get("/api/v1/summary",
                                         {"phase": "2016-2020"}).status_code == 200


def test_6_another_appraisers_minutes_are_not_found(at_state, user, client_as, unit):
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership
    from dvk.phases.models import AppraisalTeam

    reg = at_state(State.REPORTED)
    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase__code="2026-2030")
    colleague = get_user_model().objects.create_user("dinhhoa.dongnghiep")
    Membership.objects.create(user=colleague, unit=unit("KG-GQ-02"), role=Role.APPRAISER)
    a = services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                  appraiser=user("dinhhoa.thamdinh"))
    other = client_as("dinhhoa.dongnghiep")
    assert other.get(f"/mo-hinh/tham-dinh/{a.pk}/").status_code == 404
    assert other.get(f"/mo-hinh/tham-dinh/{a.pk}/bien-ban.docx").status_code == 404
    mine = client_as("dinhhoa.thamdinh").get(f"/mo-hinh/tham-dinh/{a.pk}/bien-ban.docx")
    assert mine.status_code == 200 and mine.content[:2] == b"PK"
    assert client_as("dinhhoa.thuky").get(
        f"/mo-hinh/tham-dinh/{a.pk}/bien-ban.docx").status_code == 200


# 8. Rules that lived only in forms ---------------------------------------------------------

def test_8_the_api_cannot_submit_a_registration_without_a_measurable_target(
        new_initiative, levels, client_as):
    ini = new_initiative("Khéo vận động làm đường giao thông nông thôn")
    clerk = client_as("dinhhoa.vanthu")
    r = post(clerk, f"/api/v1/initiatives/{ini.pk}/registrations",
             {"phase": "2026-2030", "level_id": levels[0].pk, "year": 2026, "targets": []})
    assert r.status_code == 201
    rid = r.json()["id"]
    r = post(clerk, f"/api/v1/registrations/{rid}/submit")
    assert r.status_code == 400 and "tiêu chí" in r.json()["detail"]
    assert Registration.objects.get(pk=rid).state == State.DRAFT


def test_8_the_same_registration_form_sent_three_times_makes_one_registration(
        client_as, dinhhoa_org, levels):
    from dvk.initiatives.models import Field

    clerk = client_as("dinhhoa.vanthu")
    page = clerk.get("/mo-hinh/dang-ky/").content.decode()
    token = page.split('name="request_token" value="')[1].split('"')[0]
    data = {"request_token": token, "unit": dinhhoa_org.pk, "phase": levels[0].phase_id,
            "level": levels[0].pk, "year": 2026, "kind": "collective",
            "title": "Khéo vận động trồng cây xanh ven đường",
            "field": Field.objects.get(code="kinh-te").pk, "submit": "1",
            "t-TOTAL_FORMS": "1", "t-INITIAL_FORMS": "0",
            "t-0-criterion": "Số cây trồng mới", "t-0-target": "500"}
    answers = [clerk.post("/mo-hinh/dang-ky/", data) for _ in range(3)]
    assert all(r.status_code == 302 for r in answers)
    assert len({r["Location"] for r in answers}) == 1
    made = Registration.objects.filter(initiative__title="Khéo vận động trồng cây xanh ven đường")
    assert made.count() == 1 and made.get().state == State.SUBMITTED


def test_8_a_stale_edit_is_refused_in_patch_and_in_the_form(at_state, client_as):
    reg = at_state(State.RETURNED)
    clerk = client_as("dinhhoa.vanthu")
    seen = reg.version
    first = clerk.patch(f"/api/v1/registrations/{reg.pk}", json.dumps(
        {"expected_version": seen, "title": "Tên thứ nhất"}), content_type="application/json")
    assert first.status_code == 200
    second = clerk.patch(f"/api/v1/registrations/{reg.pk}", json.dumps(
        {"expected_version": seen, "title": "Tên thứ hai"}), content_type="application/json")
    assert second.status_code == 409 and "người khác sửa" in second.json()["detail"]
    assert Initiative.objects.get(pk=reg.initiative_id).title == "Tên thứ nhất"
    # PATCH without the version it started from is invalid input
    r = clerk.patch(f"/api/v1/registrations/{reg.pk}", json.dumps({"title": "X"}),
                    content_type="application/json")
    assert r.status_code == 422
    # the form: opened at `seen`, saved after the API's change
    form = {"version": seen, "kind": "collective", "title": "Tên từ biểu mẫu",
            "field": reg.field_id, "t-TOTAL_FORMS": "1", "t-INITIAL_FORMS": "0",
            "t-0-criterion": "Số hộ tham gia", "t-0-target": "120"}
    r = clerk.post(f"/mo-hinh/ho-so/{reg.pk}/sua/", form)
    assert r.status_code == 200 and "người khác sửa" in r.content.decode()
    assert Initiative.objects.get(pk=reg.initiative_id).title == "Tên thứ nhất"


def test_8_the_appraisal_form_warns_of_another_editor_only_when_there_is_one(
        at_state, user, client_as):
    from dvk.phases.models import AppraisalTeam

    reg = at_state(State.REPORTED)
    team = AppraisalTeam.objects.get(committee__unit__code="KG-GQ-02",
                                     committee__phase__code="2026-2030")
    a = services.assign_appraisal(reg, scope=acting("dinhhoa.thuky"), team=team,
                                  appraiser=user("dinhhoa.thamdinh"))
    # saved and "complete" pressed with a score missing: the user's own save is no editor
    r = client_as("dinhhoa.thamdinh").post(f"/mo-hinh/tham-dinh/{a.pk}/", {
        "version": a.version, "effectiveness": "9", "complete": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and "Chưa chấm đủ" in html
    assert "người khác lưu" not in html and "vừa được người khác" not in html


# 9. States changed through more than one door ----------------------------------------------

def _chains_end_in_their_state(qs):
    from django.db.models import OuterRef, Subquery

    last = Transition.objects.filter(registration=OuterRef("pk")).order_by("-at", "-id")
    rows = qs.annotate(last=Subquery(last.values("to_state")[:1])).values_list(
        "pk", "state", "last")
    return [(pk, state, last) for pk, state, last in rows if last != state]


def test_9_every_registration_of_the_demo_has_a_chain_ending_in_its_state(db):
    assert Registration.objects.count() > 1000
    assert _chains_end_in_their_state(Registration.objects.all()) == []


def test_9_an_import_writes_transitions_for_new_and_changed_outcomes(tmp_path, unit):
    from dvk.imports.registrations import import_registrations

    csv = tmp_path / "dk.csv"
    csv.write_text("Mã mô hình,Tên mô hình,Loại,Mã đơn vị,Lĩnh vực,Cấp,Năm,Kết quả\n"
                   "T-1,Khéo vận động hiến đất làm đường,Mô hình,KG-GQ-02,Kinh tế,Cơ sở,2017,\n",
                   encoding="utf-8")
    import_registrations(str(csv), phase_code="2016-2020", scope=command_line())
    reg = Registration.objects.get(initiative__code="T-1")
    assert list(reg.transitions.values_list("from_state", "to_state")) == [("", "accepted")]
    csv.write_text(csv.read_text(encoding="utf-8").replace(",2017,\n", ",2017,Công nhận\n"),
                   encoding="utf-8")
    import_registrations(str(csv), phase_code="2016-2020", scope=command_line())
    reg.refresh_from_db()
    assert reg.state == State.RECOGNIZED
    assert list(reg.transitions.values_list("from_state", "to_state")) == [
        ("", "accepted"), ("accepted", "recognized")]


def test_9_promotion_goes_through_the_door_and_keeps_the_attachments(at_state):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reg = at_state(State.RECOGNIZED)
    services.add_attachment(scope=acting("dinhhoa.vanthu"), registration=reg,
                            uploaded_file=SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" +
                                                             b"0" * 64))
    up = services.propose_promotion(reg, scope=acting("dinhhoa.thuky"))
    assert list(up.transitions.values_list("from_state", "to_state", "actor__username")) == [
        ("", "submitted", "dinhhoa.thuky")]
    assert [a.original_name for a in up.attachments.all()] == ["anh.png"]
    assert up.attachments.get().file.read()[:4] == b"\x89PNG"


# 10. Permissions written five ways; the first membership authorised the others -------------

def test_10_services_require_the_acting_scope(at_state):
    reg = at_state(State.DRAFT)
    with pytest.raises(TypeError):
        services.submit(reg)  # no implicit "first membership"


def test_10_acting_as_clerk_does_not_lend_the_secretariats_authority(at_state, user, unit):
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    # dinhhoa.thuky also clerks for the commune; acting as clerk, they cannot accept
    clerk_seat = Membership.objects.create(user=user("dinhhoa.thuky"), unit=unit("KG-GQ-02"),
                                           role=Role.CLERK)
    reg = at_state(State.SUBMITTED)
    with pytest.raises(Refused) as exc:
        services.accept(reg, scope=acting("dinhhoa.thuky", clerk_seat))
    assert exc.value.status == 403
    secretariat_seat = user("dinhhoa.thuky").memberships.get(role=Role.SECRETARIAT)
    services.accept(reg, scope=acting("dinhhoa.thuky", secretariat_seat))
