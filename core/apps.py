from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _daily_notifications(sender, **kwargs):
    """After migrate: the daily beat task that makes the time-based notifications."""
    from core.notifications import ensure_daily_task

    ensure_daily_task()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Basis")

    def ready(self):
        # Each app's notifications.py registers its daily producers (core/notifications.py);
        # discovered by name, as the admin discovers admin.py, so core imports no higher app.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notifications")
        post_migrate.connect(_daily_notifications, sender=self)
