"""The activities screens: a secretariat records each module for its subtree, with history;
others read; another district's records answer 404."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[-3000:]
    return r["Location"]


def test_a_secretariat_records_a_training_class_with_its_history(client_as):
    from dvk.activities.models import TrainingClass
    from dvk.common.history import history_of

    c = client_as("gq.thuky")
    page = c.get("/hoat-dong/tap-huan/them/")
    assert page.status_code == 200 and "Ghi nhận lớp tập huấn" in page.content.decode()
    unit = TrainingClass._meta.get_field("unit").related_model.objects.get(code="KG-GQ")
    where = _post(c, "/hoat-dong/tap-huan/them/", {
        "phase": "2026-2030", "unit": unit.pk, "date": "12/03/2026",
        "name": "Tập huấn xây dựng mô hình", "audience": "Cán bộ xã", "attendances": "85",
        "materials": SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 test")})
    t = TrainingClass.objects.get(name="Tập huấn xây dựng mô hình")
    assert where == f"/hoat-dong/tap-huan/{t.pk}/" and t.year == 2026 and t.materials
    detail = c.get(where).content.decode()
    assert "Tập huấn xây dựng mô hình" in detail and "85" in detail
    _post(c, f"/hoat-dong/tap-huan/{t.pk}/sua/", {
        "phase": "2026-2030", "unit": unit.pk, "date": "12/03/2026",
        "name": "Tập huấn xây dựng mô hình", "audience": "Cán bộ xã", "attendances": "90"})
    assert [e.action for e in history_of(t)] == ["training.changed", "training.created"]
    assert history_of(t)[0].changes == {"attendances": [85, 90]}
    listing = c.get("/hoat-dong/tap-huan/?phase=2026-2030&q=xay dung").content.decode()
    assert "Tập huấn xây dựng mô hình" in listing
    assert c.get(f"/hoat-dong/tap-huan/{t.pk}/tep/").status_code == 200
    # A date outside the phase is refused on the form.
    r = c.post("/hoat-dong/tap-huan/them/", {"phase": "2026-2030", "unit": unit.pk,
                                             "date": "12/03/2025", "name": "Lớp khác",
                                             "attendances": "5"})
    assert r.status_code == 200 and "ngoài giai đoạn 2026-2030" in r.content.decode()
    # The commune clerk reads it but may not record; a clerk of Rạch Giá does not see it.
    clerk = client_as("dinhhoa.vanthu")
    assert clerk.get("/hoat-dong/tap-huan/them/").status_code == 403
    assert client_as("rachgia.vanthu").get(where).status_code == 404


def test_plan_a_round_record_findings_and_close_the_follow_up(client_as, unit):
    from dvk.activities.models import InspectionRound

    c = client_as("gq.thuky")
    where = _post(c, "/hoat-dong/kiem-tra/them/", {
        "phase": "2026-2030", "unit": unit("KG-GQ").pk, "code": "KT-GQ-2026",
        "form": "inspection", "title": "Kiểm tra thực hiện Phong trào",
        "decision_number": "12-QĐ/BCĐ", "start_date": "01/06/2026", "end_date": "30/06/2026",
        "team": "Phạm Thị Lan"})
    rnd = InspectionRound.objects.get(code="KT-GQ-2026")
    _post(c, f"/hoat-dong/kiem-tra/{rnd.pk}/don-vi/them/", {
        "unit": unit("KG-GQ-02").pk, "date": "05/06/2026", "findings": "Đăng ký đúng quy trình",
        "recommendations": "Bổ sung chỉ tiêu đo được", "status": "open"})
    visit = rnd.visits.get()
    r = c.post(f"/hoat-dong/kiem-tra/luot/{visit.pk}/sua/", {
        "unit": unit("KG-GQ-02").pk, "date": "05/06/2026", "findings": "Đăng ký đúng quy trình",
        "recommendations": "Bổ sung chỉ tiêu đo được", "status": "closed"})
    assert r.status_code == 200 and "ngày kết thúc theo dõi" in r.content.decode()
    _post(c, f"/hoat-dong/kiem-tra/luot/{visit.pk}/sua/", {
        "unit": unit("KG-GQ-02").pk, "date": "05/06/2026", "findings": "Đăng ký đúng quy trình",
        "recommendations": "Bổ sung chỉ tiêu đo được", "status": "closed",
        "closed_on": "20/07/2026"})
    page = c.get(where).content.decode()
    assert "Đăng ký đúng quy trình" in page and "Đã kết thúc" in page


def test_press_entries_and_reviews(client_as, unit):
    from dvk.activities.models import PressEntry, Review

    c = client_as("gq.thuky")
    where = _post(c, "/hoat-dong/bao-chi/them/", {
        "phase": "2026-2030", "unit": unit("KG-GQ").pk, "title": "Người khéo vận động",
        "author": "Nguyễn Văn Báo", "outlet": "Đài PT-TH", "genre": "television",
        "year": "2026", "national_eligible": "on", "provincial_prize": "B"})
    e = PressEntry.objects.get(title="Người khéo vận động")
    assert e.national_eligible and e.provincial_prize == "B"
    assert "Người khéo vận động" in c.get("/hoat-dong/bao-chi/?prize=1").content.decode()
    assert "Người khéo vận động" not in c.get("/hoat-dong/bao-chi/?genre=print").content.decode()
    _post(c, "/hoat-dong/so-ket/them/", {
        "phase": "2026-2030", "unit": unit("KG-GQ-02").pk, "kind": "interim",
        "planned_date": "10/10/2028", "held_on": "12/10/2028", "held_as": "conference"})
    assert Review.objects.get(unit__code="KG-GQ-02").year == 2028
    page = c.get("/hoat-dong/so-ket/?phase=2026-2030&kind=interim").content.decode()
    assert "Chưa tổ chức" in page and "Xã Định Hòa" in page.split("not-yet-held")[0]
    index = c.get("/hoat-dong/?phase=2026-2030").content.decode()
    assert "1 tác phẩm, 1 giải cấp tỉnh" in index
    assert where.startswith("/hoat-dong/bao-chi/")
