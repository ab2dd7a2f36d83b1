"""Admin for the initiatives' catalogs (fields, topics) and the audit of bulk imports."""
from django.contrib import admin

from dvk.orgs.admin_scope import CatalogAdmin, ReadOnlyAdmin

from .models import Field, ImportBatch, Tag


@admin.register(Field)
class FieldAdmin(CatalogAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(Tag)
class TagAdmin(CatalogAdmin):
    list_display = ["name"]
    search_fields = ["name", "search_text"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Who imported which file when, and what it created (the audit of bulk imports)."""
    list_display = ["at", "file_name", "phase", "actor", "rows", "initiatives_created",
                    "registrations_created", "registrations_updated", "awards_created"]
    list_filter = ["phase"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "at"
    list_select_related = ["phase", "actor"]
