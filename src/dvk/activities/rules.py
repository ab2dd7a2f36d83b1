"""Who records the committee's year (training, inspections, press contest, reviews).

A committee's secretariat records for its unit's subtree; everyone else signed in reads
what lies in their subtree (activities/queries.py). Views find the object in scope
first (404 outside), then ask these rules (403 inside)."""
from __future__ import annotations

from dvk.common.rules import UNIT_OUTSIDE, Refusal, rule
from dvk.orgs.enums import Role

RECORD_ROLE = Refusal("role", "Chỉ thư ký Ban Chỉ đạo được ghi nhận hoạt động này.", 403)
IMPORT_ROLE = Refusal("role", "Chỉ thư ký Ban Chỉ đạo được nhập dữ liệu hoạt động.", 403)


@rule("activities.record", new_work=True)
def can_record(scope, obj=None) -> Refusal | None:
    """Create or change a training class, round, visit, press entry or review: the
    secretariat of the unit it belongs to or of a unit above it."""
    if not scope.has_role(Role.SECRETARIAT):
        return RECORD_ROLE
    unit = getattr(obj, "unit", None) if obj is not None else None
    if obj is not None and hasattr(obj, "round_id") and obj.round_id:
        unit = obj.round.unit  # a visit belongs to its round's host
    if unit is not None and not scope.contains(unit):
        return UNIT_OUTSIDE
    return None


@rule("activities.import", new_work=True)
def can_import(scope) -> Refusal | None:
    """Back-load a training, inspections or press file for the secretariat's subtree."""
    return None if scope.has_role(Role.SECRETARIAT) else IMPORT_ROLE


# --- follow-up of registered models (theo dõi, chăm bồi, uốn nắn) ----------------------------

ASSIGN_ROLE = Refusal("role", "Chỉ thư ký Ban Chỉ đạo xét hồ sơ ở cấp này được phân công "
                              "thành viên theo dõi mô hình.", 403)
LOG_ROLE = Refusal("role", "Chỉ thành viên được phân công theo dõi hoặc thư ký Ban Chỉ đạo "
                           "xét hồ sơ ở cấp này được ghi nhật ký thăm mô hình.", 403)


def _secretariat_of_level(scope, registration) -> bool:
    """The secretariat of the committee that recognises at the registration's level, over
    the registration's unit (phases.rules.acts_at: the scope's committee's level)."""
    from dvk.phases.rules import acts_at

    return scope.contains(registration.unit) and acts_at(
        scope, registration.phase_id, registration.level_id, Role.SECRETARIAT)


@rule("followup.assign", new_work=True)
def can_assign(scope, registration) -> Refusal | None:
    """Name (or change) the committee member who follows a registration: the secretariat
    of the committee of the registration's level."""
    if not scope.contains(registration.unit):
        return UNIT_OUTSIDE
    return None if _secretariat_of_level(scope, registration) else ASSIGN_ROLE


@rule("followup.log", new_work=True)
def can_log(scope, registration, assignment=None) -> Refusal | None:
    """Log a visit: the assigned member (signed in as the member's account) or the
    secretariat of the committee of the registration's level."""
    if not scope.contains(registration.unit):
        return UNIT_OUTSIDE
    if _secretariat_of_level(scope, registration):
        return None
    user_id = getattr(scope.user, "pk", None)
    if assignment is not None and user_id is not None and assignment.member.user_id == user_id:
        return None
    return LOG_ROLE
