import pytest

from dvk.orgs.enums import Role
from dvk.orgs.models import Membership

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


def test_admin_role_member_without_staff_flag_gets_in(client_as, user, unit):
    u = user("tinh.lanhdao")
    assert not u.is_staff and not u.is_superuser
    Membership.objects.create(user=u, unit=unit("KG"), role=Role.ADMIN)
    c = client_as("tinh.lanhdao")
    assert c.get("/admin/").status_code == 200
    assert c.get("/admin/orgs/membership/").status_code == 200
    # Even at the province, system-wide catalogs are for superusers (see module docstring).
    assert c.get("/admin/orgs/sector/").status_code == 403
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

    from dvk.demo.builder import DEMO_PASSWORD

    first = client.get("/admin/orgs/membership/")
    assert first.status_code == 302
    second = client.get(first["Location"])
    login = reverse(settings.LOGIN_URL)
    assert second.status_code == 302 and second["Location"].startswith(login)
    assert "next=/admin/orgs/membership/" in second["Location"]
    u = user("tinh.lanhdao")
    Membership.objects.create(user=u, unit=unit("KG"), role=Role.ADMIN)
    assert not u.is_staff
    resp = client.post(second["Location"], {"username": "tinh.lanhdao",
                                             "password": DEMO_PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == "/admin/orgs/membership/"
    assert client.get("/admin/orgs/membership/").status_code == 200


# --- a unit's system administrator administers that subtree only ---------------------------
# `gq.quantri` (made here) is the system administrator of Gò Quao (KG-GQ): an admin
# Membership, no superuser or staff flag. `quantri` is a superuser: the whole system.

@pytest.fixture
def gq_admin(db, unit):
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.create_user("gq.quantri", password="x")
    Membership.objects.create(user=u, unit=unit("KG-GQ"), role=Role.ADMIN)
    return u


def _in_gq(unit_obj, unit):
    return unit_obj.is_descendant_of(unit("KG-GQ"))


def test_unit_admin_lists_only_memberships_of_the_subtree(client_as, gq_admin, unit):
    page = client_as("gq.quantri").get("/admin/orgs/membership/")
    assert page.status_code == 200
    shown = list(page.context["cl"].queryset)
    assert shown and all(_in_gq(m.unit, unit) for m in shown)
    assert {m.user.username for m in shown} >= {"gq.thuky", "dinhhoa.vanthu", "gq.quantri"}
    body = page.content.decode()
    assert "rachgia.vanthu" not in body and "tinh.thuky" not in body


def test_unit_admin_cannot_grant_a_membership_outside_or_above(client_as, gq_admin, user, unit):
    c = client_as("gq.quantri")
    before = Membership.objects.count()

    def add(username, code, role):
        return c.post("/admin/orgs/membership/add/", {
            "user": user(username).pk, "unit": unit(code).pk, "role": role, "position": "",
            "is_active": "on"})

    # Themselves as province secretariat: the province is above their unit.
    assert add("gq.quantri", "KG", Role.SECRETARIAT).status_code == 200
    # Someone they administer, on the province or on a sibling district.
    assert add("gq.thuky", "KG", Role.SECRETARIAT).status_code == 200
    assert add("gq.thuky", "KG-RG", Role.CLERK).status_code == 200
    # Admin of their own unit: a peer who could remove them; the level above appoints those.
    assert add("gq.thuky", "KG-GQ", Role.ADMIN).status_code == 200
    # A user they do not administer (province staff), even on a unit of theirs.
    assert add("tinh.thuky", "KG-GQ-02", Role.CLERK).status_code == 200
    # Nothing at all for themselves, not even inside their subtree.
    assert add("gq.quantri", "KG-GQ-02", Role.CLERK).status_code == 200
    assert Membership.objects.count() == before

    # Inside the subtree they grant roles, and delegate administration of a unit below.
    assert add("gq.thamdinh", "KG-GQ", Role.SECRETARIAT).status_code == 302
    assert add("gq.thuky", "KG-GQ-02", Role.ADMIN).status_code == 302
    assert Membership.objects.count() == before + 2


def test_unit_admin_cannot_move_a_membership_out_or_up(client_as, gq_admin, user, unit):
    m = Membership.objects.get(user=user("gq.thuky"), unit=unit("KG-GQ"))
    c = client_as("gq.quantri")
    for code, role in (("KG", Role.SECRETARIAT), ("KG-GQ", Role.ADMIN)):
        response = c.post(f"/admin/orgs/membership/{m.pk}/change/", {
            "user": m.user_id, "unit": unit(code).pk, "role": role, "position": "",
            "is_active": "on"})
        assert response.status_code == 200
        m.refresh_from_db()
        assert m.unit == unit("KG-GQ") and m.role == Role.SECRETARIAT


def test_admin_memberships_of_the_own_unit_are_read_only_to_its_admin(client_as, gq_admin):
    own = Membership.objects.get(user=gq_admin, role=Role.ADMIN)
    c = client_as("gq.quantri")
    page = c.get(f"/admin/orgs/membership/{own.pk}/change/")
    assert page.status_code == 200 and 'name="role"' not in page.content.decode()
    assert c.post(f"/admin/orgs/membership/{own.pk}/change/", {
        "user": gq_admin.pk, "unit": own.unit_id, "role": Role.ADMIN,
        "is_active": ""}).status_code == 403
    assert c.post(f"/admin/orgs/membership/{own.pk}/delete/", {"post": "yes"}).status_code == 403
    assert c.post("/admin/orgs/membership/", {"action": "delete_selected", "post": "yes",
                                              "_selected_action": [own.pk]}).status_code == 403
    own.refresh_from_db()
    assert own.is_active


def test_a_membership_of_the_subtree_stays_editable_when_its_user_acts_elsewhere(
        client_as, gq_admin, user, unit):
    """The user is not theirs (they also act for Rạch Giá), but the membership on Gò Quao
    is: it can be deactivated, though not handed to that user anew."""
    from dvk.phases.models import SteeringCommittee

    appraiser = user("gq.thamdinh")
    Membership.objects.create(user=appraiser, unit=unit("KG-RG"), role=Role.CLERK)
    m = Membership.objects.get(user=appraiser, unit=unit("KG-GQ"))
    c = client_as("gq.quantri")
    response = c.post(f"/admin/orgs/membership/{m.pk}/change/", {
        "user": appraiser.pk, "unit": m.unit_id, "role": m.role, "position": ""})
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active
    other = Membership.objects.get(user=user("gq.thuky"), unit=unit("KG-GQ"))
    response = c.post(f"/admin/orgs/membership/{other.pk}/change/", {
        "user": appraiser.pk, "unit": other.unit_id, "role": other.role, "is_active": "on"})
    assert response.status_code == 200
    assert Membership.objects.get(pk=other.pk).user == user("gq.thuky")

    # Likewise a committee seat held by a province official.
    committee = SteeringCommittee.objects.filter(unit=unit("KG-GQ")).first()
    seat = committee.members.first()
    seat.user = user("tinh.thuky")
    seat.save()
    page = c.get(f"/admin/phases/steeringcommittee/{committee.pk}/change/")
    seats = page.context["inline_admin_formsets"][0].formset.forms
    assert {u.username for u in seats[0].fields["user"].queryset} >= {"tinh.thuky", "gq.thuky"}
    assert "tinh.thuky" not in {u.username for u in seats[1].fields["user"].queryset}


def test_form_choices_offer_only_the_subtree(client_as, gq_admin, unit):
    c = client_as("gq.quantri")
    form = c.get("/admin/orgs/membership/add/").context["adminform"].form
    units = list(form.fields["unit"].queryset)
    assert unit("KG-GQ") in units and unit("KG-GQ-02") in units
    assert all(_in_gq(u, unit) for u in units)
    users = {u.username for u in form.fields["user"].queryset}
    assert {"gq.thuky", "gq.thamdinh", "dinhhoa.vanthu"} <= users
    assert not users & {"quantri", "tinh.thuky", "tinh.lanhdao", "rachgia.vanthu", "gq.quantri"}

    parents = c.get("/admin/orgs/unit/add/").context["adminform"].form.fields["parent"]
    assert parents.required and all(_in_gq(u, unit) for u in parents.queryset)
    committee_units = c.get("/admin/phases/steeringcommittee/add/").context[
        "adminform"].form.fields["unit"].queryset
    assert committee_units.exists() and all(_in_gq(u, unit) for u in committee_units)
    committees = c.get("/admin/phases/appraisalteam/add/").context[
        "adminform"].form.fields["committee"].queryset
    assert committees.exists() and all(_in_gq(x.unit, unit) for x in committees)

    # The autocomplete and raw-id lookups behind the unit and user fields.
    found = c.get("/admin/autocomplete/", {"app_label": "orgs", "model_name": "membership",
                                          "field_name": "unit", "term": "Rạch Giá"})
    assert found.status_code == 200 and found.json()["results"] == []
    popup = c.get("/admin/orgs/unit/", {"_popup": "1", "_to_field": "id", "q": "Rạch Giá"})
    assert popup.status_code == 200 and not popup.context["cl"].queryset.exists()
    found = c.get("/admin/autocomplete/", {"app_label": "orgs", "model_name": "membership",
                                          "field_name": "user", "term": "tinh"})
    assert found.status_code == 200 and found.json()["results"] == []


def test_objects_outside_the_subtree_are_not_found(client_as, gq_admin, user, unit):
    from dvk.phases.models import AppraisalTeam, SteeringCommittee

    c = client_as("gq.quantri")
    m = Membership.objects.get(user=user("rachgia.vanthu"))
    up = Membership.objects.get(user=user("tinh.thuky"))
    rg = SteeringCommittee.objects.filter(unit=unit("KG-RG")).first()
    team = AppraisalTeam.objects.filter(committee=rg).first()
    urls = [f"/admin/orgs/membership/{m.pk}/change/", f"/admin/orgs/membership/{m.pk}/delete/",
            f"/admin/orgs/membership/{m.pk}/history/", f"/admin/orgs/membership/{up.pk}/change/",
            f"/admin/orgs/unit/{unit('KG-RG').pk}/change/",
            f"/admin/orgs/unit/{unit('KG').pk}/change/",
            f"/admin/auth/user/{user('rachgia.vanthu').pk}/change/",
            f"/admin/auth/user/{user('rachgia.vanthu').pk}/password/",
            f"/admin/auth/user/{user('quantri').pk}/change/",
            f"/admin/phases/steeringcommittee/{rg.pk}/change/",
            f"/admin/phases/appraisalteam/{team.pk}/change/"]
    for url in urls:
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"post": "yes"}).status_code == 404, url
    assert Membership.objects.filter(pk=m.pk).exists()
    # Their own unit's entry belongs to the level above: visible, not changeable.
    gq = unit("KG-GQ")
    assert c.get(f"/admin/orgs/unit/{gq.pk}/change/").status_code == 200
    assert c.post(f"/admin/orgs/unit/{gq.pk}/change/", {
        "code": gq.code, "name": "Huyện Gò Quao (đổi)", "kind": gq.kind}).status_code == 403
    assert unit("KG-GQ").name == gq.name


