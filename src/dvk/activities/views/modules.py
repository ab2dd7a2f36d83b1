"""The four modules of the committee's year, as the shared screens show them."""
from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dvk.common.formatting import vn_int

from .. import flags
from ..enums import BudgetKind, FollowUp, Genre, InspectionForm, ReviewForm as HeldAs, ReviewKind
from ..forms import BudgetForm, PressForm, ReviewForm, RoundForm, TrainingForm
from ..queries import budget_for, press_for, reviews_for, rounds_for, trainings_for, visits_for
from .base import Filter, Module


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


def yes(value):
    return _("Yes") if value else "–"


TRAINING = Module(
    key="training", title=_("Training classes"), new_label=_("Record a training class"),
    kwarg="training_id", queryset=trainings_for, form=TrainingForm,
    columns=[(_("Date"), lambda o: day(o.date)), (_("Class name"), lambda o: o.name),
             (_("Organiser"), lambda o: o.unit.name), (_("Audience"), lambda o: o.audience),
             (_("Attendances"), lambda o: vn_int(o.attendances))],
    facts=[(_("Phase"), lambda o: o.phase.code), (_("Organiser"), lambda o: o.unit.name),
           (_("Date"), lambda o: day(o.date)), (_("Place"), lambda o: o.place or "–"),
           (_("Audience"), lambda o: o.audience or "–"),
           (_("Attendances"), lambda o: vn_int(o.attendances))],
    search=("name", "name_key", "audience"), file_field="materials",
    flags=flags.training_flags, slug="tap-huan")

ROUND = Module(
    key="round", title=_("Inspections and surveys"), new_label=_("Plan a round"),
    kwarg="round_id", queryset=rounds_for, form=RoundForm, date_field="start_date",
    columns=[(_("Code"), lambda o: o.code), (_("Form"), lambda o: o.get_form_display()),
             (_("Host"), lambda o: o.unit.name), (_("From"), lambda o: day(o.start_date)),
             (_("Units visited"), lambda o: vn_int(o.n_visits))],
    facts=[(_("Phase"), lambda o: o.phase.code), (_("Host"), lambda o: o.unit.name),
           (_("Form"), lambda o: o.get_form_display()), (_("Title"), lambda o: o.title or "–"),
           (_("Decision"), lambda o: " · ".join(x for x in (o.decision_number,
                                                            day(o.decision_date)
                                                            if o.decision_date else "") if x)
            or "–"),
           (_("Dates"), lambda o: f"{day(o.start_date)} – {day(o.end_date)}"),
           (_("Team"), lambda o: o.team or "–")],
    search=("code", "title"),
    filters=[Filter("form", _("Form"), lambda: list(InspectionForm.choices), "form")],
    detail_template="activities/round_detail.html", flags=flags.round_flags, slug="kiem-tra",
    export_rows=lambda scope, qs: visits_for(scope).filter(round__in=qs.values("pk"))
    .order_by("round__start_date", "round__code", "date", "unit__path"))

PRESS = Module(
    key="entry", title=_("Press contest"), new_label=_("Enter a press entry"),
    kwarg="entry_id", queryset=press_for, form=PressForm, date_field="",
    columns=[(_("Year"), lambda o: o.year), (_("Title"), lambda o: o.title),
             (_("Author"), lambda o: o.author), (_("Genre"), lambda o: o.get_genre_display()),
             (_("National round"), lambda o: _("Finalist") if o.national_finalist
              else yes(o.national_eligible)),
             (_("Provincial prize"), lambda o: o.provincial_prize or "–")],
    facts=[(_("Phase"), lambda o: o.phase.code), (_("Contest run by"), lambda o: o.unit.name),
           (_("Author"), lambda o: o.author), (_("Outlet"), lambda o: o.outlet or "–"),
           (_("Genre"), lambda o: o.get_genre_display()), (_("Year"), lambda o: o.year),
           (_("Model it is about"), lambda o: o.initiative.title if o.initiative else "–"),
           (_("Eligible for the national round"), lambda o: yes(o.national_eligible)),
           (_("National finalist"), lambda o: yes(o.national_finalist)),
           (_("Provincial prize"), lambda o: o.provincial_prize or "–")],
    search=("title", "title_key", "author", "author_key", "outlet"),
    filters=[Filter("genre", _("Genre"), lambda: list(Genre.choices), "genre"),
             Filter("prize", _("Prize"), lambda: [("1", _("With a provincial prize"))],
                    "provincial_prize__gt")],
    flags=flags.press_flags, slug="bao-chi")


