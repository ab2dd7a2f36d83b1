"""Phone-sized screens (390 px): the clerk's and the appraiser's journeys, and the
secretariat's queue, without sideways scrolling — tables become cards (app.css, .cards)."""
import pytest

from tests.browser import expect_text, fill_registration, follow, screenshot, select_containing

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TITLE = "Khéo vận động nông dân góp ngày công nạo vét kênh nội đồng"

# Visible elements of the page's content that end beyond the screen's right edge (the
# headings of a card table are kept for screen readers, clipped to 1 px: not counted).
STICKING_OUT = """() => [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.right > window.innerWidth + 0.5 && !e.closest('thead')
      && !e.closest('.mainnav-inner');  // the menu scrolls within its own bar
  }).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(
    e.getBoundingClientRect().right))"""


def fits(page, name):
    """No sideways scrolling on this page; saves its screenshot."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    out = page.evaluate(STICKING_OUT)
    assert width <= 390, (page.url, width, out)
    assert out == [], page.url
    screenshot(page, name)


def phone(page_as, who):
    page = page_as(who)
    page.set_viewport_size(PHONE)
    return page


def test_clerk_and_appraiser_journeys_fit_a_phone(page_as, live_app):
    # The clerk: home, their registrations, one page of an old file, the form, the help.
    clerk = phone(page_as, "dinhhoa.vanthu")
    fits(clerk, "phone-clerk-01-home")
    clerk.goto(live_app + "/mo-hinh/?phase=2016-2020")
    assert clerk.locator("#registrations tbody tr").count() > 1
    fits(clerk, "phone-clerk-02-registrations")
    fill_registration(clerk, live_app, "Hội Nông dân", TITLE,
                      [("Số mét kênh được nạo vét", "0", "1200", "m"),
                       ("Số hộ góp ngày công", "20", "90", "hộ")])
    fits(clerk, "phone-clerk-03-register")
    follow(clerk, "button[name=submit]")
    expect_text(clerk, "Đã gửi đăng ký đến Ban Chỉ đạo")
    detail = clerk.url
    fits(clerk, "phone-clerk-04-registration")

    # The commune's secretariat accepts it from the queue, on a phone too.
    sec = phone(page_as, "dinhhoa.thuky")
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=submitted&q=nao+vet")
    expect_text(sec, TITLE)
    fits(sec, "phone-secretariat-01-queue")
    sec.check(f"input[name=ids][aria-label='{TITLE}']")
    follow(sec, "button[value=accept]")
    expect_text(sec, "1 hồ sơ đã được tiếp nhận")

    # The clerk reports the achievements: a result field in every target's card.
    clerk.goto(detail)
    follow(clerk, "text=Báo cáo thành tích")
    fits(clerk, "phone-clerk-05-report")
    inputs = clerk.locator("input[name^=result_]")
    inputs.nth(0).fill("1350")
    inputs.nth(1).fill("96")
    clerk.fill("textarea[name=narrative]", "Nạo vét 1.350 m kênh, 96 hộ góp ngày công.")
    clerk.fill("input[name=certifier_name]", "Nguyễn Văn Hùng")
    clerk.fill("input[name=certifier_position]", "Bí thư Đảng ủy xã Định Hòa")
    clerk.fill("input[name=certified_on]", "2026-10-02")
    follow(clerk, "text=Gửi báo cáo thành tích")
    expect_text(clerk, "Đã báo cáo thành tích")
    fits(clerk, "phone-clerk-06-reported")

    # The secretariat assigns the appraiser; the appraiser works from a phone.
    sec.goto(detail)
    select_containing(sec, "select[name=team]", "Tổ thẩm định – Xã Định Hòa")
    select_containing(sec, "select[name=appraiser]", "(dinhhoa.thamdinh)")
    fits(sec, "phone-secretariat-02-assign")
    follow(sec, "#assign-form button.primary")
    expect_text(sec, "Đã phân công thẩm định")

    appraiser = phone(page_as, "dinhhoa.thamdinh")
    appraiser.goto(live_app + "/mo-hinh/tham-dinh/")
    expect_text(appraiser, TITLE)
    fits(appraiser, "phone-appraiser-01-assigned")
    follow(appraiser, f"text={TITLE}")
    fits(appraiser, "phone-appraiser-02-appraisal")
    for name, score in (("effectiveness", "8"), ("replicability", "8"), ("participation", "9"),
                        ("creativity", "7"), ("difficulty", "8")):
        appraiser.fill(f"input[name={name}]", score)
    appraiser.select_option("select[name=conclusion]", value="recommend")
    follow(appraiser, "button[name=complete]")
    expect_text(appraiser, "Đã hoàn thành thẩm định")
    fits(appraiser, "phone-appraiser-03-done")


def test_queue_with_many_rows_fits_a_phone(page_as, live_app):
    sec = phone(page_as, "gq.thuky")
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2016-2020&tab=recognized")
    assert sec.locator("#queue tbody tr").count() > 3
    fits(sec, "phone-secretariat-03-queue-recognised")
    # Each row is a card whose cells say what they are.
    first = sec.locator("#queue tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert "Đơn vị" in first.locator("td[data-label]").first.evaluate(
        "td => getComputedStyle(td, '::before').content")