def test_unit_admin_sees_no_system_wide_catalog_nor_other_admin(client_as, gq_admin, rf):
    from django.contrib import admin

    from dvk.orgs.models import Sector

    c = client_as("gq.quantri")
    index = c.get("/admin/")
    assert index.status_code == 200
    body = index.content.decode()
    for url in ("/admin/orgs/unit/", "/admin/orgs/membership/", "/admin/auth/user/",
                "/admin/phases/steeringcommittee/", "/admin/phases/appraisalteam/"):
        assert url in body
    for url in ("/admin/orgs/sector/", "/admin/orgs/unitevent/", "/admin/phases/phase/",
                "/admin/initiatives/field/", "/admin/initiatives/tag/",
                "/admin/awards/awardkind/", "/admin/initiatives/importbatch/",
                "/admin/auth/group/", "/admin/axes/accessattempt/"):
        assert url not in body
        assert c.get(url).status_code == 403, url
    sector = Sector.objects.get(code="khac")
    assert c.post(f"/admin/orgs/sector/{sector.pk}/change/", {
        "code": "khac", "name": "Đổi", "order": 9}).status_code == 403

    # Every registered model: restricted to the subtree, or closed to a unit admin.
    request = rf.get("/admin/")
    request.user = gq_admin
    subtree = {"orgs.unit", "orgs.membership", "auth.user", "phases.steeringcommittee",
               "phases.appraisalteam"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in subtree:
            assert model_admin.get_queryset(request).count() < model._default_manager.count()
        else:
            assert not any([model_admin.has_module_permission(request),
                            model_admin.has_view_permission(request),
                            model_admin.has_add_permission(request),
                            model_admin.has_change_permission(request),
                            model_admin.has_delete_permission(request)]), model


def test_unit_admin_edits_only_users_of_the_subtree_and_no_privilege(client_as, gq_admin, user,
                                                                     unit):
    from django.contrib.auth.models import Group

    c = client_as("gq.quantri")
    shown = {u.username for u in c.get("/admin/auth/user/").context["cl"].queryset}
    assert {"gq.thuky", "gq.thamdinh", "dinhhoa.vanthu"} <= shown
    assert not shown & {"quantri", "tinh.thuky", "rachgia.vanthu", "gq.quantri"}

    # A user who also acts for Rạch Giá is not theirs to edit.
    Membership.objects.create(user=user("gq.thamdinh"), unit=unit("KG-RG"), role=Role.CLERK)
    assert c.get(f"/admin/auth/user/{user('gq.thamdinh').pk}/change/").status_code == 404

    group = Group.objects.create(name="everything")
    target = user("gq.thuky")
    page = c.get(f"/admin/auth/user/{target.pk}/change/").content.decode()
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in page
    response = c.post(f"/admin/auth/user/{target.pk}/change/", {
        "username": "gq.thuky", "first_name": "Lan", "last_name": "Phạm Thị", "email": "",
        "is_active": "on", "is_superuser": "on", "is_staff": "on", "groups": [group.pk]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Lan"
    assert not target.is_superuser and not target.is_staff and not target.groups.exists()
    assert c.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403


def test_unit_admin_creates_a_user_with_a_first_membership_in_the_subtree(client_as, gq_admin,
                                                                          unit):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    c = client_as("gq.quantri")

    def add(username, code, role):
        return c.post("/admin/auth/user/add/", {
            "username": username, "usable_password": "true", "password1": "Kh3o-van-dong!",
            "password2": "Kh3o-van-dong!", "unit": unit(code).pk, "role": role})

    assert add("tinh.moi", "KG", Role.CLERK).status_code == 200
    assert add("gq.admin2", "KG-GQ", Role.ADMIN).status_code == 200
    assert not User.objects.filter(username__in=["tinh.moi", "gq.admin2"]).exists()
    assert c.post("/admin/auth/user/add/", {
        "username": "mo.coi", "usable_password": "true", "password1": "Kh3o-van-dong!",
        "password2": "Kh3o-van-dong!"}).status_code == 200
    assert not User.objects.filter(username="mo.coi").exists()

    response = add("dinhhoa.moi", "KG-GQ-02", Role.CLERK)
    assert response.status_code == 302
    new = User.objects.get(username="dinhhoa.moi")
    assert not new.is_superuser and not new.is_staff
    assert list(new.memberships.values_list("unit__code", "role")) == [("KG-GQ-02", Role.CLERK)]
    assert c.get(response["Location"]).status_code == 200


def test_superuser_still_administers_everything(client_as, gq_admin, user, unit):
    from django.contrib.auth import get_user_model

    c = client_as("quantri")
    memberships = c.get("/admin/orgs/membership/").context["cl"].queryset
    assert memberships.count() == Membership.objects.count()
    users = c.get("/admin/auth/user/").context["cl"].queryset
    assert users.count() == get_user_model().objects.count()
    form = c.get("/admin/orgs/membership/add/").context["adminform"].form
    assert form.fields["unit"].queryset.count() == unit("KG").__class__.objects.count()
    response = c.post("/admin/orgs/membership/add/", {
        "user": gq_admin.pk, "unit": unit("KG").pk, "role": Role.ADMIN, "position": "",
        "is_active": "on"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=gq_admin, unit=unit("KG"), role=Role.ADMIN).exists()
    page = c.get(f"/admin/auth/user/{gq_admin.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page
    assert c.get(f"/admin/orgs/membership/{Membership.objects.get(user=user('rachgia.vanthu')).pk}"
                 "/change/").status_code == 200
    assert c.get("/admin/orgs/sector/").status_code == 200
