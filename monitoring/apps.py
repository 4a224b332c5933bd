from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from contracts.production import register_source
        from monitoring import audit  # noqa: F401
        from monitoring.kpis.production import production_source

        register_source(production_source)
