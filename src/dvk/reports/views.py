"""Dashboard, reports index, list exports and background-job progress. Views stay thin:
the figures come from dashboard.py / summary.py, files from exports.py."""
from __future__ import annotations

from dvk.common.text import small_int

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dvk.common.jobs import start_job
from dvk.common.models import BackgroundJob
from dvk.common.rules import check
from dvk.orgs.enums import UnitKind
from dvk.orgs.scope import get_or_404, unit_for, units_for, within
from dvk.common.jobs import jobs_for
from dvk.initiatives.queries import registrations_for
from dvk.phases.models import Phase

from . import dashboard as dash
from . import exports
from .summary import AS_LISTED

# --- shared pickers ------------------------------------------------------------------------

def _stats_scope(request):
    """The acting scope of a leader or secretariat member (403 for other roles)."""
    scope = request.scope
    check("reports.view", scope)  # the same rule as GET /api/v1/summary
    if scope.root() is None:
        raise Http404
    return scope


def _picked(request, scope):
    """(phase, unit, year) from the querystring; unit outside the scope → 404."""
    code = request.GET.get("unit")
    unit = unit_for(scope, code) if code else scope.root()
    phase_code = request.GET.get("phase")
    if phase_code:
        phase = get_or_404(Phase.objects.all(), code=phase_code)
    else:
        phase = dash.default_phase(scope)
        if phase is None:
            raise Http404
    year = request.GET.get("year") or ""
    year = small_int(year) if small_int(year) in phase.years else None
    return phase, unit, year


STRUCTURE_CHOICES = [("time", gettext_lazy("Structure of the time")),
                     ("today", gettext_lazy("Today's structure"))]
# The dashboard links each figure to the registrations list: by default it counts as the
# list does (today's tree, retired units where they sit), and offers the other two.
DASHBOARD_STRUCTURES = [(AS_LISTED, gettext_lazy("As the registrations list counts")),
                        *STRUCTURE_CHOICES]


def _structure(request, default: str, choices=STRUCTURE_CHOICES) -> str:
    chosen = request.GET.get("structure")
    return chosen if chosen in dict(choices) else default


def _unit_choices(scope, unit):
    """The picker: the scope's root, units down to district level, and the chosen unit."""
    root = scope.root()
    qs = units_for(scope).filter(depth__lte=root.depth + 1).exclude(
        kind__in=(UnitKind.GRASSROOTS, UnitKind.BELOW)) | units_for(scope).filter(pk=unit.pk)
    return list(qs.distinct().order_by("depth", "sort_key").only("code", "name", "depth"))


# --- dashboard -----------------------------------------------------------------------------

def _chart_block(rows, link):
    return {"labels": [r["label"] for r in rows],
            "registered": [r["registered"] for r in rows],
            "recognized": [r["recognized"] for r in rows],
            "links": [link(r) for r in rows]}


@login_required
def dashboard(request):
    scope = _stats_scope(request)
    phase, unit, year = _picked(request, scope)
    structure = _structure(request, AS_LISTED, DASHBOARD_STRUCTURES)
    figs = dash.figures(scope, phase, unit, year, structure=structure)
    common = {"phase": phase.code, "year": year or "", "unit": unit.code}

    def url(**params):
        return dash.registrations_url(**{**common, **params})

    for row in figs.levels:
        row["url"] = url(level=row["level_id"])
        row["url_recognized"] = url(level=row["level_id"], state="recognized")
    for row in figs.by_field:
        row["url"] = url(field=row["key"])
    for row in figs.by_sector:
        row["url"] = url(sector=row["key"] or "")
    for row in figs.by_unit:
        row["url"] = url(unit=row["code"])
        row["dashboard_url"] = (f"?phase={phase.code}&unit={row['code']}&structure={structure}"
                                + (f"&year={year}" if year else ""))
    for row in figs.trend:
        row["url"] = url(year=row["year"])
    level_rows = [{"label": r["level"], **r} for r in figs.levels]
    trend_rows = [{"label": str(r["year"]), **r} for r in figs.trend]
    charts = {
        "labels": {"registered": _("Registered"), "recognized": _("Recognised")},
        "levels": _chart_block(level_rows, lambda r: r["url"]),
        "trend": _chart_block(trend_rows, lambda r: r["url"]),
        "field": _chart_block(figs.by_field, lambda r: r["url"]),
        "sector": _chart_block(figs.by_sector, lambda r: r["url"]),
        "unit": _chart_block(figs.by_unit, lambda r: r["url"]),
    }
    export_query = f"phase={phase.code}&unit={unit.code}" + (f"&year={year}" if year else "")
    return render(request, "reports/dashboard.html", {
        "figs": figs, "phase": phase, "unit": unit, "year": year,
        "structure": structure, "structures": DASHBOARD_STRUCTURES,
        "phases": Phase.objects.order_by("-start_year"),
        "units": _unit_choices(scope, unit),
        "charts": charts, "export_query": export_query,
        "registrations_url": url(), "chart_js": _chart_js_url(),
    })


@login_required
def dashboard_checks(request):
    """The dashboard's checks (units behind the calendar, data problems) for the same
    picks: fetched by htmx once the figures are on screen, or a page of its own. They scan
    more than the figures do, so they never hold the figures back."""
    scope = _stats_scope(request)
    phase, unit, year = _picked(request, scope)
    context = {"phase": phase, "unit": unit, "year": year, "cap": dash.PROBLEM_CAP,
               "problems": dash.data_problems(scope, phase, unit, year),
               "lagging": dash.lagging(scope, phase, unit, year)}
    template = ("reports/_dashboard_checks.html" if request.htmx
                else "reports/dashboard_checks.html")
    return render(request, template, context)


