"""The rule book's machinery: named predicates that answer *why not*, and one way to ask them.

Each app writes its rules in its own `rules.py` as small functions `(scope, obj) ->
Refusal | None` and registers them under a dotted name ("registration.accept").
Services enforce them (`check`), views and the API let their refusal reach one handler
each, templates ask `{% allowed "registration.accept" reg as ok %}`. A rule answers with a
reason code (for tests, logs and API clients) and a Vietnamese message (for officials).

django-rules predicates answer only True/False; officials need to be told why, and the
API needs the 403/404/409 that goes with it, so the registry is ours (a few lines).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Refusal:
    code: str  # stable, English: "outside_scope", "wrong_level", "own_appraisal"…
    message: str  # Vietnamese, shown as is
    status: int = 403  # 404 outside the subtree, 403 inside it, 409 state, 400 input


class Refused(Exception):
    """An action was refused; carries the Refusal (code, message, HTTP status)."""

    def __init__(self, refusal: Refusal | str, *, status: int | None = None, code: str = ""):
        if isinstance(refusal, str):
            refusal = Refusal(code or "invalid", refusal, status if status is not None else 400)
        elif status is not None:
            refusal = Refusal(refusal.code, refusal.message, status)
        self.refusal = refusal
        super().__init__(refusal.message)

    @property
    def message(self) -> str:
        return self.refusal.message

    @property
    def status(self) -> int:
        return self.refusal.status

    @property
    def code(self) -> str:
        return self.refusal.code

    def __str__(self):
        return self.refusal.message


Rule = Callable[..., "Refusal | None"]
RULES: dict[str, Rule] = {}


def rule(name: str, *, new_work: bool = False):
    """Register a predicate under `name`; names are unique across apps.

    `new_work`: the rule lets someone start or change work (register, judge, edit); a
    membership of a unit no longer in force (merged, dissolved, not yet founded) is refused
    it, while reading that unit's history stays open (`retired`)."""
    def register(fn: Rule) -> Rule:
        asked = _guarded(fn) if new_work else fn
        if name in RULES and getattr(RULES[name], "__wrapped__", RULES[name]) is not fn:
            raise ValueError(f"rule {name!r} defined twice")
        RULES[name] = asked
        fn.rule_name = asked.rule_name = name
        fn.new_work = asked.new_work = new_work
        return fn
    return register


def _guarded(fn: Rule) -> Rule:
    def asked(scope, *args):
        return retired(scope) or fn(scope, *args)
    asked.__wrapped__ = fn
    return asked


def retired(scope) -> Refusal | None:
    """Refusal for acting through a unit that is not in force today (orgs Unit.is_current);
    the command line and whole-system administrators without a unit are not concerned."""
    unit = getattr(scope, "unit", None)
    if unit is None or unit.is_current:
        return None
    if unit.valid_until is not None:
        when = f"đã thôi hoạt động từ ngày {unit.valid_until:%d/%m/%Y}"
    else:
        when = f"chỉ hoạt động từ ngày {unit.valid_from:%d/%m/%Y}"
    return Refusal("retired_unit", f"{unit.name} {when}: vai trò này chỉ còn xem được lịch sử, "
                                   "không thực hiện việc mới.", 403)


def why_not(name: str, scope, *args) -> Refusal | None:
    return RULES[name](scope, *args)


def allowed(name: str, scope, *args) -> bool:
    return why_not(name, scope, *args) is None


def check(name: str, scope, *args) -> None:
    """Raise Refused unless the rule allows it."""
    refusal = why_not(name, scope, *args)
    if refusal is not None:
        raise Refused(refusal)


# Shared refusals, one wording each.
OUTSIDE = Refusal("outside_scope", "Hồ sơ không thuộc phạm vi đơn vị của bạn.", 404)
UNIT_OUTSIDE = Refusal("outside_scope", "Đơn vị không thuộc phạm vi của bạn.", 404)
ROLE = Refusal("role", "Vai trò của bạn không được thực hiện thao tác này.", 403)
