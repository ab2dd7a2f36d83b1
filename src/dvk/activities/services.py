"""Recording activities from the app: every create and change is asked of the rule book
(activities.record) and written with its history entry (common.history)."""
from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile

from dvk.common import history
from dvk.common.rules import check
from dvk.orgs.scope import Scope


def _value(obj, name):
    value = getattr(obj, name)
    return (value.name or "") if isinstance(value, FieldFile) else value  # files: their name


@transaction.atomic
def save_form(form, *, scope: Scope, action: str, **extra):
    """Save a ModelForm of an activity (new or existing) with its history entry.

    `extra` sets fields the form does not show (the round of a visit). The rule is asked
    on the object as it will be saved, so a unit chosen outside the subtree is refused."""
    obj = form.instance
    fields = [f for f in form.Meta.fields if f in form.fields]
    created = obj.pk is None
    stored = None if created else type(obj).objects.again(obj).get()  # one read, all fields
    before = {} if created else {f: _value(stored, f) for f in fields}
    obj = form.save(commit=False)
    for name, value in extra.items():
        setattr(obj, name, value)
    check("activities.record", scope, obj)
    if created and hasattr(obj, "created_by_id"):
        obj.created_by = scope.user if getattr(scope.user, "is_authenticated", False) else None
    obj.save()
    after = {f: _value(obj, f) for f in fields}
    changes = history.diff(before, after) if not created else {
        f: [None, history._jsonable(v)] for f, v in after.items() if v not in (None, "", False)}
    if created or changes:
        history.record(obj, f"{action}.{'created' if created else 'changed'}",
                       actor=scope.user, changes=changes)
    return obj


# --- follow-up of registered models -------------------------------------------------------

def follow_up_members(registration):
    """The members of the committee of the registration's level over its unit (the one
    whose secretariat assigns): the nearest committee at that level, up the tree."""
    from dvk.phases.models import CommitteeMember, SteeringCommittee

    unit = registration.unit
    committee = (SteeringCommittee.objects.filter(
        phase_id=registration.phase_id, level_id=registration.level_id,
        unit_id__in=[*unit.ancestor_ids(), unit.pk]).order_by("-unit__path").first())
    if committee is None:
        return CommitteeMember.objects.none()
    return committee.members.order_by("order", "id")


@transaction.atomic
def assign_follow_up(registration, member, *, scope: Scope, note: str = ""):
    """Name the member who follows the registration (or change them), with a history entry
    on the registration."""
    from .models import FollowUpAssignment

    check("followup.assign", scope, registration)
    if not follow_up_members(registration).filter(pk=member.pk).exists():
        from django.core.exceptions import ValidationError

        raise ValidationError("Thành viên không thuộc Ban Chỉ đạo xét hồ sơ ở cấp này.")
    current = (FollowUpAssignment.objects.unscoped("the assignment of a registration found "
                                                   "in scope").filter(registration=registration)
               .select_related("member").first())
    before = current.member.full_name if current else None
    if current is None:
        current = FollowUpAssignment(registration=registration)
    current.member, current.note = member, note
    current.assigned_by = scope.user if getattr(scope.user, "is_authenticated", False) else None
    current.save()
    if before != member.full_name:
        history.record(registration, "followup.assigned", actor=scope.user,
                       changes={"follow_up_member": [before, member.full_name]}, comment=note)
    return current


@transaction.atomic
def log_follow_up_visit(form, registration, *, scope: Scope, assignment=None):
    """Save a FollowUpVisitForm (new or existing) with a history entry on the registration:
    what a new visit says, or what an edit changed."""
    check("followup.log", scope, registration, assignment)
    fields = ("date", "member", "visitor", "on_site", "findings", "guidance", "next_step")
    created = form.instance.pk is None
    before = {} if created else history.snapshot(
        type(form.instance).objects.again(form.instance).get(), fields)
    visit = form.save(commit=False)
    visit.registration = registration
    if created:
        visit.created_by = scope.user if getattr(scope.user, "is_authenticated", False) else None
    visit.save()
    after = history.snapshot(visit, fields)
    if created:
        changes = {f: [None, v] for f, v in after.items() if v not in (None, "", False)}
    else:
        changes = history.diff(before, after)
    if created or changes:
        history.record(registration, "followup.visit_logged" if created else
                       "followup.visit_changed", actor=scope.user, changes=changes)
    return visit
