"""Forms of the annual cycle. They validate input only; the rules live in services/workflow."""
from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from dvk.orgs.models import Sector
from dvk.phases.models import Level, Phase

from .enums import RUBRIC, RUBRIC_MAX, Conclusion, InitiativeKind
from .models import Field, Initiative, RegistrationTarget

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class InitiativeForm(forms.Form):
    """The model's own fields (form 1, part I)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InitiativeKind.choices,
                             initial=InitiativeKind.COLLECTIVE)
    title = forms.CharField(label=_("Name of the model"), max_length=500)
    subject = forms.CharField(label=_("Carried by"), max_length=255, required=False,
                              help_text=_("The collective or person who carries the model"))
    person_name = forms.CharField(label=_("Person's name"), max_length=255, required=False)
    person_position = forms.CharField(label=_("Person's position"), max_length=255,
                                      required=False)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(),
                                    required=False,
                                    help_text=_("Empty: the unit's sector"))
    description = forms.CharField(label=_("Content and measures"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    start_year = forms.IntegerField(label=_("Start year"), required=False, min_value=1990,
                                    max_value=2100)
    replicates = forms.ModelChoiceField(
        label=_("Replicates model"), required=False, queryset=Initiative.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("The replicated model cannot be chosen: only a "
                                            "model of your own unit or a recognised model "
                                            "can be replicated.")})

    MODEL_FIELDS = ("kind", "title", "subject", "person_name", "person_position", "field",
                    "sector", "description", "start_year", "replicates")

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        # Only what the replication picker may offer (queries.findable_models); without a
        # scope nothing. A model already linked stays valid, so an edit never trips on it.
        if scope is not None:
            from .queries import findable_models

            choices = findable_models(scope)
            linked = getattr(self.initial.get("replicates"), "pk", None)
            if linked:
                choices = choices | Initiative.objects.unscoped(
                    "the model an edit already names stays valid").filter(pk=linked)
            self.fields["replicates"].queryset = choices

    @classmethod
    def initial_for(cls, initiative: Initiative) -> dict:
        return {name: getattr(initiative, name) for name in cls.MODEL_FIELDS}

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.MODEL_FIELDS}

    def clean(self):
        data = super().clean()
        if data.get("kind") == InitiativeKind.INDIVIDUAL and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("An exemplar needs the person's name."))
        return data


class EditForm(InitiativeForm):
    """Correcting a registration: the version the page was opened at travels with the form,
    so a correction made meanwhile by someone else is not silently overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**62)


class RegisterForm(InitiativeForm):
    """An initiative and its registration at a level in a year, in one page."""

    # One token per rendered form: sending the same form twice creates one registration.
    request_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    unit = forms.ModelChoiceField(label=_("Unit / organisation"), queryset=None)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.all())
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.select_related("phase"))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    exceptional = forms.BooleanField(label=_("Exceptional registration (outside the plan)"),
                                     required=False)
    exceptional_reason = forms.CharField(label=_("Reason for the exceptional registration"),
                                         required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, phase=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        # New registrations go into the current phase, at one of its own levels.
        if phase is not None:
            self.fields["phase"].queryset = Phase.objects.filter(pk=phase.pk)
            self.fields["phase"].empty_label = None
            self.fields["level"].queryset = phase.ordered_levels()
            self.fields["level"].label_from_instance = lambda lv: lv.name
        else:
            self.fields["level"].label_from_instance = lambda lv: f"{lv.name} ({lv.phase.code})"

    def clean(self):
        data = super().clean()
        phase, level, year = data.get("phase"), data.get("level"), data.get("year")
        if phase and level and level.phase_id != phase.pk:
            self.add_error("level", _("This level does not belong to the chosen phase."))
        if phase and year and not (phase.start_year <= year <= phase.end_year):
            self.add_error("year", _("The year must be within the phase %(phase)s.")
                           % {"phase": phase.code})
        if data.get("exceptional") and not (data.get("exceptional_reason") or "").strip():
            self.add_error("exceptional_reason",
                           _("Give the reason for an exceptional registration."))
        return data


class TargetForm(forms.Form):
    criterion = forms.CharField(label=_("Criterion"), max_length=500)
    baseline = forms.CharField(label=_("Baseline"), max_length=100, required=False)
    target = forms.CharField(label=_("Target"), max_length=100)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=64, required=False)


class BaseTargetFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Register at least one measurable target."))

    def targets(self) -> list[dict]:
        return [{k: f.cleaned_data.get(k, "") for k in RegistrationTarget.REGISTERED}
                for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


TargetFormSet = formset_factory(TargetForm, formset=BaseTargetFormSet, extra=3, max_num=20,
                                can_delete=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What the unit must correct"),
                              widget=forms.Textarea(attrs={"rows": 2}))


class AchievementForm(forms.Form):
    """Result per target + narrative + certification; one result field per target."""

    narrative = forms.CharField(label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 5}))
    certifier_name = forms.CharField(label=_("Certified by (name)"), max_length=255)
    certifier_position = forms.CharField(label=_("Certifier's position"), max_length=255,
                                         help_text=_("Secretary of the Party committee or head of the unit"))
    certified_on = forms.DateField(label=_("Certified on"), widget=DATE_WIDGET,
                                   input_formats=DATE_FORMATS)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for t in self.targets:
            self.fields[f"result_{t.pk}"] = forms.CharField(
                label=t.criterion, max_length=100, initial=t.result,
                help_text=_("Target: %(target)s %(unit)s") % {"target": t.target,
                                                              "unit": t.unit_of_measure})

    def target_fields(self):
        return [(t, self[f"result_{t.pk}"]) for t in self.targets]

    def results(self) -> dict:
        return {t.pk: self.cleaned_data[f"result_{t.pk}"] for t in self.targets}


class AssignForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Appraisal team"), queryset=None)
    appraiser = forms.ModelChoiceField(label=_("Appraiser"), queryset=None)

    def __init__(self, *args, teams, appraisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["appraiser"].queryset = appraisers
        self.fields["appraiser"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.username})")


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=64,
                                      help_text=_("e.g. 12-QĐ/BCĐ"))
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET,
                                    input_formats=DATE_FORMATS)
    signer = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    # Nothing chosen beforehand: the secretariat states the outcome every time.
    recognized = forms.TypedChoiceField(
        label=_("Outcome"), coerce=lambda v: v == "1",
        choices=[("1", _("Recognised")), ("0", _("Not recognised"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose recognised or not recognised.")})


class AppraisalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**62)
    comments = forms.CharField(label=_("Comments and guidance"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    site_visit_date = forms.DateField(label=_("Site visit"), required=False, widget=DATE_WIDGET,
                                      input_formats=DATE_FORMATS)
    conclusion = forms.ChoiceField(label=_("Conclusion"), required=False,
                                   choices=[("", "—")] + list(Conclusion.choices))

    RUBRIC_LABELS = {
        "effectiveness": _("Practical effectiveness"),
        "replicability": _("Spread and replicability"),
        "participation": _("People's support and participation"),
        "creativity": _("Creativity"),
        "difficulty": _("Solves a pressing local problem"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RUBRIC:
            self.fields[name] = forms.IntegerField(
                label=self.RUBRIC_LABELS.get(name, name), min_value=0, max_value=RUBRIC_MAX,
                required=False, widget=forms.NumberInput(attrs={"min": 0, "max": RUBRIC_MAX}))

    def rubric_fields(self):
        return [self[name] for name in RUBRIC]

    def scores(self) -> dict:
        return {n: self.cleaned_data[n] for n in RUBRIC if self.cleaned_data.get(n) is not None}


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why you may not appraise this model impartially"),
                             widget=forms.Textarea(attrs={"rows": 3}))


ALLOWED_UPLOADS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".docx", ".doc"}
MAX_UPLOAD = 20 * 1024 * 1024


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (photo, PDF, Word)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not any(name.endswith(ext) for ext in ALLOWED_UPLOADS):
            raise forms.ValidationError(_("Only photos, PDF and Word files can be attached."))
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return f
