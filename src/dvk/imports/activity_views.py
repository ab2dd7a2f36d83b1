"""The activities import screen (/hoat-dong/nhap/): a training, inspections or press file
(CONTRACTS §7) imported as a background job with progress, like the registrations import
(jobs.py), and a blank template of each kind to download."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from dvk.activities.importing import KINDS
from dvk.common.jobs import jobs_for
from dvk.common.rules import check

from . import jobs
from .forms import ImportForm

KIND_CHOICES = [("training", _("Training classes")),
                ("inspections", _("Inspections and surveys")),
                ("press", _("Press contest entries"))]
TEMPLATE_NAMES = {"training": "mau-tap-huan.xlsx", "inspections": "mau-kiem-tra-khao-sat.xlsx",
                  "press": "mau-cuoc-thi-bao-chi.xlsx"}
COLUMN_HELP = {
    "Mã đơn vị": _("Code of a unit in your subtree (for press entries: the unit running the "
                   "contest, empty = your unit)"),
    "Ngày": _("dd/mm/yyyy, a date of the phase"),
    "Tên lớp": _("Name of the class"),
    "Đối tượng": _("Who attended"),
    "Số lượt tham dự": _("Whole number ≥ 0"),
    "Mã đợt": _("Rows with the same code are one round"),
    "Mã đơn vị chủ trì": _("The unit whose steering committee holds the round"),
    "Hình thức": _("Kiểm tra or Khảo sát"),
    "Mã đơn vị được kiểm tra": _("The unit visited"),
    "Kết luận": _("Findings and conclusion"),
    "Tên tác phẩm": _("Title of the entry"),
    "Tác giả": _("Author"),
    "Cơ quan báo chí": _("Outlet"),
    "Thể loại": _("Báo in, Báo hình, Báo nói or Báo điện tử"),
    "Năm": _("A year of the phase"),
    "Đủ điều kiện dự thi toàn quốc": _("“x” or “Có”"),
    "Vào chung kết": _("“x” or “Có” (national final)"),
    "Giải cấp tỉnh": _("Empty, or the prize (A, B, C, Khuyến khích…)"),
    "Mã mô hình": _("Code of the model the entry writes about"),
}


class ActivityImportForm(ImportForm):
    kind = forms.ChoiceField(label=_("Data"), choices=KIND_CHOICES)
    field_order = ["kind", "phase", "file"]


@login_required
def import_activities(request):
    scope = request.scope
    check("activities.import", scope)
    unit = scope.root()
    if unit is None:
        raise Http404
    form = ActivityImportForm(request.POST or None, request.FILES or None,
                              initial={"kind": request.GET.get("kind", "training")})
    if request.method == "POST" and form.is_valid():
        job = jobs.start_import(request, form.cleaned_data["phase"], form.cleaned_data["file"],
                                activity=form.cleaned_data["kind"])
        return redirect("reports:job", job_id=job.pk)
    kinds = [{"key": key, "label": label, "file": TEMPLATE_NAMES[key],
              "columns": [(c.name, c.required, COLUMN_HELP.get(c.name, ""))
                          for c in KINDS[key].COLUMNS]} for key, label in KIND_CHOICES]
    return render(request, "imports/import_activities.html", {
        "form": form, "unit": unit, "kinds": kinds,
        "recent": jobs_for(scope).filter(kind=jobs.ACTIVITIES_KIND)[:10]})


@login_required
def blank_template(request):
    """An .xlsx with the header row of the kind asked (?kind=training|inspections|press)."""
    from dvk.common.xlsx import template_response

    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        raise Http404
    return template_response([col.name for col in KINDS[kind].COLUMNS], TEMPLATE_NAMES[kind])
