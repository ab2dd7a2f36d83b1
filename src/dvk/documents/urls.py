"""Document downloads, under the registrations section (/mo-hinh/)."""
from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "docx|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "documents"
urlpatterns = [
    path("ho-so/<int:registration_id>/mau-1.<fmt:fmt>", views.form1, name="form1"),
    path("tong-hop/<str:unit_code>/mau-2.<fmt:fmt>", views.form2, name="form2"),
    path("tham-dinh/<int:appraisal_id>/bien-ban.docx", views.appraisal_minutes, name="minutes"),
    path("quyet-dinh/<int:decision_id>/quyet-dinh.docx", views.decision_docx,
         name="decision_docx"),
    path("quyet-dinh/<int:decision_id>/giay-chung-nhan.pdf", views.certificates,
         name="certificates"),
]
