"""In a real browser: the new Tỉnh An Giang's secretariat records the committee's year — a training
class, an inspection round with its findings, press entries with a prize."""
import pytest

from tests.browser import expect_text, follow, screenshot, select_containing

pytestmark = pytest.mark.browser


def test_a_secretariat_records_the_committees_year(page_as, live_app):
    page = page_as("tinh.thuky")
    follow(page, "nav.mainnav >> text=Hoạt động")
    assert page.locator("h1").inner_text() == "Hoạt động của Ban Chỉ đạo"

    # 1. A training class.
    follow(page, "#activity-cards >> text=Lớp tập huấn")
    follow(page, "#new-activity")
    page.select_option("select[name=phase]", value="2026-2030")
    page.fill("input[name=date]", "12/03/2026")
    page.fill("input[name=name]", "Tập huấn xây dựng mô hình “Dân vận khéo” năm 2026")
    page.fill("input[name=place]", "Hội trường Tỉnh ủy An Giang")
    page.fill("input[name=audience]", "Thành viên Ban Chỉ đạo các xã, phường")
    page.fill("input[name=attendances]", "124")
    screenshot(page, "activities-01-training-form")
    follow(page, "button[name=save]")
    expect_text(page, "Hội trường Tỉnh ủy An Giang")
    expect_text(page, "12/03/2026")
    expect_text(page, "124")
    screenshot(page, "activities-02-training-detail")

    # 2. An inspection round, planned, then a unit visited with its findings.
    page.goto(live_app + "/hoat-dong/kiem-tra/")
    follow(page, "#new-activity")
    page.select_option("select[name=phase]", value="2026-2030")
    page.fill("input[name=code]", "KT-GQ-01/2026")
    page.select_option("select[name=form]", value="inspection")
    page.fill("input[name=title]", "Kiểm tra việc đăng ký mô hình năm 2026")
    page.fill("input[name=decision_number]", "15-QĐ/BCĐ")
    page.fill("input[name=start_date]", "02/06/2026")
    page.fill("input[name=end_date]", "30/06/2026")
    page.fill("textarea[name=team]", "Phạm Thị Lan\nVõ Minh Tâm")
    follow(page, "button[name=save]")
    follow(page, "#add-visit")
    select_containing(page, "select[name=unit]", "Xã Định Hòa")
    page.fill("input[name=date]", "05/06/2026")
    page.fill("textarea[name=findings]", "Đăng ký đúng quy trình; 12 mô hình có chỉ tiêu đo được.")
    page.fill("textarea[name=recommendations]", "Bổ sung chỉ tiêu cho 3 mô hình còn chung chung.")
    page.select_option("select[name=status]", value="in_progress")
    screenshot(page, "activities-03-visit-form")
    follow(page, "button[name=save]")
    expect_text(page, "Đăng ký đúng quy trình")
    expect_text(page, "Đang khắc phục")
    screenshot(page, "activities-04-round-detail")

    # 3. Press entries, then a provincial prize marked on one.
    for title, genre in (("Người khéo vận động đồng bào Khmer", "television"),
                         ("Con đường nông thôn mới ở Định Hòa", "print")):
        page.goto(live_app + "/hoat-dong/bao-chi/them/")
        page.select_option("select[name=phase]", value="2026-2030")
        page.fill("input[name=title]", title)
        page.fill("input[name=author]", "Nguyễn Văn Báo")
        page.fill("input[name=outlet]", "Đài Phát thanh - Truyền hình An Giang")
        page.select_option("select[name=genre]", value=genre)
        page.fill("input[name=year]", "2026")
        follow(page, "button[name=save]")
    follow(page, "#edit-activity")
    page.check("input[name=national_eligible]")
    page.fill("input[name=provincial_prize]", "A")
    follow(page, "button[name=save]")
    expect_text(page, "Giải cấp tỉnh")
    page.goto(live_app + "/hoat-dong/bao-chi/?phase=2026-2030&prize=1")
    assert page.locator("#activity-list tbody tr").count() == 1
    expect_text(page, "Con đường nông thôn mới ở Định Hòa")
    screenshot(page, "activities-05-press-prizes")
    page.goto(live_app + "/hoat-dong/?phase=2026-2030")
    expect_text(page, "1 lớp, 124 lượt tham dự")
    expect_text(page, "2 tác phẩm, 1 giải cấp tỉnh")
    screenshot(page, "activities-06-overview")


def test_a_follow_up_visit_on_a_registration(page_as, live_app):
    """Xã Định Hòa's secretariat names the member who follows one of its Cơ sở models and
    logs a visit; the registration page shows both."""
    page = page_as("dinhhoa.thuky")
    page.goto(live_app + "/mo-hinh/")
    links = [a.get_attribute("href") for a in
             page.locator("a[href*='/mo-hinh/ho-so/']").all()[:15]]
    for href in links:
        page.goto(live_app + href)
        if page.locator("#follow-up-assign").count():
            break
    else:
        raise AssertionError("no registration of Định Hòa's level in the list")
    expect_text(page, "Theo dõi, chăm bồi mô hình")
    select_containing(page, "#follow-up-assign select[name=member]", "Lê Văn Bình")
    page.fill("#follow-up-assign input[name=note]", "Theo dõi hằng quý")
    follow(page, "#follow-up-assign button")
    expect_text(page, "Theo dõi hằng quý")
    follow(page, "#follow-up-log")
    page.fill("input[name=date]", "15/11/2026")  # a 2026 file of the new commune
    page.fill("textarea[name=findings]", "135 hộ tham gia, sổ theo dõi ghi chép đầy đủ.")
    page.fill("textarea[name=guidance]", "Nhân rộng cách làm sang ấp Hòa Tân.")
    page.fill("textarea[name=next_step]", "Thăm lại tháng 3/2027, kiểm tra số hộ duy trì.")
    follow(page, "button[name=save]")
    if "/tham/" in page.url:  # refused: say why
        raise AssertionError(page.inner_text("#follow-up-form"))
    expect_text(page, "Nhân rộng cách làm sang ấp Hòa Tân.")
    assert page.locator("#follow-up-visits tbody tr").count() == 1
    page.locator("#follow-up").scroll_into_view_if_needed()
    path = screenshot(page, "activities-07-follow-up")
    page.locator("#follow-up").screenshot(path=path.replace("activities-07-follow-up",
                                                            "follow-up-block"))
