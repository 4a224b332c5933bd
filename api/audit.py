"""Who changed which API client and key (django-auditlog). The hash of a key's secret is never
written to the log, nor is the moment a key was last used (that changes on every use)."""

from auditlog.registry import auditlog

from .models import ApiClient, ApiKey

auditlog.register(ApiClient)
auditlog.register(ApiKey, exclude_fields=["secret_hash", "last_used_at"])
