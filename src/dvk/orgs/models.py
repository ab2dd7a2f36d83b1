"""The org tree: units with a materialised path, their structural history, memberships.

Path: "/0000001/0000042/" — one fixed-width segment per ancestor (the ancestor's id),
so a subtree is one index range scan: path >= P and path < P[:-1] + "0"
('/' sorts just before '0'). Works the same on SQLite and PostgreSQL, no LIKE.
"""
import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.common.text import fold, sort_key

from .enums import Role, UnitEventKind, UnitKind

SEGMENT = 7  # digits per path segment: up to 9,999,999 units


def path_segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}/"


def subtree_bounds(path: str) -> tuple[str, str]:
    """[low, high) string range covering a path and all its descendants."""
    return path, path[:-1] + "0"


class Sector(models.Model):
    """Khối: Party, government, Front & unions, mass associations, military, police…"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A sector that counts as "socio-political & mass organisations" in reports (seed 004).
    is_mass_organisation = models.BooleanField(_("mass organisation"), default=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """Units in force on a date (default today)."""
        on = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=on),
        )

    def subtree_of(self, unit: "Unit", include_self: bool = True):
        low, high = subtree_bounds(unit.path)
        qs = self.filter(path__gte=low, path__lt=high)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def vi_ordered(self):
        return self.order_by("sort_key", "code")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True,
                                   help_text=_("Empty while the unit exists."))
    # Where this unit's data rolls up to today after a merge/split/dissolution.
    successor = models.ForeignKey("self", verbose_name=_("successor"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="predecessors")
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["parent", "sort_key"]),
            models.Index(fields=["kind", "valid_until"]),
        ]

    def __str__(self):
        return self.name

    def refresh_derived(self):
        """Search and sort keys follow the name; call before saving a changed name."""
        self.search_text = f"{fold(self.name)} {fold(self.code)}"[:400]
        self.sort_key = sort_key(self.name)[:600]

    def save(self, *args, **kwargs):
        # Only derived columns here; tree changes go through orgs.structure.
        self.refresh_derived()
        creating = not self.path
        if creating:
            self.path = f"~{uuid.uuid4().hex}"  # unique placeholder until the pk exists
        super().save(*args, **kwargs)
        if creating:
            prefix = self.parent.path if self.parent_id else "/"
            self.path = prefix + path_segment(self.pk)
            self.depth = self.path.count("/") - 2
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_until is None or self.valid_until > today) and (
            self.valid_from is None or self.valid_from <= today
        )

    def ancestor_ids(self) -> list[int]:
        return [int(s) for s in self.path.strip("/").split("/")[:-1]]

    def ancestors(self):
        return Unit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def is_descendant_of(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)


class UnitEvent(models.Model):
    """A structural change (merge, split, move, dissolution…) on a date, with its decision."""

    kind = models.CharField(_("kind"), max_length=16, choices=UnitEventKind.choices)
    date = models.DateField(_("effective date"))
    decision = models.CharField(_("decision"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(Unit, related_name="events_as_source", blank=True)
    targets = models.ManyToManyField(Unit, related_name="events_as_target", blank=True)
    # For moves: where the unit was, so reports can use the structure of the time.
    old_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    new_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    old_path = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("structural change")
        verbose_name_plural = _("structural changes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class Membership(models.Model):
    """A user acts for a unit with a role; they see that unit's subtree only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.CharField(_("position"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
