"""Notifications in the app (``docs/notifications.md``): the one door that makes them, who gets
them, and the daily producers.

- Event producers (a new red signal, a report ready) call :func:`notify_scoped` or
  :func:`notification_create` from their own services.
- Time-based producers (expiring screenings and contracts, overdue actions) live in each app's
  ``notifications.py`` and register themselves with :func:`register_producer`; the modules are
  discovered in ``CoreConfig.ready`` (as Django's admin discovers ``admin.py``), so core never
  imports a higher app. :func:`notifications_produce` runs them all (the daily beat task and
  ``manage.py produce_notifications``); the dedup key makes a second run add nothing.
- Recipients are the users whose scope (``core/scoping.py``) covers the record, who hold a role
  that sees the kind at all and did not switch the kind off. Provider portal users and
  installation administrators without a region role get none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Notification, NotificationKind, NotificationPreference
from core.scoping import Scope, scope_for

#: kinds only region roles see (their records are not a municipal user's to read)
REGION_ONLY = frozenset(
    {
        NotificationKind.SIGNAL_RED,
        NotificationKind.SCREENING_EXPIRING,
        NotificationKind.ACTION_OVERDUE,
    }
)


def kinds_for(scope: Scope) -> list[str]:
    """The kinds a user with this scope can receive (and so chooses from)."""
    if scope.region_roles:
        return list(NotificationKind.values)
    if scope.is_municipal:
        return [k for k in NotificationKind.values if k not in REGION_ONLY]
    return []


def disabled_kinds(user) -> frozenset[str]:
    pref = NotificationPreference.objects.filter(user=user).first()
    return frozenset(pref.disabled_kinds) if pref else frozenset()


def wants(user, kind: str, *, disabled: Iterable[str] | None = None) -> bool:
    """The user may and wants to be told about ``kind``."""
    if kind not in kinds_for(scope_for(user)):
        return False
    return kind not in (disabled_kinds(user) if disabled is None else disabled)


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class Event:
    """One event about one record: its title, where to look, and the key that names it."""

    obj: object
    title: str
    url: str
    key: str


@transaction.atomic
def notification_create(
    *, user, kind: str, title: str, url: str, key: str, check_preference: bool = True
) -> Notification | None:
    """Tell ``user`` about one event. ``None`` when the user does not want the kind, or was
    told about this event (``key``) before."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if check_preference and not wants(user, kind):
        return None
    if Notification.objects.filter(user=user, dedup_key=key).exists():
        return None
    return Notification.objects.create(
        user=user, kind=kind, title=title[:300], url=url[:500], dedup_key=key[:200]
    )


def _candidates(kind: str, region_ids: set[int]):
    """(user, disabled kinds) of the active users who may get ``kind`` in these regions."""
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    prefs = {
        p.user_id: frozenset(p.disabled_kinds)
        for p in NotificationPreference.objects.filter(user__in=users)
    }
    for user in users.order_by("pk"):
        scope = scope_for(user)
        if not (scope.readable_region_ids() - scope.provider_region_ids) & region_ids:
            continue  # nothing of these regions for this user (or a provider portal user)
        disabled = prefs.get(user.pk, frozenset())
        if wants(user, kind, disabled=disabled):
            yield user


@transaction.atomic
def notify_scoped(*, kind: str, events: Iterable[Event], users=None) -> int:
    """Tell every user whose scope covers an event's record about it (or, with ``users``,
    those of them whose scope covers it). One query per candidate user and kind of record;
    returns the number of notifications made."""
    events = [e for e in events]
    if not events:
        return 0
    by_model: dict[type, list[Event]] = {}
    for event in events:
        by_model.setdefault(type(event.obj), []).append(event)
    region_ids = {e.obj.scope_region_id() for e in events} - {None}
    candidates = list(_candidates(kind, region_ids))
    if users is not None:
        wanted = {u.pk for u in users}
        candidates = [u for u in candidates if u.pk in wanted]
    made = []
    for user in candidates:
        seen = set(
            Notification.objects.filter(
                user=user, dedup_key__in=[e.key for e in events]
            ).values_list("dedup_key", flat=True)
        )
        for model, group in by_model.items():
            pks = [e.obj.pk for e in group if e.key not in seen]
            if not pks:
                continue
            visible = set(
                model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
            )
            made.extend(
                Notification(
                    user=user, kind=kind, title=e.title[:300], url=e.url[:500], dedup_key=e.key
                )
                for e in group
                if e.obj.pk in visible and e.key not in seen
            )
    Notification.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (another user's: refused)."""
    if notification.user_id != user.pk:
        raise ValidationError(_("Deze melding is niet van u."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_set(*, user, enabled_kinds: Iterable[str]) -> NotificationPreference:
    """Keep the kinds the user wants; the others of their role's kinds are switched off."""
    enabled = set(enabled_kinds)
    unknown = enabled - set(NotificationKind.values)
    if unknown:
        raise ValidationError(_("Onbekende soort melding: %(k)s") % {"k": ", ".join(unknown)})
    disabled = sorted(set(kinds_for(scope_for(user))) - enabled)
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    pref.disabled_kinds = disabled
    pref.save(update_fields=["disabled_kinds"])
    return pref


# --------------------------------------------------------------------------- producers

Producer = Callable[[date], int]
_PRODUCERS: dict[str, Producer] = {}


def register_producer(name: str, producer: Producer) -> Producer:
    """Register a daily producer: ``producer(today)`` makes its notifications (through
    :func:`notify_scoped`) and returns how many."""
    _PRODUCERS[name] = producer
    return producer


def producers() -> dict[str, Producer]:
    return dict(_PRODUCERS)


def notifications_produce(*, today: date | None = None) -> dict[str, int]:
    """Run every daily producer; idempotent (the dedup key). {producer: notifications made}."""
    today = today or timezone.localdate()
    return {name: producer(today) for name, producer in sorted(_PRODUCERS.items())}


DAILY_TASK_NAME = "Meldingen van de dag"


def ensure_daily_task():
    """The beat task (django-celery-beat, in the database) that runs the producers at 06:30."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    cron, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, _created = PeriodicTask.objects.update_or_create(
        name=DAILY_TASK_NAME,
        defaults={"task": "core.produce_notifications", "crontab": cron, "interval": None},
    )
    return task


# --------------------------------------------------------------------------- reads


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list(*, user):
    return Notification.objects.filter(user=user)
