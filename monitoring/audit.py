"""Audit trail (django-auditlog) of what people decide in monitoring: segment norms, risk
weights, escalation steps, performance dialogues with their agenda and actions, the annual
accounts of providers, and the recalculations of signals (who asked, why, how it ended).
Imported lines, rollups and signals change by the thousand at every import and are not logged
here (a signal's handling note is logged by
``monitoring.steering.dialogues.signal_close``). Imported from ``MonitoringConfig.ready``."""

from auditlog.registry import auditlog

from monitoring.imports.models import IjwMessage, ImportBatch, MeasurementKind
from monitoring.kpis.models import RegionKpi, SteeringKpi
from monitoring.steering.models import (
    AgendaItem,
    DialogueAction,
    DialogueActionProgress,
    Escalation,
    KpiNorm,
    PerformanceDialogue,
    RiskWeight,
    SignalRecalculation,
)
from providers.models import AnnualAccount

auditlog.register(KpiNorm)
auditlog.register(RiskWeight)
auditlog.register(Escalation)
auditlog.register(PerformanceDialogue)
auditlog.register(AgendaItem)
auditlog.register(DialogueAction)
# progress a provider posts on an action in the portal (the actor is the provider user)
auditlog.register(DialogueActionProgress)
auditlog.register(AnnualAccount)
auditlog.register(MeasurementKind)
auditlog.register(RegionKpi)
auditlog.register(SteeringKpi)
# who asked for a recalculation, why, and how it ended (its progress counter is not logged)
auditlog.register(
    SignalRecalculation, include_fields=["kind", "reason", "status", "signals_amber_red", "error"]
)
# who offered which file, for which provider, and how it ended (a provider delivers through
# its portal or its API key; progress counters and the error list are not logged)
auditlog.register(
    ImportBatch, include_fields=["kind", "file_name", "provider", "created_by", "status"]
)
# the iJw messages a successful import read (the key of a repeat delivery)
auditlog.register(IjwMessage)
