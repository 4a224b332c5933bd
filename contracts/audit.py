from auditlog.registry import auditlog

from .models import Contract

auditlog.register(Contract)
