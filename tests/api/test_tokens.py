"""Personal API tokens (Khóa API): made and revoked by their user in the app, shown once,
kept as a SHA-256 digest, accepted as `Authorization: Bearer …` without CSRF, acting exactly
as the membership chosen for them, and refused once revoked, expired, or when that
membership or the user ends."""
import datetime as dt
import hashlib
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.initiatives.conftest import (TARGETS, at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/khoa-api/"


def text(resp):
    return resp.content.decode()


def make_token(client, membership, name="Báo cáo tháng", expires=""):
    r = client.post(PAGE, {"name": name, "membership": str(membership.pk), "expires": expires})
    assert r.status_code == 200, r.status_code
    raw = re.search(r'<code id="token-value">(dvk_[A-Za-z0-9_-]+)</code>', text(r))
    assert raw, "the new key is shown on the page"
    return raw.group(1), r


def bearer(raw, **extra):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


@pytest.fixture
def second_role(user, unit):
    """gq.thuky also acts as the clerk of Xã Định Hòa (a unit inside Gò Quao)."""
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    return Membership.objects.create(user=user("gq.thuky"), unit=unit("KG-GQ-02"),
                                     role=Role.CLERK)


def test_the_page_makes_a_key_shows_it_once_and_keeps_only_its_digest(client_as, user):
    from dvk.api.models import ApiToken
    from dvk.orgs.models import Membership

    c = client_as("gq.thuky")
    page = text(c.get(PAGE))
    assert "<h1>Khóa API</h1>" in page and "Bạn chưa có khóa API nào." in page
    assert f'href="{PAGE}"' in text(c.get("/"))  # linked from the header of every page
    membership = Membership.objects.get(user=user("gq.thuky"))
    raw, r = make_token(c, membership, expires="90")
    assert "chỉ hiển thị một lần" in text(r)
    assert r["Cache-Control"] == "no-store"
    assert f'curl -H "Authorization: Bearer {raw}" http://testserver/api/v1/units' in text(r)

    token = ApiToken.objects.get(user=user("gq.thuky"))
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps([str(v) for v in ApiToken.objects.values().first().values()])
    assert token.name == "Báo cáo tháng" and token.membership == membership
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    # The list names it by its first characters only; the key itself is never shown again.
    again = text(c.get(PAGE))
    assert raw not in again and f"<code>{raw[:8]}…</code>" in again
    assert "<td>Báo cáo tháng</td>" in again
    assert "<td>Thư ký Ban Chỉ đạo · Huyện Gò Quao</td>" in again


def test_a_key_calls_the_api_as_its_user_and_membership(client_as, second_role):
    c = client_as("gq.thuky")
    raw, _ = make_token(c, second_role)
    # No cookie, no session: the key alone.
    r = bearer(raw).get("/api/v1/units", {"limit": 1000})
    assert r.status_code == 200
    codes = {u["code"] for u in r.json()}
    # The clerk's membership: Xã Định Hòa's subtree, not the whole district of the session.
    assert "KG-GQ-02" in codes and "KG-GQ" not in codes
    assert all(code.startswith("KG-GQ-02") for code in codes)
    session = {u["code"] for u in c.get("/api/v1/units", {"limit": 1000}).json()}
    assert codes < session
    assert bearer(raw).get("/api/v1/units/KG-GQ").status_code == 404


def test_a_key_needs_no_csrf_and_the_session_still_does(client_as, user, unit, at_state):
    from dvk.initiatives.enums import State
    from dvk.orgs.enums import Role
    from dvk.orgs.models import Membership

    reg = at_state(State.SUBMITTED)  # Xã Định Hòa's file at Cơ sở level
    secretariat = Membership.objects.get(user=user("dinhhoa.thuky"), role=Role.SECRETARIAT)
    clerk = Membership.objects.create(user=user("dinhhoa.thuky"), unit=unit("KG-GQ-02"),
                                      role=Role.CLERK)
    owner = client_as("dinhhoa.thuky")
    as_clerk, _ = make_token(owner, clerk, name="văn thư")
    as_secretariat, _ = make_token(owner, secretariat, name="thư ký")
    url = f"/api/v1/registrations/{reg.pk}/accept"

    # The session without its CSRF token is refused before anything happens...
    session = Client(enforce_csrf_checks=True)
    session.force_login(user("dinhhoa.thuky"))
    r = session.post(url, "{}", content_type="application/json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    # ...a key is not asked for one, and acts as its membership: the clerk may not accept.
    r = bearer(as_clerk, enforce_csrf_checks=True).post(url, "{}",
                                                        content_type="application/json")
    assert r.status_code == 403, r.content
    assert r.json()["detail"] == "Vai trò của bạn không được thực hiện thao tác này."
    reg.refresh_from_db()
    assert reg.state == State.SUBMITTED
    r = bearer(as_secretariat, enforce_csrf_checks=True).post(
        url, "{}", content_type="application/json")
    assert r.status_code == 200, r.content
    reg.refresh_from_db()
    assert reg.state == State.ACCEPTED
    # The history names the key's user, as for a click in the app.
    from dvk.common.models import HistoryEntry

    entry = HistoryEntry.objects.filter(object_id=str(reg.pk)).order_by("-pk").first()
    assert entry.actor == user("dinhhoa.thuky")


def _status(raw, path="/api/v1/units"):
    return bearer(raw).get(path).status_code


def test_revoked_expired_or_ended_keys_stop_working(client_as, user, second_role):
    from dvk.api.models import ApiToken

    c = client_as("gq.thuky")
    revoked, _ = make_token(c, second_role, name="a")
    expired, _ = make_token(c, second_role, name="b", expires="30")
    ended, _ = make_token(c, second_role, name="c")
    assert {_status(t) for t in (revoked, expired, ended)} == {200}

    token = ApiToken.objects.get(name="a")
    r = c.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert r.status_code == 302
    assert "Đã thu hồi khóa API “a”" in text(c.get(PAGE))
    assert "<td>a</td>" not in text(c.get(PAGE))
    r = bearer(revoked).get("/api/v1/units")
    assert r.status_code == 401
    assert r.json() == {"detail": "Cần đăng nhập, hoặc gửi khóa API hợp lệ "
                                  "(Authorization: Bearer …).", "code": "unauthenticated"}

    ApiToken.objects.filter(name="b").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _status(expired) == 401

    second_role.is_active = False  # the membership ends
    second_role.save()
    assert _status(ended) == 401
    assert "vai trò đã kết thúc" in text(c.get(PAGE))

    second_role.is_active = True
    second_role.save()
    assert _status(ended) == 200
    u = user("gq.thuky")
    u.is_active = False  # the account is deactivated
    u.save()
    assert _status(ended) == 401


def test_unknown_or_malformed_keys_are_refused_without_falling_back_to_the_session(client_as):
    c = client_as("gq.thuky")
    for header in ("Bearer dvk_" + "x" * 43, "Bearer ", "Bearer " + "dvk_" * 100):
        r = c.get("/api/v1/units", HTTP_AUTHORIZATION=header)
        assert r.status_code == 401, header
    assert c.get("/api/v1/units").status_code == 200
    assert Client().get("/api/v1/units").status_code == 401


def test_last_used_is_recorded(client_as, second_role):
    from dvk.api.models import ApiToken

    c = client_as("gq.thuky")
    raw, _ = make_token(c, second_role)
    assert ApiToken.objects.get().last_used_at is None
    assert "<td>–</td>" in text(c.get(PAGE))
    _status(raw)
    used = ApiToken.objects.get().last_used_at
    assert used is not None and timezone.now() - used < dt.timedelta(seconds=30)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert text(c.get(PAGE)).count(f"<td>{today}</td>") == 2  # created and last used


def test_a_key_is_only_for_ones_own_active_memberships(client_as, user, second_role):
    from dvk.api import tokens
    from dvk.api.models import ApiToken
    from dvk.common.rules import Refused
    from dvk.orgs.models import Membership
    from dvk.orgs.scope import scope_for

    c = client_as("gq.thuky")
    other = Membership.objects.get(user=user("rachgia.vanthu"))
    r = c.post(PAGE, {"name": "x", "membership": str(other.pk)})
    assert r.status_code == 200 and "dvk_" not in text(r)
    assert not ApiToken.objects.exists()
    # Only a superuser may make a whole-system key (no membership).
    r = c.post(PAGE, {"name": "x", "membership": "system"})
    assert not ApiToken.objects.exists()
    with pytest.raises(Refused):
        tokens.create_token(scope_for(user("gq.thuky")), name="x", membership=None)
    with pytest.raises(Refused):
        tokens.create_token(scope_for(user("gq.thuky")), name="x", membership=other)
    second_role.is_active = False
    second_role.save()
    with pytest.raises(Refused):
        tokens.create_token(scope_for(user("gq.thuky")), name="x", membership=second_role)
    # A name is required and plain text (control characters never reach the form: the
    # edge drops them, common.middleware.CleanInputMiddleware, so "\x00" alone is empty).
    mine = Membership.objects.get(user=user("gq.thuky"), is_active=True)
    for bad in ("", "   ", "\x00", "\x00\x07 ", "x" * 101):
        r = c.post(PAGE, {"name": bad, "membership": str(mine.pk)})
        assert r.status_code == 200 and "dvk_" not in text(r), bad
    assert not ApiToken.objects.exists()


def test_a_superuser_may_make_a_whole_system_key(client_as):
    c = client_as("quantri")
    r = c.post(PAGE, {"name": "toàn tỉnh", "membership": "system"})
    raw = re.search(r'<code id="token-value">(dvk_[A-Za-z0-9_-]+)</code>', text(r)).group(1)
    codes = {u["code"] for u in bearer(raw).get("/api/v1/units", {"limit": 1000}).json()}
    assert {"KG", "KG-GQ", "KG-RG"} <= codes
    assert "Quản trị hệ thống (toàn hệ thống)" in text(c.get(PAGE))


def test_nobody_revokes_or_sees_anothers_keys(client_as, user):
    from dvk.api import tokens
    from dvk.api.models import ApiToken
    from dvk.orgs.scope import scope_for

    theirs, raw = tokens.create_token(scope_for(user("rachgia.vanthu")), name="của Rạch Giá",
                                      membership=scope_for(user("rachgia.vanthu")).membership)
    c = client_as("gq.thuky")
    assert "của Rạch Giá" not in text(c.get(PAGE))
    assert c.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert _status(raw) == 200
    assert Client().post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 302


def test_the_schema_offers_both_ways_in(client_as):
    schema = client_as("gq.thuky").get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
