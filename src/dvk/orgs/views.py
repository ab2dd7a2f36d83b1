from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .scope import unit_for, units_for


@login_required
def tree(request):
    root = request.scope.root()
    children = units_for(request.scope).filter(parent=root).select_related("sector").vi_ordered() if root else []
    return render(request, "orgs/tree.html", {"root": root, "children": children})


@login_required
def unit_detail(request, unit_code):
    unit = unit_for(request.scope, unit_code)
    children = units_for(request.scope).filter(parent=unit).select_related("sector").vi_ordered()
    return render(request, "orgs/unit_detail.html", {"unit": unit, "children": children})
