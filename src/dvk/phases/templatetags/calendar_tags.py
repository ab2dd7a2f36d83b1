"""The unit's calendar on any page: {% load calendar_tags %}

{% deadlines_card scope.unit %} shows the unit's deadlines of the current phase and year
(or {% deadlines_card unit phase year %}), each with its countdown;
{{ deadline|countdown }} → "còn 5 ngày", "hôm nay", "quá hạn 3 ngày".
"""
from django import template
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from dvk.phases.calendar import deadlines_for
from dvk.phases.queries import current_phase, default_year

register = template.Library()


@register.filter
def countdown(deadline) -> str:
    days = deadline.days_left()
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
    return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


@register.filter
def urgency(deadline) -> str:
    """A CSS modifier: overdue, soon (within a week) or later."""
    days = deadline.days_left()
    return "overdue" if days < 0 else "soon" if days <= 7 else "later"


@register.inclusion_tag("phases/_deadlines.html")
def deadlines_card(unit, phase=None, year=None, upcoming_only=False):
    if unit is None:
        return {"deadlines": []}
    phase = phase or current_phase()
    if phase is None:
        return {"deadlines": []}
    year = year or default_year(phase)
    deadlines = deadlines_for(unit, phase, int(year))
    if upcoming_only:
        today = timezone.localdate()
        deadlines = [d for d in deadlines if d.date >= today] or deadlines[-1:]
    return {"deadlines": deadlines, "phase": phase, "year": year, "unit": unit}
