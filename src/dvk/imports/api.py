"""The import API: a registrations file becomes a background job (GET /jobs/{id})."""
from ninja import File, Form, Router, Status, UploadedFile
from ninja.errors import HttpError

from dvk.common.jobs import JobOut, job_out
from dvk.common.rules import check
from dvk.initiatives.api import ERRORS

from .forms import ImportForm
from .jobs import start_import

router = Router(tags=["registrations"])


@router.post("/imports/registrations", response={202: JobOut, **ERRORS})
def import_registrations(request, phase: Form[str], file: File[UploadedFile]):
    """Import a registrations file (CONTRACTS §4: .xlsx or UTF-8 .csv) into a phase, as a
    background job limited to the caller's subtree; all or nothing. Follow it at
    GET /jobs/{id}. Secretariat only."""
    check("registrations.import", request.scope)
    form = ImportForm({"phase": phase}, {"file": file})
    if not form.is_valid():
        raise HttpError(400, " ".join(f"{form[name].label}: {error}"
                                      for name, errors in form.errors.items()
                                      for error in errors))
    return Status(202, job_out(start_import(request, form.cleaned_data["phase"],
                                            form.cleaned_data["file"])))
