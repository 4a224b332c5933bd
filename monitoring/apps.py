from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from contracts.production import register_source
        from contracts.scope import register_line_counter
        from contracts.signals import kpi_agreement_changed
        from monitoring import audit  # noqa: F401
        from monitoring.imports import states as import_states  # noqa: F401 - registers
        from monitoring.imports.scope import lines_by_municipality
        from monitoring.kpis.production import production_source
        from monitoring.steering import states as steering_states  # noqa: F401 - registers
        from monitoring.steering.services import agreement_changed

        register_source(production_source)
        register_line_counter(lines_by_municipality)
        kpi_agreement_changed.connect(
            agreement_changed, dispatch_uid="monitoring_agreement_changed"
        )
