"""Reports section, mounted under /bao-cao/.

Exports of lists (documented for other pages to link to):
  GET /bao-cao/xuat/dang-ky/?format=xlsx|csv&<the registrations list's filters>
      (reports:export_registrations — same GET params as initiatives:registrations)
  GET /bao-cao/xuat/don-vi/?format=xlsx|csv&unit=<code>   (reports:export_units)
  GET /bao-cao/xuat/khen-thuong/?format=xlsx|csv&phase=<code>&unit=<code>  (reports:export_awards)
Small exports download at once; larger ones (> settings.DVK_EXPORT_SYNC_LIMIT rows, default
5,000) — or any export with `async=1` — become a background job and redirect to its
progress page (reports:job).
"""
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("tong-quan/kiem-tra/", views.dashboard_checks, name="dashboard_checks"),
    path("kinh-phi/", views.budget, name="budget"),
    path("tai-ve/<str:kind>/", views.download_report, name="download"),
    path("xuat/dang-ky/", views.export_registrations, name="export_registrations"),
    path("xuat/don-vi/", views.export_units, name="export_units"),
    path("xuat/khen-thuong/", views.export_awards, name="export_awards"),
    path("cong-viec/<int:job_id>/", views.job, name="job"),
    path("cong-viec/<int:job_id>/tai-ve/", views.job_download, name="job_download"),
]
