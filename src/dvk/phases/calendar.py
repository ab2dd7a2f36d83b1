"""The yearly calendar of a unit: its deadlines, cascading down the levels.

The phase's calendar (`Phase.registration_deadline`, `report_deadline`,
`up_report_deadline`, the review dates) is what the TOP level's committee receives by. Each
level below must be ready earlier, by `settings.DVK_DEADLINE_OFFSET_DAYS[kind]` days per
level step, so the level above has time to collect, check and pass on: in a three-level
phase (Cơ sở, Huyện, Tỉnh) with a 10-day offset a commune's registrations are due 20 days
before the province's date, the district's 10 days before.

The report sent up (seed 002: to the province "trước ngày 10 tháng 12 hằng năm") is due at
the phase's date for the units directly below the top; lower units report to their own
upper level earlier by the offset per step.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Level, Phase
from .rules import level_for_kind

REGISTRATION = "registration"
REPORT = "report"
UP_REPORT = "up_report"
INTERIM_REVIEW = "interim_review"
FINAL_REVIEW = "final_review"

LABELS = {
    REGISTRATION: _("Registrations due"),
    REPORT: _("Achievement reports due"),
    UP_REPORT: _("Annual report to the level above"),
    INTERIM_REVIEW: _("Interim review"),
    FINAL_REVIEW: _("Final review"),
}
DEFAULT_OFFSETS = {REGISTRATION: 10, REPORT: 10, UP_REPORT: 5, INTERIM_REVIEW: 15,
                   FINAL_REVIEW: 15}


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: dt.date
    level: Level | None

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    def days_left(self, today: dt.date | None = None) -> int:
        """Days until the deadline (negative once it has passed), in Vietnam's date."""
        return (self.date - (today or timezone.localdate())).days


def offsets() -> dict[str, int]:
    return {**DEFAULT_OFFSETS, **getattr(settings, "DVK_DEADLINE_OFFSET_DAYS", {})}


def steps_below_top(unit, phase: Phase, levels: list[Level]) -> tuple[Level | None, int]:
    """The unit's level in the phase and how many levels it stands below the top one."""
    level = level_for_kind(phase, unit.kind, levels)
    if level is None:  # a district in a two-level phase: it works for the level below
        level = levels[0] if levels else None
    if level is None:
        return None, 0
    index = next(i for i, lv in enumerate(levels) if lv.pk == level.pk)
    return level, len(levels) - 1 - index


def deadlines_for(unit, phase: Phase, year: int, levels: list[Level] | None = None
                  ) -> list[Deadline]:
    """The unit's deadlines in `year` of `phase`, earliest first.

    Registration and achievement-report deadlines are the phase's dates minus the offset
    per level step below the top; the report sent up is the phase's date for the level just
    below the top (the top's own report goes out on that date too), earlier below that;
    reviews fall in their own year only."""
    levels = levels if levels is not None else list(phase.ordered_levels())
    level, steps = steps_below_top(unit, phase, levels)
    off = offsets()

    def shifted(kind: str, date: dt.date, n: int) -> Deadline:
        return Deadline(kind, date - dt.timedelta(days=off[kind] * max(n, 0)), level)

    out = [shifted(REGISTRATION, phase.registration_deadline_for(year), steps),
           shifted(REPORT, phase.report_deadline_for(year), steps),
           shifted(UP_REPORT, phase.date_in("up_report_deadline", year), steps - 1)]
    for kind, date in ((INTERIM_REVIEW, phase.interim_review_date),
                       (FINAL_REVIEW, phase.final_review_date)):
        if date is not None and date.year == year:
            out.append(shifted(kind, date, steps))
    return sorted(out, key=lambda d: d.date)


def deadline_of(unit, phase: Phase, year: int, kind: str, levels=None) -> Deadline | None:
    return next((d for d in deadlines_for(unit, phase, year, levels) if d.kind == kind), None)
