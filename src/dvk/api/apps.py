from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dvk.api"
    label = "api"
    verbose_name = "API"
