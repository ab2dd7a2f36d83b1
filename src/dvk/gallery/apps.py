from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "dvk.gallery"
    label = "gallery"
    verbose_name = "Mô hình tiêu biểu (công khai)"

    def ready(self):
        from . import rules  # noqa: F401  (registers gallery.publish)
