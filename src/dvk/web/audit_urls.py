from django.urls import path

from . import audit

app_name = "audit"
urlpatterns = [
    path("", audit.trail, name="trail"),
    path("ho-so/<int:registration_id>/", audit.registration_history, name="registration"),
    path("quyet-dinh/<int:decision_id>/", audit.decision_history, name="decision"),
    path("de-nghi/<int:proposal_id>/", audit.proposal_history, name="proposal"),
]
