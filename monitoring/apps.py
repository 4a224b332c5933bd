from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from contracts.production import register_source
        from monitoring import audit  # noqa: F401
        from monitoring.imports import states as import_states  # noqa: F401 - registers
        from monitoring.kpis.production import production_source
        from monitoring.steering import states as steering_states  # noqa: F401 - registers

        register_source(production_source)
