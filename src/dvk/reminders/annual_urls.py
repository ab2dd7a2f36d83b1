from django.urls import path

from . import annual_views as views

app_name = "annual"
urlpatterns = [
    path("", views.index, name="index"),
    path("gui/", views.send, name="send"),
    path("tong-hop/", views.assembled_report, name="assembled"),
    path("tong-hop/tai-ve/", views.assembled_download, name="assembled_download"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/tra-lai/", views.return_report, name="return"),
]
