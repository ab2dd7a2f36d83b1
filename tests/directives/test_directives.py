"""Directives downward (seed 004 §II.1): the province committee publishes a plan to the
units below, the district committees acknowledge it (once) and file their implementing
plans, the province sees who has not; members are assigned the areas they follow."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.acting import acting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% ke hoach\n"
URL = "/van-ban-chi-dao/"


def pdf(name="ke-hoach.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("quy-che.docx", buf.getvalue())


def form(**overrides):
    data = {"phase": "2026-2030", "kind": "plan", "number": "12-KH/BCĐ",
            "issued_on": "15/04/2026", "signer": "Phó Trưởng Ban Thường trực",
            "title": "Kế hoạch thực hiện Phong trào thi đua “Dân vận khéo” 2026-2030",
            "file": pdf()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def committee(code, phase="2026-2030"):
    from dvk.phases.models import SteeringCommittee

    return SteeringCommittee.objects.select_related("unit", "phase").get(
        unit__code=code, phase__code=phase)


def publish(code="KG", number="12-KH/BCĐ", kind="plan", responds_to=None, who=None):
    from dvk.directives import services
    from dvk.orgs.scope import Scope

    scope = acting(who) if who else Scope.system("tests: a committee's document")
    return services.publish(scope=scope, committee=committee(code), kind=kind, number=number,
                            issued_on=dt.date(2026, 4, 15), signer="Phó Trưởng Ban",
                            title=f"Văn bản {number}", uploaded_file=pdf(),
                            responds_to=responds_to)


def test_the_province_publishes_a_plan_the_units_below_receive(client_as):
    from dvk.common.models import HistoryEntry
    from dvk.directives.models import Directive

    c = client_as("tinh.thuky")
    resp = c.post(URL + "ban-hanh/", form(number="số 12-kh/bcđ"))
    d = Directive.objects.unscoped("tests").get(number="12-KH/BCĐ")  # written as officials do
    assert resp.status_code == 302 and resp["Location"] == f"{URL}{d.pk}/"
    assert (d.unit.code, d.kind, d.issued_on, d.content_type) == (
        "KG", "plan", dt.date(2026, 4, 15), "application/pdf")
    assert HistoryEntry.objects.filter(object_id=str(d.pk), action="directive.publish").exists()

    page = c.get(f"{URL}{d.pk}/").content.decode()
    assert "12-KH/BCĐ" in page and "15/04/2026" in page and "Huyện Gò Quao" in page
    assert c.get(f"{URL}{d.pk}/tep/").getvalue() == PDF

    # Gò Quao's committee and a commune clerk of Rạch Giá both receive the province's plan.
    received = client_as("gq.thuky").get(URL).content.decode()
    assert "12-KH/BCĐ" in received and "Chưa xác nhận" in received
    assert client_as("rachgia.vanthu").get(f"{URL}{d.pk}/tep/").status_code == 200


def test_a_committee_below_acknowledges_once_and_the_province_sees_who_has_not(client_as):
    from dvk.directives.models import Acknowledgement

    d = publish()
    gq = client_as("gq.thuky")
    page = gq.get(f"{URL}{d.pk}/").content.decode()
    assert 'id="acknowledge"' in page
    assert gq.post(f"{URL}{d.pk}/da-nhan/").status_code == 302
    again = gq.post(f"{URL}{d.pk}/da-nhan/", HTTP_REFERER=f"{URL}{d.pk}/", follow=True)
    assert "đã xác nhận nhận văn bản này" in again.content.decode()
    assert Acknowledgement.objects.unscoped("tests").filter(directive=d).count() == 1
    assert 'id="acknowledge"' not in gq.get(f"{URL}{d.pk}/").content.decode()

    province = client_as("tinh.thuky")
    resp = province.get(f"{URL}{d.pk}/", {"missing": "ack"})
    names = [f.committee.unit.code for f in resp.context["follows"]]
    assert "KG-GQ" not in names and "KG-RG" in names
    tally = resp.context["tally"]
    assert tally.not_acknowledged == tally.expected - 1
    # The counts on the list are links to those lists.
    index = province.get(URL).content.decode()
    assert f'href="{URL}{d.pk}/?missing=ack#below">{tally.not_acknowledged}<' in index


def test_the_district_files_its_implementing_plan_in_answer(client_as):
    from dvk.directives.models import Acknowledgement, Directive

    d = publish()
    gq = client_as("gq.thuky")
    assert f"?responds_to={d.pk}" in gq.get(f"{URL}{d.pk}/").content.decode()
    resp = gq.post(URL + "ban-hanh/", form(number="05-KH/HU", responds_to=d.pk,
                                           title="Kế hoạch thực hiện Kế hoạch 12-KH/BCĐ"))
    assert resp.status_code == 302
    answer = Directive.objects.unscoped("tests").get(number="05-KH/HU")
    assert answer.responds_to == d and answer.unit.code == "KG-GQ"
    # Filing the plan acknowledges the directive too.
    assert Acknowledgement.objects.unscoped("tests").filter(directive=d,
                                                            unit__code="KG-GQ").exists()
    province = client_as("tinh.thuky").get(f"{URL}{d.pk}/", {"missing": "plan"})
    assert "KG-GQ" not in [f.committee.unit.code for f in province.context["follows"]]
    assert "05-KH/HU" in client_as("tinh.thuky").get(f"{URL}{d.pk}/").content.decode()
    # Định Hòa, below Gò Quao, receives both the province's plan and Gò Quao's.
    received = client_as("dinhhoa.thuky").get(URL).content.decode()
    assert "12-KH/BCĐ" in received and "05-KH/HU" in received


def test_refusals(client_as, user, unit):
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    d = publish()
    rg = publish("KG-RG", number="08-KH/HU")
    # Not a secretariat; the issuer itself; another district's document (404, unseen).
    assert client_as("dinhhoa.vanthu").post(f"{URL}{d.pk}/da-nhan/").status_code == 403
    assert client_as("tinh.thuky").post(f"{URL}{d.pk}/da-nhan/").status_code == 403
    for path in ("", "tep/", "da-nhan/"):
        assert client_as("gq.thuky").get(f"{URL}{rg.pk}/{path}").status_code in (404, 405)
        assert client_as("gq.thuky").post(f"{URL}{rg.pk}/{path}").status_code == 404
    assert client_as("gq.thuky").get(URL + "ban-hanh/", {"responds_to": rg.pk}).status_code == 404
    assert "08-KH/HU" not in client_as("gq.thuky").get(URL).content.decode()
    # A unit below without a committee of its own, and a clerk, publish nothing.
    hamlet = user("dinhhoa.vanthu")
    Membership.objects.create(user=hamlet, unit=unit("KG-GQ-02-A1"), role=Role.SECRETARIAT)
    from dvk.common.rules import why_not

    hamlet_scope = acting("dinhhoa.vanthu", Membership.objects.get(user=hamlet,
                                                                   unit__code="KG-GQ-02-A1"))
    assert why_not("directive.acknowledge", hamlet_scope, d).code == "no_committee"
    assert why_not("directive.publish", hamlet_scope, None).code == "no_committee"
    assert client_as("dinhhoa.vanthu").get(URL + "ban-hanh/").status_code == 403
    # The province secretariat publishes for its own committee only.
    assert why_not("directive.publish", acting("tinh.thuky"), committee("KG-GQ")).code == \
        "not_own_committee"


@pytest.mark.parametrize("overrides,message", [
    ({"number": "12-KH/BCĐ" + "X" * 40}, "Số văn bản: tối đa 40 ký tự"),
    ({"number": "kế hoạch hai"}, "Số văn bản «KẾHOẠCHHAI» không đúng dạng"),
    ({"number": "02-KH/BCĐ"}, "Ban Chỉ đạo đã có văn bản số 02-KH/BCĐ"),  # the demo's
    ({"file": SimpleUploadedFile("ke-hoach.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)},
     "chỉ nhận tệp PDF hoặc Word"),
    ({"file": None}, "Tệp văn bản: vui lòng chọn tệp PDF hoặc Word"),
    ({"issued_on": "31/02/2026"}, "Ngày ban hành: vui lòng nhập ngày dạng dd/mm/yyyy"),
    ({"issued_on": "01/01/2099"}, "không được sau ngày hôm nay"),
    ({"title": " "}, "Trích yếu: vui lòng nhập trích yếu"),
    ({"title": "X" * 501}, "Trích yếu: tối đa 500 ký tự"),
    ({"signer": ""}, "Người ký: vui lòng nhập"),
    ({"kind": "memo"}, "Loại văn bản: vui lòng chọn"),
])
def test_bad_input_is_told_in_vietnamese_and_writes_nothing(client_as, overrides, message):
    from dvk.directives.models import Directive

    before = Directive.objects.unscoped("tests").count()
    resp = client_as("tinh.thuky").post(URL + "ban-hanh/", form(**overrides))
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert Directive.objects.unscoped("tests").count() == before


def test_a_word_file_is_accepted_and_offered_for_download(client_as):
    from dvk.directives.models import Directive

    c = client_as("gq.thuky")
    assert c.post(URL + "ban-hanh/", form(kind="rules", number="01-QC/HU",
                                          file=docx())).status_code == 302
    d = Directive.objects.unscoped("tests").get(number="01-QC/HU")
    resp = c.get(f"{URL}{d.pk}/tep/")
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]


def test_members_are_assigned_the_areas_they_follow(client_as, unit):
    from dvk.common.models import HistoryEntry
    from dvk.directives.models import MemberArea

    kg = committee("KG")
    member = kg.members.order_by("order").first()
    c = client_as("tinh.thuky")
    page = c.get(f"{URL}ban-chi-dao/{kg.pk}/dia-ban/")
    assert page.status_code == 200 and "Huyện Gò Quao" in page.content.decode()
    resp = c.post(f"{URL}ban-chi-dao/{kg.pk}/dia-ban/",
                  {"member": member.pk, "units": ["KG-GQ", "KG-RG"]})
    assert resp.status_code == 302
    assert {a.unit.code for a in MemberArea.objects.unscoped("tests").filter(member=member)} == \
        {"KG-GQ", "KG-RG"}
    assert HistoryEntry.objects.filter(object_id=str(member.pk), action="committee.areas").exists()
    shown = c.get(f"/giai-doan/ban-chi-dao/{kg.pk}/").content.decode()
    assert f"<strong>{member.full_name}</strong>: " in shown and "Huyện Gò Quao" in shown
    # Saving again with one area leaves one.
    c.post(f"{URL}ban-chi-dao/{kg.pk}/dia-ban/", {"member": member.pk, "units": ["KG-RG"]})
    assert MemberArea.objects.unscoped("tests").filter(member=member).count() == 1

    # Only the committee's own secretariat; a unit outside the committee's children is
    # refused with a message; another subtree's committee is not found.
    gq = committee("KG-GQ")
    gq_member = gq.members.first()
    assert client_as("dinhhoa.vanthu").get(f"{URL}ban-chi-dao/{gq.pk}/dia-ban/").status_code == 404
    assert client_as("tinh.thuky").get(f"{URL}ban-chi-dao/{gq.pk}/dia-ban/").status_code == 403
    bad = client_as("gq.thuky").post(f"{URL}ban-chi-dao/{gq.pk}/dia-ban/",
                                     {"member": gq_member.pk, "units": ["KG-RG"]})
    assert bad.status_code == 400 and "Địa bàn phụ trách" in bad.content.decode()
    assert client_as("gq.thuky").get(f"{URL}ban-chi-dao/{kg.pk}/dia-ban/").status_code == 404


def test_the_service_refuses_a_second_acknowledgement():
    from dvk.common.rules import Refused
    from dvk.directives import services

    d = publish()
    services.acknowledge(d, scope=acting("gq.thuky"))
    with pytest.raises(Refused) as refused:
        services.acknowledge(d, scope=acting("gq.thuky"))
    assert refused.value.status == 409


def test_the_demo_province_has_its_plan_acknowledged_by_some(client_as):
    resp = client_as("tinh.thuky").get(URL)
    issued = {t.directive.number: t for t in resp.context["issued"]}
    assert {"01-QC/BCĐ", "02-KH/BCĐ", "03-HD/BCĐ"} <= set(issued)
    plan = issued["02-KH/BCĐ"]
    assert 0 < plan.not_acknowledged < plan.expected
