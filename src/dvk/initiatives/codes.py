"""Every model has a code ("Mã mô hình", CONTRACTS §4), so exports and re-imports name it.

A file brings its own codes; a model created in the app, or imported without one, gets
`MH-0000123` from its id — unique as ids are, and stable (neither title nor unit changes
it). Should a file have used that very code for another model already, the model gets the
next free `MH-0000123-2`, `-3`…
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Concat, LPad

PREFIX = "MH-"
DIGITS = 7


def code_for(pk: int) -> str:
    return f"{PREFIX}{pk:0{DIGITS}d}"


def code_expression():
    """code_for() in SQL, for set-wise updates (LPad would cut longer ids: they stay whole)."""
    digits = Cast("id", output_field=CharField())
    return Concat(Value(PREFIX), Case(When(id__gte=10 ** DIGITS, then=digits),
                                      default=LPad(digits, DIGITS, Value("0")),
                                      output_field=CharField()), output_field=CharField())


def missing(queryset):
    return queryset.filter(Q(code__isnull=True) | Q(code=""))


def fill_codes(queryset) -> int:
    """Give each model of `queryset` that has no code its own; returns how many. One UPDATE;
    row by row only when a code is already taken (a file used it)."""
    todo = missing(queryset)
    try:
        with transaction.atomic():
            return todo.update(code=code_expression())
    except IntegrityError:
        pass
    model, n = queryset.model, 0
    for pk in todo.values_list("pk", flat=True).order_by("pk").iterator():
        n += assign_code(model, pk)
    return n


def assign_code(model, pk: int) -> int:
    """The first free code of `code_for(pk)`, `-2`, `-3`… for one model (1 if written)."""
    base, suffix = code_for(pk), 1
    while True:
        code = base if suffix == 1 else f"{base}-{suffix}"
        everyone = model.objects.unscoped("codes are unique across the whole tree")
        if not everyone.filter(code=code).exclude(pk=pk).exists():
            return missing(everyone.filter(pk=pk)).update(code=code)
        suffix += 1
