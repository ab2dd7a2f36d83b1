"""The system administrator's screen for the document profiles (/mau-van-ban/): the profile
in force of each kind of document with a preview of its header block, its versions, a new
version or a correction (previewed before it is saved), and a sample page in Word or PDF."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dvk.common.rules import check
from dvk.orgs.models import Unit
from dvk.reports.models import DocumentProfile
from dvk.reports.profiles import CODES, get_profile

from . import profiles
from .official import official_docx
from .pdf import ConversionError, docx_to_pdf
from .profile_forms import ProfileForm
from .views import _download

TITLES = {
    "party-report": "Báo cáo của cấp ủy (Hướng dẫn 36-HD/VPTW)",
    "party-decision": "Quyết định của Ban Chỉ đạo (công nhận mô hình)",
    "party-award-decision": "Quyết định khen thưởng của cấp ủy (giấy khen)",
    "proposal": "Tờ trình đề nghị khen thưởng của Ban Chỉ đạo",
    "state-decision": "Quyết định của Ủy ban nhân dân (Nghị định 30/2020)",
}


def _code(code):
    if code not in CODES:
        raise Http404
    return code


def _root(scope, unit=None):
    return unit or scope.root() or Unit.objects.filter(parent__isnull=True).order_by("path").first()


@login_required
def profile_list(request):
    check("documents.profile.edit", request.scope)
    today = timezone.localdate()
    rows = list(DocumentProfile.objects.select_related("unit").order_by("code", "-valid_from",
                                                                         "-version"))
    root = _root(request.scope)
    kinds = []
    for code in CODES:
        profile = get_profile(code, on=today)
        kinds.append({"code": code, "title": TITLES[code], "profile": profile,
                      "preview": profiles.preview(profile, unit=root, day=today),
                      "rows": [r for r in rows if r.code == code]})
    return render(request, "documents/profiles.html", {"kinds": kinds, "today": today})


def _form_page(request, code, row=None):
    scope = request.scope
    today = timezone.localdate()
    if row is None:
        base = get_profile(code, on=today)
        initial = {"valid_from": today, **profiles.form_values(base)}
    else:
        base = profiles.with_values(profiles.defaults(code), row.overrides)
        initial = {"valid_from": row.valid_from, "note": row.note,
                   "unit": row.unit.code if row.unit else "", **profiles.form_values(base)}
    form = ProfileForm(request.POST or None, initial=initial)
    shown = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        overrides = profiles.overrides_from(code, d, keep=row.overrides if row else None)
        if "save" in request.POST:
            saved = profiles.save_profile(scope=scope, code=code, valid_from=d["valid_from"],
                                          unit=d["unit"], note=d["note"].strip(),
                                          overrides=overrides, row=row)
            messages.success(request, _("Profile %(code)s version %(version)d saved: documents "
                                        "dated from %(day)s use it.")
                             % {"code": code, "version": saved.version,
                                "day": saved.valid_from.strftime("%d/%m/%Y")})
            return redirect("profiles:list")
        shown = profiles.preview(profiles.with_values(profiles.defaults(code), overrides),
                                 unit=_root(scope, d["unit"]), day=d["valid_from"])
    if shown is None:
        shown = profiles.preview(base, unit=_root(scope), day=initial["valid_from"])
    return render(request, "documents/profile_form.html", {
        "form": form, "code": code, "title": TITLES[code], "row": row, "preview": shown})


@login_required
def profile_new(request, code):
    check("documents.profile.edit", request.scope)
    return _form_page(request, _code(code))


@login_required
def profile_edit(request, profile_id):
    check("documents.profile.edit", request.scope)
    row = get_object_or_404(DocumentProfile.objects.select_related("unit"), pk=profile_id)
    return _form_page(request, _code(row.code), row)


@login_required
@require_GET
def profile_sample(request, code, fmt):
    """One sample page of the profile in force on ?on=dd/mm/yyyy (default today)."""
    check("documents.profile.edit", request.scope)
    code = _code(code)
    try:
        day = dt.datetime.strptime(request.GET.get("on", ""), "%d/%m/%Y").date()
    except ValueError:
        day = timezone.localdate()
    profile = get_profile(code, on=day)
    content = official_docx(profiles.sample_document(profile, unit=_root(request.scope),
                                                     day=day))
    name = f"mau-{code}-{day:%Y%m%d}"
    if fmt == "docx":
        return _download(content, f"{name}.docx")
    try:
        return _download(docx_to_pdf(content), f"{name}.pdf")
    except ConversionError as exc:
        messages.error(request, exc.message)
        return redirect("profiles:list")
