"""An upper unit's own annual report, assembled from the reports that arrived from below.

For a committee (the province's, or any level's) and a year: one row per unit it follows
(lagging.followed) with the headline figures of its report — registered / recognised per
level, awards per level and kind, training, inspections, press entries — as FROZEN at
sending for the reports that arrived, as they are LIVE for the units that have not sent
(or whose report was returned); the totals of what arrived; and, per arrived report, the
late corrections: every headline figure whose live value now differs from the frozen one.

The live figures of all the units come from the figures engine (reports.summary: one
tally of the registrations for all the followed units, and one grouped query per other
kind of record), whatever the number of units, and count as each unit's own summary does
(build_summary, structure "time", the structure the frozen figures were counted in): a row
counts under the followed unit whose subtree holds it, by today's path, or, inside the
subtree of a unit that moved, by the chain of ancestors it had in the year.
"""
from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from . import annual
from .models import AnnualReport

WHY = "the assembled annual report restricts to the committee's subtree"

# Headline figure keys: ("registered", level) · ("recognized", level) ·
# ("award", level or None, kind) · (activity,) for the ACTIVITIES below.
ACTIVITIES = ("training_classes", "training_attendances", "inspection_rounds",
              "units_visited", "press_entries")


def headline(summary: dict) -> dict[tuple, int]:
    """The headline figures of a summary dict (a frozen report's, or a live one)."""
    out: dict[tuple, int] = {}
    for row in summary.get("levels", []):
        out[("registered", row["level"])] = row["registered"]
        out[("recognized", row["level"])] = row["recognized"]
    for a in summary.get("awards", []):
        key = ("award", a["level"], a["kind"])
        out[key] = out.get(key, 0) + a["count"]
    act = summary.get("activities") or {}
    if act:
        out[("training_classes",)] = act["training"]["classes"]
        out[("training_attendances",)] = act["training"]["attendances"]
        out[("inspection_rounds",)] = act["inspections"]["rounds"]
        out[("units_visited",)] = act["inspections"]["units_visited"]
        out[("press_entries",)] = act["press"]["entries"]
    return out


def live_headlines(phase, year: int, top, units: list, levels) -> dict[int, dict[tuple, int]]:
    """{unit id: headline figures now} for `units` (none inside another), all in `top`'s
    subtree, counted by the figures engine (reports.summary: the registrations through
    tally(owners=…), the rest placed by its Owners) in a fixed number of grouped queries."""
    from dvk.activities.models import InspectionRound, InspectionVisit, PressEntry, TrainingClass
    from dvk.awards.models import Award
    from dvk.reports.summary import tally

    if not units:
        return {}
    out: dict[int, dict[tuple, int]] = {u.pk: defaultdict(int) for u in units}
    names = {lv.pk: lv.name for lv in levels}
    counted = tally(phase, top, year=year, owners=units)
    for u in units:  # every level and activity shows, zeros included
        counts = counted.of_owner(u).by_level
        for lv in levels:
            registered, recognized, *_ = counts.get(lv.pk, (0, 0, 0, 0))
            out[u.pk][("registered", lv.name)] += registered
            out[u.pk][("recognized", lv.name)] += recognized
        for key in ACTIVITIES:
            out[u.pk][(key,)] += 0
    owners, tree = counted.owners, counted.subtree.tree  # placed as the tally placed them

    def rows(qs, unit_field, *values, **aggregates):
        for owner, *rest in owners.rows(qs, top, year, unit_field, *values, tree=tree,
                                        **aggregates):
            yield (out[owner], *rest)

    awards = Award.objects.unscoped(WHY).filter(phase=phase, year=year)
    for figures, level_id, kind, n in rows(awards, "unit", "level_id", "kind__name",
                                           n=Count("pk")):
        figures[("award", names.get(level_id), kind)] += n
    training = TrainingClass.objects.unscoped(WHY).filter(phase=phase, year=year)
    for figures, n, people in rows(training, "unit", n=Count("pk"), people=Sum("attendances")):
        figures[("training_classes",)] += n
        figures[("training_attendances",)] += people or 0
    rounds = InspectionRound.objects.unscoped(WHY).filter(phase=phase, year=year)
    for figures, n in rows(rounds, "unit", n=Count("pk")):
        figures[("inspection_rounds",)] += n
    visits = InspectionVisit.objects.unscoped(WHY).filter(round__phase=phase, year=year)
    for figures, n in rows(visits, "round__unit", n=Count("pk")):
        figures[("units_visited",)] += n
    press = PressEntry.objects.unscoped(WHY).filter(phase=phase, year=year)
    for figures, n in rows(press, "unit", n=Count("pk")):
        figures[("press_entries",)] += n
    return {uid: dict(figures) for uid, figures in out.items()}


