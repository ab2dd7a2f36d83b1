"""The summary's `activities` block (CONTRACTS §9) for one unit's subtree in a phase.

`subtree` is the summary's own selection (reports.summary.subtree_for: the structure of
the time or of today), passed in by the summary so that activities follow the same
structure and year as registrations: `subtree.filter(qs, unit_field)` keeps the rows of the
subtree, `subtree.children()` lists the units one level below. Counts are in the
database, a handful of small GROUP BYs.
"""
from __future__ import annotations

from django.db.models import Count, Q, Sum

from .enums import FORM_LABEL, GENRE_LABEL, REVIEW_KIND_LABEL, ReviewForm, ReviewKind
from .models import (FollowUpVisit, InspectionRound, InspectionVisit, PressEntry, Review,
                     TrainingClass)

# Queries of the block: training, visits, rounds, press, teams, follow-up, committees, reviews.
ACTIVITY_QUERIES = 8


def activities_summary(phase, unit, subtree, *, year: int | None = None,
                       children=None) -> dict:
    """{"training", "inspections", "press", "appraisal_teams", "reviews"} of §9, in
    ACTIVITY_QUERIES queries whatever the size of the tree. `children`: the summary's
    `subtree.children()` when it has them already."""
    from dvk.phases.models import AppraisalTeam

    def scoped(qs, unit_field="unit"):
        qs = subtree.filter(qs, unit_field)
        return qs.filter(year=year) if year is not None else qs

    # The summary counts a given unit's subtree; the caller has checked that the unit is
    # visible (reports.view) and `subtree` restricts every query below to it.
    why = "the summary restricts to its unit's subtree"
    training = scoped(TrainingClass.objects.unscoped(why).filter(phase=phase)).aggregate(
        classes=Count("pk"), attendances=Sum("attendances"))
    visits = scoped(InspectionVisit.objects.unscoped(why).filter(round__phase=phase), "round__unit")
    by_form = dict(visits.order_by().values("round__form").annotate(n=Count("pk"))
                   .values_list("round__form", "n"))
    rounds = scoped(InspectionRound.objects.unscoped(why).filter(phase=phase)).count()
    press_rows = list(scoped(PressEntry.objects.unscoped(why).filter(phase=phase)).order_by()
                      .values("genre").annotate(
                          n=Count("pk"), eligible=Count("pk", filter=Q(national_eligible=True)),
                          finalists=Count("pk", filter=Q(national_finalist=True)),
                          prizes=Count("pk", filter=~Q(provincial_prize=""))))
    by_genre = {r["genre"]: r["n"] for r in press_rows}
    press_counts = {k: sum(r[k] for r in press_rows) for k in ("eligible", "finalists",
                                                                "prizes")}
    teams = subtree.filter(AppraisalTeam.objects.filter(committee__phase=phase),
                           "committee__unit")
    if year is not None:
        teams = teams.filter(Q(year=year) | Q(year__isnull=True))
    follow_up = scoped(FollowUpVisit.objects.unscoped(why).filter(registration__phase=phase),
                       "registration__unit").aggregate(
        visits=Count("pk"), models_visited=Count("registration", distinct=True),
        models_visited_on_site=Count("registration", distinct=True, filter=Q(on_site=True)))
    return {
        "training": {"classes": training["classes"],
                     "attendances": training["attendances"] or 0},
        "inspections": {"rounds": rounds, "units_visited": sum(by_form.values()),
                        "by_form": {label: by_form.get(form, 0)
                                    for form, label in FORM_LABEL.items()}},
        "press": {"entries": sum(by_genre.values()),
                  "by_genre": {label: by_genre.get(genre, 0)
                               for genre, label in GENRE_LABEL.items()},
                  "national_eligible": press_counts["eligible"],
                  "national_finalists": press_counts["finalists"],
                  "provincial_prizes": press_counts["prizes"]},
        "appraisal_teams": teams.count(),
        "follow_up": follow_up,
        "reviews": review_rows(phase, subtree, year=year, children=children),
    }


def review_rows(phase, subtree, *, year: int | None = None, children=None) -> list[dict]:
    """One row per review kind: `expected` = the units one level below the summary unit
    that have a steering committee in the phase; `held` = the units one level below that
    recorded the review (it may exceed `expected`: the data says so), `conference` = those
    that held it as a conference; `reported_only` names those that only reported."""
    from dvk.phases.models import SteeringCommittee

    children = {c.pk: c for c in (subtree.children() if children is None else children)}
    with_committee = set(SteeringCommittee.objects.filter(
        phase=phase, unit_id__in=list(children)).values_list("unit_id", flat=True))
    held = Review.objects.unscoped("the reviews of the summary unit's direct children").filter(phase=phase, unit_id__in=list(children)).exclude(held_as="")
    if year is not None:
        held = held.filter(year=year)
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for kind, unit_id, held_as in held.values_list("kind", "unit_id", "held_as"):
        by_kind.setdefault(kind, []).append((unit_id, held_as))
    rows = []
    for kind in ReviewKind:
        done = by_kind.get(kind, [])
        rows.append({
            "kind": REVIEW_KIND_LABEL[kind], "expected": len(with_committee),
            "held": len(done),
            "conference": sum(1 for _, form in done if form == ReviewForm.CONFERENCE),
            "reported_only": [children[u].name for u, form in done
                              if form == ReviewForm.REPORT],
        })
    return rows
