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
