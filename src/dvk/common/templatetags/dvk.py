"""Template filters for numbers and dates as Vietnamese officials write them.

{% load dvk %} then {{ n|vn_int }} → 7.995, {{ rate|vn_percent }} → 83,7%,
{{ date|vndate }} → 05/01/2025, {{ request|querystring_without:"page" }}.
"""
import datetime as dt

from django import template

from dvk.common import formatting

register = template.Library()


@register.filter
def vn_int(value):
    """7995 → "7.995"; empty for None/invalid."""
    try:
        return formatting.vn_int(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def vn_percent(value, digits=1):
    """79.55 → "79,6%"; None → "–"."""
    try:
        return formatting.vn_percent(value, int(digits))
    except (TypeError, ValueError, ArithmeticError):
        return "–"


@register.filter
def vndate(value):
    """A date or datetime → dd/mm/yyyy (datetimes in local time); empty for None."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current querystring with some parameters replaced ("?a=1&page=3").

    A value of None removes the parameter. Used by the pagination partial.
    """
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        from django.http import QueryDict

        params = QueryDict(mutable=True)
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def person_name(user):
    """A user's name as Vietnamese write it: family name first ("Phạm Thị Lan")."""
    if user is None:
        return ""
    # The order itself lives in User.get_full_name (dvk.common.apps).
    return user.get_full_name() or user.username


@register.simple_tag(takes_context=True)
def allowed(context, name, *args):
    """{% allowed "registration.accept" reg as ok %}: the rule book, as the request's scope
    sees it (dvk.common.rules), so a button shows exactly when the action would pass."""
    from dvk.common.rules import allowed as allowed_rule

    scope = context.get("scope") or getattr(context.get("request"), "scope", None)
    return scope is not None and allowed_rule(name, scope, *args)
