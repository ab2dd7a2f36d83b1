"""{% load award_tags %}{% award_history obj %}: the awards of a model (a registration or an
initiative) or of a unit, as the request's scope sees them. Pages of the apps below awards
(the registration and model pages) show the history without importing this app."""
from django import template

from dvk.orgs.models import Unit

from ..queries import award_history as history_of

register = template.Library()


@register.inclusion_tag("awards/_history.html", takes_context=True)
def award_history(context, obj):
    scope = context.get("scope") or getattr(context.get("request"), "scope", None)
    history = history_of(scope, obj) if scope is not None and obj is not None else []
    return {"history": history, "show_model": isinstance(obj, Unit)}
