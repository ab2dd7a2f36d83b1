from django.apps import AppConfig


def vietnamese_full_name(user) -> str:
    """Vietnamese names are written family name first: "Huỳnh Thị" + "Mỹ" → "Huỳnh Thị Mỹ"."""
    return f"{user.last_name} {user.first_name}".strip()


class CommonConfig(AppConfig):
    name = "dvk.common"
    label = "common"
    verbose_name = "Chung"

    def ready(self):
        from django.contrib.auth.models import User

        from . import sqlite  # noqa: F401  (registers SQLite functions on connect)

        # Every template, form and document shows people through get_full_name(); Django's
        # Western order ("Mỹ Huỳnh Thị") is wrong for every user of this system.
        User.get_full_name = vietnamese_full_name
        # Every app's rule book registers its named rules (dvk.common.rules).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("rules")
