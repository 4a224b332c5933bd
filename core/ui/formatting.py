"""Months, dates, euros, percentages and numbers: one implementation for pages, PDFs and CSV.

Pure functions, no database. Money is ``Decimal`` rounded half up to cents. Months are
first-of-month ``date``s."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

CENT = Decimal("0.01")

# --- months and days -----------------------------------------------------------------------------


def month_of(day: date) -> date:
    """The first day of ``day``'s month."""
    return date(day.year, day.month, 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); a day past the target month's end becomes its
    last day (31 January + 1 month = 28 or 29 February). A first-of-month stays one."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def months_before(months: int, day: date) -> date:
    """The first of the month ``months`` calendar months before ``day``'s month (0: its own)."""
    return add_months(month_of(day), -months)


def month_range(first: date, last: date) -> list[date]:
    """First-of-month dates from ``first``'s month through ``last``'s month (empty when
    ``last`` lies before ``first``)."""
    result, month, last = [], month_of(first), month_of(last)
    while month <= last:
        result.append(month)
        month = add_months(month, 1)
    return result


def format_date(day: date | None, *, empty: str = "—") -> str:
    """``dd-mm-jjjj``, the way Dutch documents write a date; ``empty`` for no date."""
    return day.strftime("%d-%m-%Y") if day else empty


def format_moment(at: datetime | None, *, seconds: bool = False, empty: str = "—") -> str:
    """``dd-mm-jjjj hh:mm`` (with ``:ss`` when ``seconds``) in the region's time zone (an aware
    moment is shown in local time); ``empty`` for no moment."""
    if at is None:
        return empty
    if timezone.is_aware(at):
        at = timezone.localtime(at)
    return at.strftime("%d-%m-%Y %H:%M:%S" if seconds else "%d-%m-%Y %H:%M")


def month_label(month: date) -> str:
    """'oktober 2026' (in the active language)."""
    return dateformat.format(month, "F Y")


def short_month(month: date, with_year: bool = False) -> str:
    """'okt' or "okt '26"."""
    text = dateformat.format(month, "b")
    return f"{text} '{month:%y}" if with_year else text


# --- numbers and money ---------------------------------------------------------------------------


def money(value) -> Decimal:
    """``value`` as euros and cents, rounded half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """'1234567' → '1.234.567'."""
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sign + ".".join(parts)


def format_number(value, places: int = 1) -> str:
    """Dutch notation: ``1234.5`` → ``1.234,5``; trailing ``,0`` dropped (``28`` not ``28,0``)."""
    quantum = Decimal(1).scaleb(-places) if places else Decimal(1)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    grouped = _group(whole)
    if grouped in ("-0", "-") and not fraction:
        grouped = "0"
    return f"{grouped},{fraction}" if fraction else grouped


def euro(value, *, empty: str | None = None) -> str:
    """Dutch notation: € 1.234,56; a negative amount has its sign before the euro sign,
    -€ 1.234,56 (never "€ -1.234,56"); ``empty`` for no value (without it, ``None`` is an
    error)."""
    if value is None and empty is not None:
        return empty
    whole, _dot, cents = f"{money(value):f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}€ {_group(whole.lstrip('-'))},{cents}"


def percent(value) -> str:
    """``3.50`` → ``3,5%``: as precise as the value, no trailing zeros."""
    return f"{Decimal(value).normalize():f}".replace(".", ",") + "%"


def format_value(value, unit: str, *, compact: bool = False) -> str:
    """A figure with its unit (aantal, euro, dagen, procent, cijfer) in Dutch notation;
    ``compact`` for axis labels."""
    if value is None:
        return _("geen waarde")
    if unit == "euro":
        amount = Decimal(str(value))
        sign = "-" if amount < 0 and compact else ""
        if compact and abs(amount) >= 1_000_000:
            return f"{sign}€ {format_number(abs(amount) / 1_000_000, 1)} mln"
        if compact:
            text = format_number(abs(amount), 0)
            return f"{sign if text != '0' else ''}€ {text}"
        return euro(Decimal(str(value)))
    if unit == "procent":
        return f"{format_number(value, 1)}%"
    if unit == "dagen":
        text = format_number(value, 1)
        if compact:
            return text
        return f"{text} {_('dag') if text == '1' else _('dagen')}"
    if unit == "cijfer":
        return format_number(value, 1)
    return format_number(value, 0 if Decimal(str(value)) == int(Decimal(str(value))) else 1)


def format_norm(value, unit: str) -> str:
    """A norm or threshold in a table whose KPI names its unit: euros with their sign and
    without cents when whole (``€ 38.000``), percentages with ``%``, other figures as a number
    (``28``)."""
    if value is None:
        return "—"
    amount = Decimal(str(value))
    if unit == "euro" and amount == int(amount):
        sign = "-" if amount < 0 else ""
        return f"{sign}€ {format_number(abs(amount), 0)}"
    if unit in ("euro", "procent"):
        return format_value(amount, unit)
    return format_number(amount, 2)
