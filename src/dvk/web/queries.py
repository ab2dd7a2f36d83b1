"""Reads behind the home page: each is ONE aggregate query over the user's scope, with the
figures' definitions of initiatives/figures.py (the dashboard and summary use the same)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dvk.initiatives import figures
from dvk.initiatives.enums import AppraisalStatus, State
from dvk.initiatives.queries import appraisals_for, committee_queue, registrations_for
from dvk.orgs.enums import Role
from dvk.orgs.scope import Scope
from dvk.phases.calendar import REGISTRATION, REPORT, deadlines_for
from dvk.phases.models import Phase


def state_and_level_figures(scope: Scope, phase: Phase, levels) -> tuple[list, list]:
    """(counts per workflow state, LEVELROWs per level) of the phase in the scope: one scan."""
    return figures.level_and_state_counts(registrations_for(scope).filter(phase=phase), levels)


# --- the worklist: what needs the acting user now, by deadline ------------------------------

#: The states each role acts on, with what to do (the registration's page has the action).
CLERK_WORK = {State.RETURNED: _("Correct and send again"), State.DRAFT: _("Send the file"),
              State.ACCEPTED: _("Report the achievements")}
COMMITTEE_WORK = {State.SUBMITTED: _("Accept or return"), State.REPORTED: _("Assign appraisers"),
                  State.APPRAISED: _("Decide")}
WORKLIST_SIZE = 15


@dataclass(frozen=True)
class Work:
    title: str
    state: str
    state_label: str
    todo: str
    url: str
    due: dt.date | None


def worklist(scope: Scope, phase: Phase, year: int, levels=None) -> list[Work]:
    """Items for the acting role, the nearest deadline first (ONE query per role): a clerk's
    returned files, drafts and accepted files to report on; a committee secretariat's
    files to accept, appraise and decide; an appraiser's open appraisals."""
    levels = levels if levels is not None else list(phase.ordered_levels())
    items: list[Work] = []
    unit = scope.unit
    due = {}
    if unit is not None:
        due = {d.kind: d.date for d in deadlines_for(unit, phase, year, levels)}
    if scope.role == Role.CLERK:
        for reg in (registrations_for(scope).filter(phase=phase, state__in=list(CLERK_WORK))
                    .select_related("initiative").order_by("initiative__sort_key", "pk")
                    [:WORKLIST_SIZE]):
            when = due.get(REPORT if reg.state == State.ACCEPTED else REGISTRATION)
            items.append(_work(reg, CLERK_WORK[reg.state], when))
    elif scope.role == Role.SECRETARIAT:
        for reg in (committee_queue(scope, phase).filter(state__in=list(COMMITTEE_WORK))
                    .select_related("initiative").order_by("submitted_at", "pk")
                    [:WORKLIST_SIZE]):
            when = phase.date_in("commemoration_day", year) if reg.state != State.SUBMITTED \
                else due.get(REGISTRATION)
            items.append(_work(reg, COMMITTEE_WORK[reg.state], when))
    elif scope.role == Role.APPRAISER:
        for a in (appraisals_for(scope).filter(appraiser=scope.user, registration__phase=phase,
                                               status=AppraisalStatus.ASSIGNED)
                  .select_related("registration__initiative").order_by("pk")[:WORKLIST_SIZE]):
            reg = a.registration
            items.append(Work(reg.initiative.title, reg.state, reg.get_state_display(),
                              str(_("Appraise")),
                              reverse("initiatives:appraisal", args=[a.pk]),
                              phase.date_in("commemoration_day", reg.year)))
    far = dt.date.max
    return sorted(items, key=lambda w: (w.due or far, w.title))


def _work(reg, todo, when) -> Work:
    return Work(reg.initiative.title, reg.state, reg.get_state_display(), str(todo),
                reverse("initiatives:registration", args=[reg.pk]), when)
