"""Navigation shown in the layout, by role."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dvk.orgs.enums import Role

# (url name, label, roles allowed; empty = everyone signed in)
NAV = [
    ("home", _("Home"), ()),
    ("units:tree", _("Org tree"), ()),
    ("phases:list", _("Phases"), ()),
    ("phases:committees", _("Steering committees"), ()),
]


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None or not request.user.is_authenticated:
        return {}
    items = []
    for name, label, roles in NAV + list(EXTRA_NAV):
        if roles and not scope.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except Exception:  # a section not installed yet
            continue
        items.append({"url": url, "label": label,
                      "active": request.path == url or (url != "/" and request.path.startswith(url))})
    return {"nav_items": items, "scope": scope, "Role": Role}


# Other apps append (url name, label, roles) here from their AppConfig.ready().
EXTRA_NAV: list = []
