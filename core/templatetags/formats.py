"""The template filters of figures, in one place: euros, numbers, percentages, months and
dates, for pages and PDFs alike. Each is a thin wrapper of ``core.ui.formatting`` (which the
CSV exports call directly), so a page, a PDF and a download write a figure the same way.

``{% load formats %}``; the older libraries ``contract_tags`` and ``monitoring_tags`` register
these same functions under their old names."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template

from core.ui import formatting

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def euro(value) -> str:
    """``1234.5`` → ``€ 1.234,50``, ``-793800`` → ``-€ 793.800,00``; empty for no value."""
    return formatting.euro(_decimal(value), empty="")


@register.filter
def percent(value) -> str:
    """``3.50`` → ``3,5%``; empty for no value."""
    amount = _decimal(value)
    return "" if amount is None else formatting.percent(amount)


@register.filter
def number(value, places=None) -> str:
    """Dutch notation with thousands: ``20000`` → ``20.000``, ``7.50`` → ``7,5``, ``28.00`` →
    ``28``; as precise as the value unless ``places`` says; empty for no value."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if places is None:
        places = max(0, -amount.normalize().as_tuple().exponent)
    return formatting.format_number(amount, int(places))


@register.filter
def value(figure, unit) -> str:
    """A figure with its unit (aantal, euro, dagen, procent, cijfer); '—' for none."""
    return formatting.format_value(figure, unit) if figure is not None else "—"


@register.filter
def norm_value(figure, unit) -> str:
    """A norm or threshold with its unit: ``€ 38.000``, ``28 dagen``; '—' for none."""
    return formatting.format_norm(figure, unit)


@register.filter
def month_name(month) -> str:
    """'oktober 2026' in the active language; empty for none."""
    return formatting.month_label(month) if month else ""


@register.filter
def short_month(month) -> str:
    """'okt' in the active language."""
    return formatting.short_month(month) if month else ""


@register.filter
def day(value) -> str:
    """``dd-mm-jjjj``; '—' for none."""
    if isinstance(value, datetime):
        value = value.date()
    return formatting.format_date(value if isinstance(value, date) else None)
