from django.contrib import admin
from django.urls import include, path

from dvk.api import routers  # noqa: F401  (mounts the routers)
from dvk.api.base import api

# 400, 403 and 404 are Django's views rendering our templates (400.html, 403.html, 404.html);
# the 500 page has a fallback of its own.
handler500 = "dvk.web.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public gallery: recognised models for everyone, no sign-in (dvk.gallery).
    path("mo-hinh-tieu-bieu/", include("dvk.gallery.urls")),
    # The user's own API keys (api/views.py), beside their account's other pages.
    path("tai-khoan/khoa-api/", include("dvk.api.urls")),
    path("", include("dvk.web.urls")),
]
