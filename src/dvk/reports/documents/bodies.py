"""Names a Party document derives from the org tree: issuing body, parent body, place,
number suffix. Only defaults — a DocumentProfile can set any of them explicitly."""
from __future__ import annotations

from dvk.orgs.enums import UnitKind

# Locality prefix → (Party committee, number suffix). Longest prefixes first.
LOCALITIES = [
    ("Thành phố ", "Thành ủy", "TU"),
    ("Thị xã ", "Thị ủy", "TU"),
    ("Thị trấn ", "Đảng ủy thị trấn", "ĐU"),
    ("Phường ", "Đảng ủy phường", "ĐU"),
    ("Đặc khu ", "Đảng ủy đặc khu", "ĐU"),
    ("Huyện ", "Huyện ủy", "HU"),
    ("Tỉnh ", "Tỉnh ủy", "TU"),
    ("Xã ", "Đảng ủy xã", "ĐU"),
]


def _locality(unit) -> tuple[str, str, str] | None:
    """(committee name, place, suffix) when the unit is a locality ("Huyện Gò Quao")."""
    for prefix, committee, suffix in LOCALITIES:
        if unit.name.startswith(prefix):
            place = unit.name[len(prefix):]
            return f"{committee} {place}", place, suffix
    return None


def committee_name(unit) -> str:
    """"Tỉnh Kiên Giang" → "Tỉnh ủy Kiên Giang"; an organisation keeps its name."""
    loc = _locality(unit)
    return loc[0] if loc else unit.name


def committee_short(unit) -> str:
    """"Tỉnh ủy", "Huyện ủy", "Đảng ủy" — as in "Lưu Văn phòng Tỉnh ủy"."""
    loc = _locality(unit)
    if loc is None:
        return "Đảng ủy"
    name = loc[0]
    return "Đảng ủy" if name.startswith("Đảng ủy") else name.split(" ")[0] + " ủy"


def place_of(unit) -> str:
    """The place in the date line: the locality's name, else the nearest locality above."""
    node = unit
    while node is not None:
        loc = _locality(node)
        if loc:
            return loc[1]
        node = node.parent
    return ""


def parent_body(unit) -> str:
    """The line above the issuing body: "ĐẢNG BỘ TỈNH KIÊN GIANG" for a district
    committee; nothing for a province."""
    if unit.parent is None or unit.kind == UnitKind.PROVINCE:
        return ""
    parent = unit.parent
    loc = _locality(parent)
    if loc:
        prefix = next(p for p, _, _ in LOCALITIES if parent.name.startswith(p))
        return f"Đảng bộ {prefix.strip().lower()} {loc[1]}"
    return committee_name(parent)


def number_suffix(unit) -> str:
    loc = _locality(unit)
    return loc[2] if loc else "ĐU"


def upper_committee(unit) -> str:
    """The committee the report goes up to ("Tỉnh ủy" for a district; "Trung ương" for a
    province)."""
    if unit.parent is None:
        return "Trung ương"
    return committee_short(unit.parent)
