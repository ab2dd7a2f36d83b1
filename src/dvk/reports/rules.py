"""Who reads the statistics, the dashboard and the report documents."""
from __future__ import annotations

from dvk.common.rules import ROLE, UNIT_OUTSIDE, Refusal, rule
from dvk.orgs.enums import Role


@rule("reports.view")
def can_view_reports(scope, unit=None) -> Refusal | None:
    """Committees' leaders and secretariats, for units inside their subtree; the screens
    and the API ask this same rule."""
    if not scope.has_role(Role.LEADER, Role.SECRETARIAT):
        return ROLE
    if unit is not None and not scope.contains(unit):
        return UNIT_OUTSIDE
    return None
