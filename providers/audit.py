from auditlog.registry import auditlog

from .models import (
    ConsortiumMembership,
    EvidenceAnswer,
    EvidenceFile,
    MessageReceipt,
    Provider,
    ProviderMessage,
    ProviderUser,
    Screening,
    ScreeningKind,
)

auditlog.register(Provider, m2m_fields={"care_forms", "municipalities_served"})
auditlog.register(ConsortiumMembership)
auditlog.register(Screening)
auditlog.register(ScreeningKind, m2m_fields={"segments"})
auditlog.register(ProviderUser)
auditlog.register(ProviderMessage)
auditlog.register(MessageReceipt)
auditlog.register(EvidenceAnswer)
auditlog.register(EvidenceFile)
