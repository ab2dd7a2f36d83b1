"""The document profiles' screen (/mau-van-ban/), the system administrator's."""
from django.urls import path

from . import award_urls  # noqa: F401  (registers the docx|pdf converter)
from . import profile_views as views

app_name = "profiles"
urlpatterns = [
    path("", views.profile_list, name="list"),
    path("<slug:code>/moi/", views.profile_new, name="new"),
    path("<slug:code>/mau.<docfmt:fmt>", views.profile_sample, name="sample"),
    path("phien-ban/<int:profile_id>/sua/", views.profile_edit, name="edit"),
]
