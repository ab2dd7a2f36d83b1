"""Write and read the history log. Every change to a registration, decision or award goes here."""
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import HistoryEntry


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        k: [_jsonable(before.get(k)), _jsonable(after.get(k))]
        for k in after
        if before.get(k) != after.get(k)
    }


def snapshot(obj: models.Model, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def record(obj: models.Model, action: str, *, actor=None, changes=None, comment: str = "") -> HistoryEntry:
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        action=action,
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        changes={k: [_jsonable(v) for v in pair] for k, pair in (changes or {}).items()},
        comment=comment,
    )


def record_many(objs, action: str, *, actor=None, changes=None, comment: str = "") -> None:
    """Bulk version for imports: one row per object, one INSERT."""
    objs = list(objs)
    if not objs:
        return
    ct = ContentType.objects.get_for_model(objs[0].__class__)
    actor = actor if (actor is not None and actor.is_authenticated) else None
    HistoryEntry.objects.bulk_create(
        [HistoryEntry(content_type=ct, object_id=str(o.pk), action=action, actor=actor,
                      changes=changes or {}, comment=comment) for o in objs],
        batch_size=2000,
    )


def history_of(obj: models.Model):
    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
    ).select_related("actor")