def label(key: tuple) -> str:
    """A headline figure's name, as the page and the spreadsheet head it."""
    what = key[0]
    if what == "registered":
        return _("%(level)s: registered") % {"level": key[1]}
    if what == "recognized":
        return _("%(level)s: recognised") % {"level": key[1]}
    if what == "award":
        return (_("%(kind)s (level %(level)s)") % {"kind": key[2], "level": key[1]}
                if key[1] else key[2])
    return {"training_classes": _("Training classes"),
            "training_attendances": _("Training attendances"),
            "inspection_rounds": _("Inspection rounds"),
            "units_visited": _("Units visited"),
            "press_entries": _("Press entries")}[what]


@dataclass
class Correction:
    key: tuple
    frozen: int | None
    live: int | None

    @property
    def label(self) -> str:
        return label(self.key)


@dataclass
class Row:
    unit: object
    deadline: dt.date
    report: AnnualReport | None
    late: bool
    arrived: bool  # sent and not returned: its figures are the frozen ones
    figures: dict[tuple, int]
    corrections: list[Correction] = field(default_factory=list)
    cells: list[int] = field(default_factory=list)  # figures in the columns' order
    labelled: list[tuple[str, int]] = field(default_factory=list)  # (column label, figure)


@dataclass
class Column:
    key: tuple
    group: str  # "levels", "awards", "activities"

    @property
    def label(self) -> str:
        return label(self.key)


@dataclass
class Assembled:
    committee: object
    year: int
    columns: list[Column]
    arrived: list[Row]
    missing: list[Row]
    totals: list[int]  # of what arrived, in the columns' order
    labelled_totals: list[tuple[str, int]]

    @property
    def corrections(self) -> list[tuple[Row, Correction]]:
        return [(row, c) for row in self.arrived for c in row.corrections]

    @property
    def rows(self) -> list[Row]:
        return self.arrived + self.missing


def _columns(figure_sets, levels) -> list[Column]:
    order = {lv.name: i for i, lv in enumerate(levels)}
    keys = set().union(*figure_sets) if figure_sets else set()
    cols = []
    for lv in levels:
        cols += [Column(("registered", lv.name), "levels"), Column(("recognized", lv.name), "levels")]
    awards = sorted((k for k in keys if k[0] == "award"),
                    key=lambda k: (order.get(k[1], len(order)), k[2]))
    cols += [Column(k, "awards") for k in awards]
    cols += [Column((a,), "activities") for a in ACTIVITIES]
    return cols


def assemble(scope, committee, year: int) -> Assembled:
    """The committee's annual report for `year` from what arrived (module docstring)."""
    phase = committee.phase
    levels = list(phase.ordered_levels())
    arrivals = annual.arrivals(scope, committee, year, levels)
    live = live_headlines(phase, year, committee.unit, [a.unit for a in arrivals], levels)
    rows = []
    for a in arrivals:
        arrived = a.report is not None and a.report.state == AnnualReport.State.SENT
        now = live.get(a.unit.pk, {})
        row = Row(a.unit, a.deadline, a.report, a.late, arrived, now)
        if arrived:
            frozen = headline(a.report.figures)
            row.figures = frozen
            row.corrections = [Correction(k, frozen.get(k), now.get(k))
                               for k in sorted(set(frozen) | set(now), key=_sort_key)
                               if frozen.get(k, 0) != now.get(k, 0)]
        rows.append(row)
    columns = _columns([r.figures for r in rows], levels)
    labels = [c.label for c in columns]
    for row in rows:
        row.cells = [row.figures.get(c.key, 0) for c in columns]
        row.labelled = list(zip(labels, row.cells))
    arrived = [r for r in rows if r.arrived]
    totals = [sum(r.cells[i] for r in arrived) for i in range(len(columns))]
    return Assembled(committee, year, columns, arrived, [r for r in rows if not r.arrived],
                     totals, list(zip(labels, totals)))


