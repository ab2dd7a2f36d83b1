"""The main pages in a real browser, in Vietnamese, with screenshots to look at."""
import pytest

from tests.browser import follow, screenshot

pytestmark = pytest.mark.browser


def test_home_secretariat(page_as):
    page = page_as("tinh.thuky")
    assert page.locator("h1").inner_text() == "Trang chủ"
    assert page.locator(".brand").inner_text().startswith("★")
    assert "Dân vận khéo" in page.locator(".brand").inner_text()
    assert page.locator("#queue .kpi").count() >= 9
    assert page.get_by_role("link", name="Cây tổ chức").first.is_visible()
    screenshot(page, "web-home-secretariat")


def test_tree_expand_and_search(page_as, live_app):
    # A district account: the reform retired its whole tree, which it still reads.
    page = page_as("gq.thuky")
    page.goto(live_app + "/don-vi/")
    assert page.locator("h1").inner_text() == "Cây tổ chức"
    # Expanding a commune loads its children with htmx.
    page.locator("summary:has(a[href='/don-vi/KG-GQ-02/'])").click(position={"x": 5, "y": 8})
    page.get_by_text("Hội Nông dân xã Định Hòa").first.wait_for()
    screenshot(page, "web-tree-expanded")
    page.fill("input[name=q]", "hoi nong dan")
    follow(page, "form.filters button.primary")
    results = page.locator("#search-results")
    assert "Hội Nông dân xã Định Hòa" in results.inner_text()
    assert "Huyện Gò Quao › Xã Định Hòa" in results.inner_text()
    screenshot(page, "web-tree-search")


def test_committee_detail(page_as, live_app):
    page = page_as("gq.thuky")
    page.goto(live_app + "/giai-doan/ban-chi-dao/?phase=2021-2025")
    follow(page, page.get_by_role("link", name="Ban Chỉ đạo Phong trào thi đua “Dân vận khéo” Huyện Gò Quao (2021-2025)"))
    assert page.get_by_text("Quyết định thành lập").first.is_visible()
    assert page.locator("#members table").get_by_text("Phó Trưởng ban Thường trực").is_visible()
    assert page.get_by_text("Tổ thẩm định số 1 – Huyện Gò Quao").is_visible()
    screenshot(page, "web-committee-detail")


def test_unit_and_phase_pages_on_a_phone(page_as, live_app):
    page = page_as("gq.thuky")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app + "/don-vi/KG-GQ/")
    assert page.locator("h1").inner_text().startswith("Huyện Gò Quao")
    assert page.get_by_text("Đơn vị trực thuộc").first.is_visible()
    # Nothing wider than the screen except scrollable tables.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.card')].filter(c => c.scrollWidth > c.clientWidth + 1)"
        ".map(c => c.id)")
    assert overflowing == []
    screenshot(page, "web-unit-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_app + "/giai-doan/2021-2025/")
    assert page.get_by_text("Lịch hằng năm").is_visible()
    screenshot(page, "web-phase-detail")


CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));"""


def test_pages_work_under_the_content_security_policy(page_as, live_app):
    """Nothing the pages need is blocked: htmx, charts, the progress bars, the API docs."""
    page = page_as("tinh.lanhdao")
    page.add_init_script(CSP_WATCH)
    seen = {}

    def visit(path, ready):
        page.goto(live_app + path)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate("window.__csp")

    visit("/?phase=2016-2020", "#figures progress.progress")
    screenshot(page, "web-home-leader")
    visit("/bao-cao/tong-quan/?phase=2016-2020", "canvas[data-rendered='1']")
    assert page.locator("canvas[data-rendered='1']").count() == 5
    visit("/don-vi/", "ul.tree")
    page.locator("summary:has(a[href='/don-vi/AGN-GQ-01/'])").click(position={"x": 5, "y": 8})
    page.get_by_text("Hội Nông dân xã Định Hòa").first.wait_for()  # loaded by htmx
    seen["tree (htmx)"] = page.evaluate("window.__csp")
    visit("/api/v1/docs", ".swagger-ui .info .title")
    assert "DVK API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 3
    screenshot(page, "api-docs")
    visit("/don-vi/KHONG-CO/", "#error-page")
    screenshot(page, "error-404")
    assert {path: v for path, v in seen.items() if v} == {}
