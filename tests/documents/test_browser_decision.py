"""In a real browser: two models taken to appraisal, recognised together from the queue's
"Đã thẩm định" tab (score and conclusion shown, nothing chosen beforehand), then the
decision in Word and the certificates in one PDF downloaded and read back."""
import io
import shutil
import subprocess

import pytest

from tests.browser import (expect_text, fill_registration, follow, report_and_appraise,
                           screenshot)

pytestmark = pytest.mark.browser

TITLES = ["Khéo vận động bà con Rạch Tràm đan lục bình tăng thu nhập",
          "Khéo vận động bà con Rạch Tràm góp công bắc cầu tre thành cầu bê tông"]
# Appraised with the batch, left for the decision on its own page (the next test).
SINGLE = "Khéo vận động bà con Rạch Tràm nạo vét kênh nội đồng"
SCORES = (("effectiveness", "9"), ("replicability", "8"), ("participation", "9"),
          ("creativity", "7"), ("difficulty", "8"))


def _appraised(page_as, live_app) -> list[str]:
    """Both models registered, accepted, reported, assigned and appraised (41 points)."""
    clerk, sec = page_as("dinhhoa.vanthu"), page_as("dinhhoa.thuky")
    appraiser = page_as("dinhhoa.thamdinh")
    details = []
    for title in [*TITLES, SINGLE]:
        fill_registration(clerk, live_app, "Hội Liên hiệp Phụ nữ xã Định Hòa", title,
                          [("Số hộ tham gia", "10", "60", "hộ")])
        follow(clerk, "button[name=submit]")
        details.append(clerk.url)
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=submitted"
                        "&q=rach+tram")
    for title in [*TITLES, SINGLE]:
        sec.check(f"input[name=ids][aria-label='{title}']")
    follow(sec, "button[value=accept]")
    for title, detail in zip([*TITLES, SINGLE], details):
        report_and_appraise(live_app, clerk, sec, appraiser, detail, title, result="75",
                            narrative="Vận động 75 hộ tham gia.", scores=SCORES)
        expect_text(appraiser, "Đã hoàn thành thẩm định")
    return details


def test_recognise_a_batch_and_download_its_documents(page_as, live_app, tmp_path):
    details = _appraised(page_as, live_app)
    sec = page_as("dinhhoa.thuky")
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=appraised"
                        "&q=rach+tram")
    queue = sec.inner_text("#queue")
    assert "Điểm thẩm định" in queue and "Kết luận của tổ thẩm định" in queue
    assert queue.count("41/50") == 3 and queue.count("Đề nghị công nhận") == 3
    # Nothing is chosen beforehand: no model ticked, no outcome.
    assert sec.locator("input[name=ids]:checked").count() == 0
    assert sec.locator("input[name=recognized]:checked").count() == 0
    for title in TITLES:
        sec.check(f"input[name=ids][aria-label='{title}']")
    sec.fill("input[name=decision_number]", "52-QĐ/TCĐ")
    sec.fill("input[name=decision_date]", "2026-10-12")
    sec.fill("input[name=signer]", "Lê Văn Bình")
    sec.check("input[name=recognized][value='1']")
    screenshot(sec, "decision-01-queue")
    follow(sec, "button[value=decide]")
    expect_text(sec, "Đã ghi nhận Quyết định số 52-QĐ/TCĐ cho 2 hồ sơ")
    expect_text(sec, "Quyết định số 52-QĐ/TCĐ ngày 12/10/2026")
    screenshot(sec, "decision-02-page")

    with sec.expect_download() as got:
        sec.click("text=Quyết định và danh sách kèm theo (Word)")
    word = tmp_path / "quyet-dinh.docx"
    got.value.save_as(word)
    import docx

    document = docx.Document(word)
    listed = [row.cells[1].text for row in document.tables[-1].rows[1:]]
    assert sorted(listed) == sorted(TITLES)
    assert document.tables[0].cell(1, 0).text == "Số 52-QĐ/TCĐ"

    if shutil.which("soffice"):
        with sec.expect_download(timeout=120000) as got:
            sec.click("text=Giấy chứng nhận (PDF, 2 trang)", timeout=120000)
        pdf = tmp_path / "giay-chung-nhan.pdf"
        got.value.save_as(pdf)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "Pages:           2" in info
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True).stdout.split())
        for title in TITLES:
            assert title in text

    # The registration page links the decision and its documents.
    sec.goto(details[0])
    expect_text(sec, "52-QĐ/TCĐ")
    assert sec.locator("a:has-text('Giấy chứng nhận (PDF)')").count() == 1


def test_decide_one_from_the_registration_page(page_as, live_app):
    """The secretariat decides the model left appraised by the batch, on its own page."""
    sec = page_as("dinhhoa.thuky")
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=appraised"
                        "&q=nao+vet+kenh")
    links = sec.locator(f"#queue a:has-text('{SINGLE}')")
    if links.count() == 0:
        pytest.skip("runs after the batch journey, which leaves this model appraised")
    follow(sec, links.first)
    expect_text(sec, "41")
    form = sec.locator("#decide-form")
    assert form.locator("input[name=recognized]:checked").count() == 0
    form.locator("input[name=decision_number]").fill("53-QĐ/TCĐ")
    form.locator("input[name=decision_date]").fill("2026-10-13")
    form.locator("input[name=recognized][value='0']").check()
    screenshot(sec, "decision-03-registration")
    follow(sec, "#decide-form button.primary")
    expect_text(sec, "Đã ghi quyết định không công nhận.")
    assert sec.locator(".subtitle .badge-not_recognized").count() == 1
