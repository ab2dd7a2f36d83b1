"""The award decision and the proposal (tờ trình) in Word, read back: header block (Party
format for a Party committee's giấy khen, State format for the People's Committee's bằng
khen), number and date lines, the list of recipients with their money and its total; the
PDF of each through LibreOffice; the links on the awards pages."""
import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from tests.acting import acting
from tests.awards.conftest import kinds, model, proposal, recognised  # noqa: F401

from dvk.awards import services
from dvk.awards.services import Recipient
from dvk.documents import pdf

pytestmark = pytest.mark.django_db


def _doc(resp):
    assert resp.status_code == 200, resp
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    return docx.Document(io.BytesIO(resp.content))


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture
def party_decision(proposal, recognised, kinds):
    """Định Hòa's committee proposes giấy khen for two models and a person; the Party
    committee's decision 12-QĐ/ĐU of 10/10/2026 grants them, 200.000 đồng each."""
    sec = acting("dinhhoa.thuky")
    p = proposal(number="05-TTr/BCĐ", addressed_to="Ban Thường vụ Đảng ủy xã Định Hòa")
    gk = kinds["giay-khen"]
    services.add_recipients(p, [model(recognised("Khéo vận động hiến đất làm đường"), gk),
                                model(recognised("Khéo vận động giữ gìn vệ sinh môi trường"),
                                      gk, amount=300000)], scope=sec)
    services.add_recipients(p, [Recipient(kind=gk, recipient_type="person",
                                          unit=p.unit, person_name="Lê Văn Tâm",
                                          person_position="Trưởng ấp Tân Lợi")], scope=sec)
    services.send_proposal(p, scope=sec)
    ad = services.record_decision(p, scope=sec, number="12-QĐ/ĐU", date=dt.date(2026, 10, 10),
                                  signer="Phạm Văn Bình", amount_per_recipient=200000,
                                  today=dt.date(2026, 10, 20))
    return p, ad


@pytest.fixture
def state_decision(proposal, kinds, unit):
    """The province's committee proposes bằng khen to the People's Committee; decision
    5/QĐ-UBND of 3 February 2026 (a day and month that take leading zeros)."""
    sec = acting("tinh.thuky")
    p = proposal("tinh.thuky", authority="peoples_committee", number="15-TTr/BCĐ",
                 addressed_to="Ủy ban nhân dân tỉnh Kiên Giang", date=dt.date(2026, 1, 20),
                 occasion="ad_hoc")
    services.add_recipients(p, [
        Recipient(kind=kinds["bang-khen"], recipient_type="unit", unit=unit("KG-GQ"),
                  amount=1500000),
        Recipient(kind=kinds["bang-khen"], recipient_type="person", unit=unit("KG-GQ"),
                  person_name="Trần Thị Chỉ Đạo", person_position="Trưởng Ban Dân vận",
                  amount=1000000)], scope=sec)
    services.send_proposal(p, scope=sec)
    ad = services.record_decision(p, scope=sec, number="5/QĐ-UBND", date=dt.date(2026, 2, 3),
                                  signer="Nguyễn Văn Ký", today=dt.date(2026, 2, 10))
    return p, ad


def test_a_party_committees_award_decision(client_as, party_decision):
    p, ad = party_decision
    c = client_as("dinhhoa.thuky")
    resp = c.get(reverse("award_documents:decision", kwargs={"decision_id": ad.decision_id,
                                                             "fmt": "docx"}))
    assert 'filename="quyet-dinh-khen-thuong-12-qd-du.docx"' in resp["Content-Disposition"]
    document = _doc(resp)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = document.tables[0]
    assert [x.text for x in header.cell(0, 0).paragraphs] == \
        ["ĐẢNG BỘ HUYỆN GÒ QUAO", "ĐẢNG ỦY XÃ ĐỊNH HÒA", "*"]
    assert header.cell(0, 1).paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(1, 0).text == "Số 12-QĐ/ĐU"
    assert header.cell(1, 1).text == "Định Hòa, ngày 10 tháng 10 năm 2026"
    texts = [x.text for x in document.paragraphs]
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ ĐỊNH HÒA" in texts and "QUYẾT ĐỊNH:" in texts
    assert any("tại Tờ trình số 05-TTr/BCĐ ngày 05/10/2026" in t for t in texts)
    article1 = next(t for t in texts if t.startswith("Điều 1."))
    assert "Tặng Giấy khen cho 3 tập thể, cá nhân" in article1
    assert any("tổng số tiền: 700.000 đồng" in t for t in texts if t.startswith("Điều 2."))
    closing = document.tables[1]
    assert [x.text for x in closing.cell(0, 1).paragraphs if x.text] == \
        ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Phạm Văn Bình"]
    rows = _rows(document.tables[-1])
    assert rows[0] == ["STT", "Tên tập thể, cá nhân", "Đơn vị", "Hình thức khen thưởng",
                       "Số tiền (đồng)"]
    assert len(rows) == 4
    money = sorted(r[4] for r in rows[1:])
    assert money == ["200.000", "200.000", "300.000"]
    assert any(r[1] == "Lê Văn Tâm, Trưởng ấp Tân Lợi" for r in rows[1:])
    assert "Tổng cộng: 3 tập thể, cá nhân; tổng số tiền: 700.000 đồng." in texts
    assert "(Kèm theo Quyết định số 12-QĐ/ĐU ngày 10/10/2026 của Đảng ủy xã Định Hòa)" in texts


