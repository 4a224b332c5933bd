"""Notifications in the app: what a user is told, and which kinds they want.

core sits below every domain app: a notification names its record only by a title, a URL and a
dedup key, never by a foreign key to a higher app (``docs/notifications.md``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SIGNAL_RED = "signal_red", _("Nieuwe rode signalen")
    SCREENING_EXPIRING = "screening_expiring", _("Screenings die binnenkort verlopen")
    CONTRACT_EXPIRING = "contract_expiring", _("Contracten die binnenkort aflopen")
    ACTION_OVERDUE = "action_overdue", _("Acties over de uiterste datum")
    REPORT_READY = "report_ready", _("Rapportages klaar")


class Notification(models.Model):
    """One thing a user is told about. ``dedup_key`` names the event: the same event never
    notifies the same user twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("gebruiker"),
    )
    kind = models.CharField(_("soort"), max_length=24, choices=NotificationKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    url = models.CharField(_("adres"), max_length=500)
    dedup_key = models.CharField(_("gebeurtenis"), max_length=200)
    created_at = models.DateTimeField(_("ontstaan op"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "dedup_key"], name="notification_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """The kinds a user switched off (no row: every kind their role can see is on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("gebruiker"),
    )
    disabled_kinds = models.JSONField(_("uitgezette soorten"), default=list, blank=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self):
        return str(self.user)
