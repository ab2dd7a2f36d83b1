"""Directives downward in a real browser (the demo after the reform): Xã Định Hòa's
secretariat acknowledges the province's plan 02-KH/BCĐ and files its implementing plan; the
province follows the counts to who has not; members are assigned their areas; the commune's
list fits a phone."""
import pytest

from tests.browser import expect_text, follow, screenshot, select_containing
from tests.web.test_browser_phone import PHONE, fits

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_plan_goes_down_is_acknowledged_implemented_and_followed(page_as, live_app):
    commune = page_as("dinhhoa.thuky")
    follow(commune, commune.get_by_role("link", name="Văn bản chỉ đạo"))
    row = commune.locator("#received-list tr", has_text="02-KH/BCĐ")
    assert "Chưa xác nhận" in row.inner_text()
    screenshot(commune, "directives-01-received")
    follow(commune, row.get_by_role("link", name="02-KH/BCĐ"))
    follow(commune, "#acknowledge")
    expect_text(commune, "Đã xác nhận nhận văn bản số 02-KH/BCĐ")
    follow(commune, "#respond")
    commune.fill("input[name=number]", "07-KH/ĐU")
    commune.fill("input[name=issued_on]", "04/05/2026")
    commune.fill("input[name=signer]", "Phó Bí thư Thường trực Đảng ủy xã")
    commune.fill("textarea[name=title]", "Kế hoạch thực hiện Kế hoạch số 02-KH/BCĐ tại xã")
    commune.set_input_files("input[name=file]", files=[
        {"name": "ke-hoach-07.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    follow(commune, "button.primary[type=submit]")
    expect_text(commune, "Đã ban hành và gửi văn bản số 07-KH/ĐU")
    expect_text(commune, "Thực hiện văn bản")
    screenshot(commune, "directives-02-implementing-plan")

    province = page_as("tinh.thuky")
    province.goto(live_app + "/van-ban-chi-dao/")
    plan = province.locator("#issued-list tr", has_text="02-KH/BCĐ")
    follow(province, plan.locator("td").nth(4).get_by_role("link"))  # "not acknowledged"
    names = province.inner_text("#follows")
    assert "Định Hòa" not in names and "Chưa xác nhận" in names
    screenshot(province, "directives-03-who-has-not")
    follow(province, "#missing-plan")
    assert "Định Hòa" not in province.inner_text("#follows")
    follow(province, "#missing-ack")

    # The committee page: assign the chair the first two communes to follow.
    province.goto(live_app + "/van-ban-chi-dao/")
    follow(province, province.get_by_role("link", name="Phân công thành viên phụ trách địa bàn"))
    select_containing(province, "select[name=member]", "Nguyễn Văn Lãnh")
    options = province.locator("select[name=units] option")
    chosen = [options.nth(0).inner_text().strip(), options.nth(1).inner_text().strip()]
    province.select_option("select[name=units]", label=chosen)
    follow(province, "#assign button.primary")
    assert all(name in province.inner_text("#areas") for name in chosen)
    screenshot(province, "directives-04-areas")

    phone = page_as("dinhhoa.thuky")
    phone.set_viewport_size(PHONE)
    phone.goto(live_app + "/van-ban-chi-dao/")
    fits(phone, "phone-directives-received")