def test_the_peoples_committees_bang_khen_decision_is_in_the_state_format(client_as,
                                                                          state_decision):
    p, ad = state_decision
    document = _doc(client_as("tinh.thuky").get(reverse(
        "award_documents:decision", kwargs={"decision_id": ad.decision_id, "fmt": "docx"})))
    header = document.tables[0]
    left = header.cell(0, 0).paragraphs
    assert [x.text for x in left][:2] == ["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"]
    assert all(x.runs[0].bold for x in left[:2])
    right = [x.text for x in header.cell(0, 1).paragraphs]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).text == "Số: 05/QĐ-UBND"  # colon, leading zero
    assert header.cell(1, 1).text == "Kiên Giang, ngày 03 tháng 02 năm 2026"
    texts = [x.text for x in document.paragraphs]
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG" in texts
    assert any(t.startswith("Về việc tặng Bằng khen") and "khen thưởng đột xuất" in t
               for t in texts)
    closing = document.tables[1]
    assert [x.text for x in closing.cell(0, 1).paragraphs if x.text][:2] == \
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    rows = _rows(document.tables[-1])[1:]
    assert [r[4] for r in rows] == ["1.500.000", "1.000.000"]
    assert "Tổng cộng: 2 tập thể, cá nhân; tổng số tiền: 2.500.000 đồng." in texts


def test_the_proposal_with_its_list(client_as, party_decision):
    p, _ad = party_decision
    document = _doc(client_as("dinhhoa.thuky").get(
        reverse("award_documents:proposal", kwargs={"proposal_id": p.pk, "fmt": "docx"})))
    header = document.tables[0]
    assert [x.text for x in header.cell(0, 0).paragraphs] == \
        ["ĐẢNG ỦY XÃ ĐỊNH HÒA", "TỔ CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "*"]
    assert header.cell(1, 0).text == "Số 05-TTr/BCĐ"
    assert header.cell(1, 1).text == "Định Hòa, ngày 05 tháng 10 năm 2026"
    texts = [x.text for x in document.paragraphs]
    assert "TỜ TRÌNH" in texts
    assert "Kính gửi: Ban Thường vụ Đảng ủy xã Định Hòa." in texts
    rows = _rows(document.tables[-1])
    assert len(rows) == 4  # header + 3 proposed
    # the proposal lists the money it proposed: only the second model had its own amount
    assert sorted(r[4] for r in rows[1:]) == ["300.000", "–", "–"]
    assert "Tổng cộng: 3 tập thể, cá nhân; tổng số tiền: 300.000 đồng." in texts


def test_the_pages_link_their_documents_and_others_do_not_see_them(client_as, party_decision):
    p, ad = party_decision
    c = client_as("dinhhoa.thuky")
    page = c.get(reverse("awards:decision", args=[ad.decision_id])).content.decode()
    assert reverse("award_documents:decision", kwargs={"decision_id": ad.decision_id,
                                                       "fmt": "pdf"}) in page
    page = c.get(reverse("awards:proposal", args=[p.pk])).content.decode()
    assert reverse("award_documents:proposal", kwargs={"proposal_id": p.pk, "fmt": "docx"}) \
        in page
    other = client_as("rachgia.vanthu")
    assert other.get(reverse("award_documents:decision", kwargs={
        "decision_id": ad.decision_id, "fmt": "docx"})).status_code == 404


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")
def test_pdf_of_the_decision_and_the_proposal(client_as, party_decision):
    p, ad = party_decision
    c = client_as("dinhhoa.thuky")
    for url in (reverse("award_documents:decision", kwargs={"decision_id": ad.decision_id,
                                                            "fmt": "pdf"}),
                reverse("award_documents:proposal", kwargs={"proposal_id": p.pk,
                                                            "fmt": "pdf"})):
        resp = c.get(url)
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
        assert resp.content.startswith(b"%PDF")
