"""The registration workflow: the allowed-transitions map, who may do what, and the ONE
function through which a registration's state changes.

    draft ─submit→ submitted ─accept→ accepted ─report→ reported ─appraise→ appraised ─decide→ recognized
      │              │  └return→ returned ─submit→┘        │          │                      └→ not_recognized
      └──────────────┴── withdraw (any open state before a decision) ───┘          │
                                                    reported ─return report→ accepted (appraisers' "uốn nắn":
                                                    the unit corrects and reports again)

Every change is a conditional UPDATE on (pk, state, version): two people acting on the same
registration at once cannot both win; the loser is told to reload.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dvk.common import history
from dvk.orgs.enums import Role
from dvk.orgs.scope import Scope, scope_for

from .enums import ExceptionalStatus, State
from .models import Registration, Transition

STALE = "Hồ sơ đã được người khác thay đổi, vui lòng tải lại trang."


class TransitionRefused(Exception):
    """A state change (or another workflow action) was refused; `.message` is Vietnamese."""

    def __init__(self, message: str, *, status: int = 409):
        self.message = message
        self.status = status  # 409 conflict with the state, 400 invalid input, 403 role
        super().__init__(message)

    def __str__(self):
        return self.message


ALLOWED: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    State.SUBMITTED: frozenset({State.ACCEPTED, State.RETURNED, State.WITHDRAWN}),
    State.RETURNED: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset({State.REPORTED, State.WITHDRAWN}),
    # A report can be sent back for correction (→ accepted) before it is appraised.
    State.REPORTED: frozenset({State.APPRAISED, State.ACCEPTED, State.WITHDRAWN}),
    State.APPRAISED: frozenset({State.RECOGNIZED, State.NOT_RECOGNIZED}),
    State.RECOGNIZED: frozenset(),
    State.NOT_RECOGNIZED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Who may move a registration INTO a state (admins always may: Scope.has_role).
# Clerks act for their units; the secretariat may also act on a unit's behalf.
ROLES_FOR: dict[State, tuple[str, ...]] = {
    State.SUBMITTED: (Role.CLERK, Role.SECRETARIAT),
    State.WITHDRAWN: (Role.CLERK, Role.SECRETARIAT),
    State.REPORTED: (Role.CLERK, Role.SECRETARIAT),
    State.ACCEPTED: (Role.SECRETARIAT,),
    State.RETURNED: (Role.SECRETARIAT,),
    State.APPRAISED: (Role.APPRAISER, Role.SECRETARIAT),
    State.RECOGNIZED: (Role.SECRETARIAT,),
    State.NOT_RECOGNIZED: (Role.SECRETARIAT,),
}

STATE_LABELS_VI = {
    State.DRAFT: "Nháp", State.SUBMITTED: "Đã gửi", State.RETURNED: "Bị trả lại",
    State.ACCEPTED: "Đã tiếp nhận", State.REPORTED: "Đã báo cáo thành tích",
    State.APPRAISED: "Đã thẩm định", State.RECOGNIZED: "Được công nhận",
    State.NOT_RECOGNIZED: "Không được công nhận", State.WITHDRAWN: "Đã rút",
}

# Fields a transition may change along with the state (see services).
TRACKED = ("state", "is_late", "submitted_at", "decided_at", "decision", "certificate_number",
           "return_comment", "exceptional_status")


def label(state) -> str:
    return STATE_LABELS_VI.get(State(state), str(state))


def _scope(actor, scope: Scope | None) -> Scope:
    return scope if scope is not None else scope_for(actor)


def refusal(registration: Registration, to_state, *, scope: Scope) -> str | None:
    """Why this scope may not move the registration to `to_state` now (None = allowed)."""
    current = State(registration.state)
    to_state = State(to_state)
    if to_state not in ALLOWED[current]:
        return (f"Không thể chuyển hồ sơ từ trạng thái «{label(current)}» sang "
                f"«{label(to_state)}».")
    if not scope.contains(registration.unit):
        return "Hồ sơ không thuộc phạm vi đơn vị của bạn."
    if not scope.has_role(*ROLES_FOR[to_state]):
        return "Vai trò của bạn không được thực hiện thao tác này."
    if (to_state == State.ACCEPTED and registration.is_exceptional
            and registration.exceptional_status != ExceptionalStatus.APPROVED):
        return ("Hồ sơ đăng ký đặc cách chưa được Tổ thư ký chấp thuận, "
                "chưa thể tiếp nhận.")
    return None


def can(registration: Registration, to_state, *, actor=None, scope: Scope | None = None) -> bool:
    """For screens: show a button only when the transition would be allowed."""
    return refusal(registration, to_state, scope=_scope(actor, scope)) is None


def available(registration: Registration, *, actor=None, scope: Scope | None = None) -> list[State]:
    scope = _scope(actor, scope)
    return [s for s in ALLOWED[State(registration.state)]
            if refusal(registration, s, scope=scope) is None]


def transition(registration: Registration, to_state, *, actor, scope: Scope | None = None,
               comment: str = "", expected_version: int | None = None,
               **changes) -> Registration:
    """Move `registration` to `to_state`; the only place a registration's state changes.

    Order: veto (allowed? scope? role? exceptional approval?), conditional UPDATE on
    (pk, state, version) with `changes`, Transition row, history entry. Returns the
    registration refreshed in place. Raises TransitionRefused.
    """
    scope = _scope(actor, scope)
    to_state = State(to_state)
    reason = refusal(registration, to_state, scope=scope)
    if reason:
        status = 403 if reason.startswith("Vai trò") else 409
        raise TransitionRefused(reason, status=status)
    from_state = State(registration.state)
    version = registration.version if expected_version is None else expected_version
    before = history.snapshot(registration, [f for f in TRACKED if f != "decision"])
    before["decision"] = registration.decision_id
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk, state=from_state, version=version,
        ).update(state=to_state, version=F("version") + 1, updated_at=now, **changes)
        if not updated:
            raise TransitionRefused(STALE)
        Transition.objects.create(registration=registration, from_state=from_state,
                                  to_state=to_state, actor=_user(actor), comment=comment)
        for name, value in changes.items():
            setattr(registration, name, value)
        registration.state = to_state
        registration.version = version + 1
        registration.updated_at = now
        after = history.snapshot(registration, [f for f in TRACKED if f != "decision"])
        after["decision"] = registration.decision_id
        history.record(registration, f"state:{to_state.value}", actor=actor,
                       changes=history.diff(before, after), comment=comment)
    return registration


def _user(actor):
    return actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
