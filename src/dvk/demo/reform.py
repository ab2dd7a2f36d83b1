"""The 2025 reform in the demo, through the same engine as `dvk import_structure`.

On 01/07/2025 Kiên Giang and the old An Giang become the new Tỉnh An Giang: districts are
dissolved, communes merged two by two (a district with an odd number merges its last three),
each new commune gets its organisations, hamlets move to the new commune, and the old
province-level Party committees are merged into the new province's. The changes are written
as a structure changes file (CONTRACTS §6) and applied by `orgs.structure_changes`, so the
demo's history is exactly what an administrator's file would leave.
"""
from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

from dvk.orgs.enums import UnitKind
from dvk.orgs.structure_changes import apply_changes

from . import places

REFORM_DATE = dt.date(2025, 7, 1)
DECISION = "1279/NQ-UBTVQH15"
HEADER = ["Ngày hiệu lực", "Thay đổi", "Mã đơn vị", "Mã đơn vị kế thừa", "Tên đơn vị",
          "Mã đơn vị cấp trên", "Loại", "Khối", "Quyết định"]


def commune_groups(communes: list) -> list[list]:
    """Neighbouring communes merged two by two, starting from the second (so a district's
    town merges with its last commune); an odd one out joins the last pair."""
    rotated = communes[1:] + communes[:1]
    groups = [rotated[i:i + 2] for i in range(0, len(rotated), 2)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        last = groups.pop()
        groups[-1] += last
    return groups


def new_commune_name(old_name: str) -> str:
    """The merged commune keeps its first member's name; there are no towns (thị trấn) any
    more: "Thị trấn Gò Quao" becomes "Xã Gò Quao"."""
    return "Xã " + old_name[len("Thị trấn "):] if old_name.startswith("Thị trấn ") else old_name


def new_commune_code(district_code: str, index: int) -> str:
    return f"{places.NEW_PROVINCE[0]}-{district_code}-{index:02d}"


class ReformPlan:
    """The rows of the reform's file, built from the units in force before it."""

    def __init__(self, provinces: list, sectors: dict):
        self.provinces = provinces  # old province units, with their subtrees loaded
        self.sector_names = {code: s.name for code, s in sectors.items()}
        self.rows: list[list[str]] = []
        self.new_communes: dict[str, str] = {}  # old commune code -> new commune code

    def row(self, change, code, successor="", name="", parent="", kind="", sector=""):
        kind_label = {UnitKind.PROVINCE: "Tỉnh", UnitKind.GRASSROOTS: "Cơ sở"}.get(kind, "")
        self.rows.append([f"{REFORM_DATE:%d/%m/%Y}", change, code, successor, name, parent,
                          kind_label, self.sector_names.get(sector, ""), DECISION])

    def build(self, children: dict) -> list[list[str]]:
        """`children`: unit pk -> its child units in force (from the builder's tree)."""
        root_code, root_name = places.NEW_PROVINCE
        self.row("Thành lập", root_code, name=root_name, kind=UnitKind.PROVINCE)
        for province in self.provinces:
            for district in children[province.pk]:
                suffix = district.code.rsplit("-", 1)[-1]
                if suffix in places.DIRECT_SUCCESSORS:
                    self.direct_committee(district, suffix)
                else:
                    self.district(district, suffix, children)
            self.row("Sáp nhập", province.code, successor=root_code)
        return self.rows

    def district(self, district, suffix, children):
        communes = [u for u in children[district.pk] if u.code.rsplit("-", 1)[-1].isdigit()]
        for i, group in enumerate(commune_groups(communes), start=1):
            code = new_commune_code(suffix, i)
            name = new_commune_name(group[0].name)
            self.row("Thành lập", code, name=name, parent=places.NEW_PROVINCE[0],
                     kind=UnitKind.GRASSROOTS)
            lower = name[:1].lower() + name[1:]
            for ocode, oname, kind, sector in places.COMMUNE_ORGS:
                self.row("Thành lập", f"{code}-{ocode}", name=f"{oname} {lower}", parent=code,
                         kind=kind, sector=sector)
            for old in group:
                self.new_communes[old.code] = code
                for hamlet in children.get(old.pk, []):
                    if hamlet.kind == UnitKind.BELOW:
                        self.row("Chuyển", hamlet.code, parent=code)
                self.row("Sáp nhập", old.code, successor=code)
        # The district's own organisations retire with it; their data goes to the province.
        self.row("Giải thể", district.code, successor=places.NEW_PROVINCE[0])

    def direct_committee(self, unit, suffix):
        new_suffix, name, sector = places.DIRECT_SUCCESSORS[suffix]
        code = f"{places.NEW_PROVINCE[0]}-{new_suffix}"
        if not any(r[2] == code for r in self.rows):
            self.row("Thành lập", code, name=name, parent=places.NEW_PROVINCE[0],
                     kind=UnitKind.GRASSROOTS, sector=sector)
        self.row("Sáp nhập", unit.code, successor=code)


def apply_reform(rows: list[list[str]]):
    """Apply the rows as a structure changes file would be (all or nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sap-xep-2025.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows([HEADER, *rows])
        return apply_changes(path, source_name="Sắp xếp đơn vị hành chính 01/07/2025")
