"""Who sees what: the ONE place that filters user-facing data by the org tree.

A user acts for one unit (a membership) and sees that unit's subtree. Views, API routes,
exports and searches build their querysets here; none filters by path itself.
Objects outside the scope are answered with 404, so nobody learns they exist.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .enums import Role
from .models import Membership, Unit, subtree_bounds


@dataclass(frozen=True)
class Scope:
    """Who acts, for which unit, with which role. Services take it as a required argument:
    a user's *other* memberships never authorise what this one may not do."""

    user: object
    membership: Membership | None
    # Set only by system(): the command line and the demo act for the whole tree.
    system_reason: str = ""
    # Per-request memo for the rule book (e.g. the unit's committee per phase).
    cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @classmethod
    def system(cls, reason: str, user=None) -> "Scope":
        """The whole tree, for code that must say why (imports from the command line, the
        demo builder). Never built from a request."""
        if not reason:
            raise ValueError("a system scope must say why it is needed")
        return cls(user=user, membership=None, system_reason=reason)

    @property
    def unit(self) -> Unit | None:
        return self.membership.unit if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_superuser(self) -> bool:
        return bool(self.system_reason) or bool(getattr(self.user, "is_superuser", False))

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def has_role(self, *roles) -> bool:
        # A unit's system administrator administers (users, units: the admin); the work of
        # clerks and committees is theirs only where the role is named.
        return self.is_superuser or (self.role in roles)

    def require(self, *roles) -> None:
        """403 for a signed-in user whose role may not do this."""
        if not self.has_role(*roles):
            raise PermissionDenied

    def unit_q(self, unit_field: str = "unit") -> Q:
        """Q restricting `unit_field` (a FK to Unit, or "" for Unit itself) to the subtree."""
        if self.is_superuser:
            return Q()
        if self.unit is None:
            return Q(pk__in=[])
        if is_only_root(self.unit):
            # Every unit is in the subtree: no join to the unit table, which lets the
            # planners walk a list's own index (SQLite sorted a national list of a million
            # rows through the join: 4.2 s). Rows without a unit stay outside, as before.
            return Q(**{f"{unit_field}__isnull": False}) if unit_field else Q()
        low, high = subtree_bounds(self.unit.path)
        prefix = f"{unit_field}__" if unit_field else ""
        return Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})

    def restrict(self, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
        return qs.filter(self.unit_q(unit_field))

    def contains(self, unit: Unit | None) -> bool:
        if self.is_superuser:
            return True
        if unit is None or self.unit is None:
            return False
        return unit.path.startswith(self.unit.path)

    def root(self) -> Unit | None:
        """The top unit this user sees (the tree root for a superuser)."""
        if self.unit is not None:
            return self.unit
        if self.is_superuser:
            return Unit.objects.filter(parent__isnull=True).order_by("path").first()
        return None


ANONYMOUS = Scope(user=None, membership=None)


def memberships_of(user) -> QuerySet[Membership]:
    return (Membership.objects.filter(user=user, is_active=True)
            .select_related("unit").order_by("unit__path", "role"))


def scope_for(user, membership_id: int | None = None) -> Scope:
    """The acting scope: the chosen membership, else the user's first active one."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    # All of them in one query (a person holds a few): the header's role switcher reads
    # the same list from the scope's memo instead of asking again.
    memberships = list(memberships_of(user))
    chosen = next((m for m in memberships if membership_id and str(m.pk) == str(membership_id)),
                  None)
    if chosen is None and memberships:
        chosen = memberships[0]
    scope = Scope(user=user, membership=chosen)
    scope.cache["memberships"] = memberships
    return scope


def get_or_404(qs: QuerySet, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        # An id no column can hold (SQLite: OverflowError above 2**63) exists nowhere.
        raise Http404 from None


# --- one visibility function per data type -------------------------------------------------

def units_for(scope: Scope) -> QuerySet[Unit]:
    return scope.restrict(Unit.objects.all(), unit_field="")


def unit_for(scope: Scope, code: str) -> Unit:
    return get_or_404(units_for(scope).select_related("parent", "sector", "successor"), code=code)


def memberships_for(scope: Scope) -> QuerySet[Membership]:
    return scope.restrict(Membership.objects.select_related("user", "unit"))


# --- a unit's subtree, for statistics and reports ------------------------------------------

def is_only_root(unit: Unit) -> bool:
    """The unit is the tree's only root, so its subtree is every unit. Asked once per unit
    object (i.e. per request), and only of a root."""
    if unit.parent_id is not None:
        return False
    if not hasattr(unit, "_only_root"):
        unit._only_root = not Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
    return unit._only_root


def within(qs: QuerySet, unit: Unit, unit_field: str = "unit") -> QuerySet:
    """Restrict `qs` to rows whose `unit_field` lies in `unit`'s subtree (unit included).

    For statistics on an arbitrary unit; the caller must already have checked that the
    unit itself is visible (unit_for). Written as `unit_id IN (subtree)` rather than a join:
    PostgreSQL then keeps index-only, pre-sorted plans over the big tables (a province's
    figures come from an index lookup per unit). The subtree of the only root is the whole
    table: no filter at all, so country-wide figures scan without a join."""
    low, high = subtree_bounds(unit.path)
    if not unit_field:
        return qs.filter(path__gte=low, path__lt=high)
    if is_only_root(unit):
        return qs
    subtree = Unit.objects.filter(path__gte=low, path__lt=high).values("pk")
    return qs.filter(**{f"{unit_field}__in": subtree})
