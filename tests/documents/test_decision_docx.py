"""The recognition decision in Word, read back: A4, margins, Times New Roman, the Party
header block, number and date line, the articles and the appendix list; the State format
through the same machinery (what an award decision of a People's Committee will use)."""
import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from tests.acting import acting

from dvk.documents.decisions import LIST_HEADERS, papers_for, recognition_decision_docx
from dvk.documents.official import Appendix, OfficialDocument, official_docx
from dvk.reports.profiles import PARTY_DECISION, STATE_DECISION, get_profile

pytestmark = pytest.mark.django_db


def _fonts(document):
    names = {r.font.name for p in document.paragraphs for r in p.runs}
    for table in document.tables:
        for cell in table._cells:
            names |= {r.font.name for p in cell.paragraphs for r in p.runs}
    return names


@pytest.fixture
def decision_doc(decided, client_as):
    decision, regs = decided
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:decision_docx", kwargs={"decision_id": decision.pk}))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="quyet-dinh-125-qd-tcd.docx"' in resp["Content-Disposition"]
    return docx.Document(io.BytesIO(resp.content)), decision, regs


def test_page_is_a4_with_the_party_margins_in_times_new_roman(decision_doc):
    document, _, _ = decision_doc
    for section in document.sections:  # the decision and its appendix page
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(x.mm) for x in (section.top_margin, section.bottom_margin,
                                      section.left_margin, section.right_margin)] == \
            [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert _fonts(document) == {"Times New Roman"}
    first = document.sections[0]
    assert first.different_first_page_header_footer  # page numbers from page 2 on
    assert "PAGE" in first.header._element.xml


def test_header_block_number_and_date_line(decision_doc):
    document, _, _ = decision_doc
    header = document.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs]
    assert left == ["ĐẢNG ỦY XÃ ĐỊNH HÒA", "TỔ CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "*"]
    assert not header.cell(0, 0).paragraphs[0].runs[0].bold
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    national = header.cell(0, 1).paragraphs[0].runs[0]
    assert national.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert national.bold and national.underline and national.font.size.pt == 15
    assert header.cell(1, 0).text == "Số 125-QĐ/TCĐ"  # Party: no colon
    date = header.cell(1, 1).paragraphs[0].runs[0]
    assert date.text == "Định Hòa, ngày 12 tháng 10 năm 2026" and date.italic
    assert date.font.size.pt == 14


def test_title_articles_and_signature(decision_doc):
    document, decision, regs = decision_doc
    texts = [p.text for p in document.paragraphs]
    title = next(p for p in document.paragraphs if p.text == "QUYẾT ĐỊNH")
    assert title.runs[0].bold and title.runs[0].font.size.pt == 15
    assert "về việc công nhận mô hình, điển hình đạt tiêu chí “Dân vận khéo” cấp cơ sở " \
           "năm 2026" in texts
    assert "QUYẾT ĐỊNH:" in texts
    article1 = next(t for t in texts if t.startswith("Điều 1."))
    assert "Công nhận 3 mô hình đạt tiêu chí “Dân vận khéo” cấp cơ sở năm 2026" in article1
    assert any(t.startswith("Điều 3.") for t in texts)
    closing = document.tables[1]
    assert closing.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert closing.cell(0, 0).paragraphs[0].runs[0].underline
    assert closing.cell(0, 0).paragraphs[-1].text.startswith("- Lưu")
    signature = [p.text for p in closing.cell(0, 1).paragraphs if p.text]
    assert signature == ["T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Lê Văn Bình"]


def test_appendix_lists_every_model_with_its_certificate(decision_doc):
    document, decision, regs = decision_doc
    assert len(document.sections) == 2  # the list starts a page of its own
    texts = [p.text for p in document.paragraphs]
    assert "DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH ĐẠT TIÊU CHÍ “DÂN VẬN KHÉO” CẤP CƠ SỞ NĂM 2026" in texts
    assert any(t.startswith("(Kèm theo Quyết định số 125-QĐ/TCĐ ngày 12/10/2026 của Tổ chỉ "
                            "đạo Phong trào thi đua “Dân vận khéo” Xã Định Hòa)") for t in texts)
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == LIST_HEADERS
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    by_title = {r[1]: r for r in rows}
    for reg in regs:
        assert by_title[reg.initiative.title][5] == reg.certificate_number
        assert by_title[reg.initiative.title][3] == reg.unit.name
        assert by_title[reg.initiative.title][4] == "Kinh tế"
    assert "Tổng cộng: 3 mô hình." in texts


def test_a_profile_row_changes_the_signature_for_later_decisions(decided):
    from dvk.reports.models import DocumentProfile

    decision, _ = decided
    DocumentProfile.objects.create(code=PARTY_DECISION, version=1, valid_from=dt.date(2026, 1, 1),
                                   overrides={"signature_title": "PHÓ TRƯỞNG BAN"})
    document = docx.Document(io.BytesIO(recognition_decision_docx(
        papers_for(acting("dinhhoa.thuky"), decision))))
    assert "PHÓ TRƯỞNG BAN" in [p.text for p in document.tables[1].cell(0, 1).paragraphs]


def test_state_format_through_the_same_machinery(db):
    """A People's Committee's decision (bằng khen): quốc hiệu, tiêu ngữ, "Số: 05/QĐ-UBND",
    dates with leading zeros — described as data, laid out by official_docx()."""
    profile = get_profile(STATE_DECISION, on=dt.date(2026, 1, 5))
    content = official_docx(OfficialDocument(
        profile=profile, issuing_body="Ủy ban nhân dân tỉnh Kiên Giang", number="5/QĐ-UBND",
        date=dt.date(2026, 1, 5), place="Kiên Giang",
        summary="Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        articles=[("Điều 1.", "Tặng Bằng khen cho 2 tập thể (có danh sách kèm theo).")],
        signer_name="Nguyễn Thanh Nhàn",
        appendices=[Appendix(title="DANH SÁCH TẬP THỂ ĐƯỢC TẶNG BẰNG KHEN",
                             headers=["STT", "Tên tập thể", "Số tiền (đồng)"],
                             widths_cm=[1.2, 10, 4],
                             rows=[[1, "Hội Nông dân xã Định Hòa", "1.490.000"],
                                   [2, "Chi hội Phụ nữ ấp Minh Cường", "1.490.000"]])]))
    document = docx.Document(io.BytesIO(content))
    header = document.tables[0]
    quoc_hieu, tieu_ngu = header.cell(0, 1).paragraphs[:2]
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and quoc_hieu.runs[0].bold
    assert quoc_hieu.runs[0].font.size.pt == 13
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc"
    assert tieu_ngu.runs[0].bold and tieu_ngu.runs[0].underline
    assert tieu_ngu.runs[0].font.size.pt == 14
    assert header.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"
    assert header.cell(1, 0).text == "Số: 05/QĐ-UBND"
    assert header.cell(1, 1).text == "Kiên Giang, ngày 05 tháng 01 năm 2026"
    closing = document.tables[1]
    received = closing.cell(0, 0).paragraphs[0].runs[0]
    assert received.text == "Nơi nhận:" and received.bold and received.italic
    assert received.font.size.pt == 12
    assert closing.cell(0, 0).paragraphs[1].runs[0].font.size.pt == 11
    assert [p.text for p in closing.cell(0, 1).paragraphs if p.text] == \
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Thanh Nhàn"]
    assert [c.text for c in document.tables[-1].rows[2].cells] == \
        ["2", "Chi hội Phụ nữ ấp Minh Cường", "1.490.000"]
    assert _fonts(document) == {"Times New Roman"}


def test_other_districts_decision_is_not_found(decided, client_as):
    decision, _ = decided
    for name in ("documents:decision_docx", "documents:certificates", "initiatives:decision"):
        resp = client_as("rachgia.vanthu").get(reverse(name, kwargs={"decision_id": decision.pk}))
        assert resp.status_code == 404, name


def test_a_decision_not_to_recognise_lists_them_and_prints_no_certificate(appraised,
                                                                          client_as):
    from dvk.initiatives import services

    regs = appraised(["Khéo vận động nhân dân nuôi cá lồng bè"])
    decision = services.decide(regs, scope=acting("dinhhoa.thuky"), recognized=False,
                               decision_number="126-QĐ/TCĐ", decision_date=dt.date(2026, 10, 12))
    c = client_as("dinhhoa.thuky")
    document = docx.Document(io.BytesIO(c.get(
        reverse("documents:decision_docx", kwargs={"decision_id": decision.pk})).content))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("về việc không công nhận") for t in texts)
    assert any(t.startswith("Điều 1. Không công nhận 1 mô hình") for t in texts)
    assert document.tables[-1].rows[1].cells[1].text == "Khéo vận động nhân dân nuôi cá lồng bè"
    resp = c.get(reverse("documents:certificates", kwargs={"decision_id": decision.pk}),
                 follow=True)
    assert "không có giấy chứng nhận để in" in resp.content.decode()
