from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Official documents built from several apps' data (registration forms, minutes)."""

    name = "dvk.documents"
    label = "documents"
    verbose_name = "Văn bản"
