"""The small-cell rule of the public pages (monitoring.dashboards.public), by hand."""

from datetime import date

import pytest

from contracts.codes import Kpi
from monitoring.dashboards.public import (
    Cell,
    Period,
    ProfileRow,
    _hide_one_more,
    count_cell,
    ratio_cell,
)
from monitoring.kpis.definitions import Measures


def test_a_count_below_the_threshold_is_not_shown():
    assert count_cell(9, 10).hidden and count_cell(9, 10).text == "te weinig jeugdigen"
    assert count_cell(10, 10).text == "10"
    assert count_cell(9, 5).text == "9"
    assert count_cell(0, 10).hidden


@pytest.mark.parametrize(
    ("dropouts", "ended", "youths", "shown"),
    [
        (0, 40, 40, "0%"),  # nobody dropped out: about 40 youths
        (10, 40, 40, "25%"),
        (3, 40, 40, None),  # 3 drop-outs would be given away by the share
        (35, 40, 40, None),  # ...and so would the 5 who did not drop out
        (5, 9, 40, None),  # a share of 9 ended trajectories
        (10, 40, 9, None),  # a provider with 9 youths shows nothing
    ],
)
def test_a_share_is_shown_only_when_no_part_is_a_small_cell(dropouts, ended, youths, shown):
    measures = Measures(dropouts=dropouts, trajectories_ended=ended)
    cell = ratio_cell(Kpi.DROPOUT, measures, youths, 10)
    assert cell.text == (shown or "te weinig jeugdigen")


def test_a_mean_needs_enough_measurements_and_youths():
    measures = Measures(goal_sum=700, goal_count=10)
    assert ratio_cell(Kpi.GOAL_REALISATION, measures, 10, 10).text == "70%"
    assert ratio_cell(Kpi.GOAL_REALISATION, measures, 9, 10).hidden
    few = Measures(goal_sum=630, goal_count=9)
    assert ratio_cell(Kpi.GOAL_REALISATION, few, 40, 10).hidden
    # no measurements: nothing to hide, nothing to show
    assert ratio_cell(Kpi.GOAL_REALISATION, Measures(), 40, 10).text == "–"


def test_one_hidden_cell_of_a_provider_hides_the_smallest_shown_one_too():
    def profile(name, count):
        return ProfileRow(name, "Intensief", count_cell(count, 10), Cell(None, "procent"), count)

    rows = [profile("1", 30), profile("2", 12), profile("3", 4)]
    _hide_one_more(rows)
    assert [r.youths.text for r in rows] == ["30", "te weinig jeugdigen", "te weinig jeugdigen"]
    rows = [profile("1", 30), profile("2", 4), profile("3", 3)]
    _hide_one_more(rows)  # two hidden already: their sum is all the difference gives away
    assert [r.youths.text for r in rows] == ["30", "te weinig jeugdigen", "te weinig jeugdigen"]


def test_periods():
    assert Period.parse("2026") == Period("year", date(2026, 1, 1), date(2026, 12, 1))
    assert Period.parse("2026-K2") == Period("quarter", date(2026, 4, 1), date(2026, 6, 1))
    assert Period.parse("2026-q4").end_day == date(2026, 12, 31)
    assert Period.parse("2026-02").end_day == date(2026, 2, 28)
    assert Period.parse("2026-K2").param == "2026-K2"
    for bad in ("", "2026-13", "2026-K5", "abcd", None, "2026-1"):
        assert Period.parse(bad) is None, bad
