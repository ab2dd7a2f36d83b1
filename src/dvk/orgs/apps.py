from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dvk.orgs"
    label = "orgs"
    verbose_name = "Tổ chức"

    def ready(self):
        # The admin's autodiscovery (django.contrib.admin is listed first) has loaded every
        # admin module by now: close the other packages' admins to unit administrators.
        from django.contrib import admin

        from .admin_scope import close_other_admins

        close_other_admins(admin.site)
