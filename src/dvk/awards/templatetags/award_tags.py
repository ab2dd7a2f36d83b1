"""{% load award_tags %}{% award_history obj %}: the awards of a model (a registration or an
initiative) or of a unit, as the request's scope sees them; {% review_awards review %}: the
awards given at a review (sơ kết, tổng kết). Pages of the apps below or beside awards (the
registration, model and review pages) show them without importing this app."""
from django import template

from dvk.orgs.models import Unit

from ..queries import award_history as history_of
from ..queries import review_awards as awards_at

register = template.Library()


@register.inclusion_tag("awards/_history.html", takes_context=True)
def award_history(context, obj):
    scope = context.get("scope") or getattr(context.get("request"), "scope", None)
    history = history_of(scope, obj) if scope is not None and obj is not None else []
    return {"history": history, "show_model": isinstance(obj, Unit)}


def _scope(context):
    return context.get("scope") or getattr(context.get("request"), "scope", None)


@register.inclusion_tag("awards/_review_awards.html", takes_context=True)
def review_awards(context, review):
    scope = _scope(context)
    awards = list(awards_at(scope, review)) if scope is not None and review is not None else []
    return {"awards": awards, "total": sum(a.amount or 0 for a in awards), "review": review}
