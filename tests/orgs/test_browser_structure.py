"""In a real browser: the system administrator uploads a structure changes file, reads its
preview (units that stop, where their registrations go, accounts affected) and discards it.
(Applying is covered in test_structure_screen.py: the browser's server is shared by the
session's other journeys, whose communes must stay in force.)"""
import pytest

from tests.browser import follow, screenshot

from .conftest import write_csv
from .test_import_structure import HEADER

pytestmark = pytest.mark.browser
D = "01/12/2026"
ROWS = [
    [D, "Thành lập", "AGN-GQ-90", "", "Xã Định Hòa Mới", "AGN", "Cơ sở", ""],
    [D, "Sáp nhập", "AGN-GQ-01", "AGN-GQ-90", "", "", "", ""],
    [D, "Sáp nhập", "AGN-GQ-02", "AGN-GQ-90", "", "", "", ""],
]


def test_admin_previews_a_merge_then_discards_it(page_as, live_app, tmp_path):
    page = page_as("quantri")
    follow(page, "nav.mainnav >> text=Thay đổi cơ cấu")
    assert page.locator("h1").inner_text() == "Thay đổi cơ cấu"
    page.set_input_files("input[name=file]", str(write_csv(tmp_path / "sap-nhap.csv", ROWS,
                                                           header=HEADER)))
    follow(page, "button[name=preview]")
    assert page.locator("h1").inner_text() == "Xem trước thay đổi cơ cấu"
    retired = page.inner_text("#retired")
    assert "AGN-GQ-01 – Xã Định Hòa" in retired and "AGN-GQ-90 – Xã Định Hòa Mới" in retired
    assert "dinhhoa.vanthu" in page.inner_text("#memberships")
    screenshot(page, "structure-preview")
    follow(page, "#cancel")
    assert "không có gì thay đổi" in page.inner_text("main")
    # Nothing was applied: the commune is still in the tree, in force.
    page.goto(f"{live_app}/don-vi/AGN-GQ-01/")
    assert "Xã Định Hòa" in page.locator("h1").inner_text()
    assert "Đơn vị kế thừa" not in page.inner_text("main")
