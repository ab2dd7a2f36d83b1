from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
    RETURNED = "returned", _("Registration returned")
    DECISION = "decision", _("Decision")
    AWARD = "award", _("Award")
    DIGEST = "digest", _("Weekly digest")
