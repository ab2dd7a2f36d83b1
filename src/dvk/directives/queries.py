"""Visibility: a directive is seen in its issuing unit's subtree (the issuer and the levels
above it) and by the units below the issuer it was sent to; who has received and answered
it is worked out here from a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from dvk.orgs.models import Unit
from dvk.orgs.scope import Scope
from dvk.phases.models import SteeringCommittee

from .models import IMPLEMENTING, Acknowledgement, Directive, MemberArea

SENT_DOWN = "directives are sent down: the units below the issuer read them"


def directives_for(scope: Scope) -> QuerySet[Directive]:
    if not scope.is_authenticated and not scope.is_superuser:
        return Directive.objects.none()
    q = scope.unit_q("unit")
    if scope.unit is not None and not scope.is_superuser:
        q |= Q(unit_id__in=scope.unit.ancestor_ids())
    return (Directive.objects.unscoped(SENT_DOWN).filter(q)
            .select_related("unit", "phase", "committee", "responds_to", "responds_to__unit"))


def received_for(scope: Scope, phase) -> QuerySet[Directive]:
    """What the committees above the acting unit sent down in the phase."""
    if scope.unit is None:
        return Directive.objects.none()
    return (Directive.objects.unscoped(SENT_DOWN)
            .filter(phase=phase, unit_id__in=scope.unit.ancestor_ids())
            .select_related("unit").order_by("-issued_on", "-id"))


def issued_by(scope: Scope, committee: SteeringCommittee) -> QuerySet[Directive]:
    return (Directive.objects.within(scope).filter(committee=committee)
            .select_related("responds_to", "responds_to__unit").order_by("-issued_on", "-id"))


def acknowledged_units(scope: Scope, directives) -> dict[int, dict[int, Acknowledgement]]:
    """{directive id: {unit id: acknowledgement}} for the directives, in one query."""
    out: dict[int, dict[int, Acknowledgement]] = {d.pk: {} for d in directives}
    for a in (Acknowledgement.objects.within(scope).filter(directive__in=list(out))
              .select_related("by")):
        out[a.directive_id][a.unit_id] = a
    return out


def responses_by_unit(scope: Scope, directives) -> dict[int, dict[int, list[Directive]]]:
    """{directive id: {unit id: [the implementing documents it filed]}}, in one query."""
    out: dict[int, dict[int, list[Directive]]] = {d.pk: {} for d in directives}
    for r in (Directive.objects.within(scope).filter(responds_to__in=list(out))
              .order_by("issued_on", "id")):
        out[r.responds_to_id].setdefault(r.unit_id, []).append(r)
    return out


def followed_committees(committee: SteeringCommittee) -> list[SteeringCommittee]:
    """The committees directly below `committee` in its phase (no committee between them),
    of units in force: the ones expected to acknowledge and implement its directives."""
    below = list(SteeringCommittee.objects
                 .filter(phase_id=committee.phase_id, unit__valid_until__isnull=True)
                 .filter(unit__in=Unit.objects.subtree_of(committee.unit, include_self=False))
                 .select_related("unit").order_by("unit__sort_key", "unit__code"))
    paths = [c.unit.path for c in below]
    return [c for c in below
            if not any(c.unit.path.startswith(p) and c.unit.path != p for p in paths)]


@dataclass
class Follow:
    """One committee below and what it did with a directive."""
    committee: SteeringCommittee
    acknowledgement: Acknowledgement | None = None
    responses: list[Directive] = field(default_factory=list)

    @property
    def implemented(self) -> bool:
        return any(r.kind in IMPLEMENTING for r in self.responses)


@dataclass
class Tally:
    directive: Directive
    follows: list[Follow]

    @property
    def expected(self) -> int:
        return len(self.follows)

    @property
    def not_acknowledged(self) -> int:
        return sum(f.acknowledgement is None for f in self.follows)

    @property
    def not_implemented(self) -> int:
        return sum(not f.implemented for f in self.follows)


def tallies(scope: Scope, committee: SteeringCommittee, directives) -> list[Tally]:
    """Each directive of `committee` with its committees below: one query for the
    committees, one for the acknowledgements, one for the responses, whatever the rows."""
    directives = list(directives)
    below = followed_committees(committee)
    acks = acknowledged_units(scope, directives)
    answers = responses_by_unit(scope, directives)
    return [Tally(d, [Follow(c, acks[d.pk].get(c.unit_id), answers[d.pk].get(c.unit_id, []))
                      for c in below]) for d in directives]


def areas_of(scope: Scope, committee: SteeringCommittee) -> dict[int, list[Unit]]:
    """{member id: [the areas the member follows]} for the committee's members."""
    out: dict[int, list[Unit]] = {}
    for a in (MemberArea.objects.within(scope).filter(member__committee=committee)
              .select_related("unit").order_by("unit__sort_key", "unit__code")):
        out.setdefault(a.member_id, []).append(a.unit)
    return out


def area_choices(committee: SteeringCommittee) -> QuerySet[Unit]:
    """The areas a committee's members may follow: the units in force directly below it."""
    return Unit.objects.filter(parent=committee.unit).current().vi_ordered()
