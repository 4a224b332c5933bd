"""Who changed the report schedule, subscriptions and budget shares (django-auditlog)."""

from auditlog.registry import auditlog

from .models import BudgetShare, ReportSchedule, Subscription

auditlog.register(ReportSchedule, exclude_fields=["updated_at", "periodic_task"])
auditlog.register(Subscription)
auditlog.register(BudgetShare)
