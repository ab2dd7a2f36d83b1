"""What was sent, for superusers (a record: read-only)."""
from django.contrib import admin

from dvk.orgs.admin_scope import CatalogAdmin

from .models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(CatalogAdmin):
    list_display = ("kind", "object_key", "deadline", "recipient", "sent_at", "emailed")
    list_filter = ("kind", "emailed")
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
