from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dvk.web"
    label = "web"
    verbose_name = "Giao diện"
