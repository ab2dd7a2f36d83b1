"""What screens share about forms."""
from django.contrib import messages


def form_errors(request, form) -> None:
    """Each error of a form as a message, with its field's label (none for the form's own)."""
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}: {e}" if label else e)
