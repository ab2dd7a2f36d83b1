from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.awards, name="list"),
    path("de-nghi/", views.proposals, name="proposals"),
    path("de-nghi/tao/", views.proposal_create, name="proposal_create"),
    path("de-nghi/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("de-nghi/<int:proposal_id>/them/", views.proposal_add, name="proposal_add"),
    path("de-nghi/<int:proposal_id>/bo/", views.proposal_remove, name="proposal_remove"),
    path("de-nghi/<int:proposal_id>/gui/", views.proposal_send, name="proposal_send"),
    path("de-nghi/<int:proposal_id>/quyet-dinh/", views.proposal_decide, name="proposal_decide"),
    path("quyet-dinh/<int:decision_id>/", views.award_decision, name="decision"),
]
