"""Audit trail (django-auditlog) of what people decide in monitoring: segment norms, risk
weights, escalation steps, performance dialogues with their agenda and actions, and the annual
accounts of providers. Imported lines, rollups and signals change by the thousand at every
import and are not logged here (a signal's handling note is logged by
``monitoring.steering.dialogues.signal_close``). Imported from ``MonitoringConfig.ready``."""

from auditlog.registry import auditlog

from monitoring.imports.models import MeasurementKind
from monitoring.kpis.models import RegionKpi, SteeringKpi
from monitoring.steering.models import (
    AgendaItem,
    DialogueAction,
    Escalation,
    KpiNorm,
    PerformanceDialogue,
    RiskWeight,
)
from providers.models import AnnualAccount

auditlog.register(KpiNorm)
auditlog.register(RiskWeight)
auditlog.register(Escalation)
auditlog.register(PerformanceDialogue)
auditlog.register(AgendaItem)
auditlog.register(DialogueAction)
auditlog.register(AnnualAccount)
auditlog.register(MeasurementKind)
auditlog.register(RegionKpi)
auditlog.register(SteeringKpi)
