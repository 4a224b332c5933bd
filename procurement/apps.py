from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Inkoop")

    def ready(self):
        from segments.overview import register_panel

        from . import audit  # noqa: F401
        from .selectors import procurement_summary

        register_panel(
            order=20, template="procurement/_overview_panel.html", build=procurement_summary
        )
