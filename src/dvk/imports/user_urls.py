"""Accounts in bulk from a file (/tai-khoan/nhap/): the system administrator's screen."""
from django.urls import path

from . import user_views as views

app_name = "user_imports"
urlpatterns = [
    path("", views.users_upload, name="upload"),
    path("ap-dung/", views.users_confirm, name="confirm"),
    path("huy/", views.users_cancel, name="cancel"),
    path("mau.xlsx", views.users_template, name="template"),
]
