"""The term of a contract and its status, as pure functions over dates and events.

A contract runs from its start for the initial term; each extension option is a number of years
that can be exercised, in order, before the current term ends. A termination ends it early.
Status follows from these facts and the day asked about; nothing sets it by hand.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.ui.formatting import add_months, format_date

from .codes import ContractStatus, EventKind


class TermError(ValueError):
    """A step that the contract's term does not allow; the message says why."""


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def term_end(start: date, years: int) -> date:
    """The last day of a term of ``years`` years from ``start`` (inclusive): the day before
    the anniversary. A term from 29 February ends on 28 February of a common year."""
    return add_years(start - timedelta(days=1), years)


@dataclass(frozen=True)
class EventFact:
    kind: str
    effective_on: date
    years: int | None = None


@dataclass(frozen=True)
class TermState:
    end_date: date
    final_end_date: date
    terminated_on: date | None
    extensions_used: int


def derive(
    *, start: date, initial_years: int, options: Sequence[int], events: Iterable[EventFact]
) -> TermState:
    """End date, last possible end date, termination and extensions used, from the events."""
    years = initial_years
    used = 0
    terminated_on = None
    for event in sorted(events, key=lambda e: e.effective_on):
        if event.kind == EventKind.EXTENSION:
            years += event.years or 0
            used += 1
        elif event.kind == EventKind.TERMINATION:
            terminated_on = event.effective_on
    end = term_end(start, years)
    final_end = term_end(start, initial_years + sum(options))
    if terminated_on is not None:
        end = min(end, terminated_on)
    return TermState(
        end_date=end, final_end_date=final_end, terminated_on=terminated_on, extensions_used=used
    )


def status_on(
    *, start: date, end: date | None, terminated_on: date | None, extensions_used: int, day: date
) -> str:
    if day < start:
        return ContractStatus.PLANNED
    if terminated_on is not None and day > terminated_on:
        return ContractStatus.TERMINATED
    if end is not None and day > end:
        return ContractStatus.ENDED
    return ContractStatus.EXTENDED if extensions_used else ContractStatus.ACTIVE


def check_extension(
    *,
    options: Sequence[int],
    extensions_used: int,
    years: int,
    end_date: date,
    terminated_on: date | None,
    on: date,
) -> None:
    """Raise :class:`TermError` unless the next option, of ``years`` years, can be exercised."""
    if terminated_on is not None:
        raise TermError(_("Een beëindigd contract kan niet worden verlengd."))
    if extensions_used >= len(options):
        if not options:
            raise TermError(_("Dit contract heeft geen verlengingsopties."))
        raise TermError(
            _("Alle verlengingsopties (%(options)s jaar) zijn al benut.")
            % {"options": " + ".join(str(n) for n in options)}
        )
    expected = options[extensions_used]
    if years != expected:
        raise TermError(
            _("De volgende verlengingsoptie is %(expected)s jaar, niet %(years)s.")
            % {"expected": expected, "years": years}
        )
    if on > end_date:
        raise TermError(
            _("Een verlenging wordt besloten vóór het einde van de looptijd (%(end)s).")
            % {"end": format_date(end_date)}
        )


def check_termination(
    *, start: date, end_date: date, terminated_on: date | None, on: date, reason: str
) -> None:
    if terminated_on is not None:
        raise TermError(_("Dit contract is al beëindigd."))
    if not reason.strip():
        raise TermError(_("Geef de reden van de beëindiging."))
    if on < start:
        raise TermError(_("Een contract kan niet vóór zijn ingangsdatum worden beëindigd."))
    if on > end_date:
        raise TermError(
            _("Het contract loopt al af op %(end)s; beëindigen daarna is niet nodig.")
            % {"end": format_date(end_date)}
        )


def ends_within(*, end: date, final_end: date, today: date, months: int) -> bool:
    """Whether the current term or the last option ends between today and ``months`` ahead."""
    horizon = add_months(today, months)
    return today <= end <= horizon or today <= final_end <= horizon


REVERSIBLE = (EventKind.EXTENSION, EventKind.AMENDMENT, EventKind.TERMINATION)


def reversal_refusal(event, live: Sequence) -> str | None:
    """Why ``event`` (a contract event) cannot be reversed, or ``None``; ``live`` are the
    contract's events that still count (neither a reversal nor reversed).

    The rule keeps the remaining events consistent: only an extension, amendment or
    termination that still counts, and only the latest of its kind (extension options are
    taken in order; an amendment's old values are those before the latest one). An extension
    is not reversed while a termination counts (reverse that first). An amendment recorded
    before the old values were kept cannot be reversed (record a new amendment instead)."""
    kind = event.get_kind_display()
    if event.kind not in REVERSIBLE:
        return _("Een gebeurtenis van de soort '%(kind)s' kan niet worden teruggedraaid.") % {
            "kind": kind
        }
    if all(e.pk != event.pk for e in live):
        return _("Deze gebeurtenis is al teruggedraaid.")
    later = [
        e
        for e in live
        if e.kind == event.kind and (e.effective_on, e.pk) > (event.effective_on, event.pk)
    ]
    if later:
        return _(
            "Alleen de laatste %(kind)s kan worden teruggedraaid; draai eerst die van %(day)s "
            "terug."
        ) % {"kind": kind.lower(), "day": format_date(later[-1].effective_on)}
    if event.kind == EventKind.EXTENSION and any(e.kind == EventKind.TERMINATION for e in live):
        return _("Het contract is beëindigd; draai eerst de beëindiging terug.")
    if event.kind == EventKind.AMENDMENT and event.changes is None:
        return _(
            "Van deze wijziging zijn de oude waarden niet vastgelegd; leg een nieuwe wijziging "
            "vast om haar te herstellen."
        )
    return None