def _chart_js_url() -> str | None:
    """Chart.js when `make assets` installed it; without it the page shows tables only."""
    from django.templatetags.static import static

    try:
        return static("vendor/chart.umd.min.js")
    except ValueError:  # not in the manifest (collectstatic ran without it)
        return None


# --- budget per unit --------------------------------------------------------------------------

@login_required
def budget(request):
    """Allocations, spending and award money per unit of the chosen unit's subtree."""
    from .budget import budget_by_unit

    scope = _stats_scope(request)
    phase, unit, year = _picked(request, scope)
    rows, total = budget_by_unit(scope, phase, unit, year)
    return render(request, "reports/budget.html", {
        "phase": phase, "unit": unit, "year": year, "rows": rows, "total": total,
        "phases": Phase.objects.order_by("-start_year"), "units": _unit_choices(scope, unit)})


# --- reports index and documents -----------------------------------------------------------

@login_required
def index(request):
    scope = _stats_scope(request)
    phase, unit, year = _picked(request, scope)
    structure = _structure(request, "time")
    return render(request, "reports/index.html", {
        "phase": phase, "unit": unit, "year": year, "structure": structure,
        "phases": Phase.objects.order_by("-start_year"),
        "units": _unit_choices(scope, unit),
        "structures": STRUCTURE_CHOICES,
        "jobs": list(jobs_for(scope).select_related("unit")[:10]),
        "sync_limit": exports.sync_limit(),
        "query": f"phase={phase.code}&unit={unit.code}&structure={structure}"
                 + (f"&year={year}" if year else ""),
    })


@login_required
def download_report(request, kind):
    """Summary JSON and appendices download at once; the phase report (and anything with
    async=1, or a scope above the export limit) is rendered as a background job."""
    scope = _stats_scope(request)
    if kind not in exports.DOCUMENTS:
        raise Http404
    phase, unit, year = _picked(request, scope)
    structure = _structure(request, "time")
    large = request.GET.get("async") == "1" or kind == "phase_report_docx" or (
        within(registrations_for(scope), unit).filter(phase=phase).count()
        > exports.sync_limit() and kind != "summary_json")
    if large:
        from .tasks import render_report

        titles = {"summary_json": _("Summary (JSON)"), "appendix_xlsx": _("Appendix (Excel)"),
                  "appendix_docx": _("Appendix (Word)"),
                  "phase_report_docx": _("Phase report (Word)")}
        return start_job(request, kind="report", unit=unit, task=render_report,
                          title=f"{titles[kind]} · {phase.code} · {unit.name}",
                          params={"document": kind, "phase": phase.code, "unit": unit.code,
                                  "year": year, "structure": structure})
    try:
        content, name = exports.render_document(kind, phase, unit, year=year,
                                                structure=structure)
    except ImportError:
        messages.error(request, _("This document is not available yet."))
        return redirect(f"{reverse('reports:index')}?phase={phase.code}&unit={unit.code}")
    types = {"json": "application/json; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    response = HttpResponse(content, content_type=types[name.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- list exports --------------------------------------------------------------------------

def _export(request, kind):
    scope = request.scope
    check("reports.view", scope)  # the exports are the report screens' data
    if scope.root() is None:
        raise Http404
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exports.FORMATS:
        fmt = "xlsx"
    params = request.GET.copy()
    for key in ("format", "async", "page"):
        params.pop(key, None)
    export = exports.build(kind, scope, params)
    if request.GET.get("async") == "1" or export.count() > exports.sync_limit():
        from .tasks import export_list

        unit = unit_for(scope, params["unit"]) if params.get("unit") else scope.root()
        return start_job(request, kind="export", unit=unit, task=export_list,
                          title=f"{export.title} ({fmt.upper()})",
                          params={"export": kind, "format": fmt, "query": params.urlencode()})
    if fmt == "csv":
        response = StreamingHttpResponse(exports.iter_bytes(exports.csv_chunks(export)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export.filename("csv")}"'
        return response
    return FileResponse(exports.xlsx_file(export), as_attachment=True,
                        filename=export.filename("xlsx"))


@login_required
def export_registrations(request):
    return _export(request, "registrations")


@login_required
def export_units(request):
    return _export(request, "units")


@login_required
def export_awards(request):
    return _export(request, "awards")


# --- job progress --------------------------------------------------------------------------

@login_required
def job(request, job_id):
    """The progress page; htmx polls the #job-progress partial every second until done."""
    obj = get_or_404(jobs_for(request.scope), pk=job_id)
    # The menu marks the section the job was started from (an import, a report…).
    request.nav_path = obj.params.get("page")
    template = "reports/job.html#progress" if request.htmx else "reports/job.html"
    return render(request, template, {"job": obj})


@login_required
def job_download(request, job_id):
    obj = get_or_404(jobs_for(request.scope), pk=job_id)
    if obj.status != BackgroundJob.Status.DONE or not obj.result_file:
        raise Http404
    return FileResponse(obj.result_file.open("rb"), as_attachment=True,
                        filename=obj.result_name or obj.result_file.name.rsplit("/", 1)[-1])
