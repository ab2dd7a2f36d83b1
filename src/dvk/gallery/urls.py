from django.urls import path

from . import views

app_name = "gallery"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:initiative_id>/", views.model, name="model"),
    path("anh/<int:photo_id>/", views.photo, name="photo"),
    path("quan-ly-anh/", views.manage, name="manage"),
    path("quan-ly-anh/<int:attachment_id>/", views.publish, name="publish"),
]
