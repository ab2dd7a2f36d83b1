"""In a real browser, with the real worker: the new province's secretariat imports a Mẫu 2
spreadsheet of 2026 outcomes of a new commune, follows the job to its end, then sees a
refused file's rows listed (a unit retired by the reform is not in its tree)."""
import pytest

from tests.browser import follow, screenshot

from .test_import import HEADER, write_xlsx

pytestmark = pytest.mark.browser

ROWS = [
    ["GQ-NK-01", "Khéo vận động đồng bào Khmer giữ gìn chùa và trường học", "Mô hình", "",
     "AGN-GQ-01", "", "Văn hóa - Xã hội", "Cơ sở", 2026, "Công nhận", "", "Giấy khen"],
    ["GQ-NK-01", "Khéo vận động đồng bào Khmer giữ gìn chùa và trường học", "Mô hình", "",
     "AGN-GQ-01", "", "Văn hóa - Xã hội", "Tỉnh", 2026, "", "", ""],
    ["", "Khéo vận động nông dân liên kết trồng lúa sạch", "Mô hình", "Tổ hợp tác ấp Hòa An",
     "AGN-GQ-01", "", "Kinh tế", "Cơ sở", 2026, "", "", ""],
]


def test_secretariat_imports_a_spreadsheet_and_follows_the_job(page_as, live_app, tmp_path):
    page = page_as("tinh.thuky")
    follow(page, "nav.mainnav >> text=Nhập dữ liệu")
    assert page.locator("h1").inner_text() == "Nhập dữ liệu đăng ký"
    page.select_option("select[name=phase]", value="2026-2030")
    page.set_input_files("input[name=file]", write_xlsx(tmp_path / "mau-2-dinh-hoa.xlsx",
                                                        HEADER, ROWS))
    screenshot(page, "import-01-form")
    follow(page, "button[name=import]")
    page.wait_for_selector("#job-progress[data-status='done']", timeout=30000)
    assert page.locator("#job-progress .percent").inner_text() == "100%"
    assert page.locator("#job-message").inner_text().startswith(
        "Đã nhập 3 dòng: 2 mô hình mới, 3 lượt đăng ký mới")
    screenshot(page, "import-02-done")

    # The imported models are there, in the list the job page links to.
    follow(page, "main a[href^='/mo-hinh/?phase=2026-2030']")
    page.fill("input[name=q]", "dong bao khmer giu gin chua")
    follow(page, "form.filters button.primary")
    assert "Khéo vận động đồng bào Khmer giữ gìn chùa và trường học" in page.inner_text("main")

    # A file with a unit of another district is refused row by row; nothing is written.
    bad = [list(r) for r in ROWS]
    bad[2][4] = "KG-RG"
    bad[2][8] = 2031
    page.goto(live_app + "/mo-hinh/nhap/")
    page.select_option("select[name=phase]", value="2026-2030")
    page.set_input_files("input[name=file]", write_xlsx(tmp_path / "mau-2-sai.xlsx", HEADER, bad))
    follow(page, "button[name=import]")
    page.wait_for_selector("#job-progress[data-status='failed']", timeout=30000)
    problems = page.locator("#job-problems li").all_inner_texts()
    assert problems == [
        "Dòng 4, cột «Mã đơn vị»: không có đơn vị mã «KG-RG» trong phạm vi đơn vị của bạn.",
        "Dòng 4, cột «Năm»: năm 2031 không thuộc giai đoạn 2026-2030.",
    ]
    screenshot(page, "import-03-refused")
    page.goto(live_app + "/mo-hinh/nhap/")
    assert page.locator("#recent-imports tbody tr").count() == 2
