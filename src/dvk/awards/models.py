"""Awards: giấy khen, bằng khen, cờ thi đua — to models, units or people."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.models import TimeStamped
from dvk.common.scoping import ScopedManager
from dvk.initiatives.models import Decision, ImportBatch, Registration
from dvk.orgs.models import Unit
from dvk.phases.models import Level, Phase


class AwardKind(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("award kind")
        verbose_name_plural = _("award kinds")

    def __str__(self):
        return self.name


class Award(TimeStamped):
    # Single-column FK indexes only where no composite or partial index leads with the
    # column (as for registrations): fewer indexes, faster imports.
    kind = models.ForeignKey(AwardKind, db_index=False, on_delete=models.PROTECT,
                             related_name="awards", verbose_name=_("kind"))
    phase = models.ForeignKey(Phase, db_index=False, on_delete=models.PROTECT,
                              related_name="awards", verbose_name=_("phase"))
    level = models.ForeignKey(Level, db_index=False, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="awards", verbose_name=_("level"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # The awarded model, when the award goes to a model (else to a unit or person).
    registration = models.ForeignKey(Registration, db_index=False, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="awards",
                                     verbose_name=_("registration"))
    # Scope: the model's unit, or the awarded unit.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="awards",
                             verbose_name=_("unit"))
    recipient_name = models.CharField(_("recipient"), max_length=255, blank=True)
    decision = models.ForeignKey(Decision, db_index=False, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="awards",
                                 verbose_name=_("decision"))
    amount = models.PositiveIntegerField(_("amount (đồng)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, db_index=False, null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    import_batch = models.ForeignKey(ImportBatch, db_index=False, null=True, blank=True,
                                     editable=False, on_delete=models.PROTECT, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-phase__start_year", "level__order", "kind__order"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"],
                                    condition=models.Q(registration__isnull=False),
                                    name="award_once_per_registration_kind"),
        ]
        indexes = [
            models.Index(fields=["phase", "level", "kind"]),
            models.Index(fields=["decision"], condition=models.Q(decision__isnull=False),
                         name="award_decision"),
            models.Index(fields=["created_by"], condition=models.Q(created_by__isnull=False),
                         name="award_created_by"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.recipient_name or self.unit}"
