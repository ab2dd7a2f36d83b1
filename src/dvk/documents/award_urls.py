"""Award documents, under the awards section (/khen-thuong/van-ban/)."""
from django.urls import path, register_converter

from . import award_views


class FormatConverter:
    regex = "docx|pdf"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "docfmt")

app_name = "award_documents"
urlpatterns = [
    path("quyet-dinh/<int:decision_id>/quyet-dinh.<docfmt:fmt>", award_views.decision_document,
         name="decision"),
    path("de-nghi/<int:proposal_id>/to-trinh.<docfmt:fmt>", award_views.proposal_document,
         name="proposal"),
]
