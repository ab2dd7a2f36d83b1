"""The registrations API: scoping, roles, and the workflow through HTTP."""
import json

import pytest

from dvk.initiatives.enums import State
from dvk.initiatives.models import Field, Registration


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_outsider_gets_404_for_a_go_quao_registration(at_state, client_as):
    reg = at_state(State.SUBMITTED)
    rachgia = client_as("rachgia.vanthu")
    assert rachgia.get(f"/api/v1/registrations/{reg.pk}").status_code == 404
    r = post(rachgia, f"/api/v1/registrations/{reg.pk}/withdraw")
    assert r.status_code == 404
    assert r.json() == {"detail": "Không tìm thấy."}
    assert Registration.objects.get(pk=reg.pk).state == State.SUBMITTED
    listed = rachgia.get("/api/v1/registrations?phase=2026-2030&unit=KG-GQ").json()
    assert listed["count"] == 0


def test_list_is_scoped_and_filtered(at_state, client_as):
    reg = at_state(State.SUBMITTED, title="Khéo vận động nuôi heo đất giúp học sinh nghèo")
    gq = client_as("dinhhoa.thuky")
    data = gq.get("/api/v1/registrations", {"phase": "2026-2030", "q": "HEO DAT",
                                            "state": "submitted", "year": "abc"}).json()
    assert [i["id"] for i in data["items"]] == [reg.pk]
    assert data["items"][0]["unit"].startswith("KG-GQ-02")
    everything = gq.get("/api/v1/registrations", {"limit": 500}).json()
    assert everything["count"] > 0
    assert all(i["unit"].startswith("KG-GQ") for i in everything["items"])


def test_wrong_role_gets_403(at_state, client_as):
    reg = at_state(State.SUBMITTED)
    r = post(client_as("dinhhoa.vanthu"), f"/api/v1/registrations/{reg.pk}/accept")
    assert r.status_code == 403
    assert "Vai trò" in r.json()["detail"]


def test_happy_path_through_the_api(client_as, dinhhoa_org, levels):
    clerk, sec = client_as("dinhhoa.vanthu"), client_as("dinhhoa.thuky")
    field = Field.objects.get(code="van-hoa-xa-hoi")
    r = post(clerk, "/api/v1/initiatives", {"unit": dinhhoa_org.code, "title":
             "Khéo vận động xây dựng tủ sách ấp", "field_id": field.pk})
    assert r.status_code == 201, r.content
    ini = r.json()
    r = post(clerk, f"/api/v1/initiatives/{ini['id']}/registrations", {
        "phase": "2026-2030", "level_id": levels[0].pk, "year": 2026,
        "targets": [{"criterion": "Số đầu sách", "target": "500", "unit_of_measure": "cuốn"}]})
    assert r.status_code == 201, r.content
    reg = r.json()
    assert reg["state"] == "draft" and "submitted" in reg["actions"]
    rid = reg["id"]
    assert post(clerk, f"/api/v1/registrations/{rid}/submit").json()["state"] == "submitted"
    r = post(sec, f"/api/v1/registrations/{rid}/return", {"comment": ""})
    assert r.status_code == 400 and "lý do" in r.json()["detail"]
    r = post(sec, f"/api/v1/registrations/{rid}/accept", {"expected_version": 2})
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    r = post(sec, f"/api/v1/registrations/{rid}/accept", {"expected_version": 2})
    assert r.status_code == 409
    target = r = clerk.get(f"/api/v1/registrations/{rid}").json()["targets"][0]
    r = post(clerk, f"/api/v1/registrations/{rid}/report", {
        "results": {str(target["id"]): "650"}, "narrative": "Đã có 650 cuốn sách.",
        "certifier_name": "Trần Văn B", "certifier_position": "Bí thư Chi bộ",
        "certified_on": "2026-10-03"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "reported" and body["targets"][0]["result"] == "650"
    assert [t["to_state"] for t in body["transitions"]] == ["draft", "submitted", "accepted",
                                                            "reported"]
    assert body["transitions"][0]["actor"] == "dinhhoa.vanthu"
    r = post(sec, f"/api/v1/registrations/{rid}/decide", {
        "recognized": True, "decision_number": "12-QĐ/BCĐ", "decision_date": "2026-10-12"})
    assert r.status_code == 409  # not appraised yet


def test_similar_titles_endpoint_respects_scope(new_initiative, client_as):
    ini = new_initiative("Khéo vận động người dân hiến máu cứu người")
    r = client_as("dinhhoa.thuky").get("/api/v1/initiatives/similar",
                                  {"title": "kheo van dong hien mau"})
    assert ini.pk in [x["id"] for x in r.json()]
    r = client_as("rachgia.vanthu").get("/api/v1/initiatives/similar",
                                        {"title": "kheo van dong hien mau"})
    assert ini.pk not in [x["id"] for x in r.json()]


def test_openapi_names_the_routes(client_as):
    schema = client_as("dinhhoa.thuky").get("/api/v1/openapi.json").json()
    assert "/api/v1/registrations/{registration_id}/submit" in schema["paths"]
    assert "RegistrationDetailOut" in schema["components"]["schemas"]


def test_correct_a_returned_registration_and_return_a_report_through_the_api(
        at_state, client_as):
    clerk, sec = client_as("dinhhoa.vanthu"), client_as("dinhhoa.thuky")
    reg = at_state(State.RETURNED)
    r = clerk.patch(f"/api/v1/registrations/{reg.pk}", json.dumps({
        "expected_version": reg.version, "title": "Khéo vận động người dân hiến máu tình nguyện",
        "targets": [{"criterion": "Số đơn vị máu", "target": "200"}]}),
        content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["title"] == "Khéo vận động người dân hiến máu tình nguyện"
    assert [t["criterion"] for t in r.json()["targets"]] == ["Số đơn vị máu"]
    assert post(clerk, f"/api/v1/registrations/{reg.pk}/submit").json()["state"] == "submitted"
    r = clerk.patch(f"/api/v1/registrations/{reg.pk}", json.dumps(
        {"expected_version": r.json()["version"], "title": "Tên khác"}),
                    content_type="application/json")
    assert r.status_code == 409 and "Chỉ sửa được hồ sơ nháp" in r.json()["detail"]

    reported = at_state(State.REPORTED, title="Khéo vận động trồng cây xanh ven lộ")
    r = post(sec, f"/api/v1/registrations/{reported.pk}/return",
             {"comment": "Thiếu xác nhận của Ủy ban nhân dân xã."})
    assert r.status_code == 200 and r.json()["state"] == "accepted"
