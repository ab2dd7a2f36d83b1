"""Initiatives (mô hình / điển hình) and their registrations at a level in a year.

Naming: "Initiative" avoids the clash between mô hình and Django models.
A Registration copies unit, sector and field from its initiative when created: statistics
group by them without joins, and they keep the values of the time.
"""
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.common.models import TimeStamped
from dvk.common.scoping import ScopedManager
from dvk.common.text import fold, sort_key
from dvk.orgs.models import Sector, Unit
from dvk.phases.models import Level, Phase

from .enums import (AppraisalStatus, Conclusion, ConflictStatus, ExceptionalStatus,
                    InitiativeKind, State)


class Field(models.Model):
    """Lĩnh vực: economy, culture-society, defence-security, political system."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    search_text = models.CharField(max_length=64, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name


class Initiative(TimeStamped):
    code = models.CharField(_("model code"), max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InitiativeKind.choices,
                            default=InitiativeKind.COLLECTIVE)
    title = models.CharField(_("title"), max_length=500)
    subject = models.CharField(_("carried by"), max_length=255, blank=True,
                               help_text=_("The collective or person who carries the model"))
    person_name = models.CharField(_("person's name"), max_length=255, blank=True)
    person_position = models.CharField(_("person's position"), max_length=255, blank=True)
    unit = models.ForeignKey(Unit, db_index=False, on_delete=models.PROTECT, related_name="initiatives",
                             verbose_name=_("unit"))
    sector = models.ForeignKey(Sector, db_index=False, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="initiatives", verbose_name=_("sector"))
    field = models.ForeignKey(Field, db_index=False, on_delete=models.PROTECT, related_name="initiatives",
                              verbose_name=_("field"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="initiatives",
                                  verbose_name=_("topics"))
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    replicates = models.ForeignKey("self", db_index=False, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="replications",
                                   verbose_name=_("replicates model"))
    # Searched with `contains` / trigram similarity: the GIN trigram index of migration 0002
    # serves both; a btree here would only slow writes (bulk imports) down.
    search_text = models.CharField(max_length=800, editable=False)
    sort_key = models.CharField(max_length=1500, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, db_index=False, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # The registration form's one-time token: the same form sent twice (a double click,
    # a resent request) finds the model it already created instead of making another.
    request_token = models.CharField(max_length=36, unique=True, null=True, blank=True,
                                     editable=False)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("model")
        verbose_name_plural = _("models")
        # Foreign keys carry no single-column index of their own (db_index=False): each one
        # costs every import; (unit, start_year) covers unit lookups, and the sparse links get
        # partial indexes. Deleting a catalogue row (sector, field) scans, which is rare.
        indexes = [
            models.Index(fields=["unit", "start_year"]),
            # The list's "kind" filter: the rarer kind (often individuals) is found from here
            # instead of walking the whole list for it (bench/lists.py: 253 → 17 ms).
            models.Index(fields=["kind"], name="initiative_kind"),
            models.Index(fields=["replicates"], condition=models.Q(replicates__isnull=False),
                         name="initiative_replicates"),
            models.Index(fields=["created_by"], condition=models.Q(created_by__isnull=False),
                         name="initiative_created_by"),
        ]

    def __str__(self):
        return self.title

    def refresh_derived(self):
        self.search_text = fold(f"{self.title} {self.subject} {self.person_name}")[:800]
        self.sort_key = sort_key(self.title)[:1500]

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)


class Decision(TimeStamped):
    """A committee's decision (recognition or award) with number and date."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("Recognition")
        AWARD = "award", _("Award")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.RECOGNITION)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="decisions",
                             verbose_name=_("issuing unit"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="decisions")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="decisions")
    number = models.CharField(_("number"), max_length=64)
    date = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    title = models.CharField(_("summary"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


class ImportBatch(models.Model):
    """One run of `dvk import_registrations` that wrote something: who, when, which file.

    The registrations and awards it created point to it; their history shows its entry
    (common.history.history_of) instead of carrying one entry each.
    """

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("phase"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    initiatives_created = models.PositiveIntegerField(_("new models"), default=0)
    registrations_created = models.PositiveIntegerField(_("new registrations"), default=0)
    registrations_updated = models.PositiveIntegerField(_("registrations updated"), default=0)
    awards_created = models.PositiveIntegerField(_("new awards"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.at:%d/%m/%Y %H:%M})"


class Registration(TimeStamped):
    initiative = models.ForeignKey(Initiative, db_index=False, on_delete=models.CASCADE,
                                   related_name="registrations", verbose_name=_("model"))
    phase = models.ForeignKey(Phase, db_index=False, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("phase"))
    level = models.ForeignKey(Level, db_index=False, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("level"))
    year = models.PositiveSmallIntegerField(_("year"))
    # Snapshot of the initiative's values at registration (see module docstring).
    unit = models.ForeignKey(Unit, db_index=False, on_delete=models.PROTECT, related_name="registrations",
                             verbose_name=_("unit"))
    sector = models.ForeignKey(Sector, db_index=False, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="registrations", verbose_name=_("sector"))
    field = models.ForeignKey(Field, db_index=False, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("field"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.DRAFT)
    is_exceptional = models.BooleanField(_("exceptional"), default=False)
    exceptional_reason = models.TextField(_("reason for exceptional registration"), blank=True)
    exceptional_status = models.CharField(_("exceptional approval"), max_length=16, blank=True,
                                          choices=ExceptionalStatus.choices,
                                          default=ExceptionalStatus.NONE)
    is_late = models.BooleanField(_("late"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.ForeignKey(Decision, db_index=False, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="registrations", verbose_name=_("decision"))
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    promoted_from = models.ForeignKey("self", db_index=False, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="promotions",
                                      verbose_name=_("promoted from"))
    return_comment = models.TextField(_("committee's comment"), blank=True)
    # Optimistic locking: every update checks and bumps it.
    version = models.PositiveIntegerField(default=1)
    imported = models.BooleanField(default=False, editable=False)
    import_batch = models.ForeignKey(ImportBatch, db_index=False, null=True, blank=True,
                                     editable=False, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, db_index=False, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Set once an award names this registration (awards.models.mark_awarded; never cleared,
    # so it may only over-state): with the state and the exceptional flag it places an
    # awarded model that is not recognised in the tiny index registration_awarded_unrecog
    # (the dashboard's check), where joining every award of a country took ~0.5 s.
    has_award = models.BooleanField(default=False, db_default=False, editable=False)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "initiative__sort_key"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "level", "year"],
                                    name="registration_once_per_level_year"),
        ]
        # Single-column foreign-key indexes are off (db_index=False): the unique constraint
        # leads with initiative, the composites below lead with phase and unit, and the sparse
        # links get partial indexes. Fewer indexes is what makes imports fast.
        indexes = [
            # Lists are pages of (year, id), newest first (common/pagination): the first
            # index serves every list whose filters keep many rows (the scope, the phase's
            # years, level, field, sector, a common state or search word); the committee's
            # queue (phase, level, state) reads its tab in that order too, and the two
            # sparse flags have their own partial ones. Selective filters (a unit's
            # subtree, a rare state, a rare search word) use their own index and sort the
            # few rows they find. A subtree's lists count (bounded) from the unit index
            # alone: it carries every filter column, so no row is read from the table.
            models.Index(fields=["year", "id"], name="registration_list"),
            models.Index(fields=["phase", "level", "state", "year", "id"],
                         name="registration_queue"),
            models.Index(fields=["year", "id"], condition=models.Q(is_late=True),
                         name="registration_list_late"),
            models.Index(fields=["year", "id"], condition=models.Q(is_exceptional=True),
                         name="registration_list_exceptional"),
            # Key columns, not INCLUDE: SQLite ignores INCLUDE and read the table for them.
            models.Index(fields=["unit", "phase", "level", "state", "year", "field", "sector",
                                 "is_late", "is_exceptional"], name="registration_unit"),
            # The trend by year (reports.summary.trend_by_year) in its GROUP BY order: a
            # country's trend from the index alone, without reading the table.
            models.Index(fields=["phase", "year", "level", "state", "is_exceptional"],
                         name="registration_trend"),
            models.Index(fields=["phase", "year", "state"]),
            models.Index(fields=["state", "level"]),
            # "Registered anything by its deadline?" (queries.overdue): one probe per unit
            # of a grassroots unit's subtree, whatever the number of its registrations.
            models.Index(fields=["unit", "phase", "year", "submitted_at"],
                         name="registration_in_time"),
            # The statistics (reports/summary.py) read per-unit groups from this index alone,
            # in this column order (the GROUP BY order); year is there to filter one year
            # (a key column: SQLite has no INCLUDE).
            models.Index(fields=["phase", "unit", "field", "sector", "level", "is_exceptional",
                                 "state", "year"], name="registration_summary"),
            models.Index(fields=["decision"], condition=models.Q(decision__isnull=False),
                         name="registration_decision"),
            # Empty while every awarded model is recognised or exceptional (see has_award).
            models.Index(fields=["phase"], condition=models.Q(has_award=True, is_exceptional=False)
                         & ~models.Q(state=State.RECOGNIZED), name="registration_awarded_unrecog"),
            models.Index(fields=["promoted_from"], condition=models.Q(promoted_from__isnull=False),
                         name="registration_promoted_from"),
            models.Index(fields=["created_by"], condition=models.Q(created_by__isnull=False),
                         name="registration_created_by"),
        ]

    def __str__(self):
        return f"{self.initiative} · {self.level} · {self.year}"


class RegistrationTarget(models.Model):
    """A measurable target registered with a model (tiêu chí đăng ký) and its result."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="targets")
    criterion = models.CharField(_("criterion"), max_length=500)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=64, blank=True)
    result = models.CharField(_("result achieved"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    #: What the unit registers (the result comes with the achievement report).
    REGISTERED = ("criterion", "baseline", "target", "unit_of_measure")

    class Meta:
        ordering = ["registration", "order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")


class Transition(models.Model):
    """Every state change of a registration: who, when, from, to, comment."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="transitions")
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_state", "at"])]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")


class AchievementReport(TimeStamped):
    """The subject's achievement report (báo cáo thành tích), certified by its Party committee
    or head of unit; the per-target results live on RegistrationTarget.result."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="achievement_report")
    narrative = models.TextField(_("achievements"))
    certifier_name = models.CharField(_("certified by"), max_length=255)
    certifier_position = models.CharField(_("certifier's position"), max_length=255)
    certified_on = models.DateField(_("certified on"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("registration__unit")

    class Meta:
        verbose_name = _("achievement report")
        verbose_name_plural = _("achievement reports")


class Appraisal(TimeStamped):
    """One appraiser's appraisal (thẩm định) of a reported registration, for a team.

    Scores: five criteria 0–10 (enums.RUBRIC); `version` guards against two people
    overwriting each other (conditional UPDATE in services.save_appraisal).
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="appraisals", verbose_name=_("registration"))
    team = models.ForeignKey("phases.AppraisalTeam", on_delete=models.PROTECT,
                             related_name="appraisals", verbose_name=_("appraisal team"))
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="appraisals", verbose_name=_("appraiser"))
    status = models.CharField(_("status"), max_length=16, choices=AppraisalStatus.choices,
                              default=AppraisalStatus.ASSIGNED)
    effectiveness = models.PositiveSmallIntegerField(_("effectiveness"), null=True, blank=True)
    replicability = models.PositiveSmallIntegerField(_("replicability"), null=True, blank=True)
    participation = models.PositiveSmallIntegerField(_("people's participation"), null=True,
                                                     blank=True)
    creativity = models.PositiveSmallIntegerField(_("creativity"), null=True, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("overcoming difficulty"), null=True,
                                                  blank=True)
    total = models.PositiveSmallIntegerField(_("total"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    site_visit_date = models.DateField(_("site visit"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=16, blank=True,
                                  choices=Conclusion.choices)
    conflict_status = models.CharField(_("conflict of interest"), max_length=16, blank=True,
                                       choices=ConflictStatus.choices,
                                       default=ConflictStatus.NONE)
    conflict_reason = models.TextField(_("declared conflict"), blank=True)
    conflict_declared_at = models.DateTimeField(null=True, blank=True)
    conflict_ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("registration__unit")

    class Meta:
        ordering = ["registration", "id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(fields=["registration", "appraiser"],
                                    name="appraisal_once_per_appraiser"),
        ]
        indexes = [models.Index(fields=["status", "registration"])]

    def __str__(self):
        return f"{self.registration} · {self.appraiser}"


def attachment_path(instance, filename):
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file (photo, PDF, Word document) attached to an initiative or a registration."""

    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="attachments")
    registration = models.ForeignKey(Registration, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("initiative__unit", "registration__unit")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=False) | models.Q(registration__isnull=False),
                name="attachment_has_owner"),
        ]

    def __str__(self):
        return self.original_name
