"""Sessions slide forward with activity, but a page view does not write the session row
every time (common/sessions.py): that write was a transaction per request under load."""
import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dvk.common import sessions

pytestmark = pytest.mark.django_db


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _writes(queries):
    return [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))
            and "django_session" in q["sql"]]


def test_a_page_view_soon_after_another_does_not_write_the_session(client_as):
    c = client_as("gq.thuky")
    assert c.get("/").status_code == 200  # the first view marks the session as refreshed
    with CaptureQueriesContext(connection) as queries:
        assert c.get("/mo-hinh/").status_code == 200
    assert _writes(queries) == []


def test_activity_after_the_refresh_interval_pushes_the_expiry_forward(client_as, monkeypatch):
    c = client_as("gq.thuky")
    c.get("/")
    first = _expiry(c)
    later = timezone.now().timestamp() + sessions.REFRESH_SECONDS + 1
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        c.get("/mo-hinh/")
    assert len(_writes(queries)) == 1
    assert _expiry(c) > first


def test_an_idle_session_still_ends(client_as):
    c = client_as("gq.thuky")
    c.get("/")
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    r = c.get("/mo-hinh/")
    assert r.status_code == 302 and "next=" in r["Location"]  # back to the sign-in page
