"""The upload forms of the imports: registrations, structure changes."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dvk.phases.models import Phase

MAX_IMPORT = 100 * 1024 * 1024  # a million rows of Mẫu 2 as .xlsx is ~60 MB


def check_upload(f):
    """An uploaded .xlsx or UTF-8 .csv, judged by its content, not its name."""
    name = (f.name or "").lower()
    if f.size > MAX_IMPORT:
        raise forms.ValidationError(_("The file is larger than 100 MB."))
    head = f.read(4096)
    f.seek(0)
    # .xlsx is a ZIP; .csv must be UTF-8 text.
    if name.endswith(".xlsx") and head.startswith(b"PK\x03\x04"):
        return f
    if name.endswith(".csv") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not merely a character cut at 4096 bytes
                raise forms.ValidationError(
                    _("The CSV file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."))
        return f
    raise forms.ValidationError(_("Only .xlsx (Excel) and UTF-8 .csv files can be imported."))


class ImportForm(forms.Form):
    """A registrations file (CONTRACTS §4) to import into a phase."""

    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.order_by("-start_year"),
                                   to_field_name="code", empty_label=None)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class StructureFileForm(forms.Form):
    """A structure changes file (CONTRACTS §6)."""

    file = forms.FileField(label=_("Structure changes file (.xlsx or .csv)"))

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class UsersFileForm(forms.Form):
    """A users file (CONTRACTS §8)."""

    file = forms.FileField(label=_("Users file (.xlsx or .csv)"))

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])
