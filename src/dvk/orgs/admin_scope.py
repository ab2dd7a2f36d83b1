"""What a system administrator may administer in /admin/: the one place for its rules.

Two kinds of system administrator:

* a superuser administers the whole system: every model, every unit, every account;
* a unit administrator (an active Membership of role "admin") administers that unit's
  subtree only, and nothing system-wide.

For a unit administrator of unit U:

* Rows tied to the tree (units, memberships, steering committees, appraisal teams) are
  listed, shown and changed only within U's subtree; any other row answers 404 by URL,
  as in the app, so nobody learns it exists.
* U itself belongs to the level above: U's catalogue entry is read-only, and "admin" on U
  can be neither granted nor changed. Administration can be delegated to units below U.
  Otherwise a unit admin could appoint a peer, who could then remove them, and the
  level above would lose the say over who administers U.
* Users: only accounts whose every membership (active or not) they could manage, that is,
  inside the subtree and not "admin" on U. So never a superuser, nor an account that also
  acts elsewhere, nor a peer admin of U, nor themselves: nobody administers their own
  account. They never set staff, superuser, groups or permissions, and never delete an
  account (they deactivate it). An account they create gets its first membership at once.
* System-wide catalogs (sectors, fields, topics, award kinds, phases, structural changes,
  import audit) and the admins of other packages (groups, login attempts, tasks) are for
  superusers only, whatever Django permissions the account holds.

Everything is expressed through orgs.scope: one Scope per admin membership, and the union
of what those scopes see.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from . import scope as org_scope
from .enums import Role
from .models import Membership, Unit


def is_system_admin(user) -> bool:
    if not (user and user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or Membership.objects.filter(
        user=user, role=Role.ADMIN, is_active=True).exists()


def has_admin_access(request) -> bool:
    """Replaces AdminSite.has_permission (which only checks is_staff)."""
    if not hasattr(request, "_dvk_is_admin"):
        request._dvk_is_admin = is_system_admin(request.user)
    return request._dvk_is_admin


def is_superuser(request) -> bool:
    return has_admin_access(request) and request.user.is_superuser


@dataclass(frozen=True)
class AdminScope:
    """The scopes a user administers: one per active admin membership (none if they have
    none), or a single unrestricted scope for a superuser."""

    scopes: tuple[org_scope.Scope, ...]
    is_superuser: bool = False

    @classmethod
    def of(cls, user) -> AdminScope:
        if not is_system_admin(user):
            return cls(scopes=())
        if user.is_superuser:
            return cls(scopes=(org_scope.Scope(user=user, membership=None),), is_superuser=True)
        return cls(scopes=tuple(org_scope.Scope(user=user, membership=m)
                                for m in org_scope.memberships_of(user).filter(role=Role.ADMIN)))

    def union(self, visible, model) -> QuerySet:
        """What `visible` (a visibility function of scope) returns for any of the scopes."""
        if not self.scopes:
            return model._default_manager.none()
        return reduce(operator.or_, (visible(s) for s in self.scopes))

    # --- what is seen -------------------------------------------------------------------
    def units(self) -> QuerySet[Unit]:
        return self.union(org_scope.units_for, Unit)

    def memberships(self) -> QuerySet[Membership]:
        return self.union(org_scope.memberships_for, Membership)

    # --- what is changed ----------------------------------------------------------------
    # The scope's own unit is the level above's: its catalogue entry, and who administers it.
    def changeable_units(self) -> QuerySet[Unit]:
        if self.is_superuser:
            return self.units()
        return self.union(lambda s: org_scope.units_for(s).exclude(pk=s.unit.pk), Unit)

    def manageable_memberships(self) -> QuerySet[Membership]:
        if self.is_superuser:
            return self.memberships()
        return self.union(lambda s: org_scope.memberships_for(s).exclude(
            role=Role.ADMIN, unit=s.unit), Membership)

    def may_grant(self, unit: Unit | None, role: str | None) -> bool:
        """May a membership with this role on this unit be created or kept?"""
        if self.is_superuser:
            return True
        if unit is None:
            return False
        return any(s.contains(unit) and not (role == Role.ADMIN and unit.pk == s.unit.pk)
                   for s in self.scopes)

    def users(self) -> QuerySet:
        """Accounts this admin may edit: every membership of theirs is manageable here."""
        User = get_user_model()
        if self.is_superuser:
            return User.objects.all()
        manageable = self.manageable_memberships().values("pk")
        elsewhere = Membership.objects.exclude(pk__in=manageable).values("user_id")
        return (User.objects.filter(is_superuser=False)
                .filter(pk__in=Membership.objects.filter(pk__in=manageable).values("user_id"))
                .exclude(pk__in=elsewhere))

    def choices_for(self, model) -> QuerySet | None:
        """The rows a form field pointing to `model` may offer; None: no restriction
        (system-wide catalogs such as sectors or phases are offered whole)."""
        if self.is_superuser:
            return None
        if model is Unit:
            return self.units()
        if model is get_user_model():
            return self.users()
        visible = RESTRICTED_CHOICES.get(model)
        return self.union(visible, model) if visible else None


# Tree-bound models of other apps whose rows a unit admin's forms may offer only within the
# subtree: model -> its visibility function (filled by those apps' admin modules).
RESTRICTED_CHOICES: dict = {}


def restrict_choices(model, visible) -> None:
    RESTRICTED_CHOICES[model] = visible


def admin_scope(request) -> AdminScope:
    if not hasattr(request, "_dvk_admin_scope"):
        request._dvk_admin_scope = AdminScope.of(request.user)
    return request._dvk_admin_scope


# --- forms --------------------------------------------------------------------------------

class ScopedFormMixin:
    """Mixed into every form the scoped admins below build; carries the request's AdminScope.

    A restricted choice keeps the value the row already holds: a committee seat may name a
    provincial official, and the unit admin must still be able to save that committee.
    Only that stored value is added, so nothing else outside can be picked."""

    admin_scope: AdminScope

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if self.admin_scope.is_superuser or instance is None or instance.pk is None:
            return
        for name, field in self.fields.items():
            current = getattr(instance, f"{name}_id", None)
            if isinstance(field, forms.ModelChoiceField) and current is not None:
                model = field.queryset.model
                field.queryset = field.queryset | model._default_manager.filter(pk=current)


def _scoped_form(form_class, request):
    return type(form_class.__name__, (ScopedFormMixin, form_class),
                {"admin_scope": admin_scope(request)})


class _ScopedChoices:
    """Foreign-key and many-to-many fields offer only what the admin may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = admin_scope(request).choices_for(db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = admin_scope(request).choices_for(db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- model admins -------------------------------------------------------------------------

class NotFoundMixin:
    """A row the admin may not see (or that does not exist) answers 404 on its change,
    delete, history and password pages, instead of Django's redirect to the index, so an
    outside id looks exactly like a missing one."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class SuperusersOnlyMixin:
    """Closed to unit admins whatever Django permissions they hold."""

    def has_module_permission(self, request):
        return is_superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_superuser(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request) and super().has_delete_permission(request, obj)


class SubtreeAdmin(NotFoundMixin, _ScopedChoices, admin.ModelAdmin):
    """Superusers: everything. Unit admins: the rows `visible` returns, changed only when
    `changeable` also returns them. Membership in /admin/ replaces Django permissions."""

    def visible(self, adm: AdminScope) -> QuerySet:
        raise NotImplementedError

    def changeable(self, adm: AdminScope) -> QuerySet:
        return self.visible(adm)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        adm = admin_scope(request)
        return qs if adm.is_superuser else qs.filter(pk__in=self.visible(adm).values("pk"))

    def get_form(self, request, obj=None, **kwargs):
        return _scoped_form(super().get_form(request, obj, **kwargs), request)

    def _may_change(self, request, obj):
        if not has_admin_access(request):
            return False
        adm = admin_scope(request)
        return obj is None or adm.is_superuser or \
            self.changeable(adm).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return has_admin_access(request)

    def has_view_permission(self, request, obj=None):
        if not has_admin_access(request):
            return False
        adm = admin_scope(request)
        return obj is None or adm.is_superuser or self.visible(adm).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return has_admin_access(request)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)


class SubtreeInline(_ScopedChoices, admin.TabularInline):
    """Rows of a SubtreeAdmin's object: whoever may change the object edits them."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _scoped_form(formset.form, request)
        return formset

    def has_view_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_add_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_change_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_delete_permission(self, request, obj=None):
        return has_admin_access(request)


class CatalogAdmin(NotFoundMixin, admin.ModelAdmin):
    """A system-wide catalog: full rights for superusers, nothing for anyone else."""

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)


class CatalogInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request, obj=None):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)


class ReadOnlyAdmin(CatalogAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def close_other_admins(site) -> None:
    """Admins registered by other packages (auth groups, login attempts, task results)
    rely on Django permissions; make them superuser-only. Run once every admin module is
    loaded (orgs' AppConfig.ready, after the admin autodiscovery)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, (SubtreeAdmin, CatalogAdmin, SuperusersOnlyMixin)):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(cls.__name__, (SuperusersOnlyMixin, cls), {}))

