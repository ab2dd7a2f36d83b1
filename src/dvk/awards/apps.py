from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "dvk.awards"
    label = "awards"
    verbose_name = "Khen thưởng"
