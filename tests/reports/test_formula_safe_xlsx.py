"""Every spreadsheet the app writes keeps user text as text: a model titled like a formula
comes out as a string cell (quote-prefixed, as Excel stores text typed after '), never as a
live formula — in Mẫu 1, Mẫu 2, the statistics appendix and the list exports alike."""
import io

import openpyxl
import pytest
from django.urls import reverse

from dvk.documents import registration_sheets as documents
from dvk.orgs.models import Unit
from dvk.phases.models import Phase
from dvk.reports.appendix import appendix_xlsx
from dvk.reports.summary import build_summary

from .dash_helpers import body, plant_registration

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x","y")'
SUBJECT = "+84 912 345 678"
DESCRIPTION = "@SUM(1+1)*cmd|' /C calc'!A0"


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def assert_text(content: bytes, *texts: str) -> None:
    found = cells(content)
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    for text in texts:
        matches = [c for c in found if c.value == text]
        assert matches, f"{text!r} not written"
        for c in matches:
            assert c.data_type == "s" and c.quotePrefix, (c.coordinate, c.data_type)


@pytest.fixture
def evil_registration():
    reg = plant_registration("KG-GQ-02", phase_code="2026-2030", year=2026, title=EVIL,
                             subject=SUBJECT)
    reg.initiative.description = DESCRIPTION
    reg.initiative.save()
    reg.targets.create(criterion="=1+1", target="-5", unit_of_measure="@hộ")
    return reg


def test_form_1(evil_registration):
    content = documents.form1_xlsx(evil_registration)
    assert_text(content, EVIL, SUBJECT, DESCRIPTION, "=1+1", "@hộ")  # "-5" is a number
    # Ordinary text keeps its plain format.
    plain = [c for c in cells(content) if c.value == "Tên mô hình, điển hình"]
    assert plain and not plain[0].quotePrefix


def test_form_2(evil_registration):
    reg = evil_registration
    content = documents.form2_xlsx(reg.unit, reg.phase, reg.year, [reg])
    assert_text(content, EVIL, SUBJECT, "- =1+1: -5 @hộ")


def test_appendix_and_summary_xlsx(tmp_path):
    from django.core.management import call_command

    Unit.objects.filter(code="KG-GQ").update(name=EVIL)
    summary = build_summary(Phase.objects.get(code="2016-2020"), Unit.objects.get(code="KG"))
    assert_text(appendix_xlsx(summary), EVIL)
    out = tmp_path / "phu-luc.xlsx"
    call_command("summary", "--phase", "2016-2020", "--unit", "KG", "--format", "xlsx",
                 "--output", str(out), stderr=io.StringIO())
    assert_text(out.read_bytes(), EVIL)


def test_list_exports(client_as, evil_registration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = client_as("gq.thuky").get(reverse("reports:export_registrations"),
                                  {"phase": "2026-2030", "format": "xlsx", "q": "hyperlink"})
    assert r.status_code == 200
    assert_text(body(r), EVIL, SUBJECT)
