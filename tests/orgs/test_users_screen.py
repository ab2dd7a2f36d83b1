"""The accounts screen (/tai-khoan/nhap/, issue 14 item 6): the system administrator
uploads a users file, sees per account what it would do (or every problem by row and
column) with nothing written, confirms, and gets the one-time links of the new accounts.
Nobody else may use it."""
import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from dvk.orgs.enums import Role
from dvk.orgs.models import Membership, Unit

from .test_import_users import GOOD, HEADER, footprint

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/nhap/"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def upload(rows, name="nguoi_dung.csv"):
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(HEADER)
    w.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + text.getvalue()).encode("utf-8"),
                              content_type="text/csv")


@pytest.fixture
def root_admin(db):
    """A system administrator as the contract defines one: Quản trị at the root, no
    superuser flag."""
    user = get_user_model().objects.create_user("tinh.qt", first_name="Quản",
                                                last_name="Lê Văn")
    Membership.objects.create(user=user, unit=Unit.objects.get(code="KG"), role=Role.ADMIN)
    c = Client()
    c.force_login(user)
    return c


def test_preview_writes_nothing_then_confirm_creates_and_shows_the_links(root_admin):
    home = root_admin.get("/").content.decode()
    assert f'href="{URL}"' in home  # in the menu of the system administrator
    before = footprint()
    page = root_admin.post(URL, {"file": upload(GOOD)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sẽ nhập 4 dòng: 3 tài khoản tạo mới" in html
    assert "gq.moi" in html and "Thư ký · KG-GQ – Huyện Gò Quao" in html
    assert footprint() == before  # nothing written by the preview

    done = root_admin.post(URL + "ap-dung/")
    assert done.status_code == 200 and "no-store" in done.get("Cache-Control", "")
    html = done.content.decode()
    assert "Đã nhập 4 dòng: 3 tài khoản tạo mới" in html
    links = re.findall(r"http://testserver/tai-khoan/dat-mat-khau/[^<\s]+/", html)
    assert len(links) == 3 and "đã gửi tới moi@example.vn" in html
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]
    moi = get_user_model().objects.get(username="gq.moi")
    assert not moi.has_usable_password() and moi.memberships.count() == 2
    # The link works for the new account.
    assert "Đặt mật khẩu của bạn" in Client().get(links[0][len("http://testserver"):],
                                                    follow=True).content.decode()
    # Confirming twice applies nothing more: the previewed upload is gone.
    again = root_admin.post(URL + "ap-dung/", follow=True)
    assert "Không có gì để áp dụng" in again.content.decode()


def test_a_reimport_from_the_screen_resends_only_when_asked(root_admin):
    root_admin.post(URL, {"file": upload(GOOD)})
    root_admin.post(URL + "ap-dung/")
    mail.outbox.clear()
    root_admin.post(URL, {"file": upload(GOOD)})
    quiet = root_admin.post(URL + "ap-dung/").content.decode()
    assert "0 tài khoản tạo mới" in quiet and "Không có tài khoản mới" in quiet
    assert not mail.outbox
    root_admin.post(URL, {"file": upload(GOOD)})
    resent = root_admin.post(URL + "ap-dung/", {"resend": "1"}).content.decode()
    assert len(re.findall(r"/tai-khoan/dat-mat-khau/", resent)) == 3 and len(mail.outbox) == 1


def test_a_broken_file_is_listed_by_row_and_column_and_nothing_waits(root_admin):
    before = footprint()
    rows = [["gq.moi", "Nguyễn Văn Mới", "", "KG-XX", "Thư ký"],
            ["gq.hai", "Trần Hai", "", "KG-GQ", "Chủ tịch"]]
    page = root_admin.post(URL, {"file": upload(rows)})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="users-problems"' in html
    assert "Dòng 2, cột «Mã đơn vị»" in html and "Dòng 3, cột «Vai trò»" in html
    root_admin.post(URL + "ap-dung/")
    assert footprint() == before


def test_cancel_discards_the_preview(root_admin):
    root_admin.post(URL, {"file": upload(GOOD)})
    root_admin.post(URL + "huy/")
    before = footprint()
    root_admin.post(URL + "ap-dung/")
    assert footprint() == before


def test_the_blank_template_has_the_contracts_columns(root_admin):
    resp = root_admin.get(URL + "mau.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADER


@pytest.mark.parametrize("who", ["gq.quantri", "tinh.thuky", "gq.thuky", "dinhhoa.vanthu"])
def test_nobody_else_may_use_it(client_as, who, unit):
    if who == "gq.quantri":  # a unit's administrator, below the root
        user = get_user_model().objects.create_user(who)
        Membership.objects.create(user=user, unit=unit("KG-GQ"), role=Role.ADMIN)
    c = client_as(who)
    before = footprint()
    assert c.get(URL).status_code == 403
    assert c.post(URL, {"file": upload(GOOD)}).status_code == 403
    assert c.get(URL + "mau.xlsx").status_code == 403
    assert footprint() == before
    assert f'href="{URL}"' not in c.get("/").content.decode()


def test_the_superuser_may_use_it(client_as):
    assert client_as("quantri").get(URL).status_code == 200
