"""Sign-in lockout (django-axes, common/lockout.py): an account from one address after
AXES_FAILURE_LIMIT failures (5), and an address after DVK_LOCKOUT_IP_FAILURE_LIMIT
failures (30) whatever the usernames, so one password tried across many accounts is
stopped; a successful sign-in never clears the address's count."""
import pytest
from django.test import Client
from django.urls import reverse

from dvk.demo.builder import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "<h1>Tài khoản tạm khóa</h1>"


def attempt(client, username, password="mat-khau-pho-bien-2026"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_documented_limits(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.DVK_LOCKOUT_IP_FAILURE_LIMIT == 30
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]


@pytest.fixture
def ip_limit(settings):
    """The address's limit lowered to 10, and unknown usernames checked against a cheap
    dummy hash: each attempt would otherwise cost an Argon2 hash."""
    settings.DVK_LOCKOUT_IP_FAILURE_LIMIT = 10
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 *settings.PASSWORD_HASHERS]
    return 10


def test_one_password_across_many_usernames_from_one_address_is_locked_out(ip_limit):
    attacker = Client(REMOTE_ADDR="203.0.113.50")
    # Ten different accounts, one guess each: below every account's own limit.
    for i in range(ip_limit):
        r = attacker.post(reverse("login"), {"username": f"canbo{i:02d}",
                                             "password": "mat-khau-pho-bien-2026"})
        assert r.status_code in (200, 429), r.status_code
        if i < ip_limit - 1:
            assert LOCKED not in r.content.decode(), f"locked after {i + 1} accounts"
    # The address is now locked for every account, even with a right password...
    r = attempt(attacker, "gq.thuky", DEMO_PASSWORD)
    assert r.status_code == 429 and LOCKED in r.content.decode()
    assert "_auth_user_id" not in attacker.session
    # ...while the account itself still signs in from elsewhere.
    r = attempt(Client(REMOTE_ADDR="203.0.113.51"), "gq.thuky", DEMO_PASSWORD)
    assert r.status_code == 302


def test_a_few_colleagues_mistyping_behind_one_address_are_not_locked_out():
    office = Client(REMOTE_ADDR="203.0.113.60")
    for name in ("gq.thuky", "gq.thamdinh", "dinhhoa.vanthu", "dinhhoa.thuky", "tinh.thuky",
                 "tinh.lanhdao"):
        for _ in range(2):
            assert attempt(office, name, "go-nham").status_code == 200
    # Twelve failures from the address: each account signs in.
    for name in ("gq.thuky", "tinh.lanhdao"):
        r = attempt(Client(REMOTE_ADDR="203.0.113.60"), name, DEMO_PASSWORD)
        assert r.status_code == 302, name


def test_signing_in_with_ones_own_account_does_not_reset_the_addresss_count(ip_limit):
    attacker = Client(REMOTE_ADDR="203.0.113.70")
    for i in range(ip_limit - 1):
        attempt(attacker, f"nguoi{i:02d}")
    # The attacker's own valid account: it signs in (9 < 10)...
    assert attempt(Client(REMOTE_ADDR="203.0.113.70"), "rachgia.vanthu",
                   DEMO_PASSWORD).status_code == 302
    # ...and the next guess at someone else still locks the address.
    attempt(attacker, "nguoi-cuoi")
    r = attempt(Client(REMOTE_ADDR="203.0.113.70"), "rachgia.vanthu", DEMO_PASSWORD)
    assert r.status_code == 429 and LOCKED in r.content.decode()
