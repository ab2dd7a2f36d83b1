"""Who is late: the units a committee follows that have not registered or reported.

A committee follows the committees directly below it (the nearest ones in its subtree):
a province the districts' (or, without districts, the communes'), a district its
communes'. A followed unit is late for registrations when its deadline has passed and its
subtree has registered nothing in the year; late for achievement reports when its deadline
has passed and files it had accepted still have no report; late with its annual report
(seed 002: before 10 December, earlier below) when its deadline has passed and no report
sent up has arrived (one returned for correction has not arrived).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dvk.initiatives.enums import REGISTERED, State
from dvk.initiatives.models import Registration
from dvk.phases.calendar import REGISTRATION, REPORT, UP_REPORT, Deadline, deadline_of
from dvk.phases.models import Phase, SteeringCommittee


@dataclass(frozen=True)
class Status:
    """What a unit's subtree has done in the year (from one read of the registrations)."""
    registered: int = 0
    unreported: int = 0  # accepted, achievement report still missing
    report_sent: bool = False  # its annual report to the level above has arrived


@dataclass(frozen=True)
class Lag:
    unit: object
    kind: str  # phases.calendar.REGISTRATION, REPORT or UP_REPORT
    deadline: Deadline
    pending: int = 0  # files still without a report

    def days_late(self, today: dt.date) -> int:
        return -self.deadline.days_left(today)


class YearIndex:
    """Registrations of a phase and year, by unit path, and the units whose annual report
    has arrived: two queries for the whole run."""

    def __init__(self, phase: Phase, year: int, scope=None):
        from .models import AnnualReport

        why = "reminders: the job checks every unit's year"
        qs = (Registration.objects.within(scope) if scope is not None else
              Registration.objects.unscoped(why))
        rows = qs.filter(phase=phase, year=year).values_list("unit__path", "state")
        self.rows = list(rows)
        reports = (AnnualReport.objects.within(scope) if scope is not None else
                   AnnualReport.objects.unscoped(why))
        self.sent = set(reports.filter(phase=phase, year=year, state=AnnualReport.State.SENT)
                        .values_list("unit_id", flat=True))

    def status(self, unit) -> Status:
        registered = unreported = 0
        for path, state in self.rows:
            if path.startswith(unit.path):
                registered += state in REGISTERED
                unreported += state == State.ACCEPTED
        return Status(registered, unreported, unit.pk in self.sent)


def committees_of(phase: Phase) -> list[SteeringCommittee]:
    return list(SteeringCommittee.objects.filter(phase=phase, unit__valid_until__isnull=True)
                .select_related("unit", "level").order_by("unit__path"))


def reporting_up(committees: list[SteeringCommittee]) -> set[int]:
    """The units (ids) among the committees' that have a committee above them: those that
    send an annual report up."""
    ids = {c.unit_id for c in committees}
    return {c.unit_id for c in committees if any(a in ids for a in c.unit.ancestor_ids())}


def followed(committee: SteeringCommittee, committees: list[SteeringCommittee]
             ) -> list[SteeringCommittee]:
    """The committees directly below `committee` (no other committee between them)."""
    top = committee.unit.path
    below = [c for c in committees if c.unit.path.startswith(top) and c.unit.path != top]
    paths = [c.unit.path for c in below]
    return [c for c in below
            if not any(c.unit.path.startswith(p) and c.unit.path != p for p in paths)]


def undone(unit, phase: Phase, year: int, status: Status, levels, *,
           reports_up: bool = True) -> list[Lag]:
    """The unit's registration / report / annual-report deadlines whose work is not done (any
    date). `reports_up`: the unit has a committee above it to send its annual report to."""
    out = []
    for kind, not_done, pending in ((REGISTRATION, status.registered == 0, 0),
                                    (REPORT, status.unreported > 0, status.unreported),
                                    (UP_REPORT, reports_up and not status.report_sent, 0)):
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
