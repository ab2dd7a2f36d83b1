"""In a real browser: the committee returns a registration, the clerk corrects it and
sends it again."""
import pytest

from tests.browser import expect_text, fill_registration, follow, screenshot, select_containing

pytestmark = pytest.mark.browser

TITLE = "Khéo vận động thanh niên ấp Hòa Hiệp dọn rác kênh rạch"


def register(page, live_app, organisation, title, target, button):
    """Fill Mẫu 1 for a grassroots model of 2026 with one target, then press `button`."""
    fill_registration(page, live_app, organisation, title, [(target[0], "", target[1], "")])
    follow(page, f"button[name={button}]")


def test_returned_registration_is_corrected_and_sent_again(page_as, live_app):
    clerk = page_as("dinhhoa.vanthu")
    register(clerk, live_app, "Đoàn Thanh niên", TITLE, ("Số tuyến kênh được dọn", "5"),
             "submit")
    expect_text(clerk, "Đã gửi đăng ký đến Ban Chỉ đạo")
    detail = clerk.url

    sec = page_as("dinhhoa.thuky")
    sec.goto(detail)
    sec.fill("textarea[name=comment]", "Bổ sung chỉ tiêu về số đoàn viên tham gia.")
    follow(sec, "text=Trả lại đơn vị")
    expect_text(sec, "Đã trả lại hồ sơ cho đơn vị.")

    clerk.goto(detail)
    expect_text(clerk, "Bổ sung chỉ tiêu về số đoàn viên tham gia.")
    follow(clerk, "#actions >> text=Sửa")
    expect_text(clerk, "Sửa hồ sơ đăng ký")
    expect_text(clerk, "Bổ sung chỉ tiêu về số đoàn viên tham gia.")
    assert clerk.input_value("input[name=t-0-criterion]") == "Số tuyến kênh được dọn"
    clerk.fill("input[name=title]", TITLE + " và trồng cây")
    clerk.fill("input[name=t-1-criterion]", "Số đoàn viên tham gia")
    clerk.fill("input[name=t-1-target]", "60")
    clerk.fill("input[name=t-1-unit_of_measure]", "người")
    screenshot(clerk, "edit-01-returned-registration")
    follow(clerk, "button[name=submit]")
    expect_text(clerk, "Đã gửi đăng ký đến Ban Chỉ đạo")
    expect_text(clerk, TITLE + " và trồng cây")
    expect_text(clerk, "Số đoàn viên tham gia")
    expect_text(clerk, "Đã gửi")
    screenshot(clerk, "edit-02-sent-again")


def test_attachment_upload_and_similar_title_warning(page_as, live_app, tmp_path):
    clerk = page_as("dinhhoa.vanthu")
    title = "Khéo vận động hội viên nông dân ấp Phước Hưng trồng rau sạch"
    register(clerk, live_app, "Hội Nông dân", title, ("Diện tích rau sạch", "3"), "draft")
    expect_text(clerk, "Đã lưu nháp đăng ký.")

    # A real PDF: the server sniffs the content, not the name.
    pdf = tmp_path / "bien-ban-hop-ap.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    clerk.set_input_files("#attachments input[type=file]", str(pdf))
    follow(clerk, "#attachments button")
    assert "bien-ban-hop-ap.pdf" in clerk.inner_text("#attachments")

    # Registering the same thing again (other words, no accents) warns while typing.
    clerk.goto(live_app + "/mo-hinh/dang-ky/")
    select_containing(clerk, "select[name=unit]", "Hội Nông dân")
    clerk.fill("input[name=year]", "2026")
    clerk.type("input[name=title]", "Kheo van dong hoi vien nong dan ap Phuoc Hung trong rau")
    clerk.wait_for_selector("#similar li", timeout=5000)
    assert title in clerk.inner_text("#similar")
    screenshot(clerk, "similar-title-warning")
