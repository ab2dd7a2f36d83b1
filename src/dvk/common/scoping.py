"""The scoping safety net: user-facing models refuse to be read without a scope.

`Model.objects` of a user-facing model (registrations, models, appraisals, awards, jobs…)
is a `ScopedManager`. Reading through it needs one of:

- `Model.objects.within(scope)`: the scope's subtree (what the visibility functions in each
  app's `queries.py` build on);
- `Model.objects.again(obj)`: the row of an object already in hand (found in scope), for
  the conditional UPDATE of an optimistic lock;
- `Model.objects.unscoped("why")`: the whole table, where the code says why (the public
  search of recognised models, the import's look-ups of what it is about to write);
- an `unscoped("why")` block around code that acts for the whole tree (the command line,
  the demo builder, the test suite's own set-up).

Anything else — a view that forgot its visibility function — raises `UnscopedQuery` before
a row is read. Requests and background jobs always start enforcing (`enforcing()`), even
inside an `unscoped` block, so a test that sets data up directly still proves its views.

Writes of rows the caller builds (`create`, `bulk_create`, `bulk_update`) read nothing and
pass. Related managers (`registration.appraisals`), the admin (restricted by
`orgs.admin_scope`) and Django's own look-ups use the plain default manager, declared
first: they start from an object that was already found in scope.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

# None: enforcing. A string: why whole-tree reads are allowed here. Unset: the process's
# default (`allow_by_default`), which is enforcing unless the test suite says otherwise.
_UNSET = object()
_unscoped_reason: ContextVar = ContextVar("dvk_unscoped_reason", default=_UNSET)
_default_reason: str | None = None


class UnscopedQuery(RuntimeError):
    """A user-facing model was read with no scope and no stated reason."""


def _why(reason: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("an unscoped read must say why")
    return reason


@contextmanager
def unscoped(reason: str):
    """Allow whole-tree reads inside the block, for the reason given."""
    token = _unscoped_reason.set(_why(reason))
    try:
        yield
    finally:
        _unscoped_reason.reset(token)


@contextmanager
def enforcing():
    """Refuse unscoped reads inside the block, whatever the caller allowed."""
    token = _unscoped_reason.set(None)
    try:
        yield
    finally:
        _unscoped_reason.reset(token)


def allow_by_default(reason: str | None) -> None:
    """The answer where no block says: the test suite sets data up from fixtures and
    threads of its own (a browser's server thread, Playwright's greenlets), each with an
    empty context. Requests and jobs still enforce."""
    global _default_reason
    _default_reason = _why(reason) if reason is not None else None


def unscoped_reason() -> str | None:
    reason = _unscoped_reason.get()
    return _default_reason if reason is _UNSET else reason


class ScopedManager(models.Manager):
    """`objects` of a user-facing model; see the module docstring."""

    def __init__(self, *unit_fields: str):
        super().__init__()
        # The FK paths from this model to its Unit (any of them puts a row in the subtree).
        self.unit_fields = unit_fields or ("unit",)

    def _plain(self):
        return super().get_queryset()

    def get_queryset(self):
        if unscoped_reason() is None:
            raise UnscopedQuery(
                f"{self.model._meta.label} read without a scope: use a visibility function "
                f"(queries.py), objects.within(scope), objects.again(obj) or "
                f"objects.unscoped('why')")
        return self._plain()

    def within(self, scope):
        """The rows in the scope's subtree (`scope.unit_q`)."""
        q = scope.unit_q(self.unit_fields[0])
        for unit_field in self.unit_fields[1:]:
            q |= scope.unit_q(unit_field)
        return self._plain().filter(q)

    def again(self, obj):
        """The row of an object already in hand, e.g. to UPDATE it on its version."""
        return self._plain().filter(pk=obj.pk)

    def unscoped(self, reason: str):
        _why(reason)
        return self._plain()

    # Nothing is read: these pass without a scope.
    def none(self):
        return self._plain().none()

    def create(self, **kwargs):
        return self._plain().create(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        return self._plain().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        return self._plain().bulk_update(objs, fields, *args, **kwargs)
