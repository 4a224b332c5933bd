"""contracts.tariffs: the reasonable-price build-up, indexation, validity periods, notation.

Every expected amount is computed by hand in the comment next to it.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from contracts.tariffs import (
    BuildUp,
    TariffError,
    Validity,
    check_indexation_pct,
    check_new_version,
    indexed,
    price_on,
)
from core.ui.formatting import euro, money, percent

# --- BuildUp ----------------------------------------------------------------------------------


def example_build_up():
    return BuildUp(
        staff_client_bound=D("50.00"),
        staff_not_client_bound=D("8.00"),
        other_client_bound=D("4.00"),
        overhead_pct=D("12"),
        indexation_pct=D("3"),
    )


def test_build_up_tariff_by_hand():
    build_up = example_build_up()
    # 50.00 + 8.00 + 4.00 = 62.00
    assert build_up.direct_costs() == D("62.00")
    # 62.00 × 12 / 100 = 7.44
    assert build_up.overhead() == D("7.44")
    # (62.00 + 7.44) × 3 / 100 = 69.44 × 0.03 = 2.0832 (unrounded until the end)
    assert build_up.indexation() == D("2.0832")
    # 69.44 + 2.0832 = 71.5232 → 71.52
    assert build_up.tariff() == D("71.52")


def test_build_up_lines_publish_each_step_and_end_with_the_tariff():
    assert example_build_up().lines() == [
        ("Personeelskosten cliëntgebonden", D("50.00")),
        ("Personeelskosten niet-cliëntgebonden", D("8.00")),
        ("Overige cliëntgebonden kosten", D("4.00")),
        ("Overhead 12%", D("7.44")),
        ("Indexatie 3%", D("2.08")),  # 2.0832 → 2.08
        ("Tarief", D("71.52")),
    ]


def test_build_up_rounds_half_up_only_at_the_end():
    # 10.10 × 1.05 = 10.605 → 10.61 (half up; half-even would give 10.60)
    assert BuildUp(D("10.10"), overhead_pct=D("5")).tariff() == D("10.61")
    # fractional percentage in the line label: 12,5%; 40.00 × 0.125 = 5.00
    lines = BuildUp(D("40.00"), overhead_pct=D("12.5")).lines()
    assert lines[3] == ("Overhead 12,5%", D("5.00"))
    assert lines[-1] == ("Tarief", D("45.00"))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"staff_client_bound": D("10"), "other_client_bound": D("-1")}, "niet negatief"),
        ({"staff_client_bound": D("0")}, "cliëntgebonden personeelskosten"),
        ({"staff_client_bound": D("10"), "overhead_pct": D("50.01")}, "Overhead ligt tussen"),
        ({"staff_client_bound": D("10"), "overhead_pct": D("-1")}, "Overhead ligt tussen"),
        ({"staff_client_bound": D("10"), "indexation_pct": D("25.5")}, "Indexatie in de opbouw"),
        ({"staff_client_bound": D("10"), "indexation_pct": D("-10.5")}, "Indexatie in de opbouw"),
    ],
)
def test_build_up_validate_refuses(kwargs, message):
    with pytest.raises(TariffError, match=message):
        BuildUp(**kwargs).validate()


def test_build_up_validate_accepts_the_bounds():
    BuildUp(D("10"), overhead_pct=D("50"), indexation_pct=D("25")).validate()
    BuildUp(D("10"), overhead_pct=D("0"), indexation_pct=D("-10")).validate()


# --- indexation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, pct, expected",
    [
        (D("100.00"), D("2.5"), D("102.50")),  # 100.00 × 1.025 = 102.50
        (D("10.10"), D("5"), D("10.61")),  # 10.10 × 1.05 = 10.605 → 10.61 (half up)
        (D("68.40"), D("3"), D("70.45")),  # 68.40 × 1.03 = 70.452 → 70.45
        (D("70.45"), D("3"), D("72.56")),  # 70.45 × 1.03 = 72.5635 → 72.56
        (D("100.00"), D("-1.5"), D("98.50")),  # 100.00 × 0.985 = 98.50
        (D("0.30"), D("-5"), D("0.29")),  # 0.30 × 0.95 = 0.285 → 0.29 (half up)
    ],
)
def test_indexed_rounds_half_up(amount, pct, expected):
    assert indexed(amount, pct) == expected


@pytest.mark.parametrize("pct", [D("2.5"), D("25"), D("-9.99"), D("0.1")])
def test_check_indexation_pct_accepts_plausible(pct):
    check_indexation_pct(pct)


@pytest.mark.parametrize(
    "pct, shown",
    [(D("30"), "30%"), (D("25.01"), "25,01%"), (D("-12.5"), "-12,5%")],
)
def test_check_indexation_pct_refuses_implausible_and_names_it(pct, shown):
    with pytest.raises(TariffError) as error:
        check_indexation_pct(pct)
    assert f"Een indexatie van {shown} is niet aannemelijk" in str(error.value)
    assert "tussen -10% en 25%" in str(error.value)


def test_check_indexation_pct_refuses_zero():
    with pytest.raises(TariffError, match="0% verandert geen tarief"):
        check_indexation_pct(D("0"))


# --- validity and versions --------------------------------------------------------------------


V2025 = Validity(date(2025, 1, 1), date(2025, 12, 31), D("60.00"))
V2026_OPEN = Validity(date(2026, 1, 1), None, D("62.00"))
LABEL = "45A10 Ambulante behandeling"


def test_validity_label_and_covers():
    assert V2025.label() == "01-01-2025 – 31-12-2025"
    assert V2026_OPEN.label() == "01-01-2026 – doorlopend"
    assert V2025.covers(date(2025, 12, 31))
    assert not V2025.covers(date(2026, 1, 1))
    assert V2026_OPEN.covers(date(2040, 1, 1))
    assert not V2026_OPEN.covers(date(2025, 12, 31))


def test_price_on_picks_the_version_valid_that_day():
    versions = (V2025, V2026_OPEN)
    assert price_on(versions, date(2025, 6, 30)) == D("60.00")
    assert price_on(versions, date(2026, 1, 1)) == D("62.00")
    assert price_on(versions, date(2024, 12, 31)) is None


def test_new_version_after_open_ended_returns_the_one_to_close():
    new = Validity(date(2026, 7, 1), None, D("64.00"))
    assert check_new_version(new, [V2026_OPEN, V2025], LABEL) == V2026_OPEN


def test_new_version_without_existing_closes_nothing():
    assert check_new_version(Validity(date(2026, 1, 1), None, D("1")), [], LABEL) is None


def test_new_version_overlapping_a_closed_one_is_refused_naming_the_period():
    new = Validity(date(2025, 7, 1), None, D("61.00"))
    with pytest.raises(TariffError) as error:
        check_new_version(new, [V2025, V2026_OPEN], LABEL)
    assert str(error.value) == (
        "Deze versie overlapt met de tariefversie € 60,00 van 45A10 Ambulante behandeling die "
        "geldt van 01-01-2025 – 31-12-2025. Laat de nieuwe versie later ingaan of eerder eindigen."
    )


def test_new_version_on_the_same_day_as_the_open_ended_one_is_refused():
    new = Validity(date(2026, 1, 1), date(2026, 12, 31), D("63.00"))
    with pytest.raises(TariffError, match="€ 62,00 .* 01-01-2026 – doorlopend"):
        check_new_version(new, [V2025, V2026_OPEN], LABEL)


def test_new_version_overlapping_a_later_version_is_refused():
    later = Validity(date(2026, 7, 1), None, D("66.00"))
    new = Validity(date(2026, 1, 1), None, D("63.00"))
    with pytest.raises(TariffError, match="01-07-2026 – doorlopend"):
        check_new_version(new, [V2025, later], LABEL)
    # Ending the day before the later one starts fits in the gap.
    fits = Validity(date(2026, 1, 1), date(2026, 6, 30), D("63.00"))
    assert check_new_version(fits, [V2025, later], LABEL) is None


def test_new_version_ending_before_it_starts_is_refused():
    with pytest.raises(TariffError, match="'Geldig tot en met' ligt vóór 'geldig vanaf'"):
        check_new_version(Validity(date(2026, 2, 1), date(2026, 1, 31)), [], LABEL)


def test_overlap_message_without_amount():
    old = Validity(date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(TariffError) as error:
        check_new_version(Validity(date(2025, 6, 1), None), [old], "P")
    assert "overlapt met de tariefversie van P die geldt van 01-01-2025" in str(error.value)


# --- notation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (D("8208"), "€ 8.208,00"),
        (D("1.5"), "€ 1,50"),
        (D("0"), "€ 0,00"),
        (D("1234567.891"), "€ 1.234.567,89"),  # .891 → .89
        (D("999.995"), "€ 1.000,00"),  # half up across the thousand
        (D("0.005"), "€ 0,01"),  # half up
        (D("-1234.56"), "-€ 1.234,56"),
    ],
)
def test_euro_dutch_notation(value, text):
    assert euro(value) == text


def test_money_and_percent():
    assert money(D("2.345")) == D("2.35")  # half up
    assert money(D("2.344")) == D("2.34")
    assert percent(D("12.50")) == "12,5%"
    assert percent(D("45.0")) == "45%"
    assert percent(D("10")) == "10%"
