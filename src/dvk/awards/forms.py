"""The forms of the awards screens: a proposal's heading, its recipients, the decision."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.phases.models import Phase

from .enums import Authority, Occasion
from .models import AwardKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
#: Money is a PositiveIntegerField: at most what a PostgreSQL integer holds (2,147,483,647).
MONEY_MAX = 2_147_483_647
MONEY = {"min_value": 0, "max_value": MONEY_MAX, "required": False,
         "widget": forms.NumberInput(attrs={"min": 0, "max": MONEY_MAX, "step": 1000})}


class ProposalForm(forms.Form):
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.order_by("-start_year"),
                                   to_field_name="code", empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    authority = forms.ChoiceField(label=_("Sent to"), choices=Authority.choices)
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=255, required=False,
                                   help_text=_("E.g. Ban Thường vụ Huyện ủy Gò Quao"))
    number = forms.CharField(label=_("Proposal number"), max_length=64, required=False,
                             help_text=_("e.g. 12-TTr/BCĐ"))
    date = forms.DateField(label=_("Proposal date"), required=False, widget=DATE_WIDGET,
                           input_formats=DATE_FORMATS)
    title = forms.CharField(label=_("Summary"), max_length=500, required=False)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


def kind_choices():
    return forms.ModelChoiceField(label=_("Award kind"), queryset=AwardKind.objects.all(),
                                  empty_label=None)


class ModelsForm(forms.Form):
    """Recognised registrations chosen with checkboxes (the ids come as `ids`)."""
    kind = kind_choices()
    amount = forms.IntegerField(label=_("Money per model (đồng)"), **MONEY)
    exceptional_reason = forms.CharField(
        label=_("Reason for an exceptional award"), required=False,
        help_text=_("Only for models not registered from the start of the year."))


class UnitForm(forms.Form):
    kind = kind_choices()
    unit = forms.CharField(label=_("Unit code"), max_length=64,
                           widget=forms.TextInput(attrs={"list": "unit-codes"}))
    achievements = forms.CharField(label=_("Merits"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.IntegerField(label=_("Money (đồng)"), **MONEY)


class PersonForm(UnitForm):
    person_name = forms.CharField(label=_("Full name"), max_length=255)
    person_position = forms.CharField(label=_("Position"), max_length=255, required=False)

    field_order = ["kind", "person_name", "person_position", "unit", "achievements", "amount"]


def offer_kinds(form, proposal, recipient_type):
    """Offer only the kinds the proposal may carry for this recipient: its authority, its
    level, this kind of recipient (the rule book says the same, with the reason)."""
    levels = list(proposal.phase.ordered_levels())
    ok = [k.pk for k in AwardKind.objects.filter(authority=proposal.authority)
          if k.goes_to(recipient_type) and k.given_at_level(proposal.level, levels)]
    form.fields["kind"].queryset = AwardKind.objects.filter(pk__in=ok)
    return form


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=64,
                             help_text=_("e.g. 125-QĐ/HU"))
    date = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET,
                           input_formats=DATE_FORMATS)
    signer = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    issued_by = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    amount_per_recipient = forms.IntegerField(label=_("Money per recipient (đồng)"), **MONEY)
    stated_total = forms.IntegerField(label=_("Total stated on the decision (đồng)"),
                                      help_text=_("Optional: checked against the list."),
                                      **MONEY)
