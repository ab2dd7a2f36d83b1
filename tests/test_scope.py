import pytest

from dvk.initiatives.queries import registrations_for
from dvk.orgs import scope as scopes

pytestmark = pytest.mark.django_db


def test_commune_clerk_sees_only_own_commune_subtree(scope_of, unit):
    s = scope_of("dinhhoa.vanthu")
    codes = set(scopes.units_for(s).values_list("code", flat=True))
    assert "KG-GQ-02" in codes and "KG-GQ-02-PN" in codes
    assert "KG-GQ" not in codes and "KG-GQ-03" not in codes and "KG" not in codes


def test_district_secretariat_sees_district_not_sibling(scope_of):
    s = scope_of("gq.thuky")
    regs = registrations_for(s)
    assert regs.exists()
    assert not regs.exclude(unit__code__startswith="KG-GQ").exists()
    assert not scopes.units_for(s).filter(code__startswith="KG-RG").exists()


def test_province_sees_everything_below(scope_of):
    from dvk.initiatives.models import Registration

    assert registrations_for(scope_of("tinh.thuky")).count() == Registration.objects.count()


def test_outside_object_is_404(scope_of):
    from django.http import Http404

    with pytest.raises(Http404):
        scopes.unit_for(scope_of("rachgia.vanthu"), "KG-GQ-02")


def test_user_without_membership_sees_nothing(db, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-long-password")
    s = scopes.scope_for(nobody)
    assert scopes.units_for(s).count() == 0
    assert registrations_for(s).count() == 0
