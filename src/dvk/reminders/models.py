"""In-app notifications and the record of every reminder sent (each is sent once)."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.scoping import ScopedManager
from dvk.orgs.models import Unit

from .enums import Kind


class Notification(models.Model):
    """A message to one user acting for one unit: what happened or is due, and a link."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name=_("user"))
    # The unit the recipient acts for (their membership's): the notification shows while
    # they act for it, and the safety net scopes it like any user-facing row.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What it is about: "registration:42", "unit:7:registration", "committee:3"…
    object_key = models.CharField(_("about"), max_length=64)
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.text[:80]


class SentReminder(models.Model):
    """One reminder that went out: the unique key makes every reminder go out once, even
    when the job runs twice or on two machines at once."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_key = models.CharField(_("about"), max_length=64)
    # The deadline (or the week of a digest, or the day of the event) it was about.
    deadline = models.DateField(_("deadline"), default=dt.date(2000, 1, 1))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    emailed = models.BooleanField(_("emailed"), default=False)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(
            fields=["kind", "object_key", "deadline", "recipient"], name="reminder_sent_once")]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self):
        return f"{self.kind} {self.object_key} {self.deadline:%d/%m/%Y}"


class AnnualReport(models.Model):
    """A unit's annual report sent to the level above (seed 002: before 10 December), with
    the summary's figures frozen as they were at sending; the level above may return it."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        RETURNED = "returned", _("Returned")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    phase = models.ForeignKey("phases.Phase", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("phase"))
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.SENT)
    note = models.TextField(_("report"), blank=True)
    figures = models.JSONField(_("figures at sending"), default=dict)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("reason for returning"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "phase", "year"],
                                               name="annual_report_once_per_year")]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self):
        return f"{self.unit} · {self.year}"
