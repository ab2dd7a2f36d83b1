"""End to end in a real browser, on today's map (the demo after the 01/07/2025 reform): one
model of a new commune through the 2026 cycle — registered by the commune's clerk,
recognised at Cơ sở by the commune's committee, promoted to Tỉnh, where the new province's
secretariat finds it — by five people."""
import re

import pytest

from tests.browser import expect_text, fill_registration, follow, screenshot, select_containing

pytestmark = pytest.mark.browser

TITLE = "Khéo vận động phụ nữ nuôi heo đất giúp hội viên nghèo xây nhà tình thương"


def test_model_goes_through_the_annual_cycle(page_as, live_app):
    # 1. The commune clerk registers the model for the Women's Union and sends it.
    clerk = page_as("dinhhoa.vanthu")
    fill_registration(
        clerk, live_app, "Hội Liên hiệp Phụ nữ xã Định Hòa", TITLE,
        [("Số nhà tình thương xây mới", "0", "2", "căn"),
         ("Số hội viên tham gia", "30", "150", "người")],
        field_index=2, subject="Chi hội Phụ nữ ấp Minh Cường",
        description="Mỗi hội viên nuôi một heo đất, cuối năm góp xây nhà.")
    # typing the title asks for similar titles (htmx); the warning area exists either way
    clerk.type("input[name=title]", " ")
    clerk.wait_for_timeout(900)
    screenshot(clerk, "journey-01-register")
    follow(clerk, "button[name=submit]")
    expect_text(clerk, "Đã gửi đăng ký đến Ban Chỉ đạo")
    expect_text(clerk, "Đã gửi")
    detail = clerk.url
    assert re.search(r"/mo-hinh/ho-so/\d+/$", detail)
    screenshot(clerk, "journey-02-submitted")

    # 2. The commune committee's secretariat accepts it from its queue (bulk, with a
    #    checkbox): Cơ sở files are the commune's own committee's to judge.
    sec = page_as("dinhhoa.thuky")
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=submitted&q=heo+dat")
    expect_text(sec, TITLE)
    sec.check(f"input[name=ids][aria-label='{TITLE}']")
    # The late cards come after the work list (htmx): the 2026 deadlines have passed.
    sec.wait_for_selector("#overdue section.card")
    expect_text(sec, "Chưa đăng ký đúng hạn")
    screenshot(sec, "journey-03-queue")
    follow(sec, "button[value=accept]")
    expect_text(sec, "1 hồ sơ đã được tiếp nhận")

    # 3. In October the clerk reports achievements, certified by the Party committee.
    clerk.goto(detail)
    expect_text(clerk, "Đã tiếp nhận")
    follow(clerk, "text=Báo cáo thành tích")
    inputs = clerk.locator("input[name^=result_]")
    assert inputs.count() == 2
    inputs.nth(0).fill("3")
    inputs.nth(1).fill("162")
    clerk.fill("textarea[name=narrative]", "Xây mới 3 căn nhà tình thương, 162 hội viên tham gia.")
    clerk.fill("input[name=certifier_name]", "Nguyễn Văn Hùng")
    clerk.fill("input[name=certifier_position]", "Bí thư Đảng ủy xã Định Hòa")
    clerk.fill("input[name=certified_on]", "2026-10-02")
    screenshot(clerk, "journey-04-report")
    follow(clerk, "text=Gửi báo cáo thành tích")
    expect_text(clerk, "Đã báo cáo thành tích")

    # 4. The secretariat assigns the district appraisal team and appraiser.
    sec.goto(detail)
    select_containing(sec, "select[name=team]", "Tổ thẩm định – Xã Định Hòa")
    select_containing(sec, "select[name=appraiser]", "(dinhhoa.thamdinh)")
    screenshot(sec, "journey-05-assign")
    follow(sec, "#assign-form button.primary")
    expect_text(sec, "Đã phân công thẩm định")

    # 5. The appraiser scores it and concludes.
    appraiser = page_as("dinhhoa.thamdinh")
    appraiser.goto(live_app + "/mo-hinh/tham-dinh/")
    follow(appraiser, f"text={TITLE}")
    for name, score in (("effectiveness", "9"), ("replicability", "8"), ("participation", "9"),
                        ("creativity", "7"), ("difficulty", "8")):
        appraiser.fill(f"input[name={name}]", score)
    appraiser.fill("textarea[name=comments]", "Mô hình thiết thực, cần nhân rộng.")
    appraiser.fill("input[name=site_visit_date]", "2026-10-06")
    appraiser.select_option("select[name=conclusion]", value="recommend")
    screenshot(appraiser, "journey-06-appraisal")
    follow(appraiser, "button[name=complete]")
    expect_text(appraiser, "Đã hoàn thành thẩm định")
    expect_text(appraiser, "41")

    # 6. The secretariat recognises it by a bulk decision.
    sec.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=appraised&q=heo+dat")
    sec.check(f"input[name=ids][aria-label='{TITLE}']")
    sec.fill("input[name=decision_number]", "25-QĐ/BCĐ")
    sec.fill("input[name=decision_date]", "2026-10-12")
    sec.fill("input[name=signer]", "Phạm Văn Tư")
    sec.check("input[name=recognized][value='1']")  # nothing is chosen beforehand
    screenshot(sec, "journey-07-decide")
    follow(sec, "button[value=decide]")
    expect_text(sec, "Đã ghi nhận Quyết định số 25-QĐ/BCĐ cho 1 hồ sơ")

    # 7. …and proposes it at the next level, where it waits in the upper queue.
    sec.goto(detail)
    assert sec.locator(".subtitle .badge-recognized").count() == 1
    follow(sec, "text=Đề nghị đăng ký cấp trên")
    # 2026–2030 has two levels: no district in between since the reform.
    expect_text(sec, "Đã đề nghị đăng ký ở cấp Tỉnh")
    screenshot(sec, "journey-08-promoted")
    upper = page_as("tinh.thuky")  # the new Tỉnh An Giang's committee judges Tỉnh files
    upper.goto(live_app + "/mo-hinh/hang-doi/?phase=2026-2030&year=2026&tab=proposals")
    expect_text(upper, TITLE)
    assert "Hội Liên hiệp Phụ nữ xã Định Hòa" in upper.inner_text("main")
    screenshot(upper, "journey-09-upper-queue")
    # The new commune's page names the two communes it was made of on 01/07/2025.
    upper.goto(live_app + "/don-vi/AGN-GQ-01/")
    facts = upper.inner_text(".facts")
    assert "Đơn vị tiền thân" in facts and "Xã Định Hòa" in facts and "Xã Định An" in facts
    screenshot(upper, "journey-09b-new-commune")

    # The whole story is on the registration's timeline.
    clerk.goto(detail)
    timeline = clerk.inner_text("#timeline")
    for state in ("submitted", "accepted", "reported", "appraised", "recognized"):
        assert clerk.locator(f"#timeline .badge-{state}").count() >= 1, state
    assert "25-QĐ/BCĐ" in timeline
    screenshot(clerk, "journey-10-timeline")
