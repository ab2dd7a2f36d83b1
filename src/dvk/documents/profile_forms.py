"""The document profile form of the system administrator's screen."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.orgs.models import Unit

from .profiles import parse_body_names


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}, **kwargs)


class ProfileForm(forms.Form):
    valid_from = forms.DateField(label=_("Applies to documents dated from"), widget=DateInput())
    unit = forms.CharField(label=_("Only for the unit (code)"), required=False, max_length=64,
                           help_text=_("Empty: every unit."))
    note = forms.CharField(label=_("Note"), required=False, max_length=255,
                           help_text=_("E.g. the guidance this version follows."))
    national_title = forms.CharField(label=_("National title"), max_length=255)
    motto = forms.CharField(label=_("Motto (State format)"), required=False, max_length=255)
    parent_body = forms.CharField(label=_("Parent body"), required=False, max_length=255,
                                  help_text=_("Empty: derived from the unit."))
    issuing_body = forms.CharField(label=_("Issuing body"), required=False, max_length=255,
                                   help_text=_("Empty: derived from the unit."))
    place = forms.CharField(label=_("Place in the date line"), required=False, max_length=128,
                            help_text=_("Empty: derived from the unit."))
    number_pattern = forms.CharField(
        label=_("Numbering pattern"), required=False, max_length=64,
        help_text=_("A bare number is written with it, e.g. {number}-QĐ/BCĐ."))
    number_template = forms.CharField(label=_("Number line"), max_length=128,
                                      help_text=_("E.g. Số {number} or Số: {number}."))
    doc_type = forms.CharField(label=_("Document type"), max_length=64)
    signature_on_behalf = forms.CharField(label=_("On behalf of"), required=False,
                                          max_length=128)
    signature_title = forms.CharField(label=_("Signer's title"), required=False, max_length=128)
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=128)
    recipients = forms.CharField(label=_("Recipients (one per line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    body_names = forms.CharField(
        label=_("Body names by date"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: dd/mm/yyyy | name (no date: from the start)."))

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has this code."))
        return unit

    def clean_number_template(self):
        value = self.cleaned_data["number_template"]
        if "{number}" not in value and "{number_suffix}" not in value:
            raise forms.ValidationError(_("The number line must contain {number}."))
        return value

    def clean_number_pattern(self):
        value = self.cleaned_data["number_pattern"].strip()
        if value and "{number}" not in value:
            raise forms.ValidationError(_("The pattern must contain {number}."))
        return value

    def clean(self):
        data = super().clean()
        eras, problems = parse_body_names(data.get("body_names", ""))
        for problem in problems:
            self.add_error("body_names", problem)
        data["body_names_parsed"] = eras if eras else None
        return data
