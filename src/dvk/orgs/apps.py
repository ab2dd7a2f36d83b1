from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dvk.orgs"
    label = "orgs"
    verbose_name = "Tổ chức"
