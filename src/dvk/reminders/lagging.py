"""Who is late: the units a committee follows that have not registered or reported.

A committee follows the committees directly below it (the nearest ones in its subtree):
a province the districts' (or, without districts, the communes'), a district its
communes'. A followed unit is late for registrations when its deadline has passed and its
subtree has registered nothing in the year; late for achievement reports when its deadline
has passed and files it had accepted still have no report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dvk.initiatives.enums import REGISTERED, State
from dvk.initiatives.models import Registration
from dvk.phases.calendar import REGISTRATION, REPORT, Deadline, deadline_of
from dvk.phases.models import Phase, SteeringCommittee


@dataclass(frozen=True)
class Status:
    """What a unit's subtree has done in the year (from one read of the registrations)."""
    registered: int = 0
    unreported: int = 0  # accepted, achievement report still missing


@dataclass(frozen=True)
class Lag:
    unit: object
    kind: str  # phases.calendar.REGISTRATION or REPORT
    deadline: Deadline
    pending: int = 0  # files still without a report

    def days_late(self, today: dt.date) -> int:
        return -self.deadline.days_left(today)


class YearIndex:
    """Registrations of a phase and year, by unit path: one query for the whole run."""

    def __init__(self, phase: Phase, year: int, scope=None):
        qs = (Registration.objects.within(scope) if scope is not None else
              Registration.objects.unscoped("reminders: the job checks every unit's year"))
        rows = qs.filter(phase=phase, year=year).values_list("unit__path", "state")
        self.rows = list(rows)

    def status(self, unit) -> Status:
        registered = unreported = 0
        for path, state in self.rows:
            if path.startswith(unit.path):
                registered += state in REGISTERED
                unreported += state == State.ACCEPTED
        return Status(registered, unreported)


def committees_of(phase: Phase) -> list[SteeringCommittee]:
    return list(SteeringCommittee.objects.filter(phase=phase, unit__valid_until__isnull=True)
                .select_related("unit", "level").order_by("unit__path"))


def followed(committee: SteeringCommittee, committees: list[SteeringCommittee]
             ) -> list[SteeringCommittee]:
    """The committees directly below `committee` (no other committee between them)."""
    top = committee.unit.path
    below = [c for c in committees if c.unit.path.startswith(top) and c.unit.path != top]
    paths = [c.unit.path for c in below]
    return [c for c in below
            if not any(c.unit.path.startswith(p) and c.unit.path != p for p in paths)]


def undone(unit, phase: Phase, year: int, status: Status, levels) -> list[Lag]:
    """The unit's registration / report deadlines whose work is not done (any date)."""
    out = []
    for kind, not_done, pending in ((REGISTRATION, status.registered == 0, 0),
                                    (REPORT, status.unreported > 0, status.unreported)):
        d = deadline_of(unit, phase, year, kind, levels)
        if not_done and d is not None:
            out.append(Lag(unit, kind, d, pending))
    return out


def lagging_units(committee: SteeringCommittee, year: int, today: dt.date,
                  committees: list[SteeringCommittee] | None = None,
                  index: YearIndex | None = None) -> list[Lag]:
    """The followed units whose deadline passed with the work not done, latest first."""
    phase = committee.phase
    committees = committees if committees is not None else committees_of(phase)
    index = index or YearIndex(phase, year)
    levels = list(phase.ordered_levels())
    lags = []
    for c in followed(committee, committees):
        lags += [lag for lag in undone(c.unit, phase, year, index.status(c.unit), levels)
                 if lag.deadline.date < today]
    return sorted(lags, key=lambda lag: (lag.deadline.date, lag.unit.path))
