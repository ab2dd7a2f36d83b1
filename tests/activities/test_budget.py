"""Budget: a committee's secretariat records allocations and spending; the per-unit screen
adds the money the committee gave with awards to its spending, in 1.234.567 đ."""
import pytest
from tests.awards.conftest import kinds, proposal, recognised  # noqa: F401
from tests.awards.test_figures import decided  # noqa: F401
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft, field_econ,  # noqa: F401
                                        levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[-3000:]
    return r["Location"]


def _line(c, unit, kind, amount, purpose, ref=""):
    return _post(c, "/hoat-dong/kinh-phi/them/", {
        "phase": "2026-2030", "unit": unit.pk, "kind": kind, "date": "10/03/2026",
        "amount": amount, "purpose": purpose, "document_ref": ref})


def test_budget_lines_and_totals_per_unit_with_award_money(client_as, unit, decided):
    from dvk.activities.models import BudgetLine
    from dvk.common.history import history_of

    c = client_as("dinhhoa.thuky")
    dh = unit("KG-GQ-02")
    where = _line(c, dh, "allocation", "5000000", "Kinh phí Phong trào năm 2026", "12/QĐ-UBND")
    _line(c, dh, "spending", "1200000", "In tài liệu tập huấn", "PC 15")
    line = BudgetLine.objects.unscoped("test").get(purpose="Kinh phí Phong trào năm 2026")
    assert where == f"/hoat-dong/kinh-phi/{line.pk}/" and line.year == 2026
    assert [e.action for e in history_of(line)] == ["budget.created"]
    listing = c.get("/hoat-dong/kinh-phi/?phase=2026-2030").content.decode()
    assert "5.000.000 đ" in listing and "1.200.000 đ" in listing
    page = client_as("gq.thuky").get("/bao-cao/kinh-phi/", {"phase": "2026-2030"})
    assert page.status_code == 200
    rows = {r.unit.code: r for r in page.context["rows"]}
    dinh_hoa = rows["KG-GQ-02"]
    assert (dinh_hoa.allocated, dinh_hoa.spent, dinh_hoa.awards) == (5_000_000, 1_200_000,
                                                                     1_400_000)
    assert dinh_hoa.total_spent == 2_600_000 and dinh_hoa.balance == 2_400_000
    html = page.content.decode()
    assert "2.600.000 đ" in html and "2.400.000 đ" in html and "1.400.000 đ" in html
    # A sibling district sees neither the lines nor the money; a clerk has no statistics.
    rg = client_as("rachgia.vanthu")
    assert rg.get(where).status_code == 404
    assert "Kinh phí Phong trào năm 2026" not in rg.get("/hoat-dong/kinh-phi/").content.decode()
    assert client_as("dinhhoa.vanthu").get("/bao-cao/kinh-phi/").status_code == 403
    assert client_as("dinhhoa.vanthu").get("/hoat-dong/kinh-phi/them/").status_code == 403


def test_a_spending_without_a_voucher_is_flagged(client_as, unit):
    c = client_as("dinhhoa.thuky")
    where = _line(c, unit("KG-GQ-02"), "spending", "300000", "Nước uống hội nghị")
    listing = c.get("/hoat-dong/kinh-phi/").content.decode()
    assert "Khoản chi chưa ghi chứng từ." in listing and 'class="flagged"' in listing
    assert "Khoản chi chưa ghi chứng từ." in c.get(where).content.decode()
