import importlib.util

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("chon-vai-tro/", views.switch_membership, name="switch_membership"),
    # Passwords (web/accounts.py); the names are Django's, which its views redirect to.
    path("tai-khoan/doi-mat-khau/", accounts.PasswordChange.as_view(), name="password_change"),
    path("tai-khoan/doi-mat-khau/xong/", accounts.PasswordChangeDone.as_view(),
         name="password_change_done"),
    path("tai-khoan/quen-mat-khau/", accounts.PasswordReset.as_view(), name="password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", accounts.PasswordResetDone.as_view(),
         name="password_reset_done"),
    path("tai-khoan/dat-mat-khau/<uidb64>/<token>/", accounts.PasswordSet.as_view(),
         name="password_reset_confirm"),
    path("tai-khoan/dat-mat-khau/xong/", accounts.PasswordSetDone.as_view(),
         name="password_reset_complete"),
    path("huong-dan/", views.help_page, name="help"),
    path("huong-dan/<slug:role>/", views.help_page, name="help_role"),
]

# Each domain app brings its own urls.py under a Vietnamese prefix.
SECTIONS = [
    ("don-vi/co-cau/", "dvk.imports.structure_urls"),  # before a unit code's pattern
    ("tai-khoan/nhap/", "dvk.imports.user_urls"),
    ("don-vi/", "dvk.web.unit_urls"),
    ("giai-doan/", "dvk.phases.urls"),
    ("mo-hinh/", "dvk.initiatives.urls"),
    ("mo-hinh/", "dvk.imports.urls"),
    ("mo-hinh/", "dvk.documents.urls"),
    ("khen-thuong/", "dvk.awards.urls"),
    ("khen-thuong/van-ban/", "dvk.documents.award_urls"),
    ("mau-van-ban/", "dvk.documents.profile_urls"),
    ("hoat-dong/", "dvk.imports.activity_urls"),
    ("hoat-dong/", "dvk.activities.urls"),
    ("bao-cao/", "dvk.reports.urls"),
    ("nhat-ky/", "dvk.web.audit_urls"),
    ("thong-bao/", "dvk.reminders.urls"),
    ("bao-cao-nam/", "dvk.reminders.annual_urls"),
    ("van-ban-chi-dao/", "dvk.directives.urls"),
]
for prefix, module in SECTIONS:
    if importlib.util.find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))
