from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.index, name="index"),
    path("ban-hanh/", views.new, name="new"),
    path("<int:directive_id>/", views.detail, name="detail"),
    path("<int:directive_id>/tep/", views.download, name="file"),
    path("<int:directive_id>/da-nhan/", views.acknowledge, name="acknowledge"),
    path("ban-chi-dao/<int:committee_id>/dia-ban/", views.areas, name="areas"),
]
