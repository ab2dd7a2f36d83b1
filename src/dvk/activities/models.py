"""The steering committee's year beyond registrations: training classes, inspection and
survey rounds with their visits, press-contest entries, and interim/final reviews.

Every row belongs to a unit (the organiser, the host of the round, the unit running the
contest, the unit reviewing) and to a phase; `year` is kept with it (from its date) so the
summary can select a year and place the row under the structure of its time like a
registration (reports/summary.py). Text identities (`*_key`) are folded (common.text.fold)
so a re-import finds the same row whatever its case or accents.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.scoping import ScopedManager
from dvk.common.text import fold
from dvk.initiatives.models import ImportBatch, Initiative
from dvk.orgs.models import Unit
from dvk.phases.models import Phase

from .enums import BudgetKind, FollowUp, Genre, InspectionForm, ReviewForm, ReviewKind

KEY_MAX = 255


#: Bytes of an uploaded file's own name kept on disk: file systems hold 255 bytes a name (a
#: Vietnamese letter takes 2–3), and the storage may add "_" and 7 characters when it exists.
NAME_BYTES = 200


def material_path(instance, filename):
    """The uploaded name is kept (the file is downloaded by it), shortened to NAME_BYTES."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = filename, ""
    suffix = f".{ext}" if ext else ""
    stem = stem.encode()[:NAME_BYTES - len(suffix.encode())].decode("utf-8", "ignore")
    return f"activities/{instance.__class__.__name__.lower()}/{stem or 'tep'}{suffix}"


class Activity(models.Model):
    """What every activity has: phase, unit, year, who recorded it, the import it came from."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("phase"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        abstract = True

    def fill(self):
        """Set the derived columns (keys, year); bulk_create calls no save()."""

    def save(self, *args, **kwargs):
        self.fill()
        super().save(*args, **kwargs)


class TrainingClass(Activity):
    """Lớp tập huấn: a class organised by a unit's steering committee."""

    date = models.DateField(_("date"))
    name = models.CharField(_("class name"), max_length=KEY_MAX)
    name_key = models.CharField(max_length=KEY_MAX, editable=False)
    place = models.CharField(_("place"), max_length=255, blank=True)
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    attendances = models.PositiveIntegerField(_("attendances"))
    materials = models.FileField(_("materials"), upload_to=material_path, max_length=255,
                                 blank=True)
    materials_name = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        constraints = [models.UniqueConstraint(fields=["unit", "date", "name_key"],
                                               name="training_identity")]
        indexes = [models.Index(fields=["phase", "year"], name="training_phase_year")]

    def __str__(self):
        return self.name

    def fill(self):
        """The derived columns (also for bulk_create, which calls no save())."""
        self.name_key = fold(self.name)[:KEY_MAX]
        self.year = self.date.year


