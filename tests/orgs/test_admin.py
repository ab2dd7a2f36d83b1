import pytest

from dvk.orgs.enums import Role
from dvk.orgs.models import Membership, Sector

pytestmark = pytest.mark.django_db


def test_secretariat_is_refused_at_admin(client_as):
    c = client_as("tinh.thuky")
    for url in ("/admin/", "/admin/orgs/sector/", "/admin/orgs/unit/"):
        response = c.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_flag_alone_does_not_open_admin(client_as, user):
    u = user("gq.thuky")
    u.is_staff = True
    u.save()
    assert client_as("gq.thuky").get("/admin/").status_code == 302


def test_superuser_sees_catalogs(client_as):
    c = client_as("quantri")
    index = c.get("/admin/")
    assert index.status_code == 200
    for name in ("/admin/orgs/sector/", "/admin/orgs/unit/", "/admin/phases/phase/",
                 "/admin/initiatives/field/", "/admin/awards/awardkind/"):
        assert name.encode() in index.content
    sectors = c.get("/admin/orgs/sector/")
    assert sectors.status_code == 200 and "Mặt trận - Đoàn thể" in sectors.content.decode()


def test_admin_role_member_without_staff_flag_manages_catalogs(client_as, user, unit):
    u = user("tinh.lanhdao")
    assert not u.is_staff and not u.is_superuser
    Membership.objects.create(user=u, unit=unit("KG"), role=Role.ADMIN)
    c = client_as("tinh.lanhdao")
    assert c.get("/admin/").status_code == 200
    assert c.get("/admin/orgs/sector/").status_code == 200
    sector = Sector.objects.get(code="khac")
    response = c.post(f"/admin/orgs/sector/{sector.pk}/change/",
                      {"code": "khac", "name": "Khác (đơn vị khác)", "order": 9})
    assert response.status_code == 302
    assert Sector.objects.get(pk=sector.pk).name == "Khác (đơn vị khác)"
    Membership.objects.filter(user=u, role=Role.ADMIN).update(is_active=False)
    assert c.get("/admin/").status_code == 302


def test_unit_tree_fields_are_read_only_and_rename_is_recorded(client_as, unit):
    from dvk.orgs.models import UnitEvent

    c = client_as("quantri")
    u = unit("KG-GQ-02")
    page = c.get(f"/admin/orgs/unit/{u.pk}/change/")
    assert page.status_code == 200
    assert 'name="parent"' not in page.content.decode()
    response = c.post(f"/admin/orgs/unit/{u.pk}/change/",
                      {"code": u.code, "name": "Xã Định Hòa (mới)", "kind": u.kind,
                       "sector": "", "parent": unit("KG-RG").pk})
    assert response.status_code == 302
    u = unit("KG-GQ-02")
    assert u.name == "Xã Định Hòa (mới)" and u.parent == unit("KG-GQ")
    assert UnitEvent.objects.filter(kind="rename", sources=u).exists()
    assert c.get("/admin/orgs/unitevent/").status_code == 200
    found = c.get("/admin/orgs/unit/?q=dinh+hoa+moi")
    assert found.status_code == 200 and "Xã Định Hòa (mới)" in found.content.decode()


def test_anonymous_admin_visitors_sign_in_on_the_app_page_even_without_staff_flag(
        client, user, unit):
    from django.conf import settings
    from django.urls import reverse

    from dvk.orgs.demo.builder import DEMO_PASSWORD

    first = client.get("/admin/orgs/sector/")
    assert first.status_code == 302
    second = client.get(first["Location"])
    login = reverse(settings.LOGIN_URL)
    assert second.status_code == 302 and second["Location"].startswith(login)
    assert "next=/admin/orgs/sector/" in second["Location"]
    u = user("tinh.lanhdao")
    Membership.objects.create(user=u, unit=unit("KG"), role=Role.ADMIN)
    assert not u.is_staff
    resp = client.post(second["Location"], {"username": "tinh.lanhdao",
                                             "password": DEMO_PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == "/admin/orgs/sector/"
    assert client.get("/admin/orgs/sector/").status_code == 200
