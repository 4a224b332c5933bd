"""Monitoring under /regios/<region>/monitoring/: production imports (``urls_import``),
dashboards and drill-downs (``urls_dashboard``), and steering: signals, escalations,
performance dialogues, norms and provider finance (``urls_steering``)."""

from monitoring.dashboards.urls import urlpatterns as dashboard_patterns
from monitoring.imports.urls import urlpatterns as import_patterns
from monitoring.kpis.urls import urlpatterns as kpi_patterns
from monitoring.steering.urls import urlpatterns as steering_patterns

app_name = "monitoring"

urlpatterns = [*dashboard_patterns, *import_patterns, *steering_patterns, *kpi_patterns]
