"""Friendly error pages: Vietnamese (English when chosen), in the app's look, with a way home,
also under DEBUG (`make run`), and a 500 page that needs neither the database nor the request.

This module is also the URLconf of the tests that need a failing view (`pytest.mark.urls`).
"""
import pytest
from django.core.exceptions import BadRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

import dvk.urls


def _boom(request):
    raise RuntimeError("something broke")


def _bad(request):
    raise BadRequest("malformed")


urlpatterns = [path("boom/", _boom), path("bad/", _bad), *dvk.urls.urlpatterns]
handler500 = getattr(dvk.urls, "handler500", "django.views.defaults.server_error")

TECHNICAL = ("URLconf", "Django tried these URL patterns", "DEBUG = True", "Traceback")


def text(response):
    return response.content.decode()


def assert_friendly(body, title):
    assert f"<h1>{title}</h1>" in body
    assert 'id="error-page"' in body
    assert 'id="error-home"' in body and 'href="/"' in body
    assert "dvk/app.css" in body  # the app's look
    for marker in TECHNICAL:
        assert marker not in body


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_out_of_scope_object_shows_the_friendly_404_even_under_debug(client_as, debug):
    url = reverse("units:detail", kwargs={"unit_code": "KG-RG"})  # Rạch Giá, not Gò Quao's
    with override_settings(DEBUG=debug):
        r = client_as("gq.thuky").get(url)
    assert r.status_code == 404
    body = text(r)
    assert_friendly(body, "Không tìm thấy trang")
    assert 'class="mainnav"' in body  # inside the layout, with the menu of the signed-in user


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_unknown_address_shows_the_friendly_404_even_under_debug(client_as, debug):
    with override_settings(DEBUG=debug):
        r = client_as("gq.thuky").get("/khong-co-trang-nay/")
    assert r.status_code == 404
    assert_friendly(text(r), "Không tìm thấy trang")


@pytest.mark.django_db
def test_missing_trailing_slash_still_redirects_under_debug(client_as):
    with override_settings(DEBUG=True):
        r = client_as("gq.thuky").get("/don-vi")
    assert r.status_code == 301 and r["Location"] == "/don-vi/"


@pytest.mark.django_db
def test_404_in_english(client_as):
    r = client_as("gq.thuky").get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    assert_friendly(text(r), "Page not found")
    assert "Back to the home page" in text(r)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_forbidden_action_shows_the_friendly_403(client_as, debug):
    with override_settings(DEBUG=debug):
        r = client_as("dinhhoa.vanthu").get(reverse("phases:edit", kwargs={"phase_code": "2026-2030"}))
    assert r.status_code == 403
    body = text(r)
    assert_friendly(body, "Không có quyền truy cập")
    assert 'class="mainnav"' in body


@pytest.mark.django_db
def test_expired_form_shows_the_friendly_csrf_page():
    c = Client(enforce_csrf_checks=True)
    r = c.post(reverse("login"), {"username": "gq.thuky", "password": "x"})
    assert r.status_code == 403
    assert_friendly(text(r), "Biểu mẫu đã hết hạn")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_bad_request_shows_the_friendly_400(client):
    r = client.get("/bad/")
    assert r.status_code == 400
    assert_friendly(text(r), "Yêu cầu không hợp lệ")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_shows_the_friendly_500(client):
    client.raise_request_exception = False
    r = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 500
    body = text(r)
    assert_friendly(body, "Server error")
    assert "something broke" not in body


def test_500_page_renders_without_database_or_request_context():
    """No `db` mark: any query would fail the render, and the fallback text would show."""
    from django.utils import translation

    from dvk.web.errors import server_error

    request = RequestFactory().get("/")  # no session, no user, no scope
    with translation.override("vi"):
        r = server_error(request)
    assert r.status_code == 500
    assert_friendly(text(r), "Lỗi máy chủ")
    assert "Về trang chủ" in text(r)
