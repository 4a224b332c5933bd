"""Notifications of monitoring (``core/notifications.py``): new red signals (made by the KPI
refresh and the finance checks, ``steering.alerts.save_signals``) and dialogue actions past
their due date (daily)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import NotificationKind
from core.notifications import Event, notify_scoped, register_producer
from core.ui.formatting import format_date

from .steering.models import ActionStatus, DialogueAction, Level, Signal, SignalStatus

#: the daily run also picks up red signals of the last days (a refresh outside a request)
RED_SIGNAL_LOOKBACK_DAYS = 2


def _signal_event(signal: Signal) -> Event:
    from .steering.dialogues import signal_title

    return Event(
        obj=signal,
        title=_("%(provider)s – %(signal)s")
        % {"provider": signal.provider.name, "signal": signal_title(signal)},
        url=reverse(
            "monitoring:provider-signals",
            kwargs={"region": signal.provider.region.slug, "pk": signal.provider_id},
        ),
        key=f"signal-red:{signal.pk}:{signal.period.isoformat()}",
    )


def notify_red_signals(signals) -> int:
    """Tell who may see them about red signals that are not closed (each once)."""
    red = (
        Signal.objects.filter(pk__in=[s.pk for s in signals if s.pk], level=Level.RED)
        .exclude(status=SignalStatus.CLOSED)
        .select_related("provider__region", "contract")
    )
    return notify_scoped(kind=NotificationKind.SIGNAL_RED, events=[_signal_event(s) for s in red])


def red_signals(today: date) -> int:
    since = timezone.now() - timedelta(days=RED_SIGNAL_LOOKBACK_DAYS)
    recent = Signal.objects.filter(level=Level.RED, updated_at__gte=since).exclude(
        status=SignalStatus.CLOSED
    )
    return notify_red_signals(list(recent.only("pk")))


def actions_overdue(today: date) -> int:
    actions = DialogueAction.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=today
    ).select_related("dialogue__provider", "dialogue__region")
    events = [
        Event(
            obj=a,
            title=_("Actie voor %(provider)s over de uiterste datum (%(date)s): %(action)s")
            % {
                "provider": a.dialogue.provider.name,
                "date": format_date(a.due_on),
                "action": a.description[:120],
            },
            url=reverse(
                "monitoring:dialogue-detail",
                kwargs={"region": a.dialogue.region.slug, "pk": a.dialogue_id},
            ),
            key=f"action-overdue:{a.pk}:{a.due_on.isoformat()}",
        )
        for a in actions
    ]
    return notify_scoped(kind=NotificationKind.ACTION_OVERDUE, events=events)


register_producer("red_signals", red_signals)
register_producer("actions_overdue", actions_overdue)
