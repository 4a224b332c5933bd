from auditlog.registry import auditlog

from .models import (
    Budget,
    BudgetRevision,
    Contract,
    ContractEvent,
    EffectScenario,
    EffectScenarioPrice,
    FundingArrangement,
    KpiAgreement,
    ProfileConsent,
    SegmentBudget,
    TariffIndexation,
    TariffVersion,
)

auditlog.register(Contract, m2m_fields={"municipalities"})
auditlog.register(ContractEvent)
auditlog.register(KpiAgreement)
auditlog.register(TariffIndexation)
auditlog.register(TariffVersion)
auditlog.register(FundingArrangement, m2m_fields={"products"})
auditlog.register(Budget)
auditlog.register(BudgetRevision)
auditlog.register(EffectScenario, m2m_fields={"products"})
auditlog.register(EffectScenarioPrice)

from .models_development import DevelopmentAssignment, DevelopmentUpdate  # noqa: E402

auditlog.register(DevelopmentAssignment)
auditlog.register(DevelopmentUpdate)

auditlog.register(ProfileConsent, m2m_fields={"products"})
auditlog.register(SegmentBudget)
