"""Helpers shared by the browser tests.

Playwright's click() returns once a navigation has *started*; the old page can still
answer queries for a moment. Every click that loads a page goes through `follow`, which
waits for the new document, so an assertion never reads the page it just left.
"""
import os

SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts", "screenshots")


def follow(page, selector_or_locator, **click_options):
    """Click something that loads a new page (link or form submit) and wait for that page."""
    with page.expect_navigation():
        if isinstance(selector_or_locator, str):
            page.click(selector_or_locator, **click_options)
        else:
            selector_or_locator.click(**click_options)
    page.wait_for_load_state("networkidle")


def select_containing(page, selector, text):
    """Choose the option whose label contains `text`."""
    value = page.eval_on_selector(
        selector, "(el, t) => [...el.options].find(o => o.textContent.includes(t)).value", text)
    page.select_option(selector, value=value)


def expect_text(page, text):
    assert text in page.inner_text("main"), f"{text!r} not on {page.url}"


def fill_registration(page, live_app, organisation, title, targets, *, field_index=1,
                      subject="", description=""):
    """Open Mẫu 1 and fill a grassroots model of 2026; `targets` are
    (criterion, baseline, target, unit) tuples. The caller presses the button."""
    page.goto(live_app + "/mo-hinh/dang-ky/")
    select_containing(page, "select[name=unit]", organisation)
    page.fill("input[name=title]", title)
    if subject:
        page.fill("input[name=subject]", subject)
    page.select_option("select[name=field]", index=field_index)
    select_containing(page, "select[name=phase]", "2026–2030")
    # Only the current phase's own levels are offered (2026–2030 of the demo has two: no districts since the reform).
    levels = page.eval_on_selector("select[name=level]",
                                   "el => [...el.options].map(o => o.textContent.trim())")
    assert [name for name in levels if name.strip("-")] == ["Cơ sở", "Tỉnh"], levels
    select_containing(page, "select[name=level]", "Cơ sở")
    page.fill("input[name=year]", "2026")
    if description:
        page.fill("textarea[name=description]", description)
    for i, (criterion, baseline, target, unit) in enumerate(targets):
        page.fill(f"input[name=t-{i}-criterion]", criterion)
        if baseline:
            page.fill(f"input[name=t-{i}-baseline]", baseline)
        page.fill(f"input[name=t-{i}-target]", target)
        if unit:
            page.fill(f"input[name=t-{i}-unit_of_measure]", unit)


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/screenshots/NAME.png."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def report_and_appraise(live_app, clerk, sec, appraiser, detail, title, *, result, narrative,
                        scores):
    """An accepted Định Hòa file from its achievement report to a completed appraisal:
    the clerk reports `result` for the first target, the secretariat assigns the commune's
    team and appraiser, who scores it (`scores`: (field, value) pairs) and recommends it."""
    clerk.goto(detail)
    follow(clerk, "text=Báo cáo thành tích")
    clerk.locator("input[name^=result_]").nth(0).fill(result)
    clerk.fill("textarea[name=narrative]", narrative)
    clerk.fill("input[name=certifier_name]", "Nguyễn Văn Hùng")
    clerk.fill("input[name=certifier_position]", "Bí thư Đảng ủy xã Định Hòa")
    clerk.fill("input[name=certified_on]", "2026-10-02")
    follow(clerk, "text=Gửi báo cáo thành tích")
    sec.goto(detail)
    select_containing(sec, "select[name=team]", "Tổ thẩm định – Xã Định Hòa")
    select_containing(sec, "select[name=appraiser]", "(dinhhoa.thamdinh)")
    follow(sec, "#assign-form button.primary")
    appraiser.goto(live_app + "/mo-hinh/tham-dinh/")
    follow(appraiser, f"text={title}")
    for name, score in scores:
        appraiser.fill(f"input[name={name}]", score)
    appraiser.select_option("select[name=conclusion]", value="recommend")
    follow(appraiser, "button[name=complete]")
