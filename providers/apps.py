from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = _("Aanbieders")

    def ready(self):
        from segments.overview import register_panel

        from . import audit  # noqa: F401
        from .selectors import provider_summary

        register_panel(order=10, template="providers/_overview_panel.html", build=provider_summary)
