"""The public gallery in a browser: a clerk attaches a photo to a recognised model, the
commune's secretariat publishes it, and an anonymous visitor finds the model, its page, its
photo and its Open Graph tags — on a desktop screen and on a 390 px phone."""
import struct
import zlib

import pytest
from tests.browser import follow, screenshot

pytestmark = pytest.mark.browser


def _png(path, width=640, height=360):
    """A real PNG (a warm gradient with a lighter band), written without an image library."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            band = 40 if abs(y - height * 0.62 + (x - width / 2) * 0.15) < 30 else 0
            row += bytes((min(255, 170 + x * 80 // width + band), 60 + y * 120 // height + band,
                          50 + band))
        rows.append(bytes(row))
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))
    return str(path)


def _anonymous(chromium, width=1366, height=900):
    ctx = chromium.new_context(locale="vi-VN", viewport={"width": width, "height": height},
                               extra_http_headers={"Accept-Language": "vi"})
    page = ctx.new_page()
    page.set_default_timeout(15000)
    return ctx, page


def test_a_published_photo_reaches_the_public_gallery(page_as, chromium, live_app, tmp_path):
    # The clerk attaches a photo to one of the commune's recognised models.
    clerk = page_as("dinhhoa.vanthu")
    clerk.goto(live_app + "/mo-hinh/?state=recognized")
    link = clerk.locator("#registrations tbody a").first
    title = link.inner_text().strip()
    follow(clerk, link)
    clerk.set_input_files("#attachments input[type=file]",
                          _png(tmp_path / "ra-quan-lam-duong.png"))
    follow(clerk, "#attachments button")
    assert "ra-quan-lam-duong.png" in clerk.inner_text("#attachments")

    # The commune's secretariat publishes it.
    secretariat = page_as("dinhhoa.thuky")
    secretariat.goto(live_app + "/mo-hinh-tieu-bieu/quan-ly-anh/")
    row = secretariat.locator("tr", has_text=title).first
    assert "Chưa đưa lên" in row.inner_text()
    follow(secretariat, row.locator("button"))
    assert "Đã đưa lên" in secretariat.locator("tr", has_text=title).first.inner_text()
    screenshot(secretariat, "gallery-03-publish-photos")

    # Anyone, signed out, finds it with an accent-free search.
    ctx, page = _anonymous(chromium)
    try:
        page.goto(live_app + "/mo-hinh-tieu-bieu/")
        assert "Mô hình tiêu biểu" in page.inner_text("h1")
        assert page.locator("nav.mainnav").count() == 0
        screenshot(page, "gallery-01-index")
        from dvk.common.text import fold

        words = [w for w in fold(title).split() if w.isalpha()]
        page.fill("input[name=q]", " ".join(words[-4:]))
        follow(page, ".gallery-filters button")
        card = page.locator(".model-card", has_text=title).first
        assert card.locator("img.cover").count() == 1
        screenshot(page, "gallery-01b-search")
        follow(page, card.locator("a.model-link"))
        assert page.inner_text("h1").strip() == title
        og = page.eval_on_selector_all(
            "meta[property^='og:']", "els => Object.fromEntries(els.map(e => "
                                     "[e.getAttribute('property'), e.content]))")
        assert og["og:title"] == title and "/mo-hinh-tieu-bieu/anh/" in og["og:image"]
        loaded = page.eval_on_selector("#photos img", "img => img.complete && img.naturalWidth")
        assert loaded == 640
        screenshot(page, "gallery-02-model")
    finally:
        ctx.close()

    # On a phone: nothing scrolls sideways.
    ctx, phone = _anonymous(chromium, width=390, height=844)
    try:
        for path, name in (("/mo-hinh-tieu-bieu/", "gallery-phone-01-index"),
                           (og["og:url"].split(live_app, 1)[-1], "gallery-phone-02-model"),
                           ("/huong-dan/clerk/", "help-phone-clerk")):
            phone.goto(live_app + path)
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, (path, width)
            screenshot(phone, name)
    finally:
        ctx.close()


def test_help_is_one_click_away_for_every_role(page_as, live_app):
    for who, role in (("dinhhoa.vanthu", "Văn thư đơn vị"), ("gq.thamdinh",
                                                            "Thành viên tổ thẩm định")):
        page = page_as(who)
        follow(page, "header a.help-link")
        marked = page.locator(".help-roles li", has_text="vai trò của bạn").inner_text()
        assert role in marked
        follow(page, page.locator(".help-roles a", has_text=role))
        assert page.inner_text("h1").strip() == role
        screenshot(page, f"help-{who}")
