"""In a real browser: three quick clicks on "Đăng ký và gửi" make one registration."""
import pytest

from tests.browser import fill_registration

pytestmark = pytest.mark.browser

TITLE = "Khéo vận động hội viên nông dân góp vốn xoay vòng nuôi bò"


def test_three_quick_clicks_make_one_registration(page_as, live_app):
    clerk = page_as("dinhhoa.vanthu")
    fill_registration(clerk, live_app, "Hội Nông dân xã Định Hòa", TITLE,
                      [("Số hộ được hỗ trợ", "0", "12", "hộ")])
    button = clerk.locator("button[name=submit]")
    with clerk.expect_navigation():
        # three clicks in the same instant, as an impatient user on a slow line makes them
        button.evaluate("b => { b.click(); b.click(); b.click(); }")
    clerk.wait_for_load_state("networkidle")
    assert "/mo-hinh/ho-so/" in clerk.url
    # the list, searched by the title, holds the model once
    clerk.goto(live_app + "/mo-hinh/?q=gop+von+xoay+vong+nuoi+bo")
    assert clerk.locator(f"main tr:has-text('{TITLE}')").count() == 1
