"""The demo's clock: every date the demo loaders write is relative to one anchor day.

The demo data was written as it stood in ``DESIGN_MONTH``; ``load_demo`` runs on another day
(the anchor: today, or ``load_demo --today``), so every designed date moves by the whole months
between the two (``demo_date``), designed calendar years move with the last month of
production (``demo_year``), and what must lie a number of days before the anchor (a screening,
a lapsed VOG) is counted from the anchor itself (``anchor()``). The data keeps its shape; only
its dates move.
"""

from __future__ import annotations

import calendar
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.utils import timezone

from core.ui.formatting import add_months, months_before

#: the month the demo's dates were written for (its production runs to two months before)
DESIGN_MONTH = date(2026, 12, 1)
#: the last month of the designed production, whose year is the demo's "current" year
DESIGN_FIRST_PRODUCTION = date(2025, 1, 1)
DESIGN_LAST_PRODUCTION = date(2026, 10, 1)

_anchor: date | None = None


def anchor() -> date:
    """The day the demo is loaded for: set by ``anchored``, else today."""
    return _anchor or timezone.localdate()


@contextmanager
def anchored(day: date | None):
    """Load the demo as if on ``day`` (None: today)."""
    global _anchor
    previous, _anchor = _anchor, day
    try:
        yield
    finally:
        _anchor = previous


def month_offset() -> int:
    """Whole months from the designed month to the anchor's."""
    day = anchor()
    return (day.year - DESIGN_MONTH.year) * 12 + day.month - DESIGN_MONTH.month


def year_offset() -> int:
    """Whole years the demo's calendar years move: with the last month of production."""
    return add_months(DESIGN_LAST_PRODUCTION, month_offset()).year - DESIGN_LAST_PRODUCTION.year


def shift_months(day: date) -> date:
    """A designed date moved by the whole months to the anchor (a first of the month stays one)."""
    return add_months(day, month_offset())


def shift(day: date) -> date:
    """A designed date, moved to the anchor: by whole months, except the turn of a year (1 January
    and 31 December: contract starts and ends, indexations, budgets), which moves with the
    calendar years (``demo_year``)."""
    if (day.month, day.day) in ((1, 1), (12, 31)):
        return day.replace(year=day.year + year_offset())
    return shift_months(day)


def demo_date(year: int, month: int, day: int) -> date:
    """``date(year, month, day)`` as designed, on the anchor's calendar."""
    return shift(date(year, month, day))


def demo_at(moment: datetime) -> datetime:
    """A designed moment, moved like ``shift`` (time of day and zone kept)."""
    moved = shift(moment.date())
    return moment + timedelta(days=(moved - moment.date()).days)


def demo_year(year: int) -> int:
    """A designed calendar year, moved with the last month of production."""
    return year + year_offset()


def production_months() -> tuple[date, date]:
    """The first and last month of the demo's production (22 months, the last one two months
    before the anchor's month)."""
    return shift_months(DESIGN_FIRST_PRODUCTION), shift_months(DESIGN_LAST_PRODUCTION)


def first_production_month() -> date:
    """The first month of the demo's production."""
    return production_months()[0]


def last_production_month() -> date:
    """The last month of the demo's production."""
    return production_months()[1]


def last_production_day() -> date:
    """The last day of the demo's production: the end of its last month."""
    last = last_production_month()
    return last.replace(day=calendar.monthrange(last.year, last.month)[1])


def production_years() -> tuple[int, ...]:
    """The calendar years the demo's production touches (budgets and ceilings cover each)."""
    first, last = production_months()
    return tuple(range(first.year, last.year + 1))


def months_before_anchor(months: int) -> date:
    """The first of the month ``months`` before the anchor's month."""
    return months_before(months, anchor())