class InspectionRound(Activity):
    """Đợt kiểm tra / khảo sát of a unit's steering committee, with its plan."""

    code = models.CharField(_("round code"), max_length=64)
    form = models.CharField(_("form"), max_length=16, choices=InspectionForm.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    team = models.TextField(_("team"), blank=True, help_text=_("Who takes part, one a line"))

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        constraints = [models.UniqueConstraint(fields=["phase", "code"], name="round_identity")]

    def __str__(self):
        return f"{self.code} · {self.title or self.get_form_display()}"

    def fill(self):
        self.year = self.start_date.year


class InspectionVisit(models.Model):
    """One unit visited in a round: findings, recommendations, follow-up until closed.

    Scoped through its round's host unit (the visited unit is what was looked at)."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="visits",
                              verbose_name=_("round"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit visited"))
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    findings = models.TextField(_("findings and conclusion"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(_("follow-up"), max_length=16, choices=FollowUp.choices,
                              default=FollowUp.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("round__unit")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="visit_identity")]

    def __str__(self):
        return f"{self.round.code} · {self.unit}"

    def save(self, *args, **kwargs):
        self.fill()
        super().save(*args, **kwargs)

    def fill(self):
        self.year = self.date.year


class PressEntry(Activity):
    """A press-contest entry (tác phẩm dự thi) about the movement's models."""

    title = models.CharField(_("title"), max_length=KEY_MAX)
    title_key = models.CharField(max_length=KEY_MAX, editable=False)
    author = models.CharField(_("author"), max_length=KEY_MAX)
    author_key = models.CharField(max_length=KEY_MAX, editable=False)
    outlet = models.CharField(_("outlet"), max_length=255, blank=True)
    genre = models.CharField(_("genre"), max_length=16, choices=Genre.choices)
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("model it is about"))
    national_eligible = models.BooleanField(_("eligible for the national round"), default=False)
    national_finalist = models.BooleanField(_("national finalist"), default=False)
    provincial_prize = models.CharField(_("provincial prize"), max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("press entry")
        verbose_name_plural = _("press entries")
        constraints = [models.UniqueConstraint(fields=["title_key", "author_key", "year"],
                                               name="press_identity")]
        indexes = [models.Index(fields=["phase", "year"], name="press_phase_year")]

    def __str__(self):
        return self.title

    def fill(self):
        self.title_key = fold(self.title)[:KEY_MAX]
        self.author_key = fold(self.author)[:KEY_MAX]


class Review(Activity):
    """Sơ kết / tổng kết of a unit in a phase: planned, then held as a conference or
    reported only, with its report attached. `year` is the held (else planned) date's."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReviewKind.choices)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_as = models.CharField(_("held as"), max_length=16, choices=ReviewForm.choices,
                               blank=True, help_text=_("Empty while it has not been held"))
    report = models.FileField(_("report"), upload_to=material_path, max_length=255, blank=True)
    report_name = models.CharField(max_length=255, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["phase", "kind", "unit__path"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["phase", "unit", "kind"],
                                               name="review_identity")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit}"

    @property
    def held(self) -> bool:
        return bool(self.held_as)

    def fill(self):
        day = self.held_on or self.planned_date
        self.year = day.year if day else self.phase.end_year


class FollowUpAssignment(models.Model):
    """Theo dõi, chăm bồi: the committee member who follows a registration (one at a time;
    a change of member is a history entry). Scoped through the registration's unit."""

    registration = models.OneToOneField("initiatives.Registration", on_delete=models.CASCADE,
                                        related_name="+", verbose_name=_("registration"))
    member = models.ForeignKey("phases.CommitteeMember", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("committee member"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("registration__unit")

    class Meta:
        verbose_name = _("follow-up assignment")
        verbose_name_plural = _("follow-up assignments")

    def __str__(self):
        return f"{self.member} · {self.registration_id}"


class FollowUpVisit(models.Model):
    """One follow-up visit to a registered model: when, who, what was found, the guidance
    given, the next step. `on_site`: the visitor went to the model (counted in the summary)."""

    registration = models.ForeignKey("initiatives.Registration", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("registration"))
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey("phases.CommitteeMember", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("committee member"))
    visitor = models.CharField(_("who visited"), max_length=255)
    on_site = models.BooleanField(_("on site"), default=True)
    findings = models.TextField(_("what was found"))
    guidance = models.TextField(_("guidance given"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("registration__unit")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        indexes = [models.Index(fields=["registration", "date"], name="followup_visit_reg")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.visitor}"

    def save(self, *args, **kwargs):
        self.fill()
        super().save(*args, **kwargs)

    def fill(self):
        self.year = self.date.year


class BudgetLine(Activity):
    """Kinh phí: money allocated to or spent by a unit's committee in a phase (VND)."""

    kind = models.CharField(_("kind"), max_length=16, choices=BudgetKind.choices)
    date = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    purpose = models.CharField(_("purpose"), max_length=255)
    document_ref = models.CharField(_("document"), max_length=128, blank=True,
                                    help_text=_("Number and date of the decision or voucher"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        indexes = [models.Index(fields=["phase", "year"], name="budget_phase_year")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.purpose}"

    def fill(self):
        self.year = self.date.year
