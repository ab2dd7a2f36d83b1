"""The form that makes a personal API token."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.orgs.scope import memberships_of

EXPIRY_CHOICES = [("", _("Never")), ("30", _("After 30 days")), ("90", _("After 90 days")),
                  ("365", _("After one year"))]
WHOLE_SYSTEM = "system"


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the key is for, e.g. “Monthly statistics script”."))
    membership = forms.ChoiceField(label=_("Acts as"))
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)

    def __init__(self, *args, user, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.pk): m for m in memberships_of(user)}
        choices = [(pk, f"{m.get_role_display()} · {m.unit.name}")
                   for pk, m in self.memberships.items()]
        if user.is_superuser:
            choices.append((WHOLE_SYSTEM, _("System administrator (whole system)")))
        self.fields["membership"].choices = choices
        if current is not None and str(current.pk) in self.memberships:
            self.fields["membership"].initial = str(current.pk)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name or any(ord(c) < 32 for c in name):
            raise forms.ValidationError(_("Give the key a name without control characters."))
        return name

    def chosen_membership(self):
        return self.memberships.get(self.cleaned_data["membership"])

    def expires_in_days(self):
        return int(self.cleaned_data["expires"]) if self.cleaned_data.get("expires") else None
