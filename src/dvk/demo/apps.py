from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province: builds data across every app, so it sits above them all."""

    name = "dvk.demo"
    label = "demo"
    verbose_name = "Demo"
