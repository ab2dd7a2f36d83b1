"""Which level a unit and a committee stand at in a phase — the ground of every authority rule.

A committee recognises at ONE level of its phase (`SteeringCommittee.level`): it accepts,
appraises and decides registrations at that level inside its unit's subtree. A phase with
only Cơ sở and Tỉnh has no district committees: levels come from the phase's data.
A unit's own models enter at the level of the unit's kind (a commune's at the lowest);
higher levels come by promotion, or as an exceptional registration.
"""
from __future__ import annotations

from dvk.common.rules import ROLE, Refusal, rule
from dvk.orgs.enums import Role, UnitKind

from .models import Level, Phase, SteeringCommittee

#: Roles that act for a steering committee (its secretariat, appraisers, leaders).
COMMITTEE_ROLES = (Role.SECRETARIAT, Role.APPRAISER, Role.LEADER)


def level_for_kind(phase: Phase, kind: str, levels: list[Level] | None = None) -> Level | None:
    """The level a unit of `kind` recognises at / registers at in `phase`.

    Province → the top level; district → the middle level where the phase has one (none in
    a two-level phase: no district committees); grassroots and below → the lowest."""
    levels = levels if levels is not None else list(phase.ordered_levels())
    if not levels:
        return None
    if kind == UnitKind.PROVINCE:
        return levels[-1]
    if kind == UnitKind.DISTRICT:
        return levels[1] if len(levels) > 2 else None
    return levels[0]


def entry_level(unit, phase: Phase) -> Level | None:
    """The level at which `unit`'s own models are registered (without promotion)."""
    return level_for_kind(phase, unit.kind)


def committee_of(scope, phase: Phase | int) -> SteeringCommittee | None:
    """The committee the scope's unit runs in `phase` (cached on the scope)."""
    unit = scope.unit
    if unit is None:
        return None
    phase_id = getattr(phase, "pk", phase)
    cache = scope.cache.setdefault("committee", {})
    if phase_id not in cache:
        cache[phase_id] = (SteeringCommittee.objects.filter(unit=unit, phase_id=phase_id)
                           .select_related("level").first())
    return cache[phase_id]


def committee_level(scope, phase) -> Level | None:
    c = committee_of(scope, phase)
    return c.level if c else None


def acts_at(scope, phase, level, *roles) -> bool:
    """Does the scope act, with one of `roles`, for the committee recognising at `level`?"""
    if scope.is_superuser:
        return True
    if scope.role not in (roles or COMMITTEE_ROLES):
        return False
    return committee_level(scope, phase) is not None and \
        committee_level(scope, phase).pk == getattr(level, "pk", level)


WRONG_LEVEL = "wrong_level"


def level_refusal(scope, phase, level) -> Refusal:
    mine = committee_level(scope, phase)
    if mine is None:
        return Refusal(WRONG_LEVEL, "Đơn vị của bạn không có Ban Chỉ đạo trong giai đoạn này, "
                                    "không xét được hồ sơ.", 403)
    return Refusal(WRONG_LEVEL, f"Hồ sơ đăng ký ở cấp {level}; Ban Chỉ đạo của đơn vị bạn xét "
                                f"hồ sơ cấp {mine}.", 403)


@rule("committee.edit", new_work=True)
def can_edit_committee(scope, committee=None) -> Refusal | None:
    """The secretariat of the committee's unit or of a unit above it (the view has already
    found the committee inside the scope), or an administrator."""
    return None if scope.has_role(Role.SECRETARIAT) else ROLE


@rule("phase.create", new_work=True)
def can_create_phase(scope) -> Refusal | None:
    """A phase (its levels, its calendar) applies to every unit: the system administrator."""
    from dvk.orgs.rules import system_admin

    return system_admin(scope)


@rule("phase.edit", new_work=True)
def can_edit_phase(scope, phase=None) -> Refusal | None:
    """The calendar applies to the whole province: admins and the province secretariat."""
    if scope.is_admin:
        return None
    if scope.role == Role.SECRETARIAT and scope.unit is not None \
            and scope.unit.kind == UnitKind.PROVINCE:
        return None
    return ROLE
