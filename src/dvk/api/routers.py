"""Mount each domain's router: any installed dvk app with an `api.py` defining `router`."""
import importlib
import importlib.util

from django.conf import settings

from .base import api

for app in settings.INSTALLED_APPS:
    if not app.startswith("dvk.") or app == "dvk.api":
        continue
    if importlib.util.find_spec(f"{app}.api") is None:
        continue
    module = importlib.import_module(f"{app}.api")
    if hasattr(module, "router"):
        api.add_router("/", module.router)
