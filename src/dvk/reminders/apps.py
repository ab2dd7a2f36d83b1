from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "dvk.reminders"
    label = "reminders"
    verbose_name = "Nhắc việc và thông báo"
