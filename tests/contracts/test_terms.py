"""contracts.terms: term end, derived state, status and the checks on extension/termination."""

from datetime import date

import pytest

from contracts.codes import ContractStatus, EventKind
from contracts.terms import (
    EventFact,
    TermError,
    TermState,
    check_extension,
    check_termination,
    derive,
    ends_within,
    status_on,
    term_end,
)

START = date(2026, 1, 1)


@pytest.mark.parametrize(
    "start, years, end",
    [
        (date(2026, 1, 1), 4, date(2029, 12, 31)),  # 01-01-2030 minus one day
        (date(2026, 7, 15), 1, date(2027, 7, 14)),
        (date(2024, 3, 1), 1, date(2025, 2, 28)),  # 01-03-2025 minus one day
        (date(2024, 2, 29), 4, date(2028, 2, 28)),  # 29-02-2028 exists: minus one day
        # From 29 February: the day before the anniversary (1 March 2025) is 28-02-2025.
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 3, 1), 1, date(2025, 2, 28)),
    ],
)
def test_term_end(start, years, end):
    assert term_end(start, years) == end


def test_derive_without_events():
    state = derive(start=START, initial_years=4, options=(1, 1), events=[])
    # initial 4 years → 31-12-2029; with both options (4 + 1 + 1 = 6) → 31-12-2031
    assert state == TermState(
        end_date=date(2029, 12, 31),
        final_end_date=date(2031, 12, 31),
        terminated_on=None,
        extensions_used=0,
    )


def test_derive_counts_extensions_in_date_order():
    events = [
        EventFact(EventKind.EXTENSION, date(2030, 11, 1), years=1),
        EventFact(EventKind.START, START),
        EventFact(EventKind.AMENDMENT, date(2027, 3, 1)),
        EventFact(EventKind.EXTENSION, date(2029, 6, 1), years=1),
    ]
    state = derive(start=START, initial_years=4, options=(1, 1), events=events)
    # 4 + 1 + 1 = 6 years → 31-12-2031, which is also the last possible end
    assert state.end_date == date(2031, 12, 31)
    assert state.final_end_date == date(2031, 12, 31)
    assert state.extensions_used == 2
    assert state.terminated_on is None


def test_derive_termination_ends_the_term_early():
    events = [
        EventFact(EventKind.EXTENSION, date(2029, 6, 1), years=2),
        EventFact(EventKind.TERMINATION, date(2030, 3, 31)),
    ]
    state = derive(start=START, initial_years=4, options=(2, 2), events=events)
    # extended to 4 + 2 = 6 years (31-12-2031), terminated 31-03-2030: the earlier wins
    assert state.end_date == date(2030, 3, 31)
    assert state.terminated_on == date(2030, 3, 31)
    assert state.extensions_used == 1
    # 4 + 2 + 2 = 8 years → 31-12-2033
    assert state.final_end_date == date(2033, 12, 31)


@pytest.mark.parametrize(
    "day, terminated_on, used, status",
    [
        (date(2025, 12, 31), None, 0, ContractStatus.PLANNED),
        (date(2026, 1, 1), None, 0, ContractStatus.ACTIVE),
        (date(2029, 12, 31), None, 0, ContractStatus.ACTIVE),  # the last day still runs
        (date(2027, 5, 1), None, 1, ContractStatus.EXTENDED),
        (date(2030, 1, 1), None, 0, ContractStatus.ENDED),
        (date(2028, 6, 30), date(2028, 6, 30), 0, ContractStatus.ACTIVE),  # last day
        (date(2028, 7, 1), date(2028, 6, 30), 0, ContractStatus.TERMINATED),
        (date(2030, 1, 1), date(2028, 6, 30), 1, ContractStatus.TERMINATED),
    ],
)
def test_status_on(day, terminated_on, used, status):
    end = terminated_on or date(2029, 12, 31)
    assert (
        status_on(start=START, end=end, terminated_on=terminated_on, extensions_used=used, day=day)
        == status
    )