def _not_yet(request, qs, params):
    """Units one level below the acting unit, with a committee in the phase, that have
    not held the review of the chosen kind yet."""
    from dvk.orgs.scope import units_for
    from dvk.phases.models import Phase

    from dvk.phases.queries import current_phase

    scope, kind = request.scope, params.get("kind")
    kind = kind if kind in ReviewKind.values else ReviewKind.INTERIM
    root = scope.root()
    phase = (Phase.objects.filter(code=params.get("phase")).first() if params.get("phase")
             else current_phase())
    if root is None or phase is None:
        return {"missing": None}
    held = set(reviews_for(scope).filter(phase=phase, kind=kind).exclude(held_as="")
               .values_list("unit_id", flat=True))
    expected = units_for(scope).filter(parent=root, committees__phase=phase).order_by("path")
    return {"missing": [u for u in expected if u.pk not in held],
            "missing_kind": ReviewKind(kind).label, "missing_phase": phase.code}


REVIEW = Module(
    key="review", title=_("Reviews"), new_label=_("Record a review"),
    kwarg="review_id", queryset=reviews_for, form=ReviewForm, date_field="held_on",
    columns=[(_("Phase"), lambda o: o.phase.code), (_("Kind"), lambda o: o.get_kind_display()),
             (_("Unit"), lambda o: o.unit.name), (_("Planned"), lambda o: day(o.planned_date)),
             (_("Held"), lambda o: f"{day(o.held_on)} · {o.get_held_as_display()}"
              if o.held_as else _("Not yet"))],
    facts=[(_("Phase"), lambda o: o.phase.code), (_("Unit"), lambda o: o.unit.name),
           (_("Kind"), lambda o: o.get_kind_display()),
           (_("Planned date"), lambda o: day(o.planned_date)),
           (_("Held on"), lambda o: day(o.held_on)),
           (_("Held as"), lambda o: o.get_held_as_display() or _("Not yet")),
           (_("Note"), lambda o: o.note or "–")],
    search=(), file_field="report", detail_template="activities/review_detail.html",
    filters=[Filter("kind", _("Kind"), lambda: list(ReviewKind.choices), "kind"),
             Filter("held_as", _("Held as"), lambda: list(HeldAs.choices), "held_as")],
    list_extra=_not_yet, slug="so-ket")


def money(value):
    return f"{vn_int(value)} đ"


BUDGET = Module(
    key="budget", title=_("Budget"), new_label=_("Record an allocation or spending"),
    kwarg="budget_id", queryset=budget_for, form=BudgetForm,
    columns=[(_("Date"), lambda o: day(o.date)), (_("Purpose"), lambda o: o.purpose),
             (_("Unit"), lambda o: o.unit.name), (_("Kind"), lambda o: o.get_kind_display()),
             (_("Amount"), lambda o: money(o.amount)),
             (_("Document"), lambda o: o.document_ref or "–")],
    facts=[(_("Phase"), lambda o: o.phase.code), (_("Unit"), lambda o: o.unit.name),
           (_("Kind"), lambda o: o.get_kind_display()), (_("Date"), lambda o: day(o.date)),
           (_("Amount"), lambda o: money(o.amount)), (_("Purpose"), lambda o: o.purpose),
           (_("Document"), lambda o: o.document_ref or "–")],
    search=("purpose", "document_ref"),
    filters=[Filter("kind", _("Kind"), lambda: list(BudgetKind.choices), "kind")],
    flags=flags.budget_flags, slug="kinh-phi")

MODULES = [TRAINING, ROUND, PRESS, REVIEW, BUDGET]
FOLLOW_UP = FollowUp
