"""The assembled annual report in the browser (the demo after the 2025 reform: communes
report straight to the province): a commune sends, the province opens its own report built
from what arrived, on a desktop and on a 390 px phone (tables become cards)."""
import pytest

from tests.browser import expect_text, follow, screenshot
from tests.web.test_browser_phone import PHONE, fits

pytestmark = pytest.mark.browser


def test_the_province_reads_its_report_assembled_from_what_arrived(page_as, live_app):
    commune = page_as("dinhhoa.thuky")
    commune.goto(live_app + "/bao-cao-nam/?phase=2026-2030&year=2026")
    if commune.locator("form[action='/bao-cao-nam/gui/'] button.primary").count():
        commune.once("dialog", lambda d: d.accept())
        commune.fill("textarea[name=note]", "Báo cáo kết quả năm 2026 của xã Định Hòa.")
        follow(commune, "form[action='/bao-cao-nam/gui/'] button.primary")

    province = page_as("tinh.thuky")
    province.goto(live_app + "/bao-cao-nam/?phase=2026-2030&year=2026")
    follow(province, "#assembled-link")
    expect_text(province, "Báo cáo năm 2026 tổng hợp từ các đơn vị cấp dưới")
    assert province.locator("#arrived tbody tr", has_text="Xã Định Hòa").count() == 1
    assert province.locator("#not-sent tbody tr", has_text="Chưa gửi").count() >= 1
    screenshot(province, "annual-assembled-desktop")
    province.set_viewport_size(PHONE)
    fits(province, "annual-assembled-phone")
