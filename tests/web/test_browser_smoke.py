import pytest

from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def test_login_and_home(page_as):
    page = page_as("tinh.thuky")
    assert "Đăng nhập" not in page.title()
    screenshot(page, "smoke-home")
