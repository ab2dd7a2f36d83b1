import importlib.util

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("chon-vai-tro/", views.switch_membership, name="switch_membership"),
]

# Each domain app brings its own urls.py under a Vietnamese prefix.
SECTIONS = [
    ("don-vi/co-cau/", "dvk.imports.structure_urls"),  # before a unit code's pattern
    ("don-vi/", "dvk.web.unit_urls"),
    ("giai-doan/", "dvk.phases.urls"),
    ("mo-hinh/", "dvk.initiatives.urls"),
    ("mo-hinh/", "dvk.imports.urls"),
    ("mo-hinh/", "dvk.documents.urls"),
    ("khen-thuong/", "dvk.awards.urls"),
    ("hoat-dong/", "dvk.imports.activity_urls"),
    ("hoat-dong/", "dvk.activities.urls"),
    ("bao-cao/", "dvk.reports.urls"),
]
for prefix, module in SECTIONS:
    if importlib.util.find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))
