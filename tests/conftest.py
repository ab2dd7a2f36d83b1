"""Shared fixtures: the demo province is built once per test database (scale 0.05),
and every test runs inside a transaction that is rolled back.

Personas (usernames from the demo): province secretariat `tinh.thuky`, district
secretariat `gq.thuky` (Gò Quao), commune clerk `dinhhoa.vanthu` (Định Hòa, Gò Quao),
appraisers `tinh.thamdinh` / `gq.thamdinh`, leader `tinh.lanhdao`, admin `quantri`,
and `rachgia.vanthu`, a clerk of a sibling district who must see nothing of Gò Quao.
"""
import os

import pytest

# Playwright's sync API keeps an asyncio loop running in the test process once the
# session-wide browser has started; Django would then refuse ORM calls of later tests in
# the same worker as "async context". Nothing here runs async, so the guard is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_SCALE = 0.05


def pytest_configure(config):
    # Tests set data up and read it back through Model.objects; every request the tests
    # send (and every background job) still enforces scoping (dvk/common/scoping.py).
    from dvk.common.scoping import allow_by_default

    allow_by_default("the test suite sets data up and reads it back directly")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from dvk.demo.builder import DemoBuilder

    with django_db_blocker.unblock():
        DemoBuilder(scale=DEMO_SCALE, reform=False).build()
    yield
    # Playwright's sync API runs test code in greenlets, each with its own context, so the
    # ORM may have opened a second connection there that nothing closes; PostgreSQL then
    # refuses to drop the test database. End such sessions before pytest-django drops it.
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The suite sends thousands of requests a minute as one user from one address; the
    rate limits are proven where they are switched back on (tests/security/test_rate_limits.py)."""
    settings.DVK_API_RATE = settings.DVK_LOGIN_RATE = ""


@pytest.fixture
def user(db):
    from django.contrib.auth import get_user_model

    def get(username):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_as(client, user):
    """client_as("gq.thuky") → a test client signed in as that demo user."""
    from django.test import Client

    def make(username):
        c = Client()
        c.force_login(user(username))
        return c

    return make


@pytest.fixture
def scope_of(user):
    from dvk.orgs.scope import scope_for

    def make(username):
        return scope_for(user(username))

    return make


@pytest.fixture
def unit(db):
    from dvk.orgs.models import Unit

    def get(code):
        return Unit.objects.get(code=code)

    return get


# --- real app in a browser ---------------------------------------------------------------
# Browser tests drive the real server process (`dvk runserver` + `dvk db_worker`) on its own
# database, seeded with the demo, so they never disturb the transactional tests.

def fresh_database_url(name: str, folder) -> str:
    """An empty database of the suite's engine for a process of its own: on PostgreSQL a
    database `name_<xdist worker>` next to the suite's, else a SQLite file in `folder`."""
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        return f"sqlite:///{folder / 'dvk.sqlite3'}"
    import psycopg

    name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'gw')}"
    admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """URL of a running DVK with the demo province (scale 0.05); same DB engine as the suite."""
    import subprocess
    import sys
    import time
    import urllib.request

    # Every browser test signs in from 127.0.0.1 within minutes: no sign-in or API rate limit
    # (tests/security/test_rate_limits.py proves them).
    env = dict(os.environ, DEBUG="1", SECRET_KEY="e2e-only", TASKS_BACKEND="db",
               DVK_LOGIN_RATE="0", DVK_API_RATE="0",
               DATABASE_URL=fresh_database_url("dvk_e2e", tmp_path_factory.mktemp("e2e")))
    env["MEDIA_ROOT"] = str(tmp_path_factory.mktemp("media"))
    dvk = os.path.join(os.path.dirname(sys.executable), "dvk")
    subprocess.run([dvk, "migrate", "-v0", "--no-input"], env=env, check=True)
    subprocess.run([dvk, "seed_demo", "--scale", str(DEMO_SCALE)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen([dvk, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dvk, "db_worker", "--queue-name", "*", "--interval", "0.2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    # A busy 2-core machine can take a while to start the server: wait up to 2 minutes.
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/dang-nhap/", timeout=2)
            break
        except Exception:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the DVK server for browser tests did not start")
            time.sleep(0.3)
    yield url
    for p in (server, worker):
        p.terminate()
        p.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--disable-gpu", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page_as(chromium, live_app):
    """page_as("gq.thuky") → a Playwright page signed in as that demo user (Vietnamese UI)."""
    from dvk.demo.builder import DEMO_PASSWORD

    from tests.browser import follow

    contexts = []

    def make(username, language="vi"):
        ctx = chromium.new_context(locale="vi-VN" if language == "vi" else "en-GB",
                                   viewport={"width": 1366, "height": 900},
                                   extra_http_headers={"Accept-Language": language})
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.goto(live_app + "/dang-nhap/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        follow(page, "button[type=submit], button.primary")
        return page

    yield make
    for ctx in contexts:
        ctx.close()