def _sort_key(key: tuple):
    return ({"registered": 0, "recognized": 1, "award": 2}.get(key[0], 3),
            tuple("" if v is None else str(v) for v in key[1:]), key[0])


# --- the download ---------------------------------------------------------------------------

def _date(d) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else ""


def assembled_xlsx(report: Assembled) -> bytes:
    """The assembled report as a spreadsheet (dvk.common.xlsx: unit names stay text): the
    table of units (arrived, then not sent with live figures), the totals of what arrived,
    and the late corrections on a second sheet."""
    from django.utils import timezone

    from dvk.common.xlsx import Workbook

    buf = io.BytesIO()
    wb = Workbook(buf, {"in_memory": True})
    font = {"font_name": "Times New Roman", "font_size": 12}
    f_title = wb.add_format({**font, "bold": True, "font_size": 14})
    f_head = wb.add_format({**font, "bold": True, "border": 1, "text_wrap": True,
                            "align": "center", "valign": "vcenter"})
    f_text = wb.add_format({**font, "border": 1})
    f_int = wb.add_format({**font, "border": 1, "num_format": "#,##0"})
    f_muted = wb.add_format({**font, "border": 1, "italic": True, "font_color": "#666666"})
    f_total = wb.add_format({**font, "border": 1, "bold": True})
    f_total_int = wb.add_format({**font, "border": 1, "bold": True, "num_format": "#,##0"})

    ws = wb.add_worksheet(_("Assembled report")[:31])
    ws.write(0, 0, _("Annual report %(year)s assembled from the units below — %(unit)s") % {
        "year": report.year, "unit": report.committee.unit.name}, f_title)
    ws.write(1, 0, _("Reports arrived: %(arrived)s of %(all)s. Not sent: figures as they are "
                     "now.") % {"arrived": len(report.arrived), "all": len(report.rows)})
    head = [_("Unit"), _("State"), _("Sent on"), _("Deadline"),
            *[c.label for c in report.columns], _("Changed since sending")]
    ws.write_row(3, 0, head, f_head)
    r = 4
    for row in report.rows:
        if row.arrived:
            state = _("Sent")
        elif row.report is not None:
            state = _("Returned")
        else:
            state = _("Not sent")
        if row.late:
            state = "%s (%s)" % (state, _("late"))
        fmt = f_int if row.arrived else f_muted
        ws.write(r, 0, row.unit.name, f_text)
        ws.write(r, 1, state, f_text if row.arrived else f_muted)
        ws.write(r, 2, _date(timezone.localdate(row.report.sent_at))
                 if row.report is not None else "", f_text)
        ws.write(r, 3, _date(row.deadline), f_text)
        for i, v in enumerate(row.cells):
            ws.write_number(r, 4 + i, v, fmt)
        if row.arrived:
            ws.write_number(r, 4 + len(report.columns), len(row.corrections), f_int)
        else:
            ws.write_blank(r, 4 + len(report.columns), None, f_text)
        r += 1
    ws.write(r, 0, _("Total of the reports that arrived"), f_total)
    for c in range(1, 4):
        ws.write_blank(r, c, None, f_total)
    for i, v in enumerate(report.totals):
        ws.write_number(r, 4 + i, v, f_total_int)
    ws.write_number(r, 4 + len(report.columns), len(report.corrections), f_total_int)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 4 + len(report.columns), 12)
    ws.freeze_panes(4, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)

    wc = wb.add_worksheet(_("Late corrections")[:31])
    wc.write_row(0, 0, [_("Unit"), _("Figure"), _("At sending"), _("Now")], f_head)
    for i, (row, c) in enumerate(report.corrections, start=1):
        wc.write(i, 0, row.unit.name, f_text)
        wc.write(i, 1, c.label, f_text)
        for col, v in ((2, c.frozen), (3, c.live)):
            if v is None:
                wc.write_blank(i, col, None, f_int)
            else:
                wc.write_number(i, col, v, f_int)
    wc.set_column(0, 1, 36)
    wc.set_column(2, 3, 14)
    wb.close()
    return buf.getvalue()
