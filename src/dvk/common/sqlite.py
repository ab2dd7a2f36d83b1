"""SQLite has no Vietnamese collation or unaccent: register Python versions on connect."""
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from .text import fold
from vn_collate import compare


@receiver(connection_created)
def _register(sender, connection, **kwargs):
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("dvk_fold", 1, fold, deterministic=True)
    connection.connection.create_collation("vi", compare)
