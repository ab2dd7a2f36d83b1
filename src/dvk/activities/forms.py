"""The forms of the activities screens. Unit choices come from the acting scope (a unit
outside the subtree cannot be chosen); dates must lie in the chosen phase."""
from __future__ import annotations

import os

from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.initiatives.models import Initiative
from dvk.initiatives.services.attachments import FileTooLarge, read_checked
from dvk.orgs.models import Unit
from dvk.orgs.scope import units_for
from dvk.phases.forms import DateInput
from dvk.phases.models import Phase

from .models import (BudgetLine, FollowUpVisit, InspectionRound, InspectionVisit, PressEntry,
                     Review, TrainingClass)

DATES = {"date", "start_date", "end_date", "decision_date", "planned_date", "held_on",
         "closed_on"}


def committee_units(scope):
    """Units of the subtree that have a steering committee (the ones that organise,
    inspect and review), upper units first."""
    return (units_for(scope).filter(committees__isnull=False).distinct()
            .order_by("depth", "path"))


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class ActivityForm(forms.ModelForm):
    """Phase and unit choices from the scope; every date inside the phase."""

    unit_queryset = staticmethod(committee_units)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if "phase" in self.fields:
            self.fields["phase"].queryset = Phase.objects.order_by("-start_year")
            self.fields["phase"].empty_label = None
            self.fields["phase"].to_field_name = "code"
        if "unit" in self.fields:
            self.fields["unit"] = UnitChoice(queryset=self.unit_queryset(scope),
                                             label=self.fields["unit"].label,
                                             initial=self.initial.get("unit"))
        for name in DATES & set(self.fields):
            self.fields[name].widget = DateInput()
            self.fields[name].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def phase_of(self):
        return self.cleaned_data.get("phase") or getattr(self.instance, "phase", None)

    def clean(self):
        data = super().clean()
        phase = self.phase_of() if (self.instance.pk or data.get("phase")) else None
        if phase is not None:
            for name in DATES & set(self.fields):
                day = data.get(name)
                if day and day.year not in phase.years:
                    self.add_error(name, _("This date is outside phase %(phase)s.")
                                   % {"phase": phase.code})
            year = data.get("year")
            if year and year not in phase.years:
                self.add_error("year", _("This year is outside phase %(phase)s.")
                               % {"phase": phase.code})
        return data


def _file(form, name):
    """An optional attachment: PDF, Word, JPEG or PNG, judged by its content."""
    f = form.cleaned_data.get(name)
    if not f or not hasattr(f, "read") or getattr(f, "_committed", False):
        return f
    try:
        _data, ctype = read_checked(f)
    except FileTooLarge:
        raise forms.ValidationError(_("The file is too large."))
    f.seek(0)
    if ctype is None:
        raise forms.ValidationError(_("Only PDF, Word (.docx), JPEG or PNG files are accepted."))
    f.name = os.path.basename(f.name)
    return f


class TrainingForm(ActivityForm):
    class Meta:
        model = TrainingClass
        fields = ["phase", "unit", "date", "name", "place", "audience", "attendances",
                  "materials"]

    def clean_materials(self):
        return _file(self, "materials")


class RoundForm(ActivityForm):
    class Meta:
        model = InspectionRound
        fields = ["phase", "unit", "code", "form", "title", "decision_number", "decision_date",
                  "start_date", "end_date", "team"]
        widgets = {"team": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The round cannot end before it starts."))
        code, phase = data.get("code"), self.phase_of()
        if code and phase and InspectionRound.objects.unscoped("codes are per phase").filter(
                phase=phase, code__iexact=code).exclude(pk=self.instance.pk).exists():
            self.add_error("code", _("This phase already has a round with this code."))
        return data


class VisitForm(ActivityForm):
    class Meta:
        model = InspectionVisit
        fields = ["unit", "date", "findings", "recommendations", "status", "closed_on"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 4}),
                   "recommendations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, round, **kwargs):
        self.round = round
        super().__init__(*args, **kwargs)

    def unit_queryset(self, scope):
        host = self.round.unit
        return (units_for(scope).filter(path__startswith=host.path,
                                        depth__lte=host.depth + 2)
                .exclude(pk=host.pk).order_by("depth", "path"))

    def phase_of(self):
        return self.round.phase

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit and self.round.visits.filter(unit=unit).exclude(pk=self.instance.pk).exists():
            self.add_error("unit", _("This unit is already in the round."))
        if data.get("status") == "closed" and not data.get("closed_on"):
            self.add_error("closed_on", _("Give the date the follow-up was closed."))
        return data


