"""Notifications of contracts (``core/notifications.py``): contracts whose current term or last
option ends within three months (the contract list's "aflopend" filter)."""

from datetime import date

from django.utils.translation import gettext as _

from core.models import NotificationKind
from core.notifications import Event, notify_scoped, register_producer
from core.ui.formatting import format_date

from .models import Contract
from .selectors import expiring

EXPIRING_WITHIN_MONTHS = 3


def contracts_expiring(today: date) -> int:
    contracts = expiring(Contract.objects.all(), EXPIRING_WITHIN_MONTHS, today).select_related(
        "region", "provider"
    )
    events = [
        Event(
            obj=c,
            title=_("Contract %(ref)s met %(provider)s loopt af op %(date)s")
            % {"ref": c.reference, "provider": c.provider.name, "date": format_date(c.end_date)},
            url=c.get_absolute_url(),
            # an extension moves the end date: the new end is a new event
            key=f"contract-expiring:{c.pk}:{c.end_date.isoformat()}",
        )
        for c in contracts
    ]
    return notify_scoped(kind=NotificationKind.CONTRACT_EXPIRING, events=events)


register_producer("contracts_expiring", contracts_expiring)
