"""Template filters of contract management: money and percentages in Dutch notation."""

from decimal import Decimal, InvalidOperation

from django import template

from core.ui.formatting import euro as _euro
from core.ui.formatting import percent as _percent

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def euro(value) -> str:
    """``1234.5`` → ``€ 1.234,50``; empty for no value."""
    return _euro(_decimal(value), empty="")


@register.filter
def percent(value) -> str:
    """``3.50`` → ``3,5%``; empty for no value."""
    amount = _decimal(value)
    return "" if amount is None else _percent(amount)


@register.filter
def number(value) -> str:
    """A decimal without trailing zeros, Dutch comma: ``28.00`` → ``28``, ``7.50`` → ``7,5``."""
    amount = _decimal(value)
    if amount is None:
        return ""
    text = f"{amount.normalize():f}"
    return text.replace(".", ",")
