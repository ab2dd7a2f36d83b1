from django.urls import path

from . import views

app_name = "phases"
urlpatterns = [
    path("", views.phase_list, name="list"),
    path("ban-chi-dao/", views.committee_list, name="committees"),
    path("ban-chi-dao/<int:committee_id>/", views.committee_detail, name="committee"),
    path("ban-chi-dao/<int:committee_id>/sua/", views.committee_edit, name="committee_edit"),
    path("ban-chi-dao/<int:committee_id>/thanh-vien/them/", views.committee_member_add,
         name="committee_member_add"),
    path("ban-chi-dao/<int:committee_id>/thanh-vien/<int:member_id>/xoa/",
         views.committee_member_remove, name="committee_member_remove"),
    path("tao-moi/", views.phase_create, name="create"),  # before a phase code's pattern
    path("<str:phase_code>/", views.phase_detail, name="detail"),
    path("<str:phase_code>/sua/", views.phase_edit, name="edit"),
]
