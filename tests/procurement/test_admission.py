"""Admission moments and windows, the re-application bar and the eligibility verdict."""

from datetime import date, timedelta

import pytest

from procurement.admission import (
    Window,
    accepts_on,
    add_months,
    eligibility_verdict,
    moment_window,
    next_moment,
    reapply_from,
    window_covering,
)
from procurement.codes import AdmissionMode, ProcedureType

QUARTERS = [1, 4, 7, 10]

# ---------------------------------------------------------------- admission moments


def test_a_moment_opens_on_the_first_of_its_month():
    assert moment_window(QUARTERS, 30, date(2025, 4, 1)) == (date(2025, 4, 1), date(2025, 4, 30))
    assert moment_window(QUARTERS, 30, date(2025, 3, 31)) is None


def test_the_thirtieth_day_is_in_a_30_day_window_and_the_thirty_first_is_not():
    assert moment_window(QUARTERS, 30, date(2025, 4, 30)) == (date(2025, 4, 1), date(2025, 4, 30))
    assert moment_window(QUARTERS, 30, date(2025, 5, 1)) is None
    # In a 31-day month the 31st is the 31st day.
    assert moment_window(QUARTERS, 30, date(2025, 7, 30)) == (date(2025, 7, 1), date(2025, 7, 30))
    assert moment_window(QUARTERS, 30, date(2025, 7, 31)) is None


def test_a_window_may_run_into_the_next_month():
    # 1 January + 40 days: the last day is 9 February.
    assert moment_window([1], 40, date(2025, 2, 9)) == (date(2025, 1, 1), date(2025, 2, 9))
    assert moment_window([1], 40, date(2025, 2, 10)) is None


def test_a_december_window_wraps_into_january():
    assert moment_window([12], 40, date(2026, 1, 9)) == (date(2025, 12, 1), date(2026, 1, 9))
    assert moment_window([12], 40, date(2026, 1, 10)) is None
    assert moment_window([12], 40, date(2025, 12, 1)) == (date(2025, 12, 1), date(2026, 1, 9))
    assert moment_window([12], 40, date(2025, 11, 30)) is None


def test_the_january_moment_of_each_year():
    assert moment_window(QUARTERS, 30, date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 1, 30))
    assert moment_window(QUARTERS, 30, date(2026, 1, 30)) == (date(2026, 1, 1), date(2026, 1, 30))
    assert moment_window(QUARTERS, 30, date(2026, 1, 31)) is None
    assert moment_window(QUARTERS, 30, date(2025, 12, 31)) is None


def test_one_day_windows_and_unsorted_months():
    assert moment_window([10, 1, 7, 4], 1, date(2025, 10, 1)) == (
        date(2025, 10, 1),
        date(2025, 10, 1),
    )
    assert moment_window([10, 1, 7, 4], 1, date(2025, 10, 2)) is None


def test_no_months_no_moments():
    assert moment_window([], 30, date(2025, 4, 1)) is None
    assert next_moment([], date(2025, 4, 1)) is None


def test_every_day_of_a_year_against_a_walk_by_hand():
    """Quarterly moments of 30 days: exactly the first 30 days of Jan, Apr, Jul, Oct."""
    day = date(2025, 1, 1)
    open_days = 0
    while day.year == 2025:
        expected = day.month in QUARTERS and day.day <= 30
        assert (moment_window(QUARTERS, 30, day) is not None) is expected, day
        open_days += expected
        day += timedelta(days=1)
    assert open_days == 120


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2025, 2, 14), date(2025, 4, 1)),
        (date(2025, 3, 31), date(2025, 4, 1)),
        (date(2025, 4, 1), date(2025, 7, 1)),  # strictly after: the next one
        (date(2025, 10, 2), date(2026, 1, 1)),
        (date(2025, 11, 15), date(2026, 1, 1)),  # the year wraps
        (date(2025, 12, 31), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2026, 4, 1)),
    ],
)
def test_next_moment(day, expected):
    assert next_moment(QUARTERS, day) == expected


def test_next_moment_with_a_single_month():
    assert next_moment([4], date(2025, 4, 1)) == date(2026, 4, 1)
    assert next_moment([4], date(2025, 3, 1)) == date(2025, 4, 1)


