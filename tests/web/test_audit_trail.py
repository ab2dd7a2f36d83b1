"""The audit trail: each registration, decision and proposal has a readable history page
reached from its own page; the system administrator reads the whole log with filters by
user, unit and dates; nobody can change or delete an entry, by route or in the admin."""
import pytest
from tests.initiatives.conftest import (at_state, dinhhoa_org, draft,  # noqa: F401
                                        field_econ, levels, new_initiative, phase26)

from dvk.common.history import record
from dvk.common.models import HistoryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(draft, user):  # noqa: F811
    reg = draft()
    record(reg, "registration.changed", actor=user("dinhhoa.vanthu"),
           changes={"title": ["Tên cũ", "Tên mới"]}, comment="Sửa theo góp ý")
    return reg


def test_registration_page_links_to_its_readable_history(client_as, edited):
    c = client_as("dinhhoa.vanthu")
    page = c.get(f"/mo-hinh/ho-so/{edited.pk}/").content.decode()
    assert f'href="/nhat-ky/ho-so/{edited.pk}/"' in page
    body = c.get(f"/nhat-ky/ho-so/{edited.pk}/").content.decode()
    assert "Tên cũ" in body and "Tên mới" in body and "Sửa theo góp ý" in body
    assert "registration.changed" in body


def test_another_district_gets_404_on_the_history_page(client_as, edited):
    assert client_as("rachgia.vanthu").get(f"/nhat-ky/ho-so/{edited.pk}/").status_code == 404


def test_system_trail_is_the_system_administrators_only(client_as, edited):
    assert client_as("gq.thuky").get("/nhat-ky/").status_code == 403
    assert client_as("tinh.thuky").get("/nhat-ky/").status_code == 403
    resp = client_as("quantri").get("/nhat-ky/")
    assert resp.status_code == 200 and "Sửa theo góp ý" in resp.content.decode()


def test_trail_filters_by_user_unit_and_dates(client_as, edited, user, unit):
    record(unit("KG"), "unit.changed", actor=user("tinh.thuky"), comment="ở tỉnh")
    c = client_as("quantri")

    def comments(**params):
        return [e.comment for e in c.get("/nhat-ky/", params).context["entries"]]

    assert comments(user="tinh.thuky") == ["ở tỉnh"]
    by_clerk = comments(user="dinhhoa.vanthu")
    assert "Sửa theo góp ý" in by_clerk and "ở tỉnh" not in by_clerk
    # unit: changes by people holding a role in the unit or below it
    in_district = comments(unit="KG-GQ")
    assert "Sửa theo góp ý" in in_district and "ở tỉnh" not in in_district
    assert {"ở tỉnh", "Sửa theo góp ý"} <= set(comments(unit="KG"))
    assert comments(unit="KHONG-CO") == []
    assert comments(since="2000-01-01", until="2000-12-31") == []
    assert "ở tỉnh" in comments(since="2000-01-01")
    assert c.get("/nhat-ky/", {"since": "x", "until": "31/02/2020", "before": "-1"}
                 ).status_code == 200


def test_trail_pages_by_keyset(client_as, user, unit, monkeypatch):
    monkeypatch.setattr("dvk.web.audit.TRAIL_PAGE", 2)
    for i in range(5):
        record(unit("KG"), "unit.changed", actor=user("tinh.thuky"), comment=f"lần {i}")
    c = client_as("quantri")
    first = c.get("/nhat-ky/", {"user": "tinh.thuky"}).context
    assert [e.comment for e in first["entries"]] == ["lần 4", "lần 3"]
    second = c.get("/nhat-ky/", {"user": "tinh.thuky",
                                 "before": first["page_obj"].next_before}).context
    assert [e.comment for e in second["entries"]] == ["lần 2", "lần 1"]


def test_nobody_can_change_or_delete_an_entry(client_as, edited, user):
    from django.contrib.auth import get_user_model

    entry = HistoryEntry.objects.get(object_id=str(edited.pk), action="registration.changed")
    before = (HistoryEntry.objects.count(), entry.comment, entry.changes)
    root = get_user_model().objects.create_superuser("sieu", "s@example.com", "Mk-dai-2026!x")
    for c in (client_as("quantri"), client_as("dinhhoa.vanthu"), client_as("sieu")):
        for url in ("/nhat-ky/", f"/nhat-ky/ho-so/{edited.pk}/"):
            for method in ("post", "put", "patch", "delete"):
                resp = getattr(c, method)(url, {"comment": "xóa dấu vết"})
                assert resp.status_code == 405, (url, method, resp.status_code)
    admin = client_as("sieu")
    assert root.is_superuser
    for url in ("/admin/common/historyentry/", f"/admin/common/historyentry/{entry.pk}/change/",
                f"/admin/common/historyentry/{entry.pk}/delete/"):
        assert admin.get(url).status_code == 404
        assert admin.post(url, {"post": "yes", "comment": "x"}).status_code == 404
    entry.refresh_from_db()
    assert (HistoryEntry.objects.count(), entry.comment, entry.changes) == before


def test_an_entry_whose_changes_name_a_field_items_renders(client_as, user, unit):
    """A proposal's entry stores {"items": …}: the page shows it (no template lookup clash)."""
    record(unit("KG"), "proposal.items_added", actor=user("tinh.thuky"),
           changes={"items": [None, ["Xã Định Hòa"]]})
    body = client_as("quantri").get("/nhat-ky/", {"user": "tinh.thuky"}).content.decode()
    assert "Xã Định Hòa" in body
