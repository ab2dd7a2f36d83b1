from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("<int:notification_id>/da-doc/", views.mark_read, name="read"),
    path("da-doc-het/", views.mark_all_read, name="read_all"),
    path("don-vi-cham/", views.lagging_units, name="lagging"),
]
