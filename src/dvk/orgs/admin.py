"""Django admin for the catalogs of every app, for system administrators only.

Who gets in: active superusers, and active users with an active Membership of role
"admin" (Role.ADMIN). The latter need neither `is_staff` nor Django model permissions:
`CatalogAdmin` grants them the catalog models directly, so access is managed in one place
(memberships) instead of two. Everyone else, staff flag or not, is sent to the admin login.
Anonymous visitors of the admin are sent to the app's own login page, since Django's admin
login form refuses non-staff accounts.

Structural fields of units (parent, path, validity, successor) are read-only here:
merges, splits, moves and dissolutions go through orgs.structure, which keeps paths and
history right. A name edited here is recorded as a rename.
"""
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.awards.models import AwardKind
from dvk.initiatives.models import Field, ImportBatch, Tag
from dvk.phases.models import (AppraisalTeam, AppraisalTeamMember, CommitteeMember, Level, Phase,
                               PilotUnit, SteeringCommittee)

from .enums import Role
from .models import Membership, Sector, Unit, UnitEvent


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


class CatalogAdmin(admin.ModelAdmin):
    """Full rights for system administrators, nothing for anyone else."""

    def has_module_permission(self, request):
        return has_admin_access(request)

    def has_view_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_add_permission(self, request):
        return has_admin_access(request)

    def has_change_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_delete_permission(self, request, obj=None):
        return has_admin_access(request)


class CatalogInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_add_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_change_permission(self, request, obj=None):
        return has_admin_access(request)

    def has_delete_permission(self, request, obj=None):
        return has_admin_access(request)


class ReadOnlyAdmin(CatalogAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class UnitAdmin(CatalogAdmin):
    list_display = ["code", "name", "kind", "sector", "parent", "valid_from", "valid_until"]
    list_filter = [InForceFilter, "kind", "sector", "depth"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["sector", "parent"]
    raw_id_fields = ["parent"]
    show_full_result_count = False  # COUNT(*) over 100,000 units on every page is wasted
    tree_fields = ["parent", "path", "depth", "valid_from", "valid_until", "successor"]

    def get_readonly_fields(self, request, obj=None):
        # A new unit may be placed anywhere; afterwards its place changes via orgs.structure.
        return self.tree_fields if obj is not None else ["path", "depth", "successor"]

    def get_fields(self, request, obj=None):
        return ["code", "name", "kind", "sector", *self.tree_fields]

    def get_search_results(self, request, queryset, search_term):
        from dvk.common.text import fold

        if search_term.strip():
            # Accent-insensitive, every word: officials type "dinh hoa" for "Định Hòa".
            matched = queryset.filter(code__iexact=search_term.strip())
            words = queryset
            for word in fold(search_term).split():
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


@admin.register(Membership)
class MembershipAdmin(CatalogAdmin):
    list_display = ["user", "unit", "role", "position", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "unit__code",
                     "unit__name"]
    raw_id_fields = ["unit", "user"]
    list_select_related = ["user", "unit"]


# --- phases -----------------------------------------------------------------------------------

class LevelInline(CatalogInline):
    model = Level


class PilotUnitInline(CatalogInline):
    model = PilotUnit
    raw_id_fields = ["unit"]


@admin.register(Phase)
class PhaseAdmin(CatalogAdmin):
    list_display = ["code", "name", "start_year", "end_year", "promotion_rule"]
    inlines = [LevelInline, PilotUnitInline]


class CommitteeMemberInline(CatalogInline):
    model = CommitteeMember
    raw_id_fields = ["user"]


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(CatalogAdmin):
    list_display = ["name", "unit", "phase", "decision_number", "decision_date"]
    list_filter = ["phase"]
    search_fields = ["name", "unit__code", "unit__name", "decision_number"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit", "phase"]
    inlines = [CommitteeMemberInline]


class AppraisalTeamMemberInline(CatalogInline):
    model = AppraisalTeamMember
    raw_id_fields = ["user"]


@admin.register(AppraisalTeam)
class AppraisalTeamAdmin(CatalogAdmin):
    list_display = ["name", "committee", "year"]
    list_filter = ["committee__phase", "year"]
    search_fields = ["name", "committee__name", "committee__unit__code"]
    raw_id_fields = ["committee"]
    list_select_related = ["committee"]
    inlines = [AppraisalTeamMemberInline]


# --- initiatives, awards ----------------------------------------------------------------------

@admin.register(Field)
class FieldAdmin(CatalogAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(Tag)
class TagAdmin(CatalogAdmin):
    list_display = ["name"]
    search_fields = ["name", "search_text"]


@admin.register(AwardKind)
class AwardKindAdmin(CatalogAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Who imported which file when, and what it created (the audit of bulk imports)."""
    list_display = ["at", "file_name", "phase", "actor", "rows", "initiatives_created",
                    "registrations_created", "registrations_updated", "awards_created"]
    list_filter = ["phase"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "at"
    list_select_related = ["phase", "actor"]
