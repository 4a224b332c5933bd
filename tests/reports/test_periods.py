"""Report periods: codes, Dutch labels, the last complete period, parsing with clear errors."""

from datetime import date

import pytest

from reports.periods import last_complete, parse_period, period_containing, recent_periods

D = date


@pytest.mark.parametrize(
    ("cadence", "day", "code", "start", "end", "label"),
    [
        ("month", D(2026, 11, 10), "2026-10", D(2026, 10, 1), D(2026, 10, 31), "oktober 2026"),
        ("month", D(2024, 3, 1), "2024-02", D(2024, 2, 1), D(2024, 2, 29), "februari 2024"),
        ("month", D(2026, 1, 10), "2025-12", D(2025, 12, 1), D(2025, 12, 31), "december 2025"),
        ("quarter", D(2026, 1, 15), "2025-K4", D(2025, 10, 1), D(2025, 12, 31), "4e kwartaal 2025"),
        ("quarter", D(2026, 7, 15), "2026-K2", D(2026, 4, 1), D(2026, 6, 30), "2e kwartaal 2026"),
        ("year", D(2026, 3, 1), "2025", D(2025, 1, 1), D(2025, 12, 31), "2025"),
    ],
)
def test_last_complete_period(cadence, day, code, start, end, label):
    period = last_complete(cadence, day)
    assert (period.code, period.start, period.end, period.label) == (code, start, end, label)
    assert parse_period(cadence, code) == period


def test_months_of_a_quarter_and_the_previous_period():
    q = parse_period("quarter", "2026-k3")
    assert q.months == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert q.last_month == date(2026, 9, 1)
    assert q.previous().code == "2026-K2"
    assert parse_period("quarter", "2026-K1").previous().code == "2025-K4"
    assert period_containing("year", date(2026, 5, 5)).months[-1] == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("cadence", "code", "message"),
    [
        ("month", "2026-13", "maand 13 bestaat niet"),
        ("month", "oktober", "verwacht zoiets als 2026-10"),
        ("quarter", "2026-Q3", "verwacht zoiets als 2026-K3"),
        ("quarter", "2026-K5", "verwacht zoiets als 2026-K3"),
        ("year", "1999", "buiten 2000–2100"),
        ("year", "", "verwacht zoiets als 2026"),
    ],
)
def test_a_bad_period_says_what_was_expected(cadence, code, message):
    with pytest.raises(ValueError, match=message):
        parse_period(cadence, code)


def test_recent_periods_newest_first():
    assert [p.code for p in recent_periods("quarter", date(2026, 11, 22), 3)] == [
        "2026-K3",
        "2026-K2",
        "2026-K1",
    ]
