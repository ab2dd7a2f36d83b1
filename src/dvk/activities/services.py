"""Recording activities from the app: every create and change is asked of the rule book
(activities.record) and written with its history entry (common.history)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile

from dvk.common import history
from dvk.common.rules import check
from dvk.orgs.scope import Scope


def _value(obj, name):
    value = getattr(obj, name)
    return (value.name or "") if isinstance(value, FieldFile) else value  # files: their name


@transaction.atomic
def save_form(form, *, scope: Scope, action: str, **extra):
    """Save a ModelForm of an activity (new or existing) with its history entry.

    `extra` sets fields the form does not show (the round of a visit). The rule is asked
    on the object as it will be saved, so a unit chosen outside the subtree is refused."""
    obj = form.instance
    fields = [f for f in form.Meta.fields if f in form.fields]
    created = obj.pk is None
    stored = None if created else type(obj).objects.again(obj).get()  # one read, all fields
    before = {} if created else {f: _value(stored, f) for f in fields}
    obj = form.save(commit=False)
    for name, value in extra.items():
        setattr(obj, name, value)
    check("activities.record", scope, obj)
    if created and hasattr(obj, "created_by_id"):
        obj.created_by = scope.user if getattr(scope.user, "is_authenticated", False) else None
    obj.save()
    after = {f: _value(obj, f) for f in fields}
    changes = history.diff(before, after) if not created else {
        f: [None, history._jsonable(v)] for f, v in after.items() if v not in (None, "", False)}
    if created or changes:
        history.record(obj, f"{action}.{'created' if created else 'changed'}",
                       actor=scope.user, changes=changes)
    return obj
