"""The one set of formatting helpers (core.ui.formatting)."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

from core.ui.formatting import add_months, euro, format_date, format_moment, month_range, percent


def test_add_months_keeps_first_of_month_and_clamps_month_ends():
    assert add_months(date(2026, 1, 1), 1) == date(2026, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 11, 1), 14) == date(2028, 1, 1)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_month_range_is_inclusive_and_empty_when_reversed():
    assert month_range(date(2025, 11, 15), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert month_range(date(2026, 2, 1), date(2026, 1, 1)) == []


def test_euro_percent_and_date_in_dutch_notation():
    assert euro(D("1234.565")) == "€ 1.234,57"
    assert euro(D("-793800")) == "-€ 793.800,00"
    assert euro(0) == "€ 0,00"
    assert percent(D("3.50")) == "3,5%"
    assert format_date(date(2026, 3, 9)) == "09-03-2026"
    assert format_date(None) == "—"
    assert format_date(None, empty="") == ""


def test_a_moment_in_the_regions_time_zone():
    """A deadline stored in UTC reads as Dutch local time, winter and summer; a naive moment
    (the workflow's pure facts) as it is."""
    assert format_moment(datetime(2026, 12, 17, 23, 13, tzinfo=UTC)) == "18-12-2026 00:13"
    assert format_moment(datetime(2026, 7, 1, 10, 0, 5, tzinfo=UTC), seconds=True) == (
        "01-07-2026 12:00:05"
    )
    assert format_moment(datetime(2026, 3, 9, 17, 0)) == "09-03-2026 17:00"
    assert format_moment(None) == "—"


def test_the_figure_filters_of_every_page():
    """core/templatetags/formats.py: one set of filters (issue 22)."""
    from django.template import Context, Template

    def render(source, **context):
        return Template("{% load formats %}" + source).render(Context(context))

    assert render("{{ v|number }}", v=20000) == "20.000"
    assert render("{{ v|number }}", v=D("7.50")) == "7,5"
    assert render("{{ v|number }}", v=D("28.00")) == "28"
    assert render("{{ v|euro }}", v=D("-793800")) == "-€ 793.800,00"
    assert render("{{ v|euro }}", v=None) == ""
    assert render("{{ v|percent }}", v=D("3.50")) == "3,5%"
    assert render("{{ v|norm_value:'euro' }}", v=D("38000")) == "€ 38.000"
    assert render("{{ v|norm_value:'dagen' }}", v=D("28.00")) == "28"
    assert render("{{ v|month_name }}", v=date(2026, 1, 1)) == "januari 2026"
    # the older libraries are the same functions
    assert render("{% load contract_tags %}{{ v|number }}", v=20000) == "20.000"


def test_no_date_format_outside_the_formatting_module():
    """One rule for how a date reads: code outside core/ui/formatting.py calls ``format_date``
    or ``format_moment`` instead of writing ``%d-%m-%Y`` itself."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = [
        str(p.relative_to(root))
        for p in root.glob("*/**/*.py")
        if p.parts[len(root.parts)] not in {".venv", "tests", "bench", "scripts"}
        and "%d-%m-%Y" in p.read_text()
    ]
    assert found == ["core/ui/formatting.py"]
