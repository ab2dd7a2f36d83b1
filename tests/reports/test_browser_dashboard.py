"""The dashboard in a real browser: charts, drill-down, and an export job reaching done."""
import re

import pytest

from tests.browser import follow, screenshot

pytestmark = pytest.mark.browser


def test_dashboard_charts_drill_down_and_export_job(page_as, live_app):
    page = page_as("tinh.lanhdao")
    page.goto(live_app + "/bao-cao/tong-quan/?phase=2016-2020")
    page.wait_for_selector("canvas[data-rendered='1']")
    assert page.locator("canvas[data-rendered='1']").count() == 5
    assert page.locator("h1").inner_text() == "Tổng quan"
    tiles = page.locator("#kpis .kpi .rate").all_inner_texts()
    assert tiles and all(re.fullmatch(r"\d{1,3}(,\d)?%", t) for t in tiles), tiles
    assert "Chưa xác định" not in page.locator("#table-unit").inner_text()
    # Every unit is named on its chart, and no table is clipped on a 1366 px screen.
    ticks, units = page.evaluate("""() => [
        Chart.getChart(document.getElementById('chart-unit')).scales.y.ticks.length,
        document.querySelectorAll('#table-unit tbody tr').length]""")
    assert ticks == units > 20, (ticks, units)
    for table in ("#table-field", "#table-sector", "#table-unit", "#table-levels"):
        clipped = page.evaluate(f"""() => {{ const t = document.querySelector('{table}');
            return t.scrollWidth - t.parentElement.clientWidth; }}""")
        assert clipped <= 1, (table, clipped)
    screenshot(page, "dashboard")

    # Drill down from the field table to the registrations list.
    link = page.locator("#table-field a.drill").first
    expected = link.inner_text()
    follow(page, link)
    assert "/mo-hinh/" in page.url and "field=" in page.url and "phase=2016-2020" in page.url
    assert expected.replace(".", "") in page.content().replace(".", "")
    screenshot(page, "dashboard-drilldown")

    # The documented async export: a progress page that reaches 100% with a download link.
    page.goto(live_app + "/bao-cao/xuat/dang-ky/?phase=2016-2020&format=xlsx&async=1")
    page.wait_for_selector("#job-progress[data-status='done']", timeout=30000)
    assert page.locator("#job-progress .percent").inner_text() == "100%"
    with page.expect_download() as dl:
        page.click("#job-download")
    assert dl.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "dashboard-export-job")


def test_dashboard_2026_shows_the_missing_committee(page_as, live_app):
    page = page_as("tinh.thuky")
    page.goto(live_app + "/bao-cao/tong-quan/?phase=2026-2030")
    problem = page.locator("#problem-no_committee")
    assert "Xã Lại Sơn" in problem.inner_text()  # a commune formed on 01/07/2025
    assert problem.get_attribute("open") is not None
    screenshot(page, "dashboard-problems")
