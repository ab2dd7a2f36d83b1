"""In a real browser, from a recognised model to the award documents in hand: a model of
Xã Định Hòa recognised on its page, proposed for a giấy khen (the proposal's tờ trình in
Word), the Party committee's decision recorded, then the decision in Word and PDF and the
recognition decision's certificates in PDF downloaded and read back."""
import shutil
import subprocess

import docx
import pytest

from tests.browser import fill_registration, follow, report_and_appraise, screenshot
from tests.documents.test_browser_decision import SCORES

pytestmark = pytest.mark.browser

TITLE = "Khéo vận động bà con Kênh Xáng trồng cây xanh ven lộ"


def _recognised(page_as, live_app) -> str:
    """Registered, accepted, reported, appraised and recognised (54-QĐ/TCĐ); its page."""
    clerk, sec = page_as("dinhhoa.vanthu"), page_as("dinhhoa.thuky")
    appraiser = page_as("dinhhoa.thamdinh")
    fill_registration(clerk, live_app, "Hội Liên hiệp Phụ nữ xã Định Hòa", TITLE,
                      [("Số cây xanh", "0", "500", "cây")])
    follow(clerk, "button[name=submit]")
    detail = clerk.url
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=submitted"
                        "&q=kenh+xang")
    sec.check(f"input[name=ids][aria-label='{TITLE}']")
    follow(sec, "button[value=accept]")
    report_and_appraise(live_app, clerk, sec, appraiser, detail, TITLE, result="620",
                        narrative="Trồng 620 cây xanh ven lộ.", scores=SCORES)
    sec.goto(detail)
    form = sec.locator("#decide-form")
    form.locator("input[name=decision_number]").fill("54-QĐ/TCĐ")
    form.locator("input[name=decision_date]").fill("2026-10-12")
    form.locator("input[name=recognized][value='1']").check()
    follow(sec, "#decide-form button.primary")
    return detail


def test_from_a_recognised_model_to_the_award_documents(page_as, live_app, tmp_path):
    detail = _recognised(page_as, live_app)
    sec = page_as("dinhhoa.thuky")

    # The proposal: the recognised model, with its score, for a giấy khen.
    sec.goto(live_app + "/khen-thuong/de-nghi/")
    follow(sec, "#new-proposal")
    sec.select_option("select[name=phase]", "2026-2030")
    sec.fill("input[name=year]", "2026")
    sec.select_option("select[name=occasion]", "commemoration")
    sec.select_option("select[name=authority]", "party_committee")
    sec.fill("input[name=addressed_to]", "Ban Thường vụ Đảng ủy xã Định Hòa")
    sec.fill("input[name=number]", "07-TTr/TCĐ")
    sec.fill("input[name=date]", "2026-10-13")
    follow(sec, "#proposal-form button.primary")
    row = sec.locator("#candidate-models tbody tr", has_text=TITLE)
    assert "41/50" in row.inner_text()
    row.locator("input[type=checkbox]").check()
    sec.select_option("#add-models select[name=kind]", label="Giấy khen")
    sec.fill("#add-models input[name=amount]", "500000")
    reason = sec.locator("#add-models [name=exceptional_reason]")
    if reason.count():  # registered late in the demo's year: an exceptional award says why
        reason.fill("Mô hình tiêu biểu, khen thưởng đột xuất.")
    follow(sec, "#add-selected")
    assert TITLE in sec.inner_text("#proposal-items")
    with sec.expect_download() as got:
        sec.click("#proposal-docx")
    proposal = docx.Document(got.value.path())
    assert proposal.tables[0].cell(1, 0).text == "Số 07-TTr/TCĐ"
    assert any(TITLE in r.cells[1].text for r in proposal.tables[-1].rows[1:])
    follow(sec, "#send-proposal")

    # The Party committee's decision, recorded from the proposal.
    follow(sec, "#record-decision")
    sec.fill("input[name=number]", "31-QĐ/ĐU")
    sec.fill("input[name=date]", "2026-10-15")
    sec.fill("input[name=signer]", "Phạm Văn Bình")
    sec.fill("input[name=stated_total]", "500000")
    follow(sec, "#save-decision")
    assert sec.inner_text("h1") == "Quyết định khen thưởng số 31-QĐ/ĐU"
    sec.locator("#decision-documents").scroll_into_view_if_needed()
    screenshot(sec, "awards-decision-documents")

    with sec.expect_download() as got:
        sec.click("#award-decision-docx")
    word = tmp_path / "quyet-dinh-khen-thuong.docx"
    got.value.save_as(word)
    document = docx.Document(word)
    header = document.tables[0]
    assert header.cell(0, 0).paragraphs[1].text == "ĐẢNG ỦY XÃ ĐỊNH HÒA"
    assert header.cell(1, 0).text == "Số 31-QĐ/ĐU"
    assert header.cell(1, 1).text == "Định Hòa, ngày 15 tháng 10 năm 2026"
    rows = document.tables[-1].rows[1:]
    assert len(rows) == 1 and TITLE in rows[0].cells[1].text and rows[0].cells[4].text == \
        "500.000"

    if shutil.which("soffice"):
        with sec.expect_download(timeout=120000) as got:
            sec.click("#award-decision-pdf")
        pdf = tmp_path / "quyet-dinh-khen-thuong.pdf"
        got.value.save_as(pdf)
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True).stdout.split())
        assert "Số 31-QĐ/ĐU" in text and "500.000" in text
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                        str(tmp_path / "page")], check=True)
        from tests.browser import SCREENSHOTS
        for png in sorted(tmp_path.glob("page*.png")):
            shutil.copy(png, f"{SCREENSHOTS}/awards-decision-pdf-{png.stem[-1]}.png")

        # The recognition decision's certificates, from the model's page.
        sec.goto(detail)
        with sec.expect_download(timeout=120000) as got:
            sec.click("a:has-text('Giấy chứng nhận (PDF)')")
        certs = tmp_path / "giay-chung-nhan.pdf"
        got.value.save_as(certs)
        text = " ".join(subprocess.run(["pdftotext", str(certs), "-"], capture_output=True,
                                       text=True).stdout.split())
        assert TITLE in text

    # The award shows on the model's page.
    sec.goto(detail)
    history = sec.inner_text("#award-history")
    assert "Giấy khen" in history and "31-QĐ/ĐU" in history
