from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _housekeeping(sender, **kwargs):
    """After migrate: the periodic task that sends stale reports again."""
    from .schedules import ensure_requeue_task

    ensure_requeue_task()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapportages")

    def ready(self):
        from . import audit  # noqa: F401

        post_migrate.connect(_housekeeping, sender=self)
