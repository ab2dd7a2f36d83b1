"""Who may change the org tree itself."""
from __future__ import annotations

from dvk.common.rules import ROLE, Refusal, rule

from .enums import Role

SYSTEM_ADMIN_ONLY = Refusal(
    "system_admin", "Chỉ quản trị hệ thống (vai trò Quản trị ở đơn vị gốc) được làm việc này: "
                    "nó áp dụng cho toàn bộ cây tổ chức.", 403)


def system_admin(scope) -> Refusal | None:
    """The system administrator: Quản trị at the root (CONTRACTS §8), or a superuser. What
    reaches the whole tree (its structure, the phases) is theirs, never a unit's admin's."""
    if scope.is_superuser:
        return None
    if scope.role != Role.ADMIN:
        return ROLE
    return None if scope.unit is not None and scope.unit.parent_id is None else SYSTEM_ADMIN_ONLY


@rule("structure.change", new_work=True)
def can_change_structure(scope) -> Refusal | None:
    """Merging, splitting or dissolving units reaches every level above them."""
    return system_admin(scope)


@rule("users.import", new_work=True)
def can_import_users(scope) -> Refusal | None:
    """Accounts in bulk (CONTRACTS §8) reach any unit, and may name system administrators."""
    return system_admin(scope)


@rule("audit.read")
def can_read_audit_trail(scope) -> Refusal | None:
    """The system-wide history log: what anyone did anywhere, so the system administrator's
    only. Reading, not new work: open to them on a retired root too."""
    return system_admin(scope)
