"""The structure changes screen (issue 9, item 1): the system administrator uploads a changes
file, sees what it would do (units that stop, where their registrations roll up, committees
and accounts affected) with nothing written, then confirms; the same engine and refusals as
`dvk import_structure`. Nobody else may use it."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dvk.common.models import HistoryEntry
from dvk.orgs.models import Unit, UnitEvent

from .test_import_structure import HEADER, footprint

pytestmark = pytest.mark.django_db
URL = "/don-vi/co-cau/"
D = "01/07/2025"
MERGE = [
    [D, "Thành lập", "AG-01", "", "Xã Định Hòa Mới", "KG-GQ", "Cơ sở", ""],
    [D, "Sáp nhập", "KG-GQ-02", "AG-01", "", "", "", ""],
    [D, "Sáp nhập", "KG-GQ-03", "AG-01", "", "", "", ""],
]


def upload(rows, name="co_cau.csv"):
    import csv

    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(HEADER)
    w.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + text.getvalue()).encode("utf-8"),
                              content_type="text/csv")


def test_preview_shows_the_effect_and_writes_nothing_then_confirm_applies(client_as,
                                                                         register_2018):
    register_2018("KG-GQ-02", 2)
    c = client_as("quantri")
    before = footprint()
    page = c.post(URL, {"file": upload(MERGE)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sẽ áp dụng 3 thay đổi" in html
    # The communes that stop, where their data goes, and who is affected.
    assert "KG-GQ-02 – Xã Định Hòa" in html and "AG-01 – Xã Định Hòa Mới" in html
    assert "dinhhoa.vanthu" in html  # an account acting for a commune that stops
    assert 'id="committees"' in html
    assert footprint() == before  # nothing written by the preview

    done = c.post(URL + "ap-dung/", follow=True)
    assert done.redirect_chain[-1][0].startswith("/don-vi/")
    assert "Đã áp dụng 3 thay đổi" in done.content.decode()
    merged = Unit.objects.get(code="KG-GQ-02")
    assert merged.successor.code == "AG-01" and merged.valid_until is not None
    assert UnitEvent.objects.filter(sources=merged).exists()
    history = HistoryEntry.objects.filter(object_id=merged.pk, content_type__model="unit")
    assert history.filter(actor__username="quantri").exists()
    # Confirming twice applies nothing more: the previewed upload is gone.
    again = c.post(URL + "ap-dung/", follow=True)
    assert "Không có gì để áp dụng" in again.content.decode()


def test_a_broken_file_is_refused_by_row_and_column_with_nothing_written(client_as):
    c = client_as("quantri")
    before = footprint()
    rows = [[D, "Sáp nhập", "KG-GQ-02", "", "", "", "", ""],
            ["31/02/2025", "Giải thể", "KG-GQ-05", "", "", "", "", ""]]
    page = c.post(URL, {"file": upload(rows)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dòng 2" in html and "Mã đơn vị kế thừa" in html
    assert "Dòng 3" in html and "Ngày hiệu lực" in html
    assert footprint() == before
    # Nothing waits to be confirmed.
    c.post(URL + "ap-dung/")
    assert footprint() == before


def test_discard_forgets_the_preview(client_as):
    c = client_as("quantri")
    before = footprint()
    c.post(URL, {"file": upload(MERGE)})
    c.post(URL + "huy/")
    c.post(URL + "ap-dung/")
    assert footprint() == before


def test_only_the_system_administrator(client_as, client, unit):
    from django.contrib.auth import get_user_model

    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    unit_admin = get_user_model().objects.create_user("gq.quantri", password="x")
    Membership.objects.create(user=unit_admin, unit=unit("KG-GQ"), role=Role.ADMIN)
    for who in ("gq.quantri", "tinh.thuky", "dinhhoa.vanthu"):
        assert client_as(who).get(URL).status_code == 403, who
        assert client_as(who).post(URL, {"file": upload(MERGE)}).status_code == 403, who
    assert client.get(URL).status_code == 302  # to the login page
    assert f'href="{URL}"' in client_as("quantri").get("/").content.decode()  # in the menu
    assert f'href="{URL}"' not in client_as("gq.quantri").get("/").content.decode()


def test_blank_template_has_the_contract_columns(client_as):
    r = client_as("quantri").get(URL + "mau.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header[:len(HEADER)] == HEADER
