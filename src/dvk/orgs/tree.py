"""Bulk writes of the tree: insert many units at once with correct materialised paths."""
import uuid

from django.db import transaction

from .models import Unit, path_segment


@transaction.atomic
def bulk_insert_units(units: list[Unit], batch_size: int = 5000) -> list[Unit]:
    """Insert new units whose `parent` is an existing unit or another unit of the list.

    Inserted one generation at a time (a parent needs its id before its children can
    point at it); ids come back from the INSERT on PostgreSQL and SQLite ≥ 3.35.
    Paths are then computed and written with one UPDATE per batch.
    """
    pending = {id(u) for u in units}
    generation_of: dict[int, int] = {}

    def generation(u: Unit) -> int:
        key = id(u)
        if key not in generation_of:
            p = u.parent
            generation_of[key] = 0 if (p is None or id(p) not in pending) else generation(p) + 1
        return generation_of[key]

    by_generation: dict[int, list[Unit]] = {}
    for u in units:
        by_generation.setdefault(generation(u), []).append(u)
    for gen in sorted(by_generation):
        batch = by_generation[gen]
        for u in batch:
            u.parent = u.parent  # re-assign so parent_id picks up the parent's new pk
            u.refresh_derived()
            u.path = f"~{uuid.uuid4().hex}"
        Unit.objects.bulk_create(batch, batch_size=batch_size)
        for u in batch:
            prefix = u.parent.path if u.parent is not None else "/"
            u.path = prefix + path_segment(u.pk)
            u.depth = u.path.count("/") - 2
        Unit.objects.bulk_update(batch, ["path", "depth"], batch_size=batch_size)
    return units
