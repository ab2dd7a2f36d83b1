"""The effect of structure changes, read inside the (rolled back) transaction that applied them.

For a preview: the units that retire and the unit carrying each one's data today, how many
registrations roll up where, and the steering committees and active memberships of the
retiring units (they keep read access to their history but no longer act for a unit in force).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from dvk.orgs.history import carriers
from dvk.orgs.models import Membership, Unit


@dataclass
class RetiredUnit:
    code: str
    name: str
    carrier_code: str | None  # the unit its data rolls up to today
    carrier_name: str | None
    registrations: int


@dataclass
class Impact:
    retired: list[RetiredUnit] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, new parent)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (code, new name)
    roll_up: dict[str, int] = field(default_factory=dict)  # carrier code -> registrations
    committees: list[tuple[str, str, str]] = field(default_factory=list)  # unit, name, phase
    memberships: list[tuple[str, str, str]] = field(default_factory=list)  # user, role, unit

    @property
    def registrations(self) -> int:
        return sum(self.roll_up.values())


def _registrations_by_unit(ids: list[int]) -> dict[int, int]:
    from dvk.initiatives.models import Registration

    counts: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        counts.update(Registration.objects.unscoped("a structure change's preview counts "
                                                    "the registrations it moves")
                      .filter(unit_id__in=ids[i:i + 500]).order_by()
                      .values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    return counts


def impact_of(result) -> Impact:
    from dvk.phases.models import SteeringCommittee

    impact = Impact()
    ids = list(dict.fromkeys(result.retired_ids))
    units = Unit.objects.in_bulk(ids)
    carried = carriers(ids)
    regs = _registrations_by_unit(ids)
    for pk in ids:
        unit, carrier = units[pk], carried.get(pk)
        if carrier is not None and carrier.pk == pk:
            carrier = None  # retired without anyone carrying its data
        n = regs.get(pk, 0)
        impact.retired.append(RetiredUnit(unit.code, unit.name, carrier and carrier.code,
                                          carrier and carrier.name, n))
        if n and carrier is not None:
            impact.roll_up[carrier.code] = impact.roll_up.get(carrier.code, 0) + n
    impact.retired.sort(key=lambda r: r.code)
    for unit in Unit.objects.filter(pk__in=result.created_ids).order_by("path"):
        impact.created.append((unit.code, unit.name))
    for unit in Unit.objects.filter(pk__in=result.moved_ids).select_related("parent"):
        impact.moved.append((unit.code, unit.name, unit.parent.code if unit.parent else ""))
    for unit in Unit.objects.filter(pk__in=result.renamed_ids):
        impact.renamed.append((unit.code, unit.name))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        impact.committees += [
            (c.unit.code, c.name, c.phase.code) for c in SteeringCommittee.objects
            .filter(unit_id__in=chunk).select_related("unit", "phase")]
        impact.memberships += [
            (m.user.get_username(), m.get_role_display(), m.unit.code) for m in Membership.objects
            .filter(unit_id__in=chunk, is_active=True).select_related("user", "unit")]
    impact.committees.sort()
    impact.memberships.sort(key=lambda m: (m[2], m[0]))
    return impact


def describe(impact: Impact) -> list[str]:
    """The preview as Vietnamese lines, for the command line."""
    lines = [f"Đơn vị thành lập: {len(impact.created)}."]
    lines += [f"  + {code} – {name}" for code, name in impact.created]
    lines.append(f"Đơn vị ngừng hoạt động: {len(impact.retired)} "
                 f"({impact.registrations} lượt đăng ký chuyển về đơn vị kế thừa).")
    for r in impact.retired:
        to = f" → {r.carrier_code} – {r.carrier_name}" if r.carrier_code else ""
        lines.append(f"  - {r.code} – {r.name}{to} ({r.registrations} lượt đăng ký)")
    if impact.moved:
        lines.append(f"Đơn vị chuyển cấp trên: {len(impact.moved)}.")
        lines += [f"  ↷ {code} – {name} → {parent}" for code, name, parent in impact.moved]
    if impact.renamed:
        lines.append(f"Đơn vị đổi tên: {len(impact.renamed)}.")
        lines += [f"  ✎ {code} → {name}" for code, name in impact.renamed]
    lines.append(f"Ban Chỉ đạo của đơn vị ngừng hoạt động: {len(impact.committees)}.")
    lines += [f"  · {unit}: {name} ({phase})" for unit, name, phase in impact.committees]
    lines.append(f"Tài khoản còn hiệu lực tại đơn vị ngừng hoạt động: {len(impact.memberships)}.")
    lines += [f"  · {user} ({role}, {unit})" for user, role, unit in impact.memberships]
    return lines
