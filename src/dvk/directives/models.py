"""Directives downward (seed 004 §II.1): a committee's plans, guidance, directives and
working rules sent to the units below, their acknowledgements, the implementing documents
the committees below file in response, and the areas each committee member follows."""
import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.scoping import ScopedManager
from dvk.orgs.models import Unit
from dvk.phases.models import CommitteeMember, Phase, SteeringCommittee

NUMBER_MAX = 40
TITLE_MAX = 500
# Party form `02-KH/BCĐ` (number, hyphen, document type / issuing body) and State form
# `15/QĐ-UBND` (CONVENTIONS §1); the parts after the type may carry hyphens (`KH/ĐUCA-BCĐ`).
_PART = r"[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*"
NUMBER = re.compile(rf"^\d{{1,4}}(?:-[A-ZĐ]{{1,8}}/{_PART}|/[A-ZĐ]{{1,8}}-{_PART})$")


class DirectiveKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    GUIDANCE = "guidance", _("Guidance")
    DIRECTIVE = "directive", _("Directive or official letter")
    RULES = "rules", _("Working rules")


#: The kinds that implement a directive from above (seed 004: "ban hành quy chế làm việc …
#: và ban hành kế hoạch cụ thể hóa").
IMPLEMENTING = (DirectiveKind.PLAN, DirectiveKind.RULES)


def directive_path(instance, filename):
    return f"directives/{instance.unit_id}/{filename}"


class Directive(models.Model):
    """A document a committee publishes to the units of its subtree."""

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("steering committee"))
    # The issuing unit and phase (the committee's), kept on the row for scoping and lists.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("issuing unit"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("phase"))
    kind = models.CharField(_("kind of document"), max_length=16, choices=DirectiveKind.choices)
    number = models.CharField(_("document number"), max_length=NUMBER_MAX)
    issued_on = models.DateField(_("issue date"))
    signer = models.CharField(_("signed by"), max_length=255)
    title = models.CharField(_("document summary"), max_length=TITLE_MAX)
    file = models.FileField(_("file"), upload_to=directive_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    # A lower committee's implementing plan or working rules answering a directive above.
    responds_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="responses", verbose_name=_("implements"))
    published_at = models.DateTimeField(_("sent down at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"],
                                               name="directive_number_once_per_committee")]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self):
        return f"{self.number} · {self.title}"[:120]


class Acknowledgement(models.Model):
    """A unit below has received a directive (once)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE,
                                  related_name="acknowledgements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("acknowledged at"))

    _unguarded = models.Manager()
    # The receiving unit sees its own; the issuer (and above) sees who acknowledged.
    objects = ScopedManager("unit", "directive__unit")

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["directive", "unit"],
                                               name="directive_acknowledged_once")]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self):
        return f"{self.directive.number} · {self.unit}"


class MemberArea(models.Model):
    """A committee member follows an area (a unit below the committee's) — "phân công
    nhiệm vụ thành viên phụ trách địa bàn" (seed 004 §II.1)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("committee member"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("area"))

    _unguarded = models.Manager()
    # The committee's subtree sees its members' areas; a unit sees who follows it.
    objects = ScopedManager("member__committee__unit", "unit")

    class Meta:
        ordering = ["member", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["member", "unit"],
                                               name="member_area_once")]
        verbose_name = _("area followed")
        verbose_name_plural = _("areas followed")

    def __str__(self):
        return f"{self.member} · {self.unit}"
