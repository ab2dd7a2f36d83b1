"""Khóa API in a real browser: make a key, call the running server with it, revoke it."""
import json
import urllib.error
import urllib.request

import pytest

from tests.browser import follow, screenshot

pytestmark = pytest.mark.browser


def _call(url, key):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_make_use_and_revoke_an_api_key(page_as, live_app):
    page = page_as("gq.thuky")
    follow(page, page.get_by_role("link", name="Khóa API"))
    assert page.locator("h1").inner_text() == "Khóa API"
    page.fill("input[name=name]", "Số liệu hằng tháng")
    page.select_option("select[name=expires]", "90")
    follow(page, "#token-create button[type=submit]")
    key = page.locator("#token-value").inner_text().strip()
    assert key.startswith("dvk_") and len(key) > 40
    assert "chỉ hiển thị một lần" in page.inner_text("#new-token")
    screenshot(page, "api-keys")

    status, units = _call(live_app + "/api/v1/units?limit=1000", key)
    assert status == 200
    assert {u["code"] for u in units} >= {"KG-GQ", "KG-GQ-02"}
    assert all(u["code"].startswith("KG-GQ") for u in units)

    page.on("dialog", lambda dialog: dialog.accept())
    follow(page, "#tokens button.danger")
    assert "Đã thu hồi khóa API “Số liệu hằng tháng”" in page.inner_text("main")
    assert key[:8] not in page.inner_text("#tokens")
    status, body = _call(live_app + "/api/v1/units", key)
    assert status == 401 and body["code"] == "unauthenticated"
