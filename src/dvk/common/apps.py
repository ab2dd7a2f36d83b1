from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dvk.common"
    label = "common"
    verbose_name = "Chung"

    def ready(self):
        from . import sqlite  # noqa: F401  (registers SQLite functions on connect)
