"""Forms and the small rules behind the phase and committee edit pages."""
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dvk.common.history import diff, record, snapshot

from .models import CommitteeMember, Phase, SteeringCommittee
from .services import PhaseOverlap, create_phase, level_names

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


class PhaseCreateForm(forms.ModelForm):
    """A new phase: its code, its own levels (one per line, lowest first) and calendar."""

    levels = forms.CharField(
        label=_("Recognition levels"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, from the lowest (registered every year) to the highest."))

    class Meta:
        model = Phase
        fields = ["code", "name", *CALENDAR_FIELDS]
        widgets = {"interim_review_date": DateInput(), "final_review_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].initial = "\n".join(settings.DVK_NEW_PHASE_LEVELS)
        self.fields["name"].required = False

    def clean_levels(self):
        try:
            return level_names(self.cleaned_data["levels"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def _post_clean(self):
        pass  # create_phase() validates the phase it builds (years from the code)

    def save(self, commit=True, *, actor=None):
        d = self.cleaned_data
        try:
            return create_phase(code=d["code"], name=d.get("name") or "", levels=d["levels"],
                                calendar={f: d[f] for f in CALENDAR_FIELDS if f in d},
                                actor=actor)
        except (ValueError, PhaseOverlap) as exc:
            self.add_error("code", str(exc))
            return None
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return None


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
