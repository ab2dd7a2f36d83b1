"""The screens every activity module shares: a list with filters, a detail page, a form
(new and edit), and a file download. A `Module` says what differs: the model's
visibility function, its form, its columns and facts, its filters.

Views find their object in scope first (404 outside the subtree), then ask the rule
book (`activities.record`, 403 inside it); services.save_form writes the history."""
from __future__ import annotations

from dvk.common.text import small_int

from dataclasses import dataclass, field
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dvk.common.history import history_of
from dvk.common.rules import allowed, check
from dvk.common.text import fold
from dvk.orgs.scope import get_or_404
from dvk.phases.models import Phase
from dvk.phases.queries import current_phase

from .. import services

PAGE_SIZE = 50
# What a history entry's action says on the page (the codes stay in the log).
ACTIONS = {"created": "Tạo mới", "changed": "Sửa", "import_update": "Cập nhật khi nhập tệp",
           "import": "Nhập từ tệp"}


def action_label(action: str) -> str:
    return ACTIONS.get(action.rsplit(".", 1)[-1], action)


@dataclass
class Filter:
    name: str  # the GET parameter
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    lookup: str  # the queryset lookup the value goes to


@dataclass
class Module:
    key: str  # url names: activities:<key>s, <key>, <key>_new, <key>_edit
    title: str  # the list's heading
    new_label: str
    kwarg: str  # the id's name in URLs ("training_id")
    queryset: Callable  # (scope) -> QuerySet: the visibility function
    form: type
    columns: list[tuple[str, Callable]]  # (heading, obj -> value) for the list
    facts: list[tuple[str, Callable]]  # (label, obj -> value) for the detail page
    search: tuple[str, ...] = ()  # fields the search box looks in
    filters: list[Filter] = field(default_factory=list)
    date_field: str = "date"
    detail_template: str = "activities/detail.html"
    file_field: str = ""  # an attachment downloadable from the detail page
    extra: Callable | None = None  # (request, obj) -> extra context of the detail page
    list_extra: Callable | None = None  # (request, qs, params) -> extra context of the list
    flags: Callable = staticmethod(lambda obj: [])  # obj -> data-problem warnings (flags.py)
    slug: str = ""  # the export's file name stem
    export_rows: Callable | None = None  # (scope, filtered qs) -> rows of the export

    @property
    def list_url(self) -> str:
        return self.url("list")

    def url(self, name, obj=None):
        suffix = {"list": "s", "detail": "", "new": "_new", "edit": "_edit",
                  "file": "_file", "export": "_export"}[name]
        kwargs = {self.kwarg: obj.pk} if obj is not None else {}
        return reverse(f"activities:{self.key}{suffix}", kwargs=kwargs)


def phases():
    return [(p.code, p.code) for p in Phase.objects.order_by("-start_year")]


def _filtered(request, module: Module, qs):
    params = {"phase": request.GET.get("phase", ""), "year": request.GET.get("year", ""),
              "q": request.GET.get("q", "").strip()}
    if params["phase"]:
        qs = qs.filter(phase__code=params["phase"])
    if (year := small_int(params["year"])) is not None:
        qs = qs.filter(year=year)
    if params["q"] and module.search:
        from django.db.models import Q

        q = Q()
        for name in module.search:
            q |= Q(**{f"{name}__icontains": params["q"]})
            if name.endswith("_key"):
                q |= Q(**{f"{name}__contains": fold(params["q"])})
        qs = qs.filter(q)
    for f in module.filters:
        value = request.GET.get(f.name, "")
        params[f.name] = value
        if value and value in dict(f.choices()):
            qs = qs.filter(**{f.lookup: value})
    return qs, params


def list_view(module: Module):
    @login_required
    def view(request):
        scope = request.scope
        qs, params = _filtered(request, module, module.queryset(scope))
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [{"obj": o, "url": module.url("detail", o), "flags": module.flags(o),
                 "cells": [fn(o) for _h, fn in module.columns]} for o in page.object_list]
        context = {"module": module, "page_obj": page, "rows": rows, "params": params,
                   "phases": phases(), "total": qs.count(),
                   "filters": [(f, f.choices()) for f in module.filters],
                   "can_record": allowed("activities.record", scope),
                   "new_url": module.url("new"), "query": request.GET.urlencode(),
                   "export_url": module.url("export"),
                   "flagged": sum(1 for r in rows if r["flags"])}
        if module.list_extra:
            context.update(module.list_extra(request, qs, params))
        return render(request, "activities/list.html", context)
    return view


def find(request, module: Module, pk):
    return get_or_404(module.queryset(request.scope), pk=pk)


def detail_view(module: Module):
    @login_required
    def view(request, **kwargs):
        obj = find(request, module, kwargs[module.kwarg])
        context = {"module": module, "obj": obj, "flags": module.flags(obj),
                   "facts": [(label, fn(obj)) for label, fn in module.facts],
                   "can_record": allowed("activities.record", request.scope, obj),
                   "edit_url": module.url("edit", obj),
                   "file_url": module.url("file", obj) if module.file_field
                   and getattr(obj, module.file_field) else "",
                   "history": [(e, action_label(e.action)) for e in history_of(obj)[:20]]}
        if module.extra:
            context.update(module.extra(request, obj))
        return render(request, module.detail_template, context)
    return view


def _form_page(request, module: Module, form, obj, *, cancel, save=None):
    if request.method == "POST" and form.is_valid():
        saved = (save or (lambda f: services.save_form(f, scope=request.scope,
                                                       action=module.key)))(form)
        messages.success(request, _("Saved."))
        return redirect(module.url("detail", saved))
    return render(request, "activities/form.html", {"module": module, "form": form,
                                                    "obj": obj, "cancel": cancel})


def new_view(module: Module):
    @login_required
    def view(request):
        scope = request.scope
        check("activities.record", scope)
        phase = current_phase()
        initial = {"phase": phase, "unit": scope.root()} if phase else {}
        form = module.form(request.POST or None, request.FILES or None, scope=scope,
                           initial=initial)
        return _form_page(request, module, form, None, cancel=module.url("list"))
    return view


def edit_view(module: Module):
    @login_required
    def view(request, **kwargs):
        obj = find(request, module, kwargs[module.kwarg])
        check("activities.record", request.scope, obj)
        form = module.form(request.POST or None, request.FILES or None, scope=request.scope,
                           instance=obj)
        return _form_page(request, module, form, obj, cancel=module.url("detail", obj))
    return view


def file_view(module: Module):
    @login_required
    def view(request, **kwargs):
        obj = find(request, module, kwargs[module.kwarg])
        f = getattr(obj, module.file_field)
        if not f:
            raise Http404
        try:
            handle = f.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=f.name.rsplit("/", 1)[-1])
    return view


def export_view(module: Module):
    """The list as XLSX or CSV (?fmt=csv): same scope and filters as the page, every row."""
    from .. import exports

    @login_required
    def view(request):
        qs, _params = _filtered(request, module, module.queryset(request.scope))
        rows = module.export_rows(request.scope, qs) if module.export_rows else qs
        rows = rows[:exports.MAX_ROWS].iterator(chunk_size=2000)
        key = "visit" if module.key == "round" else module.key
        return exports.response(key, rows, request.GET.get("fmt", "xlsx"), module.slug)
    return view
