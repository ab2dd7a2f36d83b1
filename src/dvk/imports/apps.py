from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bulk imports of registrations and their outcomes: they write initiatives, phases and
    awards at once, so they sit above those apps."""

    name = "dvk.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
