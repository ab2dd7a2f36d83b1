from django.urls import path

from . import units as views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:unit_code>/con/", views.unit_children, name="children"),
    path("<str:unit_code>/", views.unit_detail, name="detail"),
]
