"""The import screen, under the registrations section (/mo-hinh/)."""
from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("nhap/", views.import_file, name="import"),
]
