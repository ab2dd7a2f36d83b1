from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_sqlite_indexes(using, **kwargs):
    from django.db import connections

    from dvk.initiatives import sqlite_indexes

    sqlite_indexes.ensure(connections[using])


class InitiativesConfig(AppConfig):
    name = "dvk.initiatives"
    label = "initiatives"
    verbose_name = "Mô hình"

    def ready(self):
        # After every migrate, not in a migration: a later migration that remakes a table on
        # SQLite drops its triggers and the indexes Django does not know of
        # (initiatives.sqlite_indexes).
        post_migrate.connect(_ensure_sqlite_indexes, sender=self,
                             dispatch_uid="initiatives.sqlite_indexes")
