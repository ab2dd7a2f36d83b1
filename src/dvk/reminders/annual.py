"""The annual report sent up: frozen figures, who sent and who is late, returning it.

`send_report` freezes the unit's summary (reports.summary, CONTRACTS §5) for the year as
it is at sending; `differences` compares those figures with the live ones, so late
corrections below show on the report the upper level received.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvk.common.history import record
from dvk.common.rules import Refused, check
from dvk.phases.calendar import UP_REPORT, deadline_of
from dvk.phases.models import Phase, SteeringCommittee
from dvk.reports.summary import build_summary

from . import lagging
from .models import AnnualReport

# The list keys naming a row of the summary's tables (a level, a unit, a field…).
ROW_KEYS = ("level", "code", "field", "sector", "kind", "occasion", "name")


def send_report(*, scope, phase: Phase, year: int, note: str = "") -> AnnualReport:
    unit = scope.unit
    check("annual_report.send", scope, phase)
    figures = build_summary(phase, unit, year=year)
    now = timezone.now()
    with transaction.atomic():
        report, created = AnnualReport.objects.within(scope).select_for_update().get_or_create(
            unit=unit, phase=phase, year=year,
            defaults={"figures": figures, "note": note, "sent_at": now, "sent_by": scope.user})
        if not created:
            if report.state == AnnualReport.State.SENT:
                raise Refused("Báo cáo năm nay đã được gửi; chỉ gửi lại khi cấp trên trả lại.",
                              status=409, code="state")
            report.figures, report.note, report.sent_at, report.sent_by = \
                figures, note, now, scope.user
            report.state = AnnualReport.State.SENT
            report.save()
        record(report, "send", actor=scope.user, comment=note[:200])
    return report


def return_report(report: AnnualReport, *, scope, reason: str) -> AnnualReport:
    if not (reason or "").strip():
        raise Refused("Vui lòng ghi rõ lý do trả lại báo cáo.", status=400, code="invalid")
    check("annual_report.return", scope, report)
    if report.state != AnnualReport.State.SENT:
        raise Refused("Báo cáo này không ở trạng thái đã gửi.", status=409, code="state")
    AnnualReport.objects.again(report).update(
        state=AnnualReport.State.RETURNED, return_reason=reason.strip(),
        returned_at=timezone.now(), returned_by=scope.user)
    report.refresh_from_db()
    record(report, "return", actor=scope.user, comment=reason.strip()[:200])
    return report


def upper_committee(unit, phase: Phase) -> SteeringCommittee | None:
    """The committee the unit reports to: its nearest ancestor's in the phase."""
    return (SteeringCommittee.objects.filter(phase=phase, unit_id__in=unit.ancestor_ids())
            .select_related("unit").order_by("-unit__depth").first())


@dataclass
class Arrival:
    unit: object
    deadline: dt.date
    report: AnnualReport | None

    @property
    def late(self) -> bool:
        if self.report is None or self.report.state != AnnualReport.State.SENT:
            return timezone.localdate() > self.deadline
        return timezone.localdate(self.report.sent_at) > self.deadline


def arrivals(scope, committee: SteeringCommittee, year: int, levels=None) -> list[Arrival]:
    """Each unit the committee follows: its deadline and the report it sent, if any.
    `levels`: the phase's ordered levels, when the caller has them."""
    phase = committee.phase
    committees = list(SteeringCommittee.objects.filter(phase=phase)
                      .filter(scope.unit_q("unit")).select_related("unit")
                      .order_by("unit__path"))
    followed = [c.unit for c in lagging.followed(committee, committees)]
    reports = {r.unit_id: r for r in AnnualReport.objects.within(scope)
               .filter(phase=phase, year=year, unit__in=followed)}
    levels = levels if levels is not None else list(phase.ordered_levels())
    return [Arrival(u, deadline_of(u, phase, year, UP_REPORT, levels).date, reports.get(u.pk))
            for u in followed]


def _flatten(value, path="") -> dict[str, object]:
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("phase", "unit"):
                continue
            out.update(_flatten(v, f"{path} › {k}" if path else str(k)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            # Every naming key of the row: an award row is its level AND its kind (two kinds
            # at one level are two figures, not one).
            names = [str(item[k]) for k in ROW_KEYS
                     if isinstance(item, dict) and item.get(k) is not None]
            name = " · ".join(names) if names else str(i + 1)
            out.update(_flatten(item, f"{path} › {name}"))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[path] = value
    return out


def differences(frozen: dict, live: dict) -> list[tuple[str, object, object]]:
    """(where, frozen value, live value) for every figure that changed since sending."""
    a, b = _flatten(frozen), _flatten(live)
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


# The summary's keys (CONTRACTS §5, §9) as a difference names them; row names (levels,
# units, fields, kinds…) are data and stay as they are.
KEY_LABELS = {
    "levels": _("Per level"), "registered": _("registered"), "recognized": _("recognised"),
    "not_recognized": _("not recognised"), "exceptional": _("exceptional"),
    "recognition_rate": _("recognition rate"), "by_unit": _("By unit"),
    "by_field": _("By field"), "by_sector": _("By sector"), "awards": _("Awards"),
    "awards_by_occasion": _("Awards by occasion"), "award_money": _("Award money"),
    "count": _("count"), "total": _("in total"), "amount": _("amount"),
    "awards_with_money": _("awards with money"), "by_level": _("by level"),
    "activities": _("Activities"), "training": _("Training"), "classes": _("classes"),
    "attendances": _("attendances"), "inspections": _("Inspections"), "rounds": _("rounds"),
    "units_visited": _("units visited"), "by_form": _("by form"), "press": _("Press contest"),
    "entries": _("entries"), "by_genre": _("by genre"),
    "national_eligible": _("eligible for the national round"),
    "national_finalists": _("national finalists"), "provincial_prizes": _("provincial prizes"),
    "appraisal_teams": _("Appraisal teams"), "follow_up": _("Follow-up visits"),
    "visits": _("number of visits"), "models_visited": _("models visited"),
    "models_visited_on_site": _("models visited on site"), "reviews": _("Reviews"),
    "expected": _("expected"), "held": _("held"), "conference": _("as a conference"),
}


def describe(where: str) -> str:
    """A difference's place ("levels › Cơ sở › registered") in the reader's language."""
    return " › ".join(str(KEY_LABELS.get(part, part)) for part in where.split(" › "))
