from auditlog.registry import auditlog

from .models import (
    CareForm,
    Intensity,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
    SupportProfile,
)

for model in (
    Region,
    Municipality,
    CareForm,
    Segment,
    Participation,
    SupportProfile,
    Intensity,
    Product,
):
    auditlog.register(model, m2m_fields={"care_forms"} if model is Segment else None)
