"""Reading the tree through time: which unit carries a retired unit's data today."""
from .models import Unit


def current_unit_map() -> dict[int, int]:
    """{retired unit id: id of the unit that carries its data today}, following successor
    chains (A merged into B, B merged into C → A ↦ C). Units without a successor are absent
    (they map to themselves). Cycles, which bad data could create, stop the walk."""
    successor = dict(Unit.objects.filter(successor__isnull=False)
                     .values_list("id", "successor_id"))
    result = {}
    for start in successor:
        seen = {start}
        target = successor[start]
        while target in successor and successor[target] not in seen:
            seen.add(target)
            target = successor[target]
        result[start] = target
    return result
