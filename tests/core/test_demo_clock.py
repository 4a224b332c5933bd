from datetime import date

from core import demo_clock
from core.ui.formatting import months_before


def test_months_before_is_the_first_of_an_earlier_month():
    assert months_before(0, date(2027, 3, 15)) == date(2027, 3, 1)
    assert months_before(2, date(2027, 1, 31)) == date(2026, 11, 1)


def test_designed_dates_move_with_the_anchor():
    with demo_clock.anchored(date(2026, 12, 7)):
        assert demo_clock.shift(date(2026, 9, 17)) == date(2026, 9, 17)
        assert demo_clock.production_months() == (date(2025, 1, 1), date(2026, 10, 1))
    with demo_clock.anchored(date(2027, 12, 20)):
        assert demo_clock.anchor() == date(2027, 12, 20)
        assert demo_clock.shift(date(2026, 9, 17)) == date(2027, 9, 17)
        assert demo_clock.demo_year(2026) == 2027
        assert demo_clock.production_months() == (date(2026, 1, 1), date(2027, 10, 1))
    with demo_clock.anchored(date(2027, 3, 2)):  # three months on
        assert demo_clock.shift(date(2026, 9, 30)) == date(2026, 12, 30)
        # the turn of the year moves with the calendar year of the last production month
        assert demo_clock.production_months()[1] == date(2027, 1, 1)
        assert demo_clock.shift(date(2026, 1, 1)) == date(2027, 1, 1)
        assert demo_clock.shift(date(2025, 12, 31)) == date(2026, 12, 31)
        assert demo_clock.production_years() == (2025, 2026, 2027)
