"""Notifications of providers (``core/notifications.py``): screenings about to expire, as the
region overview's panel counts them (passed, of a kind in use, valid until within 60 days)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.models import NotificationKind
from core.notifications import Event, notify_scoped, register_producer
from core.ui.formatting import format_date

from .models import Screening, ScreeningStatus

EXPIRING_WITHIN_DAYS = 60


def expiring_screenings(today: date):
    return Screening.objects.filter(
        kind__active=True,
        status=ScreeningStatus.PASSED,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
    ).select_related("provider__region", "kind")


def screenings_expiring(today: date) -> int:
    events = [
        Event(
            obj=s,
            title=_("Screening %(kind)s van %(provider)s verloopt op %(date)s")
            % {
                "kind": s.kind.name,
                "provider": s.provider.name,
                "date": format_date(s.valid_until),
            },
            url=s.provider.get_absolute_url(),
            key=f"screening-expiring:{s.pk}:{s.valid_until.isoformat()}",
        )
        for s in expiring_screenings(today)
    ]
    return notify_scoped(kind=NotificationKind.SCREENING_EXPIRING, events=events)


register_producer("screenings_expiring", screenings_expiring)
