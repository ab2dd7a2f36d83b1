from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "dvk.initiatives"
    label = "initiatives"
    verbose_name = "Mô hình"
