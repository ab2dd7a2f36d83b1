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
from dvk.common.rules import Refusal, Refused, why_not
from dvk.orgs.scope import Scope

from .enums import State
from .models import Registration, Transition

STALE = "Hồ sơ đã được người khác thay đổi, vui lòng tải lại trang."

#: A refused workflow action (dvk.common.rules.Refused: code, Vietnamese message, status).
TransitionRefused = Refused


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

# Who may move a registration INTO a state is the rule book's: initiatives/rules.py, INTO.

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


def refusal(registration: Registration, to_state, *, scope: Scope) -> Refusal | None:
    """Why this scope may not move the registration to `to_state` now (None = allowed)."""
    from .rules import INTO

    current = State(registration.state)
    to_state = State(to_state)
    # Who may comes before when: someone who may never do this is told so (403/404),
    # whatever the file's state.
    # Asked by name, so the registry's guards (new work by a retired unit) apply too.
    who = why_not(f"registration.to_{to_state.value}", scope, registration) \
        if to_state in INTO else None  # no state is entered again (e.g. draft)
    if who is not None and who.status in (403, 404):
        return who
    if to_state not in ALLOWED[current]:
        return Refusal("state", f"Không thể chuyển hồ sơ từ trạng thái «{label(current)}» "
                                f"sang «{label(to_state)}».", 409)
    return who


def can(registration: Registration, to_state, *, scope: Scope) -> bool:
    """For screens: show a button only when the transition would be allowed."""
    return refusal(registration, to_state, scope=scope) is None


def available(registration: Registration, *, scope: Scope) -> list[State]:
    return [s for s in ALLOWED[State(registration.state)]
            if refusal(registration, s, scope=scope) is None]


def transition(registration: Registration, to_state, *, scope: Scope, comment: str = "",
               expected_version: int | None = None, **changes) -> Registration:
    """Move `registration` to `to_state`; the only place a registration's state changes.

    Order: veto (allowed? scope? role? exceptional approval?), conditional UPDATE on
    (pk, state, version) with `changes`, Transition row, history entry. Returns the
    registration refreshed in place. Raises TransitionRefused.
    """
    actor = scope.user
    to_state = State(to_state)
    reason = refusal(registration, to_state, scope=scope)
    if reason:
        raise Refused(reason)
    from_state = State(registration.state)
    version = registration.version if expected_version is None else expected_version
    before = history.snapshot(registration, [f for f in TRACKED if f != "decision"])
    before["decision"] = registration.decision_id
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.again(registration).filter(
            state=from_state, version=version,
        ).update(state=to_state, version=F("version") + 1, updated_at=now, **changes)
        if not updated:
            raise Refused(Refusal("stale", STALE, 409))
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


# --- registrations born in a state: promotion, imports, the demo ------------------------------

def create(*, scope: Scope, state=State.DRAFT, comment: str = "", history_action: str = "create",
           history_changes: dict | None = None, **fields) -> Registration:
    """Create one registration in `state` with its first Transition ("" → state) and a
    history entry. The caller has checked the rule that allows it (registration.create,
    registration.promote)."""
    state = State(state)
    with transaction.atomic():
        reg = Registration.objects.create(state=state, created_by=_user(scope.user), **fields)
        Transition.objects.create(registration=reg, from_state="", to_state=state,
                                  actor=_user(scope.user), comment=comment)
        history.record(reg, history_action, actor=scope.user, changes=history_changes or {})
    return reg


def born(registrations, *, steps=None, actor=None, comment: str = "") -> list[Transition]:
    """Transition rows for registrations created in bulk (saved, with ids) in their state.

    `steps(reg)` lists the states a registration went through, ending in its state (default:
    just its state); each step is one row, the first from "". Used by the demo builder;
    `import_transitions` is the same for the import's COPY path."""
    rows, now = [], timezone.now()
    for reg in registrations:
        path = list(steps(reg)) if steps else [reg.state]
        if not path or State(path[-1]) != State(reg.state):
            raise ValueError(f"steps of registration {reg.pk} do not end in its state")
        for a, b in zip(["", *path], path):
            rows.append(Transition(registration_id=reg.pk, from_state=a, to_state=b,
                                   actor=actor(reg, b) if callable(actor) else _user(actor),
                                   comment=comment, at=now))
    Transition.objects.bulk_create(rows, batch_size=2000)
    return rows


def import_transitions(bulk, changes, *, actor_id, at, comment: str) -> None:
    """Transition rows for an import, written through its bulk writer: `changes` yields
    (registration id, from state or "" for a new one, to state)."""
    rows = [(pk, a, b, actor_id, at, comment) for pk, a, b in changes if a != b]
    bulk.insert(Transition, ["registration_id", "from_state", "to_state", "actor_id", "at",
                             "comment"], rows, len(rows))
