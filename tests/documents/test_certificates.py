"""Certificates: one page per recognised model, ONE PDF per decision, Vietnamese intact
(printed by LibreOffice headless, read back with poppler's pdfinfo/pdftotext)."""
import os
import shutil
import subprocess
import tempfile
import unicodedata

import pytest
from django.urls import reverse
from tests.acting import acting
from tests.browser import SCREENSHOTS

from dvk.documents import pdf as pdf_module

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                                 reason="needs LibreOffice and poppler-utils")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def read_pdf(content: bytes) -> tuple[int, str, str]:
    """(pages, text, path of a copy) of a PDF."""
    fd, path = tempfile.mkstemp(suffix=".pdf")
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout
    return pages, text, path


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def render_png(path: str, name: str) -> str:
    """Page 1 as PNG under test-artifacts/screenshots/ (looked at, and in the README)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    stem = os.path.join(SCREENSHOTS, name)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path,
                    stem], check=True)
    return stem + ".png"


def test_one_pdf_one_page_per_recognised_model(decided, client_as):
    decision, regs = decided
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:certificates", kwargs={"decision_id": decision.pk}))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert 'filename="giay-chung-nhan-125-qd-tcd.pdf"' in resp["Content-Disposition"]
    pages, text, path = read_pdf(resp.content)
    assert pages == len(regs) == 3
    words = flat(text)
    assert words.count("GIẤY CHỨNG NHẬN") == 3
    for reg in regs:  # the names with their stacked diacritics, glyph for glyph
        assert flat(reg.initiative.title) in words
        assert f"Số: {reg.certificate_number}" in words
    assert "Đạt tiêu chí “Dân vận khéo” cấp cơ sở năm 2026" in words
    assert "(Theo Quyết định số 125-QĐ/TCĐ ngày 12/10/2026)" in words
    assert "Định Hòa, ngày 12 tháng 10 năm 2026" in words
    render_png(path, "certificate-page-1")


def test_each_page_holds_its_own_model(decided, client_as):
    decision, regs = decided
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:certificates", kwargs={"decision_id": decision.pk}))
    _, text, _ = read_pdf(resp.content)
    pages = text.split("\f")
    by_number = sorted(regs, key=lambda r: r.certificate_number)
    for page, reg in zip(pages, by_number):
        assert flat(reg.initiative.title) in flat(page)
        assert reg.certificate_number in page


def test_a_long_title_still_fits_one_page(appraised, client_as):
    import datetime as dt

    from dvk.initiatives import services

    long_title = ("Khéo vận động người dân, doanh nghiệp và các tổ chức tôn giáo trên địa bàn "
                  "cùng chung tay hiến đất, góp tiền, góp ngày công xây dựng đường giao thông "
                  "nông thôn, cầu dân sinh, hệ thống đèn chiếu sáng và camera an ninh ở các ấp "
                  "vùng sâu, vùng xa của xã, bảo đảm trật tự an toàn giao thông và phát triển "
                  "kinh tế - xã hội bền vững")
    regs = appraised([long_title, "Khéo vận động nhân dân giữ gìn vệ sinh môi trường"])
    decision = services.decide(regs, scope=acting("dinhhoa.thuky"), recognized=True,
                               decision_number="7-QĐ/TCĐ", decision_date=dt.date(2026, 10, 3))
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:certificates", kwargs={"decision_id": decision.pk}))
    pages, text, _ = read_pdf(resp.content)
    assert pages == 2
    assert flat(long_title) in flat(text)
    assert "ngày 03 tháng 10 năm 2026" in flat(text)


def test_a_big_decision_prints_in_the_background_with_progress(decided, client_as, settings,
                                                               monkeypatch):
    from dvk.common.models import BackgroundJob
    from dvk.documents import certificates

    settings.TASKS = IMMEDIATE
    settings.DVK_CERTIFICATES_SYNC_LIMIT = 2
    monkeypatch.setattr(certificates, "CHUNK", 2)  # two LibreOffice runs, joined by pdfunite
    decision, regs = decided
    c = client_as("dinhhoa.thuky")
    resp = c.get(reverse("documents:certificates", kwargs={"decision_id": decision.pk}))
    assert resp.status_code == 302 and "/bao-cao/cong-viec/" in resp["Location"]
    job = BackgroundJob.objects.get(kind="certificates")
    assert job.status == BackgroundJob.Status.DONE, job.message
    assert (job.done, job.total) == (3, 3)
    page = c.get(resp["Location"])
    assert "Giấy chứng nhận" in page.content.decode() or "125-QĐ/TCĐ" in page.content.decode()
    download = c.get(reverse("reports:job_download", kwargs={"job_id": job.pk}))
    pages, text, _ = read_pdf(b"".join(download.streaming_content))
    assert pages == 3
    for reg in regs:
        assert flat(reg.initiative.title) in flat(text)


def test_without_libreoffice_the_page_says_so_in_vietnamese(decided, client_as, settings):
    settings.DVK_SOFFICE = "/nonexistent/soffice"
    decision, _ = decided
    resp = client_as("dinhhoa.thuky").get(
        reverse("documents:certificates", kwargs={"decision_id": decision.pk}), follow=True)
    assert resp.redirect_chain[-1][0] == reverse("initiatives:decision",
                                                 kwargs={"decision_id": decision.pk})
    assert pdf_module.MISSING in resp.content.decode()
    assert "Máy chủ chưa cài LibreOffice" in pdf_module.MISSING


def test_concurrent_conversions_do_not_collide(decided):
    """Two printings at once, each with its own LibreOffice profile: both succeed."""
    from concurrent.futures import ThreadPoolExecutor

    from dvk.documents.certificates import certificates_docx
    from dvk.documents.decisions import papers_for

    decision, _ = decided
    content = certificates_docx(papers_for(acting("dinhhoa.thuky"), decision))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: pdf_module.docx_to_pdf(content, pages=3), range(2)))
    assert all(read_pdf(r)[0] == 3 for r in results)
