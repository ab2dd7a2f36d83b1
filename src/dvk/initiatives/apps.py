from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(using, **kwargs):
    from django.db import connections

    from dvk.initiatives import sqlite_indexes

    sqlite_indexes.ensure(connections[using])


class InitiativesConfig(AppConfig):
    name = "dvk.initiatives"
    label = "initiatives"
    verbose_name = "Mô hình"

    def ready(self):
        # After every migrate, not in a migration: a later migration that remakes the models'
        # table on SQLite drops the search index's triggers (initiatives.sqlite_indexes).
        post_migrate.connect(_ensure_search_index, sender=self,
                             dispatch_uid="initiatives.sqlite_indexes")
