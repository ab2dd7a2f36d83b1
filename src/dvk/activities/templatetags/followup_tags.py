"""{% load followup_tags %}{% follow_up reg %}: who follows a registration and the log of
follow-up visits, as the request's scope sees them, with the assign and log forms where the
rule book allows. The registration page (initiatives, below activities) shows it without
importing this app."""
from django import template

from dvk.common.rules import allowed

from .. import services
from ..forms import AssignForm
from ..queries import assignments_for, followup_visits_for

register = template.Library()


@register.inclusion_tag("activities/_follow_up.html", takes_context=True)
def follow_up(context, reg):
    scope = context.get("scope") or getattr(context.get("request"), "scope", None)
    if scope is None or reg is None:
        return {"reg": None}
    assignment = assignments_for(scope).filter(registration=reg).first()
    visits = list(followup_visits_for(scope).filter(registration=reg))
    can_assign = allowed("followup.assign", scope, reg)
    form = None
    if can_assign:
        form = AssignForm(members=services.follow_up_members(reg),
                          initial={"member": assignment.member_id if assignment else None,
                                   "note": assignment.note if assignment else ""})
    return {"reg": reg, "assignment": assignment, "visits": visits,
            "on_site": sum(1 for v in visits if v.on_site),
            "can_assign": can_assign, "assign_form": form,
            "can_log": allowed("followup.log", scope, reg, assignment),
            "csrf_token": context.get("csrf_token")}
