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


def history_of(obj: models.Model):
    """The object's entries, and the entry of the import that created it, if any (a bulk
    import records itself once rather than once per row it creates)."""
    get_ct = ContentType.objects.get_for_model
    where = models.Q(content_type=get_ct(obj.__class__), object_id=str(obj.pk))
    batch_id = getattr(obj, "import_batch_id", None)
    if batch_id:
        batch_model = obj._meta.get_field("import_batch").related_model
        where |= models.Q(content_type=get_ct(batch_model), object_id=str(batch_id))
    return HistoryEntry.objects.filter(where).select_related("actor")
