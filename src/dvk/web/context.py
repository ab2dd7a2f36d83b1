"""Navigation shown in the layout: an entry shows when its page's rule allows the scope."""
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from dvk.common.rules import allowed
from dvk.orgs.enums import Role
from dvk.orgs.scope import memberships_of
from dvk.reminders.queries import unread_count

# (url name, label, the rule its page checks; "" = everyone signed in)
# Sections not installed yet are skipped (their url name does not reverse).
NAV = [
    ("home", _("Home"), ""),
    ("initiatives:registrations", _("Registrations"), ""),
    ("initiatives:queue", _("Queues"), "registration.queue"),
    ("imports:import", _("Import"), "registrations.import"),
    ("initiatives:assigned", _("My appraisals"), "appraisal.list"),
    ("awards:list", _("Awards"), ""),
    ("awards:proposals", _("Award proposals"), "proposal.create"),
    ("activities:index", _("Activities"), ""),
    ("reports:dashboard", _("Dashboard"), "reports.view"),
    ("reports:index", _("Reports"), "reports.view"),
    ("units:tree", _("Org tree"), ""),
    ("structure:upload", _("Structure changes"), "structure.change"),
    ("user_imports:upload", _("Accounts"), "users.import"),
    ("audit:trail", _("Audit trail"), "audit.read"),
    ("phases:list", _("Phases"), ""),
    ("phases:committees", _("Steering committees"), ""),
    ("directives:index", _("Directives"), ""),
    ("profiles:list", _("Document profiles"), "documents.profile.edit"),
    ("gallery:manage", _("Gallery photos"), "gallery.publish"),
]


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None or not request.user.is_authenticated:
        return {}
    items = []
    for name, label, rule in NAV:
        if rule and not allowed(rule, scope):
            continue
        try:
            url = reverse(name)
        except Exception:  # a section not installed yet
            continue
        items.append({"url": url, "label": label, "active": False})
    # Only the most specific section is current (/giai-doan/ban-chi-dao/ is not /giai-doan/).
    # A page shared by sections (a job's progress) may say which one it belongs to.
    path = getattr(request, "nav_path", None) or request.path
    matches = [i for i in items if path == i["url"]
               or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    # Lazy: only pages that render the switcher pay for the query.
    return {"nav_items": items, "scope": scope, "Role": Role,
            "switchable_memberships": SimpleLazyObject(
                lambda: scope.cache.get("memberships") or list(memberships_of(request.user))),
            # The bell in the header: one COUNT, only on pages that render it.
            "unread_notifications": SimpleLazyObject(lambda: unread_count(scope))}

