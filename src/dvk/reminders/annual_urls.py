from django.urls import path

from . import annual_views as views

app_name = "annual"
urlpatterns = [
    path("", views.index, name="index"),
    path("gui/", views.send, name="send"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/tra-lai/", views.return_report, name="return"),
]
