"""The publishing form (fields only; the service checks the content and the rules) and the
areas form (a member, the units directly below the committee). Every error names its field."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.phases.forms import DateInput

from .models import NUMBER_MAX, TITLE_MAX, DirectiveKind


class DirectiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DirectiveKind.choices,
                             error_messages={"required": _(
                                 "Kind of document: choose a plan, guidance, directive or "
                                 "working rules."), "invalid_choice": _(
                                 "Kind of document: choose a plan, guidance, directive or "
                                 "working rules.")})
    number = forms.CharField(label=_("Document number"), max_length=NUMBER_MAX,
                             help_text=_("For example 02-KH/BCĐ"),
                             error_messages={"required": _(
                                 "Document number: enter the number, e.g. 02-KH/BCĐ."),
                                 "max_length": _("Document number: at most %(limit_value)d "
                                                 "characters.")})
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput(),
                                input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                error_messages={"required": _(
                                    "Issue date: enter a date as dd/mm/yyyy."), "invalid": _(
                                    "Issue date: enter a date as dd/mm/yyyy.")})
    signer = forms.CharField(label=_("Signed by"), max_length=255, error_messages={
        "required": _("Signed by: enter who signed the document."),
        "max_length": _("Signed by: at most %(limit_value)d characters.")})
    title = forms.CharField(label=_("Document summary"), max_length=TITLE_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}), error_messages={
                                "required": _("Document summary: enter what the document is "
                                              "about."),
                                "max_length": _("Document summary: at most %(limit_value)d "
                                                "characters.")})
    file = forms.FileField(label=_("File (PDF or Word)"), error_messages={
        "required": _("File: choose a PDF or Word (.docx) file."),
        "empty": _("File: the file is empty."),
        "invalid": _("File: choose a PDF or Word (.docx) file.")})


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AreasForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Committee member"), queryset=None,
                                    empty_label=None, error_messages={"invalid_choice": _(
                                        "Committee member: choose a member of this committee.")})
    units = UnitChoices(label=_("Areas followed"), queryset=None, required=False,
                        to_field_name="code", widget=forms.SelectMultiple(attrs={"size": 10}),
                        error_messages={"invalid_choice": _(
                            "Areas followed: %(value)s is not a unit directly below the "
                            "committee's."), "invalid_pk_value": _(
                            "Areas followed: %(pk)s is not a unit directly below the "
                            "committee's.")})

    def __init__(self, *args, members, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["units"].queryset = units
