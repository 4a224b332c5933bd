"""The models of the monitoring app, defined in its sub-domain packages and gathered here so
Django (app label ``monitoring``, tables ``monitoring_*``) and other apps find them in one place:

- :mod:`monitoring.imports.models` – import batches and the imported production lines;
- :mod:`monitoring.kpis.models` – the monthly KPI rollups;
- :mod:`monitoring.steering.models` – norms, risk weights, signals, escalations, dialogues.
"""

from monitoring.imports.models import (
    DROPOUT_REASONS,
    LINE_MODELS,
    MONEY,
    Allocation,
    ClientLine,
    DatasetKind,
    Declaration,
    EndReason,
    ImportBatch,
    ImportedLine,
    ImportFormat,
    ImportStatus,
    Occupancy,
    OutcomeMeasurement,
    OutcomeMoment,
    ProductionLine,
    Referral,
    Referrer,
    Trajectory,
)
from monitoring.kpis.models import Grain, KpiRollup
from monitoring.steering.models import (
    ESCALATION_ORDER,
    ActionStatus,
    AgendaItem,
    DialogueAction,
    DialogueStatus,
    Escalation,
    EscalationStep,
    KpiNorm,
    Level,
    PerformanceDialogue,
    RiskWeight,
    Signal,
    SignalSource,
    SignalStatus,
)

__all__ = [
    "DROPOUT_REASONS",
    "ESCALATION_ORDER",
    "LINE_MODELS",
    "MONEY",
    "ActionStatus",
    "AgendaItem",
    "Allocation",
    "ClientLine",
    "DatasetKind",
    "Declaration",
    "DialogueAction",
    "DialogueStatus",
    "EndReason",
    "Escalation",
    "EscalationStep",
    "Grain",
    "ImportBatch",
    "ImportFormat",
    "ImportStatus",
    "ImportedLine",
    "KpiNorm",
    "KpiRollup",
    "Level",
    "Occupancy",
    "OutcomeMeasurement",
    "OutcomeMoment",
    "PerformanceDialogue",
    "ProductionLine",
    "Referral",
    "Referrer",
    "RiskWeight",
    "Signal",
    "SignalSource",
    "SignalStatus",
    "Trajectory",
]