# ------------------------------------------------------- windows of a conditional admission


def test_an_open_window_covers_every_day_from_its_opening():
    w = Window(date(2025, 3, 10), None)
    assert window_covering([w], date(2025, 3, 9)) is None
    assert window_covering([w], date(2025, 3, 10)) == w
    assert window_covering([w], date(2030, 1, 1)) == w


def test_the_closing_day_is_refused():
    w = Window(date(2025, 3, 10), date(2025, 4, 10))
    assert window_covering([w], date(2025, 4, 9)) == w
    assert window_covering([w], date(2025, 4, 10)) is None
    assert window_covering([w], date(2025, 4, 11)) is None


def test_a_window_closed_the_day_it_opened_covers_nothing():
    w = Window(date(2025, 3, 10), date(2025, 3, 10))
    assert window_covering([w], date(2025, 3, 10)) is None


def test_the_window_covering_the_day_is_found_among_several():
    first = Window(date(2025, 1, 6), date(2025, 2, 3))
    second = Window(date(2025, 2, 3), None)
    windows = [second, first]
    assert window_covering(windows, date(2025, 1, 20)) == first
    assert window_covering(windows, date(2025, 2, 3)) == second
    assert window_covering(windows, date(2025, 1, 5)) is None
    assert window_covering([], date(2025, 1, 20)) is None


# ---------------------------------------------------------------- accepts_on per type

OH = ProcedureType.OPEN_HOUSE
CA = ProcedureType.CONDITIONAL_ADMISSION


def test_open_house_continuous_accepts_every_day():
    for day in (date(2025, 1, 1), date(2025, 5, 17), date(2025, 12, 31)):
        assert accepts_on(OH, AdmissionMode.CONTINUOUS, [], 30, [], day)


def test_open_house_with_moments_accepts_only_within_a_moment():
    def accepts(day):
        return accepts_on(OH, AdmissionMode.MOMENTS, QUARTERS, 30, [], day)

    assert accepts(date(2025, 4, 1))
    assert accepts(date(2025, 4, 30))
    assert not accepts(date(2025, 5, 1))
    assert not accepts(date(2025, 3, 31))


def test_conditional_admission_accepts_only_in_a_window_whatever_its_moments():
    w = Window(date(2025, 5, 5), date(2025, 6, 5))
    for mode in AdmissionMode:
        assert not accepts_on(CA, mode, QUARTERS, 30, [], date(2025, 4, 1))
        assert not accepts_on(CA, mode, QUARTERS, 30, [w], date(2025, 4, 1))
        assert accepts_on(CA, mode, QUARTERS, 30, [w], date(2025, 5, 20))
        assert not accepts_on(CA, mode, QUARTERS, 30, [w], date(2025, 6, 5))


# ---------------------------------------------------------------- re-application bar


@pytest.mark.parametrize(
    "refused_on,months,expected",
    [
        (date(2025, 3, 15), 12, date(2026, 3, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 3, 31), 11, date(2026, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # the year wraps
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 6, 1), 0, date(2025, 6, 1)),
        (date(2025, 5, 31), 24, date(2027, 5, 31)),
    ],
)
def test_reapply_from(refused_on, months, expected):
    assert reapply_from(refused_on, months) == expected


def test_add_months_across_years_and_backwards():
    assert add_months(date(2025, 1, 15), 25) == date(2027, 2, 15)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


def test_the_bar_is_never_shorter_than_the_months_suggest_in_days():
    """Twelve months after any day of 2024 is at least 365 days later."""
    day = date(2024, 1, 1)
    while day.year == 2024:
        assert (reapply_from(day, 12) - day).days >= 365, day
        day += timedelta(days=1)


# ---------------------------------------------------------------- eligibility verdict


@pytest.mark.parametrize(
    "passes,verdict",
    [
        ([True, True], True),
        ([True, None], None),
        ([None, None], None),
        ([True, False], False),
        ([None, False], False),  # one failure decides, even with others unjudged
        ([False, False], False),
        ([], True),  # no requirements: nothing to fail
    ],
)
def test_eligibility_verdict(passes, verdict):
    assert eligibility_verdict(passes) is verdict


def test_eligibility_verdict_takes_a_generator():
    assert eligibility_verdict(p for p in (True, True)) is True
