"""The activities' choices, and the Vietnamese labels files and the summary use (fixed,
whatever the UI language: CONTRACTS §7 and §9)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionForm(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SURVEY = "survey", _("Survey")


class Genre(models.TextChoices):
    PRINT = "print", _("Print press")
    TELEVISION = "television", _("Television")
    RADIO = "radio", _("Radio")
    ONLINE = "online", _("Online press")


class FollowUp(models.TextChoices):
    OPEN = "open", _("Recommendations open")
    IN_PROGRESS = "in_progress", _("Being remedied")
    CLOSED = "closed", _("Closed")


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Interim review")
    FINAL = "final", _("Final review")


class ReviewForm(models.TextChoices):
    CONFERENCE = "conference", _("Held as a conference")
    REPORT = "report", _("Reported without a conference")


FORM_FILE_LABELS = {"Kiểm tra": InspectionForm.INSPECTION, "Khảo sát": InspectionForm.SURVEY}
GENRE_FILE_LABELS = {"Báo in": Genre.PRINT, "Báo hình": Genre.TELEVISION,
                     "Báo nói": Genre.RADIO, "Báo điện tử": Genre.ONLINE}
REVIEW_KIND_LABELS = {"Sơ kết": ReviewKind.INTERIM, "Tổng kết": ReviewKind.FINAL}
FORM_LABEL = {v: k for k, v in FORM_FILE_LABELS.items()}
GENRE_LABEL = {v: k for k, v in GENRE_FILE_LABELS.items()}
REVIEW_KIND_LABEL = {v: k for k, v in REVIEW_KIND_LABELS.items()}


class BudgetKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    SPENDING = "spending", _("Spending")
