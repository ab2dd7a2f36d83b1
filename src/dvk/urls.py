from django.contrib import admin
from django.urls import include, path

from dvk.api import routers  # noqa: F401  (mounts the routers)
from dvk.api.base import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dvk.web.urls")),
]
