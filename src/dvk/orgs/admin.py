"""Django admin for units, memberships and accounts, and the admin site's own settings.

Each app registers its own models in its admin.py with the base classes of
orgs/admin_scope.py.

Who gets in: active superusers, and active users with an active Membership of role
"admin" (Role.ADMIN). The latter need neither `is_staff` nor Django model permissions: the
admins here grant them their rights directly, so access is managed in one place
(memberships) instead of two. Everyone else, staff flag or not, is sent to the admin login.
Anonymous visitors of the admin are sent to the app's own login page, since Django's admin
login form refuses non-staff accounts.

What each may do: a superuser administers the whole system; a unit's administrator only
that unit's subtree, and no system-wide catalog. The rules live in orgs/admin_scope.py.

Structural fields of units (parent, path, validity, successor) are read-only here:
merges, splits, moves and dissolutions go through orgs.structure, which keeps paths and
history right. A name edited here is recorded as a rename.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


from .admin_scope import AdminScope, CatalogAdmin, ReadOnlyAdmin, SubtreeAdmin, admin_scope, has_admin_access, is_superuser
from .enums import Role
from .models import Membership, Sector, Unit, UnitEvent

admin.site.has_permission = has_admin_access
_admin_login = admin.site.login


def admin_login(request, extra_context=None):
    """Anonymous visitors sign in on the app's own page: Django's admin form would refuse
    the admin-role users who have no staff flag (see the module docstring)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
    return _admin_login(request, extra_context)


admin.site.login = admin_login
admin.site.site_header = _("DVK administration")
admin.site.site_title = _("DVK administration")


# --- orgs -------------------------------------------------------------------------------------

@admin.register(Sector)
class SectorAdmin(CatalogAdmin):
    list_display = ["name", "code", "order", "is_mass_organisation"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(valid_until__lte=timezone.localdate())
        return queryset


@admin.register(Unit)
class UnitAdmin(SubtreeAdmin):
    list_display = ["code", "name", "kind", "sector", "parent", "valid_from", "valid_until"]
    list_filter = [InForceFilter, "kind", "sector", "depth"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["sector", "parent"]
    raw_id_fields = ["parent"]
    show_full_result_count = False  # COUNT(*) over 100,000 units on every page is wasted
    tree_fields = ["parent", "path", "depth", "valid_from", "valid_until", "successor"]

    def visible(self, adm: AdminScope):
        return adm.units()

    def changeable(self, adm: AdminScope):
        return adm.changeable_units()

    def get_readonly_fields(self, request, obj=None):
        # A new unit may be placed under any unit the admin sees; afterwards its place
        # changes via orgs.structure.
        return self.tree_fields if obj is not None else ["path", "depth", "successor"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and not admin_scope(request).is_superuser:
            # Without a parent the new unit would be a root, outside the admin's subtree.
            form.base_fields["parent"].required = True
        return form

    def get_fields(self, request, obj=None):
        return ["code", "name", "kind", "sector", *self.tree_fields]

    def get_search_results(self, request, queryset, search_term):
        from dvk.common.text import search_words

        if search_term.strip():
            # Accent-insensitive, every word: officials type "dinh hoa" for "Định Hòa".
            matched = queryset.filter(code__iexact=search_term.strip())
            words = queryset
            for word in search_words(search_term):
                words = words.filter(search_text__contains=word)
            return matched | words, False
        return queryset, False

    def save_model(self, request, obj, form, change):
        from .structure import rename_unit

        if change and "name" in form.changed_data:
            new_name, obj.name = obj.name, form.initial["name"]
            others = [f for f in form.changed_data if f != "name"]
            if others:
                obj.save(update_fields=[*others, "search_text", "sort_key"])
            rename_unit(obj, name=new_name, date=timezone.localdate(), actor=request.user,
                        note="Sửa tên trong trang quản trị")
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # units are retired, never deleted: their data must stay attached


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "decision", "old_parent", "new_parent", "actor",
                    "created_at"]
    list_filter = ["kind", "date"]
    search_fields = ["decision", "note", "sources__code", "targets__code"]
    date_hierarchy = "date"
    list_select_related = ["old_parent", "new_parent", "actor"]


class MembershipForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), data.get("role")
        if unit and role and not self.admin_scope.may_grant(unit, role):
            # The unit itself is one the admin sees: only "admin" on their own unit is left.
            self.add_error("role", _("The administrators of your own unit are appointed by "
                                     "the level above."))
        return data


@admin.register(Membership)
class MembershipAdmin(SubtreeAdmin):
    form = MembershipForm
    list_display = ["user", "unit", "role", "position", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "unit__code",
                     "unit__name"]
    raw_id_fields = ["unit", "user"]
    list_select_related = ["user", "unit"]

    def visible(self, adm: AdminScope):
        return adm.memberships()

    def changeable(self, adm: AdminScope):
        return adm.manageable_memberships()


# --- accounts ---------------------------------------------------------------------------------

User = get_user_model()


class UserCreationForm(AdminUserCreationForm):
    """A unit admin's new account acts for a unit of theirs from the start: an account
    without any membership is out of every unit admin's reach (superusers only)."""

    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("unit"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False,
                             choices=[("", "---------"), *Role.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = self.admin_scope.units()
        unit.widget = ForeignKeyRawIdWidget(Membership._meta.get_field("unit").remote_field,
                                            admin.site)
        if not self.admin_scope.is_superuser:
            unit.required = self.fields["role"].required = True

    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), data.get("role")
        if "unit" not in self.errors and bool(unit) != bool(role):
            raise ValidationError(_("Give both the unit and the role, or neither."))
        if unit and role and not self.admin_scope.may_grant(unit, role):
            self.add_error("role", _("The administrators of your own unit are appointed by "
                                     "the level above."))
        return data


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(SubtreeAdmin, UserAdmin):
    add_form = UserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2")}),
        (_("First membership"), {"fields": ("unit", "role")}),
    )
    # What a unit admin may edit: no staff or superuser flag, no groups or permissions.
    unit_admin_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def visible(self, adm: AdminScope):
        return adm.users()

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not admin_scope(request).is_superuser:
            return self.unit_admin_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if admin_scope(request).is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def get_list_filter(self, request):
        return super().get_list_filter(request) if admin_scope(request).is_superuser \
            else ["is_active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("unit"):
            Membership.objects.create(user=obj, unit=form.cleaned_data["unit"],
                                      role=form.cleaned_data["role"])

    def has_delete_permission(self, request, obj=None):
        # Deleting an account would blank its name out of the whole system's history:
        # a unit admin deactivates it instead.
        return is_superuser(request) and super().has_delete_permission(request, obj)
