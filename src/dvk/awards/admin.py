"""Admin for the catalogue of award kinds (superusers only)."""
from django.contrib import admin

from dvk.orgs.admin_scope import CatalogAdmin

from .models import AwardKind


@admin.register(AwardKind)
class AwardKindAdmin(CatalogAdmin):
    list_display = ["name", "code", "given_at", "authority", "to_models", "to_units",
                    "to_people", "order"]
    search_fields = ["name", "code"]
