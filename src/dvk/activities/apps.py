from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dvk.activities"
    label = "activities"
    verbose_name = "Hoạt động của Ban Chỉ đạo"
