from django.apps import AppConfig


class PhasesConfig(AppConfig):
    name = "dvk.phases"
    label = "phases"
    verbose_name = "Giai đoạn"
