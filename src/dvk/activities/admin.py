"""The activities in /admin/: superusers only (the screens are the way in for everyone)."""
from django.contrib import admin

from dvk.orgs.admin_scope import CatalogAdmin

from .models import InspectionRound, PressEntry, Review, TrainingClass


@admin.register(TrainingClass)
class TrainingClassAdmin(CatalogAdmin):
    list_display = ["name", "unit", "date", "attendances"]
    list_filter = ["phase"]
    raw_id_fields = ["unit"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(CatalogAdmin):
    list_display = ["code", "form", "unit", "start_date"]
    list_filter = ["phase"]
    raw_id_fields = ["unit"]


@admin.register(PressEntry)
class PressEntryAdmin(CatalogAdmin):
    list_display = ["title", "author", "genre", "year", "provincial_prize"]
    list_filter = ["phase"]
    raw_id_fields = ["unit", "initiative"]


@admin.register(Review)
class ReviewAdmin(CatalogAdmin):
    list_display = ["kind", "unit", "planned_date", "held_on", "held_as"]
    list_filter = ["phase"]
    raw_id_fields = ["unit"]
