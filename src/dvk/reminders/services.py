"""The reminder job: deadlines near and missed, returns, decisions, awards, weekly digests.

`run_reminders(today)` is idempotent: every reminder has a key (kind, object, deadline,
recipient) kept in `SentReminder` under a unique constraint, so a second run — or two
machines running at once — sends nothing twice. Each reminder is an in-app `Notification`
and, for a recipient with an e-mail address, a message through Django's e-mail framework
(console by default, SMTP by settings: README).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dvk.awards.models import Award
from dvk.common.formatting import vn_int
from dvk.initiatives.enums import DECIDED, State
from dvk.initiatives.models import Transition
from dvk.orgs.enums import Role
from dvk.orgs.models import Membership
from dvk.phases.calendar import REGISTRATION, UP_REPORT
from dvk.phases.models import Phase

from . import lagging
from .enums import Kind
from .models import Notification, SentReminder

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one run sent, by kind (the command prints it)."""
    sent: dict = field(default_factory=dict)
    emailed: int = 0

    def add(self, kind):
        self.sent[kind] = self.sent.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def _date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


class Sender:
    """Sends each reminder once: the SentReminder row first (unique), then the notification;
    e-mails go out together at the end, after the rows are committed."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome
        self.messages: list[tuple[SentReminder, mail.EmailMessage]] = []

    def send(self, kind, object_key: str, deadline: dt.date, membership: Membership,
             text: str, url: str = "", subject: str = "", body: str = "") -> bool:
        try:
            with transaction.atomic():
                sent = SentReminder.objects.create(kind=kind, object_key=object_key,
                                                   deadline=deadline,
                                                   recipient_id=membership.user_id)
                Notification.objects.create(user_id=membership.user_id,
                                            unit_id=membership.unit_id, kind=kind,
                                            object_key=object_key, text=text, url=url)
        except IntegrityError:  # already sent (by an earlier run, or a parallel one)
            return False
        self.outcome.add(kind)
        email = membership.user.email
        if email:
            link = f"\n\n{settings.DVK_BASE_URL.rstrip('/')}{url}" if url and \
                settings.DVK_BASE_URL else ""
            self.messages.append((sent, mail.EmailMessage(
                subject=f"[DVK] {subject or text[:120]}", body=(body or text) + link,
                from_email=settings.DEFAULT_FROM_EMAIL, to=[email])))
        return True

    def flush(self):
        if not self.messages:
            return
        try:
            with mail.get_connection() as conn:
                for sent, message in self.messages:
                    if conn.send_messages([message]):
                        SentReminder.objects.filter(pk=sent.pk).update(emailed=True)
                        self.outcome.emailed += 1
        except OSError as exc:  # the SMTP server is down: notifications stay in the app
            log.warning("reminders: e-mail not sent: %s", exc)
        self.messages = []


class Recipients:
    """Active memberships by unit, read once per run."""

    def __init__(self):
        self.by_unit: dict[int, list[Membership]] = {}
        for m in (Membership.objects.filter(is_active=True, user__is_active=True,
                                            role__in=[Role.CLERK, Role.SECRETARIAT])
                  .select_related("user", "unit")):
            self.by_unit.setdefault(m.unit_id, []).append(m)

    def at(self, unit, *roles) -> list[Membership]:
        return [m for m in self.by_unit.get(unit.pk, []) if m.role in roles]

    def clerks_of(self, unit) -> list[Membership]:
        """The clerks of the unit, else of its nearest ancestor that has clerks."""
        for unit_id in [unit.pk, *reversed(unit.ancestor_ids())]:
            found = [m for m in self.by_unit.get(unit_id, []) if m.role == Role.CLERK]
            if found:
                return found
        return []


def _what(lag) -> str:
    """What the unit is late with, as the reminders and the digest say it."""
    if lag.kind == REGISTRATION:
        return _("model registrations")
    if lag.kind == UP_REPORT:
        return _("the annual report to the level above")
    return _("achievement reports (%(n)s files)") % {"n": vn_int(lag.pending)}


def _deadline_text(lag, today) -> tuple[Kind, str]:
    days = lag.deadline.days_left(today)
    what = _what(lag)
    if days >= 0:
        return Kind.DEADLINE_NEAR, _(
            "%(unit)s: %(what)s are due on %(date)s (%(days)s days left).") % {
            "unit": lag.unit.name, "what": what, "date": _date(lag.deadline.date), "days": days}
    return Kind.DEADLINE_MISSED, _(
        "%(unit)s: %(what)s were due on %(date)s (%(days)s days overdue).") % {
        "unit": lag.unit.name, "what": what, "date": _date(lag.deadline.date), "days": -days}


def deadline_reminders(sender: Sender, recipients: Recipients, phase, year, today,
                       committees, index) -> None:
    """Each committee's unit, for each of its deadlines near (DVK_REMINDER_DAYS_BEFORE) or
    missed with the work not done: its clerks and secretariat (for the annual report sent
    up, its secretariat, who sends it), once per deadline — once before it, once after."""
    levels = list(phase.ordered_levels())
    before = settings.DVK_REMINDER_DAYS_BEFORE
    url = reverse("initiatives:registrations")
    annual_url = f"{reverse('annual:index')}?phase={phase.code}&year={year}"
    reporting = lagging.reporting_up(committees)
    for c in committees:
        for lag in lagging.undone(c.unit, phase, year, index.status(c.unit), levels,
                                  reports_up=c.unit_id in reporting):
            if lag.deadline.days_left(today) > before:
                continue
            kind, text = _deadline_text(lag, today)
            if lag.kind == UP_REPORT:
                who, link = recipients.at(c.unit, Role.SECRETARIAT), annual_url
            else:
                who, link = recipients.at(c.unit, Role.CLERK, Role.SECRETARIAT), url
            for m in who:
                sender.send(kind, f"unit:{c.unit_id}:{lag.kind}", lag.deadline.date, m, text,
                            link)


def event_reminders(sender: Sender, recipients: Recipients, since: dt.datetime) -> None:
    """Returns and decisions (from the workflow's transitions) and awards since `since`:
    to the clerks of the file's unit."""
    for t in (Transition.objects.filter(at__gte=since,
                                        to_state__in=[State.RETURNED, *DECIDED])
              .select_related("registration__initiative", "registration__unit",
                              "registration__level", "registration__decision")
              .order_by("at", "id")):
        reg = t.registration
        url = reverse("initiatives:registration", args=[reg.pk])
        title = reg.initiative.title
        if t.to_state == State.RETURNED:
            kind = Kind.RETURNED
            text = _("“%(title)s” was returned for correction: %(comment)s") % {
                "title": title, "comment": t.comment or "—"}
        else:
            kind = Kind.DECISION
            number = reg.decision.number if reg.decision_id else ""
            text = (_("“%(title)s” was recognised at level %(level)s (decision %(number)s).")
                    if t.to_state == State.RECOGNIZED else
                    _("“%(title)s” was not recognised at level %(level)s (decision %(number)s)."))
            text = text % {"title": title, "level": reg.level.name, "number": number or "—"}
        for m in recipients.clerks_of(reg.unit):
            sender.send(kind, f"transition:{t.pk}", timezone.localdate(t.at), m, text, url)
    for a in (Award.objects.unscoped("reminders: awards given across the tree since the last run")
              .filter(created_at__gte=since).select_related("kind", "unit", "registration__initiative")
              .order_by("created_at", "id")):
        who = (a.registration.initiative.title if a.registration_id
               else a.recipient_name or a.unit.name)
        text = _("%(kind)s awarded to %(who)s.") % {"kind": a.kind.name, "who": who}
        url = reverse("initiatives:registration", args=[a.registration_id]) \
            if a.registration_id else reverse("awards:list")
        for m in recipients.clerks_of(a.unit):
            sender.send(Kind.AWARD, f"award:{a.pk}", timezone.localdate(a.created_at), m, text,
                        url)


def annual_report_returns(sender: Sender, recipients: Recipients, since: dt.datetime) -> None:
    """An annual report the level above returned: to the sending unit's secretariat."""
    from .models import AnnualReport

    for r in (AnnualReport.objects.unscoped("reminders: returned reports across the tree")
              .filter(state=AnnualReport.State.RETURNED, returned_at__gte=since)
              .select_related("unit")):
        text = _("The annual report %(year)s of %(unit)s was returned: %(reason)s") % {
            "year": r.year, "unit": r.unit.name, "reason": r.return_reason}
        for m in recipients.at(r.unit, Role.SECRETARIAT):
            sender.send(Kind.RETURNED, f"annual_report:{r.pk}", timezone.localdate(r.returned_at),
                        m, text, reverse("annual:detail", args=[r.pk]))


def digest_text(committee, lags, today) -> tuple[str, str]:
    """(the notification's line, the e-mail's body listing every lagging unit)."""
    units = sorted({lag.unit.name for lag in lags})
    line = _("%(n)s units below %(committee)s are late: %(units)s.") % {
        "n": len(units), "committee": committee.name, "units": ", ".join(units)}
    rows = []
    for lag in lags:
        what = _what(lag)
        rows.append(_("- %(unit)s: %(what)s due %(date)s, %(days)s days overdue") % {
            "unit": lag.unit.name, "what": what, "date": _date(lag.deadline.date),
            "days": lag.days_late(today)})
    return line, line + "\n\n" + "\n".join(rows)


def digests(sender: Sender, recipients: Recipients, year, today, committees, index) -> None:
    """Once a week (keyed by the week's Monday) to each committee's secretariat."""
    week = today - dt.timedelta(days=today.weekday())
    url = reverse("reminders:lagging")
    for c in committees:
        members = recipients.at(c.unit, Role.SECRETARIAT)
        if not members:
            continue
        lags = lagging.lagging_units(c, year, today, committees, index)
        if not lags:
            continue
        line, body = digest_text(c, lags, today)
        for m in members:
            sender.send(Kind.DIGEST, f"committee:{c.pk}", week, m, line, url,
                        subject=_("Weekly digest: lagging units"), body=body)


def run_reminders(today: dt.date | None = None) -> Outcome:
    """Everything due today, each reminder once. The command and the task call this."""
    today = today or timezone.localdate()
    outcome = Outcome()
    sender = Sender(outcome)
    with translation.override(settings.LANGUAGE_CODE):
        recipients = Recipients()
        phase = (Phase.objects.filter(start_year__lte=today.year, end_year__gte=today.year)
                 .order_by("-start_year").first())
        if phase is not None:
            committees = lagging.committees_of(phase)
            index = lagging.YearIndex(phase, today.year)
            deadline_reminders(sender, recipients, phase, today.year, today, committees, index)
            digests(sender, recipients, today.year, today, committees, index)
        since = timezone.now() - dt.timedelta(days=settings.DVK_REMINDER_LOOKBACK_DAYS)
        event_reminders(sender, recipients, since)
        annual_report_returns(sender, recipients, since)
    sender.flush()
    return outcome
