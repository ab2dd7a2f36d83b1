from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("chon-vai-tro/", views.switch_membership, name="switch_membership"),
    path("don-vi/", include("dvk.orgs.urls")),
    path("giai-doan/", include("dvk.phases.urls")),
]
