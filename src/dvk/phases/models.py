"""Phases (5-year periods) with their levels and calendar; steering committees and teams."""
import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.text import fold
from dvk.orgs.models import Unit

PHASE_CODE = re.compile(r"^(\d{4})-(\d{4})$")
DAY_MONTH = RegexValidator(r"^\d{1,2}/\d{1,2}$", _("Use day/month, e.g. 31/01."))


def parse_day_month(value: str) -> tuple[int, int]:
    day, month = (int(x) for x in value.split("/"))
    return day, month


class PromotionRule(models.TextChoices):
    RECOGNISED_BELOW = "recognised_below", _("Recognised at the level below")
    TWO_YEARS = "two_years", _("Effective two consecutive years at the level below")


class Phase(models.Model):
    code = models.CharField(_("code"), max_length=9, unique=True,
                            validators=[RegexValidator(PHASE_CODE.pattern)],
                            help_text=_("YYYY-YYYY, e.g. 2021-2025"))
    name = models.CharField(_("name"), max_length=255, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    # Yearly calendar, as day/month so it applies to every year of the phase (editable).
    registration_deadline = models.CharField(_("registration deadline (day/month)"),
                                             max_length=5, default="31/01", validators=[DAY_MONTH])
    report_deadline = models.CharField(_("achievement report deadline (day/month)"),
                                       max_length=5, default="10/10", validators=[DAY_MONTH])
    commemoration_day = models.CharField(_("commemoration day (day/month)"), max_length=5,
                                         default="15/10", validators=[DAY_MONTH])
    up_report_deadline = models.CharField(_("report to the level above (day/month)"),
                                          max_length=5, default="10/12", validators=[DAY_MONTH])
    interim_review_date = models.DateField(_("interim review"), null=True, blank=True)
    final_review_date = models.DateField(_("final review"), null=True, blank=True)
    promotion_rule = models.CharField(_("promotion rule"), max_length=32,
                                      choices=PromotionRule.choices,
                                      default=PromotionRule.RECOGNISED_BELOW)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.name or self.code

    def clean(self):
        m = PHASE_CODE.match(self.code or "")
        if m and (int(m[1]), int(m[2])) != (self.start_year, self.end_year):
            raise ValidationError(_("The code must match the first and last years."))
        for name in ("registration_deadline", "report_deadline", "commemoration_day",
                     "up_report_deadline"):
            try:
                d, m_ = parse_day_month(getattr(self, name))
                dt.date(2000, m_, d)
            except ValueError:
                raise ValidationError({name: _("Not a valid day/month.")}) from None

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def date_in(self, field: str, year: int) -> dt.date:
        day, month = parse_day_month(getattr(self, field))
        return dt.date(year, month, day)

    def registration_deadline_for(self, year: int) -> dt.date:
        return self.date_in("registration_deadline", year)

    def report_deadline_for(self, year: int) -> dt.date:
        return self.date_in("report_deadline", year)

    def ordered_levels(self):
        return self.levels.order_by("order")

    def level_named(self, label: str) -> "Level | None":
        """Find a level by its name or one of its aliases, ignoring case and accents."""
        key = fold(label)
        for level in self.ordered_levels():
            if key in level.keys():
                return level
        return None


class Level(models.Model):
    """A recognition level of a phase (cơ sở, huyện, tỉnh…); data, never hard-coded."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("name"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("1 = lowest"))
    aliases = models.CharField(_("other names"), max_length=255, blank=True,
                               help_text=_("Separated by ';', e.g. Huyện và tương đương; Trên cơ sở"))
    # Registrations at this level are yearly (grassroots) or for the whole phase.
    yearly = models.BooleanField(_("registered every year"), default=False)

    class Meta:
        ordering = ["phase", "order"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "order"], name="level_order_unique"),
            models.UniqueConstraint(fields=["phase", "name"], name="level_name_unique"),
        ]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.name

    def keys(self) -> set[str]:
        return {fold(self.name), *(fold(a) for a in self.aliases.split(";") if a.strip())}

    def next_level(self) -> "Level | None":
        return self.phase.levels.filter(order__gt=self.order).order_by("order").first()

    def previous_level(self) -> "Level | None":
        return self.phase.levels.filter(order__lt=self.order).order_by("-order").first()


DEFAULT_LEVELS = [
    ("Cơ sở", "", True),
    ("Huyện", "Huyện và tương đương; Trên cơ sở", False),
    ("Tỉnh", "", False),
]


class PilotUnit(models.Model):
    """Điểm chỉ đạo: a unit chosen to pilot the movement in a phase."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="pilots")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pilot_phases")
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "unit"], name="pilot_unique")]
        verbose_name = _("pilot unit")
        verbose_name_plural = _("pilot units")


class SteeringCommittee(models.Model):
    """Ban Chỉ đạo of a unit for a phase, set up by a decision."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="committees",
                             verbose_name=_("unit"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="committees",
                              verbose_name=_("phase"))
    # The level this committee recognises at in its phase (phases.rules): it accepts,
    # appraises and decides registrations at this level inside its subtree, and no other.
    level = models.ForeignKey(Level, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="committees", verbose_name=_("recognises at level"))
    name = models.CharField(_("name"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=255, blank=True)
    standing_agency = models.CharField(_("standing agency"), max_length=255, blank=True,
                                       help_text=_("Usually the mass-mobilisation commission"))

    class Meta:
        ordering = ["unit__path", "-phase__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "phase"], name="committee_unit_phase_unique"),
        ]
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")

    def __str__(self):
        return self.name

    def clean(self):
        if self.level_id and self.phase_id and self.level.phase_id != self.phase_id:
            raise ValidationError({"level": _("The level must belong to the committee's phase.")})


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Head")
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy head")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")
    SECRETARIAT = "secretariat", _("Secretariat")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE,
                                  related_name="members")
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(_("role in the committee"), max_length=16,
                            choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="committee_seats")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self):
        return self.full_name


class AppraisalTeam(models.Model):
    """Tổ thẩm định of a committee."""

    committee = models.ForeignKey(SteeringCommittee, on_delete=models.CASCADE,
                                  related_name="teams", verbose_name=_("steering committee"))
    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "name"]
        verbose_name = _("appraisal team")
        verbose_name_plural = _("appraisal teams")

    def __str__(self):
        return self.name


class AppraisalTeamMember(models.Model):
    team = models.ForeignKey(AppraisalTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="appraisal_seats")
    full_name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    is_leader = models.BooleanField(_("team leader"), default=False)

    class Meta:
        ordering = ["team", "-is_leader", "id"]
        verbose_name = _("appraisal team member")
        verbose_name_plural = _("appraisal team members")

    def __str__(self):
        return self.full_name
