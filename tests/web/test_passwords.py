"""Passwords in the app (issue 14, items 5 and 6): a new account sets its own password
through its one-time link (once), the policy answers in Vietnamese and refuses a password
like the username, a signed-in user changes theirs, a forgotten one is reset by email."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dvk.demo.builder import DEMO_PASSWORD
from dvk.orgs.users_import import invitations, set_password_link

pytestmark = pytest.mark.django_db
STRONG = "Dan-van-kheo-2026!"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def invited(db):
    """A new account as `dvk import_users` leaves it: no usable password."""
    user = get_user_model()(username="gq.moi", first_name="Mới", last_name="Nguyễn Văn",
                            email="moi@example.vn")
    user.set_unusable_password()
    user.save()
    return user


def signs_in(username, password) -> bool:
    """Through the sign-in page, as a person would (the lockout backend needs the request)."""
    resp = Client().post("/dang-nhap/", {"username": username, "password": password})
    return resp.status_code == 302 and "/dang-nhap/" not in resp["Location"]


def _path(link):
    return re.sub(r"^https?://[^/]+", "", link)


def messages_of(password, user):
    with translation.override("vi"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return exc.messages
    return []


def test_the_policy_answers_in_vietnamese_and_refuses_the_username_plus_a_digit(user):
    thuky = user("gq.thuky")
    similar = messages_of("gq.thuky1", thuky)
    assert "Mật khẩu quá giống tên đăng nhập của bạn; hãy chọn mật khẩu khác." in similar
    assert messages_of("abc", thuky)[0] == "Mật khẩu quá ngắn: phải có ít nhất 8 ký tự."
    assert any("quá phổ biến" in m for m in messages_of("password123", thuky))
    assert "Mật khẩu chỉ gồm chữ số: hãy thêm chữ cái." in messages_of("83920174651", thuky)
    assert messages_of(STRONG, thuky) == []
    # Nothing English slipped through.
    for p in ("abc", "gq.thuky1", "12345678", "password"):
        for m in messages_of(p, thuky):
            assert not re.search(r"\b(password|the|is|too)\b", m, re.I), m


def test_the_one_time_link_sets_the_first_password_once(invited):
    [inv] = invitations([invited], "http://testserver")
    c = Client()
    page = c.get(_path(inv.link), follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "Đặt mật khẩu của bạn" in html and "gq.moi" in html
    form_url = page.redirect_chain[-1][0]
    # The policy on the page, in Vietnamese.
    weak = c.post(form_url, {"new_password1": "gq.moi123", "new_password2": "gq.moi123"})
    assert "Mật khẩu quá giống tên đăng nhập của bạn" in weak.content.decode()
    done = c.post(form_url, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert "Đã lưu mật khẩu" in done.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(STRONG)
    assert signs_in("gq.moi", STRONG)
    # A second use of the same link is refused.
    again = Client().get(_path(inv.link), follow=True)
    assert "Liên kết này không còn dùng được" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_a_forged_link_is_refused(invited):
    link = set_password_link(invited, "http://testserver")
    forged = re.sub(r"/[^/]+/$", "/abc-123/", _path(link))
    page = Client().get(forged, follow=True)
    assert "Liên kết này không còn dùng được" in page.content.decode()


def test_a_signed_in_user_changes_their_password(client_as, user):
    c = client_as("dinhhoa.vanthu")
    home = c.get("/").content.decode()
    assert 'href="/tai-khoan/doi-mat-khau/"' in home
    page = c.get("/tai-khoan/doi-mat-khau/")
    assert page.status_code == 200 and "Đổi mật khẩu của bạn" in page.content.decode()
    wrong = c.post("/tai-khoan/doi-mat-khau/", {"old_password": "sai", "new_password1": STRONG,
                                                "new_password2": STRONG})
    assert "Mật khẩu cũ" in wrong.content.decode() and user("dinhhoa.vanthu").check_password(
        DEMO_PASSWORD)
    short = c.post("/tai-khoan/doi-mat-khau/", {"old_password": DEMO_PASSWORD,
                                                "new_password1": "Ab1", "new_password2": "Ab1"})
    assert "Mật khẩu quá ngắn: phải có ít nhất 8 ký tự." in short.content.decode()
    done = c.post("/tai-khoan/doi-mat-khau/", {"old_password": DEMO_PASSWORD,
                                               "new_password1": STRONG, "new_password2": STRONG},
                  follow=True)
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert user("dinhhoa.vanthu").check_password(STRONG)
    assert c.get("/").status_code == 200  # still signed in


def test_anonymous_cannot_change_a_password():
    resp = Client().get("/tai-khoan/doi-mat-khau/")
    assert resp.status_code == 302 and "/dang-nhap/" in resp["Location"]


def test_a_forgotten_password_is_reset_by_email(user):
    thuky = user("gq.thuky")
    thuky.email = "lan@example.vn"
    thuky.save()
    c = Client()
    login = c.get("/dang-nhap/").content.decode()
    assert 'href="/tai-khoan/quen-mat-khau/"' in login and "Quên mật khẩu?" in login
    sent = c.post("/tai-khoan/quen-mat-khau/", {"email": "LAN@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in sent.content.decode()
    [message] = mail.outbox
    assert message.to == ["lan@example.vn"] and "gq.thuky" in message.body
    assert "Đặt mật khẩu mới" in message.subject
    link = re.search(r"http://testserver(/tai-khoan/dat-mat-khau/\S+/)", message.body)[1]
    page = c.get(link, follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    c.post(page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert user("gq.thuky").check_password(STRONG)
    assert "Liên kết này không còn dùng được" in c.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail():
    sent = Client().post("/tai-khoan/quen-mat-khau/", {"email": "ai@khong.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in sent.content.decode() and not mail.outbox


def test_an_invited_account_whose_link_expired_can_ask_for_a_new_one(invited):
    Client().post("/tai-khoan/quen-mat-khau/", {"email": "moi@example.vn"})
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


def test_demo_passwords_still_sign_in(user):
    """Demo accounts get DEMO_PASSWORD directly, which the policy never sees."""
    assert signs_in("gq.thuky", DEMO_PASSWORD)
    assert not signs_in("gq.thuky", "gq.thuky1")