class PressForm(ActivityForm):
    model_code = forms.CharField(label=_("Code of the model it is about"), required=False,
                                 max_length=64)

    class Meta:
        model = PressEntry
        fields = ["phase", "unit", "title", "author", "outlet", "genre", "year",
                  "national_eligible", "national_finalist", "provincial_prize"]

    unit_queryset = staticmethod(lambda scope: units_for(scope).filter(
        depth__lte=(scope.root().depth + 1) if scope.root() else 0).order_by("depth", "path"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.initiative_id:
            self.initial["model_code"] = self.instance.initiative.code

    def clean_model_code(self):
        code = self.cleaned_data.get("model_code", "").strip()
        if not code:
            return None
        found = Initiative.objects.within(self.scope).filter(code=code).first()
        if found is None:
            raise forms.ValidationError(_("No model with this code in your units."))
        return found

    def save(self, commit=True):
        self.instance.initiative = self.cleaned_data.get("model_code")
        return super().save(commit)


class ReviewForm(ActivityForm):
    class Meta:
        model = Review
        fields = ["phase", "unit", "kind", "planned_date", "held_on", "held_as", "report",
                  "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_report(self):
        return _file(self, "report")

    def clean(self):
        data = super().clean()
        if data.get("held_as") and not data.get("held_on"):
            self.add_error("held_on", _("Give the date it was held or reported."))
        unit, phase, kind = data.get("unit"), self.phase_of(), data.get("kind")
        if unit and phase and kind and Review.objects.unscoped("one review per unit").filter(
                phase=phase, unit=unit, kind=kind).exclude(pk=self.instance.pk).exists():
            self.add_error("kind", _("This unit already has this review in the phase."))
        return data


__all__ = ["TrainingForm", "RoundForm", "VisitForm", "PressForm", "ReviewForm", "Unit"]


class BudgetForm(ActivityForm):
    class Meta:
        model = BudgetLine
        fields = ["phase", "unit", "kind", "date", "amount", "purpose", "document_ref"]


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} – {obj.position}" if obj.position else obj.full_name


class AssignForm(forms.Form):
    member = MemberChoice(queryset=None, label=_("Committee member who follows the model"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class FollowUpVisitForm(forms.ModelForm):
    """A visit to a registered model: the date lies in the registration's phase."""

    class Meta:
        model = FollowUpVisit
        fields = ["date", "member", "visitor", "on_site", "findings", "guidance", "next_step"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3}),
                   "guidance": forms.Textarea(attrs={"rows": 3}),
                   "next_step": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, registration, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.fields["member"] = MemberChoice(queryset=members, required=False,
                                             label=_("Committee member"))
        self.fields["visitor"].required = False
        self.fields["date"].widget = DateInput()
        self.fields["date"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def clean(self):
        data = super().clean()
        day, phase = data.get("date"), self.registration.phase
        if day and day.year not in phase.years:
            self.add_error("date", _("This date is outside phase %(phase)s.")
                           % {"phase": phase.code})
        if not data.get("visitor"):
            if data.get("member"):
                data["visitor"] = data["member"].full_name
            else:
                self.add_error("visitor", _("Say who visited (or choose the member)."))
        return data
