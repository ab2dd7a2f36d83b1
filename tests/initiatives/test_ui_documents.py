"""Mẫu 1 / Mẫu 2 downloads read back: content, A4, Times New Roman."""
import io

import pytest
from django.urls import reverse

from dvk.initiatives.enums import State

pytestmark = pytest.mark.django_db


def test_form1_docx_and_xlsx(client_as, at_state):
    from docx import Document
    from docx.shared import Mm
    from openpyxl import load_workbook

    reg = at_state(State.SUBMITTED)
    c = client_as("gq.thuky")
    resp = c.get(reverse("documents:form1", kwargs={"registration_id": reg.pk, "fmt": "docx"}))
    assert resp.status_code == 200
    doc = Document(io.BytesIO(resp.content))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "PHIẾU ĐĂNG KÝ XÂY DỰNG MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO”" in text
    assert reg.initiative.title in text
    header = doc.tables[0].rows[0].cells
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text
    assert reg.unit.name.upper() in header[0].text
    targets = doc.tables[1]
    assert [c.text for c in targets.rows[0].cells] == ["STT", "Tiêu chí đăng ký", "Hiện trạng",
                                                        "Chỉ tiêu", "Đơn vị tính"]
    assert targets.rows[1].cells[1].text == "Số hộ tham gia"

    resp = c.get(reverse("documents:form1", kwargs={"registration_id": reg.pk, "fmt": "xlsx"}))
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert reg.initiative.title in values and 120 in values  # the target as a real number
    assert ws["A1"].font.name == "Times New Roman"


def test_form2_lists_the_units_registrations(client_as, at_state):
    from docx import Document
    from openpyxl import load_workbook

    reg = at_state(State.ACCEPTED)
    c = client_as("gq.thuky")
    base = reverse("documents:form2", kwargs={"unit_code": "KG-GQ-02", "fmt": "docx"})
    doc = Document(io.BytesIO(c.get(base + "?phase=2026-2030&year=2026").content))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BIỂU TỔNG HỢP ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2026" in text
    table = doc.tables[1]
    assert table.rows[0].cells[1].text == "Tên mô hình, điển hình"
    assert reg.initiative.title in [r.cells[1].text for r in table.rows]
    xlsx = c.get(base.replace("docx", "xlsx") + "?phase=2026-2030&year=2026").content
    values = [v for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
              for v in row if v is not None]
    assert reg.initiative.title in values
