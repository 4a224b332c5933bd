"""Report periods: a month (``2026-10`` or ``oktober 2026``), a quarter (``2026-K3``) or a year
(``2026``).

Pure functions. A scheduled run reports on the last *complete* period before the day it runs:
on 10 November the provider reports cover October, on 15 January the quarterly reports cover
the fourth quarter, on 1 March the board summary covers the year before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.ui.formatting import add_months as _add_months
from core.ui.formatting import month_label as _month_label

MONTH, QUARTER, YEAR = "month", "quarter", "year"
CADENCES = (MONTH, QUARTER, YEAR)

MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

_PATTERNS = {
    MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    QUARTER: re.compile(r"^(\d{4})-K([1-4])$"),
    YEAR: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {MONTH: "2026-10", QUARTER: "2026-K3", YEAR: "2026"}


@dataclass(frozen=True)
class Period:
    cadence: str
    start: date  # first day
    end: date  # last day

    @property
    def code(self) -> str:
        if self.cadence == MONTH:
            return f"{self.start:%Y-%m}"
        if self.cadence == QUARTER:
            return f"{self.start.year}-K{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """The period in words of the active language: "oktober 2026", "3e kwartaal 2026",
        "2026"."""
        if self.cadence == MONTH:
            return _month_label(self.start)
        if self.cadence == QUARTER:
            return _("%(n)se kwartaal %(year)s") % {
                "n": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return str(self.start.year)

    @property
    def months(self) -> list[date]:
        """The first day of every month in the period."""
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = _add_months(m, 1)
        return out

    @property
    def last_month(self) -> date:
        return self.end.replace(day=1)

    def previous(self) -> Period:
        return period_containing(self.cadence, self.start - timedelta(days=1))

    def __str__(self):
        return self.code


def _make(cadence: str, start: date, months: int) -> Period:
    return Period(cadence, start, _add_months(start, months) - timedelta(days=1))


def period_containing(cadence: str, day: date) -> Period:
    if cadence == MONTH:
        return _make(MONTH, day.replace(day=1), 1)
    if cadence == QUARTER:
        return _make(QUARTER, date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3)
    if cadence == YEAR:
        return _make(YEAR, date(day.year, 1, 1), 12)
    raise ValueError(f"Unknown cadence {cadence!r}")


def last_complete(cadence: str, day: date) -> Period:
    """The last period of the cadence that ended before ``day``."""
    return period_containing(cadence, day).previous()


_MONTH_WORDS = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")


def _month_number(word: str) -> int | None:
    """'oktober', 'okt', 'October', 'oct' → 10 (Dutch and English, any case)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.dates import MONTHS, MONTHS_3

    word = word.casefold()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for number in range(1, 13):
                if word in (str(MONTHS[number]).casefold(), str(MONTHS_3[number]).casefold()):
                    return number
    return None


def parse_period(cadence: str, code: str) -> Period:
    """``"2026-K3"`` -> the third quarter of 2026; a month also as words (``"september
    2026"``). A code that does not fit the cadence raises ValueError with a message that says
    what was expected."""
    text = (code or "").strip().upper()
    words = _MONTH_WORDS.match((code or "").strip())
    if cadence == MONTH and words and (number := _month_number(words.group(1))):
        text = f"{words.group(2)}-{number:02d}"
    match = _PATTERNS[cadence].match(text)
    if match is None:
        raise ValueError(
            _("Periode '%(code)s' past niet: verwacht zoiets als %(example)s.")
            % {"code": code, "example": _EXAMPLES[cadence]}
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(_("Periode '%(code)s': het jaar ligt buiten 2000–2100.") % {"code": code})
    if cadence == MONTH:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(
                _("Periode '%(code)s': maand %(m)s bestaat niet.") % {"code": code, "m": month}
            )
        return period_containing(MONTH, date(year, month, 1))
    if cadence == QUARTER:
        return period_containing(QUARTER, date(year, (int(match.group(2)) - 1) * 3 + 1, 1))
    return period_containing(YEAR, date(year, 1, 1))


def recent_periods(cadence: str, day: date, count: int) -> list[Period]:
    """The ``count`` last complete periods before ``day``, newest first (for choices)."""
    out, p = [], last_complete(cadence, day)
    for _i in range(count):
        out.append(p)
        p = p.previous()
    return out
