from django.urls import path

from . import views

app_name = "phases"
urlpatterns = [
    path("", views.phase_list, name="list"),
    path("ban-chi-dao/", views.committee_list, name="committees"),
    path("ban-chi-dao/<int:committee_id>/", views.committee_detail, name="committee"),
    path("<str:phase_code>/", views.phase_detail, name="detail"),
]