def test_status_on_open_ended_contract_never_ends():
    status = status_on(
        start=START, end=None, terminated_on=None, extensions_used=0, day=date(2099, 1, 1)
    )
    assert status == ContractStatus.ACTIVE


def extension(**overrides):
    kwargs = {
        "options": (2, 1),
        "extensions_used": 0,
        "years": 2,
        "end_date": date(2029, 12, 31),
        "terminated_on": None,
        "on": date(2029, 6, 1),
    }
    kwargs.update(overrides)
    return check_extension(**kwargs)


def test_check_extension_allows_the_next_option():
    assert extension() is None
    assert extension(extensions_used=1, years=1) is None
    assert extension(on=date(2029, 12, 31)) is None  # on the last day


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"extensions_used": 2, "years": 1},
            "Alle verlengingsopties (2 + 1 jaar) zijn al benut.",
        ),
        ({"options": (), "years": 1}, "Dit contract heeft geen verlengingsopties."),
        ({"years": 1}, "De volgende verlengingsoptie is 2 jaar, niet 1."),
        ({"extensions_used": 1, "years": 2}, "De volgende verlengingsoptie is 1 jaar, niet 2."),
        (
            {"on": date(2030, 1, 1)},
            "Een verlenging wordt besloten vóór het einde van de looptijd (31-12-2029).",
        ),
        (
            {"terminated_on": date(2028, 6, 30)},
            "Een beëindigd contract kan niet worden verlengd.",
        ),
    ],
)
def test_check_extension_refuses(overrides, message):
    with pytest.raises(TermError) as error:
        extension(**overrides)
    assert str(error.value) == message


def termination(**overrides):
    kwargs = {
        "start": START,
        "end_date": date(2029, 12, 31),
        "terminated_on": None,
        "on": date(2028, 6, 30),
        "reason": "Aanbieder failliet",
    }
    kwargs.update(overrides)
    return check_termination(**kwargs)


def test_check_termination_allows_within_the_term():
    assert termination() is None
    assert termination(on=START) is None
    assert termination(on=date(2029, 12, 31)) is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"terminated_on": date(2027, 1, 31)}, "Dit contract is al beëindigd."),
        ({"reason": "   "}, "Geef de reden van de beëindiging."),
        (
            {"on": date(2025, 12, 31)},
            "Een contract kan niet vóór zijn ingangsdatum worden beëindigd.",
        ),
        (
            {"on": date(2030, 1, 1)},
            "Het contract loopt al af op 31-12-2029; beëindigen daarna is niet nodig.",
        ),
    ],
)
def test_check_termination_refuses(overrides, message):
    with pytest.raises(TermError) as error:
        termination(**overrides)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "end, final_end, today, months, expected",
    [
        # horizon 15-10-2026 + 3 months = 15-01-2027; the term ends 31-12-2026
        (date(2026, 12, 31), date(2028, 12, 31), date(2026, 10, 15), 3, True),
        # horizon 15-12-2026: the term ends after it, the last option long after
        (date(2026, 12, 31), date(2028, 12, 31), date(2026, 9, 15), 3, False),
        # the current term already ended, the last option ends within the horizon
        (date(2026, 12, 31), date(2027, 2, 28), date(2027, 1, 10), 3, True),
        # 30-11-2026 + 3 months = 28-02-2027 (clamped): ends on the horizon → True
        (date(2027, 2, 28), date(2029, 2, 28), date(2026, 11, 30), 3, True),
        # … and a day later is outside it
        (date(2027, 3, 1), date(2029, 3, 1), date(2026, 11, 30), 3, False),
        # both already in the past
        (date(2025, 12, 31), date(2025, 12, 31), date(2026, 1, 1), 6, False),
    ],
)
def test_ends_within(end, final_end, today, months, expected):
    assert ends_within(end=end, final_end=final_end, today=today, months=months) is expected
