"""When an admission procedure accepts applications. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.ui.formatting import add_months

from .codes import AdmissionMode, ProcedureType


@dataclass(frozen=True)
class Window:
    opened_on: date
    closed_on: date | None  # the day it closed: applications on that day are refused


def moment_window(months: Sequence[int], window_days: int, day: date) -> tuple[date, date] | None:
    """The admission moment (first of one of ``months``) whose window of ``window_days`` days
    covers ``day``, as (first day, last day); ``None`` when ``day`` lies between moments."""
    for year in (day.year, day.year - 1):
        for month in sorted(months, reverse=True):
            start = date(year, month, 1)
            end = start + timedelta(days=window_days - 1)
            if start <= day <= end:
                return start, end
    return None


def next_moment(months: Sequence[int], day: date) -> date | None:
    if not months:
        return None
    candidates = [date(y, m, 1) for y in (day.year, day.year + 1) for m in months]
    return min(c for c in candidates if c > day)


def window_covering(windows: Iterable[Window], day: date) -> Window | None:
    for w in windows:
        if w.opened_on <= day and (w.closed_on is None or day < w.closed_on):
            return w
    return None


def accepts_on(
    procedure_type: str,
    mode: str,
    months: Sequence[int],
    window_days: int,
    windows: Iterable[Window],
    day: date,
) -> bool:
    """Whether an admission procedure (already running) accepts an application on ``day``."""
    if procedure_type == ProcedureType.CONDITIONAL_ADMISSION:
        return window_covering(windows, day) is not None
    if mode == AdmissionMode.MOMENTS:
        return moment_window(months, window_days, day) is not None
    return True


def reapply_from(refused_on: date, bar_months: int) -> date:
    """First day a refused provider may apply again."""
    return add_months(refused_on, bar_months)


def eligibility_verdict(passes: Iterable[bool | None]) -> bool | None:
    """``False`` as soon as one requirement fails; ``None`` while one is unjudged."""
    passes = list(passes)
    if any(p is False for p in passes):
        return False
    if any(p is None for p in passes):
        return None
    return True
