"""Shared building blocks: the history log and background-job progress."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedManager


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class HistoryEntry(models.Model):
    """One row per change of a tracked object: who, when, what (field: [old, new])."""

    # No single-column index: the composite index below leads with it.
    content_type = models.ForeignKey(ContentType, db_index=False, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self):
        return f"{self.action} {self.content_type.model}#{self.object_id}"


class BackgroundJob(models.Model):
    """Progress of a long task (import, export, report) that a page can poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=255, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit the job was started for: scoping uses it like any other object.
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def message_lines(self) -> list[str]:
        return [line for line in self.message.splitlines() if line.strip()]

    def start(self, total: int = 0) -> None:
        self.status, self.total = self.Status.RUNNING, total
        self.save(update_fields=["status", "total"])

    def succeed(self, *, message: str = "", file=None, name: str = "") -> None:
        """Done: with a result file to download (`file`, a file object, saved as `name`)
        and/or a message for the progress page."""
        if file is not None:
            file.seek(0)
            self.result_file.save(name, File(file), save=False)
            self.result_name = name
        self.message = message
        self.status = self.Status.DONE
        self.finished_at = timezone.now()
        self.done = self.total = max(self.total, self.done)
        self.save(update_fields=["result_file", "result_name", "message", "status",
                                 "finished_at", "done", "total"])

    def fail(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.message = message
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "finished_at"])
