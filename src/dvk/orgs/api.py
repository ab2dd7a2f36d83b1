"""Org-tree API routes."""
from ninja import Router, Schema

from dvk.common.text import window

from .scope import unit_for, units_for

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    sector: str | None
    parent: str | None
    valid_from: str | None
    valid_until: str | None


def _unit_out(u) -> dict:
    return {
        "code": u.code, "name": u.name, "kind": u.kind,
        "sector": u.sector.name if u.sector_id else None,
        "parent": u.parent.code if u.parent_id else None,
        "valid_from": u.valid_from.isoformat() if u.valid_from else None,
        "valid_until": u.valid_until.isoformat() if u.valid_until else None,
    }


@router.get("/units", response=list[UnitOut])
def list_units(request, q: str = "", parent: str = "", limit: int = 100, offset: int = 0):
    """Units in the caller's subtree; `parent` lists one unit's children, `q` searches."""
    from dvk.common.text import fold

    qs = units_for(request.scope).select_related("sector", "parent")
    if parent:
        qs = qs.filter(parent=unit_for(request.scope, parent))
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    return [_unit_out(u) for u in qs.order_by("path")[window(offset, limit, 1000)]]


@router.get("/units/{unit_code}", response=UnitOut)
def get_unit(request, unit_code: str):
    return _unit_out(unit_for(request.scope, unit_code))
