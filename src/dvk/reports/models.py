"""Versioned document profiles (see profiles.py for the defaults and their meaning)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.orgs.models import Unit


class DocumentProfile(models.Model):
    """Overrides of a document profile's defaults, for documents dated from `valid_from`.

    A new guidance (e.g. one replacing 36-HD/VPTW) or a renamed body is a new row with a
    higher version; documents of earlier dates keep using the older rows."""

    code = models.SlugField(_("profile"), max_length=32, default="party-report")
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("applies to documents dated from"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="document_profiles", verbose_name=_("unit"),
                             help_text=_("Empty: every unit."))
    overrides = models.JSONField(_("overridden settings"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True,
                            help_text=_("E.g. the guidance this version follows."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-valid_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version", "unit"],
                                    name="document_profile_version_unique"),
        ]
        verbose_name = _("document profile")
        verbose_name_plural = _("document profiles")

    def __str__(self):
        return f"{self.code} v{self.version}"

    def clean(self):
        from .profiles import unknown_keys

        if not isinstance(self.overrides, dict):
            raise ValidationError({"overrides": _("Must be an object of settings.")})
        unknown = unknown_keys(self.overrides)
        if unknown:
            raise ValidationError({"overrides": _("Unknown settings: %(keys)s")
                                   % {"keys": ", ".join(unknown)}})
