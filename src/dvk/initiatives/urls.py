
from django.urls import path

from . import views


app_name = "initiatives"
urlpatterns = [
    path("", views.registrations, name="registrations"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/tuong-tu/", views.similar, name="similar"),
    path("dang-ky/nhan-rong/", views.replicate_search, name="replicate_search"),
    path("ho-so/<int:registration_id>/", views.registration_detail, name="registration"),
    path("ho-so/<int:registration_id>/sua/", views.edit, name="edit"),
    path("ho-so/<int:registration_id>/gui/", views.submit, name="submit"),
    path("ho-so/<int:registration_id>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<int:registration_id>/bao-cao/", views.report, name="report"),
    path("ho-so/<int:registration_id>/tep/", views.upload_attachment, name="upload"),
    path("ho-so/<int:registration_id>/tiep-nhan/", views.accept, name="accept"),
    path("ho-so/<int:registration_id>/tra-lai/", views.return_to_unit, name="return"),
    path("ho-so/<int:registration_id>/dac-cach/", views.approve_exceptional,
         name="approve_exceptional"),
    path("ho-so/<int:registration_id>/phan-cong/", views.assign, name="assign"),
    path("ho-so/<int:registration_id>/de-nghi-cap-tren/", views.promote, name="promote"),
    path("ho-so/<int:registration_id>/quyet-dinh/", views.decide, name="decide"),
    path("quyet-dinh/<int:decision_id>/", views.decision_detail, name="decision"),
    path("mo-hinh/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path("tep/<int:attachment_id>/", views.attachment, name="attachment"),
    path("hang-doi/", views.queue, name="queue"),
    path("hang-doi/tre-han/", views.queue_overdue, name="queue_overdue"),
    path("hang-doi/hang-loat/", views.bulk, name="bulk"),
    path("tham-dinh/", views.assigned, name="assigned"),
    path("tham-dinh/<int:appraisal_id>/", views.appraisal, name="appraisal"),
    path("tham-dinh/<int:appraisal_id>/xung-dot/", views.declare_conflict, name="conflict"),
    path("tham-dinh/<int:appraisal_id>/phan-quyet/", views.rule_conflict, name="rule_conflict"),
]
