"""The same figures through the command, the API, the XLSX and the DOCX appendix."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dvk.common.formatting import vn_int, vn_percent
from dvk.reports.appendix import SUBCOLUMNS, appendix_docx, appendix_xlsx, level_heading
from dvk.reports.summary import build_summary


def run_summary(*args):
    out = io.StringIO()
    call_command("summary", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_json_equals_api_json(phase, client_as):
    from_command = json.loads(run_summary("--phase", "2016-2020"))
    response = client_as("tinh.thuky").get("/api/v1/summary?phase=2016-2020")
    assert response.status_code == 200
    assert response.json() == from_command
    assert from_command["unit"]["code"] == "KG"
    text = run_summary("--phase", "2016-2020", "--unit", "KG-GQ")
    assert "Huyện Gò Quao" in text  # not \u-escaped
    assert text.startswith('{\n  "phase": "2016-2020"')


def test_command_refuses_unknown_phase_unit_and_missing_output(db, tmp_path):
    with pytest.raises(CommandError, match="Không có giai đoạn") as e:
        run_summary("--phase", "2099-2103")
    assert e.value.returncode == 1
    with pytest.raises(CommandError, match="Không có đơn vị") as e:
        run_summary("--phase", "2016-2020", "--unit", "KHONG-CO")
    assert e.value.returncode == 1
    with pytest.raises(CommandError, match="--output") as e:
        run_summary("--phase", "2016-2020", "--format", "xlsx")
    assert e.value.returncode == 2
    with pytest.raises(CommandError):
        run_summary("--phase", "2016-2020", "--structure", "tomorrow")


def test_xlsx_read_back_equals_summary(phase, unit, tmp_path):
    import openpyxl

    path = tmp_path / "phu-luc.xlsx"
    run_summary("--phase", "2016-2020", "--format", "xlsx", "--output", str(path))
    summary = build_summary(phase, unit("KG"))
    ws = openpyxl.load_workbook(path)["Tổng hợp"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[head][2] == level_heading("Cơ sở") == "Cấp cơ sở"
    assert rows[head][5] == "Cấp huyện" and rows[head][8] == "Cấp tỉnh"
    assert tuple(rows[head + 1][2:5]) == SUBCOLUMNS
    body = rows[head + 2: head + 2 + len(summary["by_unit"]) + 1]
    expected = summary["by_unit"] + [{"name": "Tổng cộng", "levels": summary["levels"]}]
    for row, exp in zip(body, expected):
        assert row[1] == exp["name"]
        for i, lv in enumerate(exp["levels"]):
            reg, rec, rate = row[2 + 3 * i: 5 + 3 * i]
            assert (reg, rec) == (lv["registered"], lv["recognized"])
            # The cell holds the exact share; Excel's 0.0% format rounds it once.
            assert rate == (None if lv["recognition_rate"] is None
                            else pytest.approx(rec / reg, abs=1e-12))
    cell = ws.cell(row=head + 3, column=3)
    assert cell.number_format == "#,##0"
    assert ws.cell(row=head + 3, column=5).number_format == "0.0%"
    assert cell.font.name == "Times New Roman"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_docx_appendix_read_back_equals_summary(phase, unit, tmp_path):
    import docx

    path = tmp_path / "phu-luc.docx"
    run_summary("--phase", "2016-2020", "--format", "docx", "--output", str(path))
    summary = build_summary(phase, unit("KG"))
    document = docx.Document(str(path))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][2] == "Cấp cơ sở" and cells[1][2:5] == list(SUBCOLUMNS)
    expected = summary["by_unit"] + [{"name": "Tổng cộng", "levels": summary["levels"]}]
    for row, exp in zip(cells[2:], expected, strict=True):
        assert row[1] == exp["name"]
        for i, lv in enumerate(exp["levels"]):
            assert row[2 + 3 * i: 5 + 3 * i] == [vn_int(lv["registered"]), vn_int(lv["recognized"]),
                                                vn_percent(lv["recognition_rate"])]


def test_appendix_numbers_are_written_the_vietnamese_way():
    summary = {"phase": "2016-2020", "unit": {"code": "KG", "name": "Tỉnh Kiên Giang"},
               "levels": [{"level": "Cơ sở", "registered": 7995, "recognized": 6360,
                           "not_recognized": 1500, "exceptional": 0, "recognition_rate": 79.55}],
               "by_unit": [], "by_field": [], "by_sector": [], "awards": []}
    import docx

    document = docx.Document(io.BytesIO(appendix_docx(summary)))
    total = [c.text for c in document.tables[0].rows[-1].cells]
    assert total[1:] == ["Tổng cộng", "7.995", "6.360", "79,5%"]  # 79,5497…% rounded once
    text = "\n".join(p.text for p in document.paragraphs)
    assert "135 mô hình chưa xét công nhận" in text  # 7995 − 6360 − 1500 is not hidden
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(appendix_xlsx(summary)))["Tổng hợp"]
    values = [r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng"][0]
    assert values[2:5] == (7995, 6360, pytest.approx(6360 / 7995, abs=1e-12))


# --- API scoping --------------------------------------------------------------------------------

def test_api_default_unit_is_the_callers_own(client_as, phase, unit):
    data = client_as("gq.thuky").get("/api/v1/summary?phase=2016-2020").json()
    assert data["unit"] == {"code": "KG-GQ", "name": "Huyện Gò Quao"}
    assert data == build_summary(phase, unit("KG-GQ"))


def test_api_refuses_units_outside_the_scope(client_as):
    response = client_as("gq.thuky").get("/api/v1/summary?phase=2016-2020&unit=KG-RG")
    assert response.status_code == 404
    assert "KG-RG" not in response.content.decode()
    # a clerk reads no statistics at all, whichever unit is asked (as on the screens)
    assert client_as("rachgia.vanthu").get(
        "/api/v1/summary?phase=2016-2020&unit=KG-GQ").status_code == 403


def test_api_anonymous_is_refused(client, db):
    assert client.get("/api/v1/summary?phase=2016-2020").status_code == 401


def test_api_unknown_phase_and_bad_parameters(client_as):
    c = client_as("tinh.lanhdao")
    response = c.get("/api/v1/summary?phase=2099-2103")
    assert response.status_code == 404
    assert "Không có giai đoạn" in response.json()["detail"]
    assert c.get("/api/v1/summary?phase=2016-2020&structure=x").status_code == 400
    assert c.get("/api/v1/summary?phase=2016-2020&year=2030").status_code == 400


def test_api_year_and_structure(client_as, phase, unit):
    data = client_as("tinh.lanhdao").get(
        "/api/v1/summary?phase=2016-2020&unit=KG-GQ&year=2019&structure=today").json()
    assert data == build_summary(phase, unit("KG-GQ"), year=2019, structure="today")
