"""The structure changes screen, under the org tree (/don-vi/co-cau/)."""
from django.urls import path

from . import structure_views as views

app_name = "structure"
urlpatterns = [
    path("", views.structure_upload, name="upload"),
    path("ap-dung/", views.structure_confirm, name="confirm"),
    path("huy/", views.structure_cancel, name="cancel"),
    path("mau.xlsx", views.structure_template, name="template"),
]
