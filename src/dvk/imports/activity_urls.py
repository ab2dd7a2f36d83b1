"""The activities import screen, under the activities section (/hoat-dong/)."""
from django.urls import path

from . import activity_views

app_name = "activity_imports"
urlpatterns = [
    path("nhap/", activity_views.import_activities, name="import"),
    path("nhap/mau/", activity_views.blank_template, name="template"),
]
