from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app. Sits on top of the import chain: it may import all apps."""

    name = "demo"
    verbose_name = "Demo"
