"""Forms and the small rules behind the phase and committee edit pages."""
from django import forms
from django.db import transaction

from dvk.common.history import diff, record, snapshot

from .models import CommitteeMember, Phase, SteeringCommittee

CALENDAR_FIELDS = ["registration_deadline", "report_deadline", "commemoration_day",
                   "up_report_deadline", "interim_review_date", "final_review_date",
                   "promotion_rule"]
COMMITTEE_FIELDS = ["name", "decision_number", "decision_date", "decision_signer",
                    "standing_agency"]


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class PhaseCalendarForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = CALENDAR_FIELDS
        widgets = {"interim_review_date": DateInput(), "final_review_date": DateInput()}


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = SteeringCommittee
        fields = COMMITTEE_FIELDS
        widgets = {"decision_date": DateInput()}


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["full_name", "position", "role"]


@transaction.atomic
def save_with_history(form: forms.ModelForm, *, actor, action: str) -> dict:
    """Save a ModelForm of an existing object and log the changed fields; returns the diff."""
    before = snapshot(type(form.instance).objects.get(pk=form.instance.pk), form.Meta.fields)
    obj = form.save()
    changes = diff(before, snapshot(obj, form.Meta.fields))
    if changes:
        record(obj, action, actor=actor, changes=changes)
    return changes


@transaction.atomic
def add_committee_member(committee: SteeringCommittee, form: CommitteeMemberForm, *, actor):
    member = form.save(commit=False)
    member.committee = committee
    # New seats go after the existing ones within the list.
    last = committee.members.order_by("-order").values_list("order", flat=True).first()
    member.order = (last or 0) + 1
    member.save()
    record(committee, "committee.member_added", actor=actor,
           changes={"member": [None, f"{member.full_name} ({member.get_role_display()})"]})
    return member


@transaction.atomic
def remove_committee_member(member: CommitteeMember, *, actor) -> None:
    committee = member.committee
    label = f"{member.full_name} ({member.get_role_display()})"
    member.delete()
    record(committee, "committee.member_removed", actor=actor, changes={"member": [label, None]})
