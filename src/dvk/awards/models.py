"""Awards: giấy khen, bằng khen, cờ thi đua — to models, units or people.

The path of an award (seed 003 §III): a steering committee builds a Proposal (bản đề nghị /
tờ trình) listing recipients — recognised registrations of its level, and units and people
who directed the movement well — and sends it to the Party committee of the same level (or,
for bằng khen, to the provincial People's Committee). The decision that comes back is
recorded once (AwardDecision, with the number, date and signer on its initiatives.Decision
like every decision of the app) and creates one Award per recipient.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dvk.common.models import TimeStamped
from dvk.common.scoping import ScopedManager
from dvk.initiatives.models import Decision, ImportBatch, Registration
from dvk.orgs.models import Unit
from dvk.phases.models import Level, Phase

from .enums import Authority, GivenAt, Occasion, ProposalState, RecipientType


class AwardKind(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Who issues it and at which of the phase's levels (seed 003 §III.4).
    given_at = models.CharField(_("given at"), max_length=16, choices=GivenAt.choices,
                                default=GivenAt.ANY)
    authority = models.CharField(_("issued by"), max_length=32, choices=Authority.choices,
                                 default=Authority.PARTY_COMMITTEE)
    to_models = models.BooleanField(_("to models"), default=True)
    to_units = models.BooleanField(_("to units"), default=True)
    to_people = models.BooleanField(_("to people"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("award kind")
        verbose_name_plural = _("award kinds")

    def __str__(self):
        return self.name

    def goes_to(self, recipient_type: str) -> bool:
        return {RecipientType.MODEL: self.to_models, RecipientType.UNIT: self.to_units,
                RecipientType.PERSON: self.to_people}.get(recipient_type, False)

    def given_at_level(self, level: Level, levels: list[Level]) -> bool:
        """Is the kind given at `level` of its phase (`levels`: the phase's, in order)?"""
        top = levels[-1].pk if levels else None
        if self.given_at == GivenAt.TOP:
            return level.pk == top
        if self.given_at == GivenAt.BELOW_TOP:
            return level.pk != top
        return True


class Proposal(TimeStamped):
    """A committee's proposal of awards (bản đề nghị / tờ trình) for one occasion.

    Made by the steering committee of `unit` at its `level` in `phase`; `authority` is the
    body it goes to. Draft → sent → decided (awards/services.py is the one door)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_proposals",
                             verbose_name=_("proposing unit"))
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="award_proposals",
                              verbose_name=_("phase"))
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="award_proposals",
                              verbose_name=_("level"))
    year = models.PositiveSmallIntegerField(_("year"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices,
                                default=Occasion.COMMEMORATION)
    authority = models.CharField(_("sent to"), max_length=32, choices=Authority.choices,
                                 default=Authority.PARTY_COMMITTEE)
    addressed_to = models.CharField(_("addressed to"), max_length=255, blank=True,
                                    help_text=_("E.g. Ban Thường vụ Huyện ủy Gò Quao"))
    number = models.CharField(_("number"), max_length=64, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("summary"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ProposalState.choices,
                             default=ProposalState.DRAFT)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        indexes = [models.Index(fields=["unit", "phase", "state"])]

    def __str__(self):
        return self.title or f"{self.get_occasion_display()} {self.year}"


class ProposalItem(models.Model):
    """One recipient proposed: a registration (the model), a unit or a person."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    recipient_type = models.CharField(_("recipient"), max_length=8,
                                      choices=RecipientType.choices)
    kind = models.ForeignKey(AwardKind, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("award kind"))
    registration = models.ForeignKey(Registration, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="award_proposals",
                                     verbose_name=_("registration"))
    # The awarded unit; for a model its registration's unit, for a person theirs.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    person_name = models.CharField(_("full name"), max_length=255, blank=True)
    person_position = models.CharField(_("position"), max_length=255, blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    exceptional_reason = models.TextField(_("reason for an exceptional award"), blank=True)
    amount = models.PositiveIntegerField(_("amount (đồng)"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager()

    class Meta:
        ordering = ["proposal", "order", "id"]
        verbose_name = _("proposed recipient")
        verbose_name_plural = _("proposed recipients")

    def __str__(self):
        return self.recipient_label

    @property
    def recipient_label(self) -> str:
        if self.recipient_type == RecipientType.MODEL and self.registration_id:
            return self.registration.initiative.title
        if self.recipient_type == RecipientType.PERSON:
            return self.person_name
        return self.unit.name


class AwardDecision(TimeStamped):
    """The award decision that answers a proposal: its number, date, signer, unit, phase and
    level are those of its `decision` (initiatives.Decision, kind "award"), as for every
    decision of the app; here what only an award decision has."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT,
                                    related_name="award_decision", verbose_name=_("decision"))
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="award_decision", verbose_name=_("proposal"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    authority = models.CharField(_("issued by"), max_length=32, choices=Authority.choices)
    issued_by = models.CharField(_("issuing body"), max_length=255, blank=True)
    amount_per_recipient = models.PositiveIntegerField(_("money per recipient (đồng)"),
                                                       null=True, blank=True)

    _unguarded = models.Manager()  # default manager: see dvk.common.scoping
    objects = ScopedManager("decision__unit")

    class Meta:
        ordering = ["-decision__date", "-id"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")

    def __str__(self):
        return str(self.decision)


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
    recipient_type = models.CharField(_("recipient kind"), max_length=8,
                                      choices=RecipientType.choices, default=RecipientType.MODEL)
    recipient_name = models.CharField(_("recipient"), max_length=255, blank=True)
    recipient_position = models.CharField(_("position"), max_length=255, blank=True)
    # Empty for awards whose occasion nobody recorded (imports of past phases).
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices,
                                blank=True)
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.registration_id:
            mark_awarded([self.registration_id])


def mark_awarded(registration_ids) -> None:
    """Flag the registrations that an award names (Registration.has_award). Every way an
    award is written calls it: Award.save, and after their bulk inserts the award decision,
    the registrations import and the demo builder."""
    ids = sorted({pk for pk in registration_ids if pk})
    for start in range(0, len(ids), 5000):  # bounded IN lists (SQLite's variable limit)
        (Registration.objects.unscoped("a flag kept for every award, whoever writes it")
         .filter(pk__in=ids[start:start + 5000], has_award=False).update(has_award=True))
