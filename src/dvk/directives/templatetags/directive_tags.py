"""{% load directive_tags %}{% committee_directives committee %}: on the committee page
(phases, below this app), the areas its members follow and the documents it published, as
the request's scope sees them, without phases importing this app."""
from django import template

from dvk.common.rules import allowed

from ..queries import areas_of, issued_by

register = template.Library()
LATEST = 10


@register.inclusion_tag("directives/_committee.html", takes_context=True)
def committee_directives(context, committee):
    scope = context.get("scope") or getattr(context.get("request"), "scope", None)
    if scope is None or committee is None:
        return {"committee": committee, "followed": [], "directives": []}
    areas = areas_of(scope, committee)
    members = list(committee.members.all()) if areas else []
    return {"committee": committee,
            "followed": [(m.full_name, areas[m.pk]) for m in members if m.pk in areas],
            "directives": list(issued_by(scope, committee)[:LATEST]),
            "can_assign": allowed("committee.assign_areas", scope, committee)}
