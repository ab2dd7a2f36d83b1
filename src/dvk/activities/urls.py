"""The activities section (/hoat-dong/): training, inspections and surveys, the press
contest, reviews. The import screen is the imports app's (dvk.imports.activity_urls)."""
from django.urls import path

from .views import followup
from .views.pages import VIEWS, index, visit_edit, visit_new

app_name = "activities"

SECTIONS = {"training": ("tap-huan", "training_id"), "round": ("kiem-tra", "round_id"),
            "entry": ("bao-chi", "entry_id"), "review": ("so-ket", "review_id"),
            "budget": ("kinh-phi", "budget_id")}

urlpatterns = [path("", index, name="index")]
for key, (prefix, kwarg) in SECTIONS.items():
    views = VIEWS[key]
    urlpatterns += [
        path(f"{prefix}/", views["list"], name=f"{key}s"),
        path(f"{prefix}/xuat/", views["export"], name=f"{key}_export"),
        path(f"{prefix}/them/", views["new"], name=f"{key}_new"),
        path(f"{prefix}/<int:{kwarg}>/", views["detail"], name=key),
        path(f"{prefix}/<int:{kwarg}>/sua/", views["edit"], name=f"{key}_edit"),
    ]
    if views["file"]:
        urlpatterns.append(path(f"{prefix}/<int:{kwarg}>/tep/", views["file"],
                                name=f"{key}_file"))
urlpatterns += [
    path("kiem-tra/<int:round_id>/don-vi/them/", visit_new, name="visit_new"),
    path("kiem-tra/luot/<int:visit_id>/sua/", visit_edit, name="visit_edit"),
    path("theo-doi/<int:registration_id>/phan-cong/", followup.assign, name="followup_assign"),
    path("theo-doi/<int:registration_id>/tham/", followup.visit_new,
         name="followup_visit_new"),
    path("theo-doi/tham/<int:followup_visit_id>/sua/", followup.visit_edit,
         name="followup_visit_edit"),
]
