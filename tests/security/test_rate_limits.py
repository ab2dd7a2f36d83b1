"""Rate limits (common/ratelimit.py): sign-in attempts per client address, API requests per
user (session or key alike) and unauthenticated API requests per address, each answered 429
in Vietnamese with Retry-After; a fixed window per limit in Django's cache (Redis when
CACHE_URL/REDIS_URL is set, so every app server shares one count)."""
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from dvk.common import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Small limits, counted from zero."""
    cache.clear()
    settings.DVK_API_RATE = "3/m"
    settings.DVK_LOGIN_RATE = "3/m"
    yield settings
    cache.clear()


def test_rates_read_as_written():
    assert ratelimit.parse_rate("120/m") == (120, 60)
    assert ratelimit.parse_rate("20/min") == (20, 60)
    assert ratelimit.parse_rate("1000/h") == (1000, 3600)
    assert ratelimit.parse_rate("5/10s") == (5, 10)
    assert ratelimit.parse_rate("50000/d") == (50000, 86400)
    for off in ("", "0", "off", None, "0/m"):
        assert ratelimit.parse_rate(off) is None
    for bad in ("120", "x/m", "10/w", "-1/m"):
        with pytest.raises(ImproperlyConfigured):
            ratelimit.parse_rate(bad)


def test_the_window_is_fixed_and_starts_again(limits, monkeypatch):
    now = [60 * 16_667 + 20.0]  # 20 s into a minute
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    assert [ratelimit.hit("api", "someone") for _ in range(3)] == [None, None, None]
    assert ratelimit.hit("api", "someone") == 40  # seconds left in this minute
    assert ratelimit.hit("api", "someone else") is None
    now[0] += 40
    assert ratelimit.hit("api", "someone") is None


def test_the_api_answers_429_in_vietnamese_per_user(limits, client_as):
    c = client_as("gq.thuky")
    assert [c.get("/api/v1/units").status_code for _ in range(3)] == [200] * 3
    r = c.get("/api/v1/units")
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert r.json()["detail"].startswith("Quá nhiều yêu cầu trong thời gian ngắn. "
                                         "Vui lòng thử lại sau ")
    assert 1 <= int(r["Retry-After"]) <= 60
    # Another user from the same address keeps their own count.
    assert client_as("gq.thamdinh").get("/api/v1/units").status_code == 200


def test_a_users_keys_share_the_users_count(limits, client_as, user):
    from dvk.api import tokens
    from dvk.orgs.scope import scope_for

    scope = scope_for(user("gq.thuky"))
    raws = [tokens.create_token(scope, name=f"k{i}", membership=scope.membership)[1]
            for i in range(2)]
    statuses = [Client(HTTP_AUTHORIZATION=f"Bearer {raws[i % 2]}").get("/api/v1/units")
                .status_code for i in range(3)]
    assert statuses == [200] * 3
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raws[0]}").get("/api/v1/units").status_code == 429
    assert client_as("gq.thuky").get("/api/v1/units").status_code == 429


def test_unauthenticated_api_requests_count_per_address(limits):
    guesses = [Client(HTTP_AUTHORIZATION=f"Bearer dvk_guess{i}", REMOTE_ADDR="203.0.113.7")
               .get("/api/v1/units").status_code for i in range(4)]
    assert guesses == [401, 401, 401, 429]
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/v1/units").status_code == 401


def test_sign_in_attempts_are_limited_per_address_with_a_friendly_page(limits):
    from dvk.demo.builder import DEMO_PASSWORD

    c = Client(REMOTE_ADDR="198.51.100.4")
    for i in range(3):
        r = c.post(reverse("login"), {"username": f"ai-do-{i}", "password": "sai"})
        assert r.status_code == 200
    # The fourth attempt is not even checked, right password or not.
    r = c.post(reverse("login"), {"username": "gq.thuky", "password": DEMO_PASSWORD})
    assert r.status_code == 429
    body = r.content.decode()
    assert "<h1>Đăng nhập quá nhiều lần</h1>" in body
    assert "Vui lòng chờ" in body and "giây rồi thử lại" in body
    assert 'href="/dang-nhap/"' in body
    assert "_auth_user_id" not in c.session
    assert 1 <= int(r["Retry-After"]) <= 60
    # Reading the page is not an attempt; another address signs in.
    assert c.get(reverse("login")).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.5")
    r = other.post(reverse("login"), {"username": "gq.thuky", "password": DEMO_PASSWORD})
    assert r.status_code == 302


def test_the_client_address_behind_proxies(settings):
    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.DVK_PROXY_COUNT = 0  # no proxy: the header is the client's own, never believed
    assert ratelimit.client_address(forged) == "10.0.0.2"
    settings.DVK_PROXY_COUNT = 1  # one proxy appended the address it saw, the right-most
    assert ratelimit.client_address(forged) == "203.0.113.9"
    settings.DVK_PROXY_COUNT = 2
    assert ratelimit.client_address(forged) == "1.2.3.4"
    settings.DVK_PROXY_COUNT = 3  # fewer entries than proxies, or garbage: the peer
    assert ratelimit.client_address(forged) == "10.0.0.2"
    settings.DVK_PROXY_COUNT = 1
    junk = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert ratelimit.client_address(junk) == "10.0.0.2"


DVK = os.path.join(os.path.dirname(sys.executable), "dvk")
SHOW_CACHE = ("from django.conf import settings as s; c = s.CACHES['default'];"
              " print(c['BACKEND'], c.get('LOCATION', '-'))")


@pytest.mark.parametrize("env, backend, location", [
    ({}, "django.core.cache.backends.locmem.LocMemCache", "-"),
    ({"CACHE_URL": "redis://cache.internal:6379/1"},
     "django.core.cache.backends.redis.RedisCache", "redis://cache.internal:6379/1"),
    ({"REDIS_URL": "redis://queue.internal:6379/0"},
     "django.core.cache.backends.redis.RedisCache", "redis://queue.internal:6379/0"),
])
def test_a_shared_cache_is_a_setting(tmp_path, env, backend, location):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CACHE_URL", "REDIS_URL", "DATABASE_URL", "DVK_VAR_DIR")}
    clean.update(env, DVK_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db")
    r = subprocess.run([DVK, "shell", "--no-imports", "-c", SHOW_CACHE], env=clean,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [backend, location]
