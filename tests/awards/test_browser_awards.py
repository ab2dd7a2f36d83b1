"""The awards journey in a real browser, on today's map: the new Tỉnh An Giang's committee
proposes bằng khen for the models it recognised in 2026 to the provincial People's
Committee for the 15/10 commendation, records the decision, and the award shows on the
model's page, in the summary and on the dashboard."""
import json

import pytest

from tests.browser import follow, screenshot

pytestmark = pytest.mark.browser


def test_propose_decide_and_see_the_award_everywhere(page_as, live_app):
    page = page_as("tinh.thuky")
    year = 2026

    page.goto(live_app + "/khen-thuong/de-nghi/")
    follow(page, "#new-proposal")
    page.select_option("select[name=phase]", "2026-2030")
    page.fill("input[name=year]", str(year))
    page.select_option("select[name=occasion]", "commemoration")
    page.select_option("select[name=authority]", "peoples_committee")
    page.fill("input[name=addressed_to]", "Ủy ban nhân dân tỉnh An Giang")
    page.fill("input[name=number]", "15-TTr/BCĐ")
    page.fill("input[name=date]", f"{year}-10-13")
    screenshot(page, "awards-1-new-proposal")
    follow(page, "#proposal-form button.primary")

    # The recognised models of the level, with score and conclusion; nothing pre-selected.
    rows = page.locator("#candidate-models tbody tr:has(input:not([disabled]))")
    assert rows.count() >= 2, page.inner_text("main")
    assert page.locator("#candidate-models input:checked").count() == 0
    titles = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)]
    for i in range(2):
        rows.nth(i).locator("input[type=checkbox]").check()
    page.select_option("#add-models select[name=kind]", label="Bằng khen")
    page.fill("#add-models input[name=amount]", "1000000")
    follow(page, "#add-selected")
    items = page.inner_text("#proposal-items")
    assert all(t in items for t in titles)
    assert "2.000.000 đồng" in page.inner_text("#proposed-total")
    screenshot(page, "awards-2-proposal")

    follow(page, "#send-proposal")
    assert "Đã gửi đề nghị tới Ủy ban nhân dân tỉnh An Giang" in page.inner_text("main")
    follow(page, "#record-decision")
    page.fill("input[name=number]", "120/QĐ-UBND")
    page.fill("input[name=date]", f"{year}-10-14")
    page.fill("input[name=signer]", "Phó Chủ tịch Nguyễn Văn Ký")
    page.fill("input[name=stated_total]", "2000000")
    screenshot(page, "awards-3-decision-form")
    follow(page, "#save-decision")
    assert page.inner_text("h1") == "Quyết định khen thưởng số 120/QĐ-UBND"
    assert page.inner_text("#decision-total") == "2.000.000 đồng"
    assert f"14/10/{year}" in page.inner_text("#decision-facts")
    screenshot(page, "awards-4-decision")

    # The model's page shows the award.
    follow(page, page.locator(".awards-table a", has_text=titles[0]).first)
    history = page.inner_text("#award-history")
    assert "Bằng khen" in history and "120/QĐ-UBND" in history and "15/10" in history
    screenshot(page, "awards-5-model-page")

    # The summary and the dashboard count it.
    summary = json.loads(page.request.get(
        f"{live_app}/api/v1/summary?phase=2026-2030&year={year}").text())
    assert {"level": "Tỉnh", "kind": "Bằng khen", "occasion": "Biểu dương 15/10", "count": 2} in \
        summary["awards_by_occasion"]
    assert summary["award_money"]["total"] >= 2_000_000
    page.goto(f"{live_app}/bao-cao/tong-quan/?phase=2026-2030&year={year}")
    occasions = page.inner_text("#table-award-occasions")
    assert "15/10" in occasions and "2.000.000" in occasions
    assert "2.000.000 đồng" in page.inner_text("#award-money")
    page.locator("#awards").scroll_into_view_if_needed()
    screenshot(page, "awards-6-dashboard")
