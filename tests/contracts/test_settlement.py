"""contracts.settlement: hand-computed settlements for every funding model.

Pure functions over dataclasses; no database. Every expected amount is a literal computed by hand
in the comment next to it, never by calling the engine a second way.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from contracts.codes import ArrangementModel as Model
from contracts.codes import BudgetKind, OutputPayment
from contracts.settlement import (
    Allocation,
    ArrangementTerms,
    BudgetTerms,
    ContractTerms,
    Delivery,
    Effect,
    Occupancy,
    Period,
    Production,
    ProductTerms,
    SettlementError,
    Trajectory,
    as_pxq,
    decreasing_lumpsum,
    effect_totals,
    procurement_effect,
    settle,
    settle_year_to_date,
    stacking_breaches,
    with_tariff_change,
    with_tariffs_on,
)
from contracts.tariffs import Validity
from segments.codes import ParallelRule, Unit

JAN_2026 = date(2026, 1, 1)
Q1_2026 = Period.months(2026, 1, 3)
JUN_JUL_2026 = Period.months(2026, 6, 7)


def m(month, year=2026):
    return date(year, month, 1)


def open_from(day, amount):
    return (Validity(day, None, D(amount)),)


# --- products ---------------------------------------------------------------------------------

MINUTES = ProductTerms(
    "45A08", "Ambulante begeleiding", Unit.MINUTE, regional_tariffs=open_from(m(1, 2025), "1.52")
)
HOURS = ProductTerms(  # a tariff change on 1 July 2026
    "45A10",
    "Ambulante behandeling",
    Unit.HOUR,
    regional_tariffs=(
        Validity(m(1), date(2026, 6, 30), D("68.40")),
        Validity(m(7), None, D("70.45")),
    ),
)
ETMAAL = ProductTerms(  # the contract's own tariff overrides the regional one
    "43A01",
    "Verblijf",
    Unit.ETMAAL,
    contract_tariffs=open_from(JAN_2026, "245.10"),
    regional_tariffs=open_from(JAN_2026, "260.00"),
)
DAGDEEL = ProductTerms(
    "41A05", "Dagbehandeling", Unit.DAGDEEL, regional_tariffs=open_from(JAN_2026, "92.35")
)
NO_TARIFF = ProductTerms("45A99", "Nieuw product", Unit.HOUR)
LOOSE = ProductTerms(  # belongs to the contract but to none of its arrangements
    "46X01", "Crisisopvang", Unit.ETMAAL, regional_tariffs=open_from(JAN_2026, "300.00")
)
CRISIS_BED = ProductTerms(
    "43C01", "Crisisbed", Unit.ETMAAL, regional_tariffs=open_from(JAN_2026, "180.00")
)
TASK_HOURS = ProductTerms(
    "45T01", "Wijkgerichte hulp", Unit.HOUR, regional_tariffs=open_from(JAN_2026, "75.00")
)
DYSLEXIA = ProductTerms(  # 1.200,00 in 2025, 1.234,55 (odd cent) from 2026
    "DYS01",
    "Dyslexietraject",
    Unit.PIECES_OUTPUT,
    regional_tariffs=(
        Validity(m(1, 2025), date(2025, 12, 31), D("1200.00")),
        Validity(JAN_2026, None, D("1234.55")),
    ),
)


def profile(code, number, intensity, price, parallel=ParallelRule.EXCLUSIVE, max_days=None):
    return ProductTerms(
        code,
        f"Profiel {number} {intensity}",
        Unit.PIECES_OUTPUT,
        profile=number,
        intensity=intensity,
        parallel=parallel,
        parallel_max_days=max_days,
        regional_tariffs=open_from(JAN_2026, price),
    )


# The Amsterdam rules (seed 004): Acuut at most 14 days alongside, Duurzaam always.
P06_INT = profile("P06-INT", 6, "Intensief", "8500.00")
P06_ACU = profile("P06-ACU", 6, "Acuut", "1450.00", ParallelRule.LIMITED, 14)
P06_DUU = profile("P06-DUU", 6, "Duurzaam", "6200.00", ParallelRule.ALONGSIDE)
P03_PER = profile("P03-PER", 3, "Perspectief", "3100.00")
PROFILES = (P06_INT, P06_ACU, P06_DUU, P03_PER)


def contract(products, arrangements, budgets=(), start=JAN_2026, **kwargs):
    return ContractTerms(
        reference=kwargs.pop("reference", "C-1"),
        start=start,
        end=date(2029, 12, 31),
        arrangements=tuple(arrangements),
        products={p.code: p for p in products},
        budgets=tuple(budgets),
        **kwargs,
    )


def arrangement(model, products, valid_from=JAN_2026, **kwargs):
    return ArrangementTerms(
        model=model,
        valid_from=valid_from,
        product_codes=frozenset(p.code for p in products),
        **kwargs,
    )


# --- Period -----------------------------------------------------------------------------------


def test_period_helpers():
    assert (Q1_2026.start, Q1_2026.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Q1_2026.days == 90  # 31 + 28 + 31
    assert Q1_2026.label() == "01-01-2026 – 31-03-2026"
    assert Q1_2026.before() is None
    assert Period.months(2026, 3, 3).before() == Period(date(2026, 1, 1), date(2026, 2, 28))
    assert Period.year(2028).end == date(2028, 12, 31)
    Period.months(2028, 2, 2).validate()  # 29 February is a month end in a leap year


@pytest.mark.parametrize(
    "period, message",
    [
        (Period(date(2026, 1, 15), date(2026, 3, 31)), "hele kalendermaanden"),
        (Period(date(2026, 1, 1), date(2026, 3, 30)), "hele kalendermaanden"),
        (Period(date(2026, 11, 1), date(2027, 2, 28)), "binnen één kalenderjaar"),
        (Period(date(2026, 3, 1), date(2026, 1, 31)), "einde van de periode ligt vóór"),
    ],
)
def test_period_validate_refuses(period, message):
    with pytest.raises(SettlementError, match=message):
        period.validate()
    with pytest.raises(SettlementError, match=message):
        settle(contract([HOURS], []), Production(), period)


# --- PxQ --------------------------------------------------------------------------------------


def pxq_terms():
    return contract(
        [MINUTES, HOURS, ETMAAL, DAGDEEL, NO_TARIFF, LOOSE],
        [arrangement(Model.PXQ, [MINUTES, HOURS, ETMAAL, DAGDEEL, NO_TARIFF])],
    )


PXQ_PRODUCTION = Production(
    deliveries=(
        Delivery("45A08", m(5), D("500"), Unit.MINUTE),  # May: outside the period
        Delivery("45A08", m(6), D("3000"), Unit.MINUTE),
        Delivery("45A08", m(7), D("2400"), Unit.MINUTE),
        Delivery("45A10", m(6), D("100"), Unit.HOUR),
        Delivery("45A10", m(7), D("120.5"), Unit.HOUR),
        Delivery("43A01", m(6), D("30"), Unit.ETMAAL),
        Delivery("41A05", m(7), D("1"), Unit.DAGDEEL),
        Delivery("45A99", m(6), D("10"), Unit.HOUR),
        Delivery("46X01", m(7), D("2"), Unit.ETMAAL),
    )
)


def test_pxq_lines_per_product_and_tariff_version():
    settlement = settle(pxq_terms(), PXQ_PRODUCTION, JUN_JUL_2026)
    assert [
        (line.product_code, line.quantity, line.unit_price, line.amount)
        for line in settlement.lines
    ] == [
        ("41A05", D("1"), D("92.35"), D("92.35")),  # 1 × 92.35
        ("43A01", D("30"), D("245.10"), D("7353.00")),  # 30 × 245.10 (contract, not 260.00)
        ("45A08", D("5400"), D("1.52"), D("8208.00")),  # (3000 + 2400) × 1.52
        ("45A10", D("100"), D("68.40"), D("6840.00")),  # June: 100 × 68.40
        ("45A10", D("120.5"), D("70.45"), D("8489.23")),  # July: 120.5 × 70.45 = 8489.225
    ]
    # 92.35 + 7353.00 + 8208.00 + 6840.00 + 8489.23
    assert settlement.total_due == D("30982.58")
    assert settlement.payable == D("30982.58")
    assert settlement.withheld == D("0")
    assert {line.model for line in settlement.lines} == {Model.PXQ}
    assert {line.component for line in settlement.lines} == {"pxq"}


def test_pxq_explanations_in_dutch_notation():
    descriptions = [
        line.description for line in settle(pxq_terms(), PXQ_PRODUCTION, JUN_JUL_2026).lines
    ]
    assert descriptions == [
        "41A05 Dagbehandeling: 1 dagdeel × € 92,35 = € 92,35",
        "43A01 Verblijf: 30 etmalen × € 245,10 = € 7.353,00",
        "45A08 Ambulante begeleiding: 5.400 minuten × € 1,52 = € 8.208,00",
        "45A10 Ambulante behandeling: 100 uur × € 68,40 = € 6.840,00",
        "45A10 Ambulante behandeling: 120,5 uur × € 70,45 = € 8.489,23",
    ]


def test_pxq_flags_no_tariff_and_unmatched():
    settlement = settle(pxq_terms(), PXQ_PRODUCTION, JUN_JUL_2026)
    assert [flag.message for flag in settlement.flags_of("no_tariff")] == [
        "Geen tarief voor 45A99 op 01-06-2026; 10 uur niet verrekend."
    ]
    assert [flag.message for flag in settlement.flags_of("unmatched")] == [
        "2 etmalen 46X01 in 07-2026 valt onder geen bekostigingsafspraak van dit contract en is "
        "niet verrekend."
    ]
    assert not {"45A99", "46X01"} & {line.product_code for line in settlement.lines}


def test_contract_tariff_overrides_regional_only_where_it_is_valid():
    etmaal = ProductTerms(
        "43A01",
        "Verblijf",
        Unit.ETMAAL,
        contract_tariffs=open_from(m(7), "240.00"),
        regional_tariffs=open_from(JAN_2026, "260.00"),
    )
    terms = contract([etmaal], [arrangement(Model.PXQ, [etmaal])])
    production = Production(
        deliveries=(
            Delivery("43A01", m(6), D("30"), Unit.ETMAAL),
            Delivery("43A01", m(7), D("31"), Unit.ETMAAL),
        )
    )
    settlement = settle(terms, production, JUN_JUL_2026)
    assert [(line.unit_price, line.amount) for line in settlement.lines] == [
        (D("240.00"), D("7440.00")),  # July, contract tariff: 31 × 240.00
        (D("260.00"), D("7800.00")),  # June, regional tariff: 30 × 260.00
    ]


def test_delivery_after_the_arrangement_ended_is_unmatched():
    terms = contract([HOURS], [arrangement(Model.PXQ, [HOURS], valid_until=date(2026, 6, 30))])
    production = Production(deliveries=(Delivery("45A10", m(7), D("1"), Unit.HOUR),))
    settlement = settle(terms, production, JUN_JUL_2026)
    assert settlement.lines == ()
    assert settlement.flags_of("unmatched")[0].message.startswith("1 uur 45A10 in 07-2026")


# --- output -----------------------------------------------------------------------------------


def output_terms(payment):
    return contract(
        [DYSLEXIA],
        [arrangement(Model.OUTPUT, [DYSLEXIA], valid_from=m(1, 2025), output_payment=payment)],
        start=m(1, 2025),
    )


TRAJECTORIES = Production(
    trajectories=(
        # started in 2025 at 1.200,00, ends in Q1 2026 after the tariff became 1.234,55
        Trajectory("T1", "DYS01", date(2025, 11, 10), date(2026, 2, 15)),
        Trajectory("T2", "DYS01", date(2026, 1, 20)),  # still running
        Trajectory("T3", "DYS01", date(2026, 2, 3), date(2026, 3, 20)),  # starts and ends in Q1
        Trajectory("T4", "DYS01", date(2025, 6, 1), date(2025, 12, 1)),  # all in 2025
    )
)


def output_lines(payment):
    settlement = settle(output_terms(payment), TRAJECTORIES, Q1_2026)
    return settlement, [
        (line.component, line.quantity, line.unit_price, line.amount) for line in settlement.lines
    ]


def test_output_paid_at_start():
    settlement, lines = output_lines(OutputPayment.AT_START)
    # T2 and T3 start in Q1: 2 × 1.234,55 = 2.469,10
    assert lines == [("output_start", D("2"), D("1234.55"), D("2469.10"))]
    assert settlement.lines[0].description == (
        "DYS01 Dyslexietraject: 2 trajecten gestart × € 1.234,55 = € 2.469,10"
    )
    assert settlement.lines[0].model == Model.OUTPUT


def test_output_paid_at_end_at_the_price_of_the_start_date():
    settlement, lines = output_lines(OutputPayment.AT_END)
    assert lines == [
        ("output_end", D("1"), D("1200.00"), D("1200.00")),  # T1: price of 10-11-2025
        ("output_end", D("1"), D("1234.55"), D("1234.55")),  # T3
    ]
    assert settlement.total_due == D("2434.55")  # 1.200,00 + 1.234,55
    assert settlement.lines[0].description == (
        "DYS01 Dyslexietraject: 1 traject beëindigd × € 1.200,00 = € 1.200,00"
    )


def test_output_split_half_at_start_half_at_end_with_odd_cent():
    settlement, lines = output_lines(OutputPayment.SPLIT)
    # 1.234,55 / 2 = 617,275 → 617,28 at the start and 1.234,55 − 617,28 = 617,27 at the end;
    # T1 (1.200,00) pays its second half 600,00 now.
    assert lines == [
        ("output_end", D("1"), D("600.00"), D("600.00")),  # T1
        ("output_end", D("1"), D("617.27"), D("617.27")),  # T3
        ("output_start", D("2"), D("617.28"), D("1234.56")),  # T2 and T3: 2 × 617,28
    ]
    # 600,00 + 617,27 + 1.234,56
    assert settlement.total_due == D("2451.83")


def test_output_trajectory_halves_add_up_to_the_price():
    terms = output_terms(OutputPayment.SPLIT)
    production = Production(
        trajectories=(Trajectory("T3", "DYS01", date(2026, 2, 3), date(2026, 3, 20)),)
    )
    amounts = [line.amount for line in settle(terms, production, Q1_2026).lines]
    assert amounts == [D("617.27"), D("617.28")]  # end, start: together 1.234,55


def test_output_without_tariff_on_the_start_date_is_flagged():
    terms = contract(
        [DYSLEXIA],
        [
            arrangement(
                Model.OUTPUT,
                [DYSLEXIA],
                valid_from=m(1, 2024),
                output_payment=OutputPayment.AT_END,
            )
        ],
        start=m(1, 2024),
    )
    production = Production(
        trajectories=(Trajectory("T9", "DYS01", date(2024, 12, 20), date(2026, 2, 10)),)
    )
    settlement = settle(terms, production, Q1_2026)
    assert settlement.lines == ()
    assert [flag.message for flag in settlement.flags_of("no_tariff")] == [
        "Geen tarief voor DYS01 op 20-12-2024; traject niet verrekend."
    ]


def profile_terms(budgets=()):
    return contract(PROFILES, [arrangement(Model.OUTPUT, PROFILES)], budgets=budgets)


def test_output_per_support_profile_and_intensity():
    production = Production(
        trajectories=(
            Trajectory("F1", "P03-PER", date(2026, 1, 12)),
            Trajectory("F2", "P06-INT", date(2026, 2, 1)),
            Trajectory("F3", "P06-INT", date(2026, 3, 5)),
            Trajectory("F4", "P06-ACU", date(2026, 3, 10), date(2026, 3, 20)),
            Trajectory("F5", "P06-DUU", date(2026, 2, 15)),
        )
    )
    settlement = settle(profile_terms(), production, Q1_2026)
    assert [(line.product_code, line.profile, line.amount) for line in settlement.lines] == [
        ("P03-PER", 3, D("3100.00")),
        ("P06-ACU", 6, D("1450.00")),
        ("P06-DUU", 6, D("6200.00")),
        ("P06-INT", 6, D("17000.00")),  # 2 × 8.500,00
    ]
    assert settlement.total_due == D("27750.00")  # 3.100 + 1.450 + 6.200 + 17.000
    # profile 6: 1.450 + 6.200 + 17.000 = 24.650
    assert settlement.payable_by_profile == {3: D("3100.00"), 6: D("24650.00")}


# --- anti-stacking ----------------------------------------------------------------------------


def breaches(*allocations, period=Q1_2026):
    return [flag.message for flag in stacking_breaches(profile_terms(), allocations, period)]


def test_stacking_two_ordinary_profiles_overlapping():
    assert breaches(
        Allocation("F1", "P03-PER", date(2026, 1, 10), date(2026, 3, 31)),
        Allocation("F1", "P06-INT", date(2026, 3, 1)),
    ) == [
        # overlap 01-03-2026 … 31-03-2026 = 31 days
        "Gezin F1: P03-PER (vanaf 10-01-2026) en P06-INT (vanaf 01-03-2026) overlappen van "
        "01-03-2026 tot en met 31-03-2026 (31 dagen); één profieltarief per gezin tegelijk."
    ]


def test_stacking_open_ended_overlap_counts_up_to_the_period_end():
    [message] = breaches(
        Allocation("F1", "P06-INT", date(2026, 3, 10)),
        Allocation("F1", "P03-PER", date(2026, 2, 15)),
    )
    # 10-03-2026 … 31-03-2026 = 22 days
    assert "(22 dagen)" in message
    assert message.startswith("Gezin F1: P03-PER (vanaf 15-02-2026) en P06-INT")


def test_stacking_acute_of_fourteen_days_is_allowed():
    assert (
        breaches(
            Allocation("F2", "P03-PER", date(2026, 1, 1)),
            Allocation("F2", "P06-ACU", date(2026, 3, 1), date(2026, 3, 14)),  # 14 days
        )
        == []
    )


def test_stacking_acute_of_fifteen_days_is_a_breach():
    assert breaches(
        Allocation("F2", "P03-PER", date(2026, 1, 1)),
        Allocation("F2", "P06-ACU", date(2026, 3, 1), date(2026, 3, 15)),  # 15 days
    ) == [
        "Gezin F2: Acuut (P06-ACU) loopt 15 dagen naast P03-PER; naast een ander profiel mag "
        "Acuut ten hoogste 14 dagen."
    ]


def test_stacking_follows_the_regions_own_rules():
    """Another region: its crisis intensity may run alongside for 7 days only, and nothing
    may run alongside always. The same allocations are judged by that region's rules."""
    crisis = profile("X-CRI", 2, "Crisis", "900.00", ParallelRule.LIMITED, 7)
    lasting = profile("X-LNG", 2, "Langdurig", "5000.00")  # exclusive in this region
    other = profile("X-BAS", 1, "Basis", "3000.00")
    products = (crisis, lasting, other)
    region_terms = contract(products, [arrangement(Model.OUTPUT, products)])

    def judge(*allocations):
        return [f.message for f in stacking_breaches(region_terms, allocations, Q1_2026)]

    assert (
        judge(
            Allocation("F9", "X-BAS", date(2026, 1, 1)),
            Allocation("F9", "X-CRI", date(2026, 2, 1), date(2026, 2, 7)),  # 7 days
        )
        == []
    )
    assert judge(
        Allocation("F9", "X-BAS", date(2026, 1, 1)),
        Allocation("F9", "X-CRI", date(2026, 2, 1), date(2026, 2, 8)),  # 8 days
    ) == [
        "Gezin F9: Crisis (X-CRI) loopt 8 dagen naast X-BAS; naast een ander profiel mag "
        "Crisis ten hoogste 7 dagen."
    ]
    # Langdurig is exclusive here, unlike Amsterdam's Duurzaam.
    [message] = judge(
        Allocation("F9", "X-BAS", date(2026, 1, 1)),
        Allocation("F9", "X-LNG", date(2026, 3, 1)),
    )
    assert "één profieltarief per gezin tegelijk" in message


def test_stacking_open_ended_acute_counts_to_the_period_end():
    allocations = (
        Allocation("F2", "P06-INT", date(2026, 1, 1)),
        Allocation("F2", "P06-ACU", date(2026, 3, 20)),
    )
    # March: 20-03 … 31-03 = 12 days, allowed; April: 20-03 … 30-04 = 12 + 30 = 42 days
    assert breaches(*allocations, period=Period.months(2026, 3, 3)) == []
    [message] = breaches(*allocations, period=Period.months(2026, 4, 4))
    assert "loopt 42 dagen naast P06-INT" in message


def test_stacking_lasting_alongside_intensive_is_allowed():
    assert (
        breaches(
            Allocation("F3", "P06-DUU", date(2026, 1, 1)),
            Allocation("F3", "P06-INT", date(2026, 2, 1)),
        )
        == []
    )


def test_stacking_sequential_allocations_do_not_stack():
    assert (
        breaches(
            Allocation("F4", "P03-PER", date(2026, 1, 1), date(2026, 1, 31)),
            Allocation("F4", "P06-INT", date(2026, 2, 1)),
        )
        == []
    )


def test_stacking_overlap_outside_the_period_is_not_reported():
    allocations = (
        Allocation("F5", "P03-PER", date(2025, 3, 1), date(2025, 6, 30)),
        Allocation("F5", "P06-INT", date(2025, 6, 1), date(2025, 12, 31)),
    )
    assert breaches(*allocations) == []
    # … but it is in the quarter it falls in: 01-06-2025 … 30-06-2025 = 30 days
    [message] = breaches(*allocations, period=Period.months(2025, 4, 6))
    assert "(30 dagen)" in message


def test_stacking_only_within_a_family_and_only_for_profile_products():
    terms = contract([*PROFILES, HOURS], [arrangement(Model.OUTPUT, PROFILES)])
    allocations = (
        Allocation("F6", "P03-PER", date(2026, 1, 1)),
        Allocation("F7", "P06-INT", date(2026, 1, 1)),
        Allocation("F6", "45A10", date(2026, 1, 1)),  # no profile: not a profile tariff
    )
    assert stacking_breaches(terms, allocations, Q1_2026) == []


def test_settle_reports_stacking_flags():
    production = Production(
        allocations=(
            Allocation("F1", "P03-PER", date(2026, 1, 10), date(2026, 3, 31)),
            Allocation("F1", "P06-INT", date(2026, 3, 1)),
            Allocation("F2", "P03-PER", date(2026, 1, 1)),
            Allocation("F2", "P06-ACU", date(2026, 3, 1), date(2026, 3, 14)),
        )
    )
    flags = settle(profile_terms(), production, Q1_2026).flags_of("stacking")
    assert len(flags) == 1
    assert flags[0].message.startswith("Gezin F1:")


# --- task-based -------------------------------------------------------------------------------


def test_decreasing_lumpsum_over_three_years():
    assert decreasing_lumpsum(D("1000000.00"), 2026, D("2"), 3) == {
        2026: D("1000000.00"),
        2027: D("980000.00"),  # 1.000.000,00 × 0,98
        2028: D("960400.00"),  # 980.000,00 × 0,98
    }


def test_decreasing_lumpsum_rounds_each_year_to_cents():
    assert decreasing_lumpsum(D("333333.33"), 2026, D("1.5"), 3) == {
        2026: D("333333.33"),
        2027: D("328333.33"),  # 333.333,33 × 0,985 = 328.333,33005 → 328.333,33
        2028: D("323408.33"),  # 328.333,33 × 0,985 = 323.408,33005 → 323.408,33
    }
    # Half up, year on year: 100,10 × 0,95 = 95,095 → 95,10; 95,10 × 0,95 = 90,345 → 90,35
    # (unrounded 100,10 × 0,9025 = 90,34025 would give 90,34).
    assert decreasing_lumpsum(D("100.10"), 2026, D("5"), 3) == {
        2026: D("100.10"),
        2027: D("95.10"),
        2028: D("90.35"),
    }


LUMPSUM_2026 = (BudgetTerms(2026, BudgetKind.LUMPSUM, D("1000000.00")),)


def task_terms(budgets=LUMPSUM_2026, start=JAN_2026):
    return contract(
        [TASK_HOURS],
        [arrangement(Model.TASK, [TASK_HOURS], valid_from=start)],
        budgets=budgets,
        start=start,
    )


def test_lumpsum_twelve_months_add_up_to_the_budget():
    terms = task_terms()
    monthly = [
        settle(terms, Production(), Period.months(2026, month, month)).total_due
        for month in range(1, 13)
    ]
    # month k gets round(1.000.000 × k/12) − round(1.000.000 × (k−1)/12):
    # cumulative 83.333,33 | 166.666,67 | 250.000,00 | 333.333,33 | 416.666,67 | 500.000,00 | …
    assert monthly == [
        D("83333.33"),  # 83.333,33 − 0
        D("83333.34"),  # 166.666,67 − 83.333,33
        D("83333.33"),  # 250.000,00 − 166.666,67
        D("83333.33"),  # 333.333,33 − 250.000,00
        D("83333.34"),  # 416.666,67 − 333.333,33
        D("83333.33"),  # 500.000,00 − 416.666,67
        D("83333.33"),
        D("83333.34"),
        D("83333.33"),
        D("83333.33"),
        D("83333.34"),
        D("83333.33"),
    ]
    assert sum(monthly) == D("1000000.00")  # 8 × 83.333,33 + 4 × 83.333,34


def test_lumpsum_quarter():
    settlement = settle(task_terms(), Production(), Period.months(2026, 4, 6))
    [line] = settlement.lines
    # round(1.000.000 × 6/12) − round(1.000.000 × 3/12) = 500.000,00 − 250.000,00
    assert line.amount == D("250000.00")
    assert (line.model, line.component) == (Model.TASK, "lumpsum")
    assert line.description == (
        "Taakgericht budget 2026 € 1.000.000,00 over 12 maanden: maand 4 t/m 6 = € 250.000,00"
    )


def test_lumpsum_contract_starting_in_april_spreads_over_nine_months():
    terms = task_terms(start=date(2026, 4, 1))
    assert settle(terms, Production(), Q1_2026).lines == ()  # nothing runs yet
    q2 = settle(terms, Production(), Period.months(2026, 4, 6))
    # Apr-Jun are months 1-3 of 9: round(1.000.000 × 3/9) = 333.333,33
    assert q2.total_due == D("333333.33")
    assert "over 9 maanden: maand 1 t/m 3" in q2.lines[0].description
    april = settle(terms, Production(), Period.months(2026, 4, 4))
    assert april.total_due == D("111111.11")  # 1.000.000 / 9 = 111.111,111…
    assert settle(terms, Production(), Period.year(2026)).total_due == D("1000000.00")


def test_lumpsum_without_budget_for_the_year_is_flagged():
    terms = task_terms(budgets=(BudgetTerms(2025, BudgetKind.LUMPSUM, D("900000.00")),))
    settlement = settle(terms, Production(), Q1_2026)
    assert settlement.lines == ()
    assert [flag.message for flag in settlement.flags_of("no_budget")] == [
        "Geen taakgericht budget voor 2026 vastgelegd; niets verrekend."
    ]


def test_deliveries_under_a_lumpsum_are_not_paid_nor_unmatched():
    production = Production(deliveries=(Delivery("45T01", m(1), D("400"), Unit.HOUR),))
    settlement = settle(task_terms(), production, Q1_2026)
    assert settlement.total_due == D("250000.00")  # only the lumpsum: 1.000.000 × 3/12
    assert settlement.flags == ()


# --- availability -----------------------------------------------------------------------------


def availability_terms(places=10, fee="4250.00", threshold="50"):
    return contract(
        [CRISIS_BED],
        [
            arrangement(
                Model.AVAILABILITY,
                [CRISIS_BED],
                places=places,
                place_fee=D(fee),
                occupancy_threshold_pct=D(threshold),
            )
        ],
    )


def occupancy(jan, feb, mar):
    return tuple(Occupancy(m(i), D(n)) for i, n in ((1, jan), (2, feb), (3, mar)))


def bed_days(jan, feb, mar):
    return tuple(
        Delivery("43C01", m(i), D(n), Unit.ETMAAL) for i, n in ((1, jan), (2, feb), (3, mar))
    )


def test_availability_fee_plus_occupied_etmalen():
    production = Production(deliveries=bed_days(140, 130, 135), occupancy=occupancy(140, 130, 135))
    settlement = settle(availability_terms(), production, Q1_2026)
    fee, occupied = settlement.lines
    # 10 places × 4.250,00 × 3 months = 127.500,00
    assert (fee.component, fee.amount, fee.quantity) == ("availability", D("127500.00"), D("30"))
    assert fee.description == (
        "Beschikbaarheid: 10 plaatsen × € 4.250,00 × 3 maanden = € 127.500,00"
    )
    # (140 + 130 + 135) = 405 etmalen × 180,00 = 72.900,00
    assert (occupied.model, occupied.component) == (Model.AVAILABILITY, "occupied")
    assert occupied.amount == D("72900.00")
    assert settlement.total_due == D("200400.00")  # 127.500 + 72.900


def test_availability_occupancy_under_threshold_is_flagged():
    production = Production(occupancy=occupancy(140, 130, 135))
    [flag] = settle(availability_terms(), production, Q1_2026).flags_of("occupancy")
    # 10 places × 90 days = 900 place-days; 405 / 900 = 45,0% < 50%
    assert flag.amount == D("45.0")
    assert flag.message == (
        "Bezetting 45% (405 van 900 plaatsdagen) ligt onder de afgesproken drempel van 50%: "
        "bespreek samen het samenvoegen of sluiten van groepen."
    )


@pytest.mark.parametrize("occupied", [(150, 150, 150), (200, 200, 200)])
def test_availability_occupancy_at_or_above_threshold_is_not_flagged(occupied):
    # 450 / 900 = 50,0% (at the threshold); 600 / 900 = 66,7%
    production = Production(occupancy=occupancy(*occupied))
    assert settle(availability_terms(), production, Q1_2026).flags_of("occupancy") == []


def test_availability_falls_back_to_declared_etmalen():
    production = Production(deliveries=bed_days(140, 130, 135))
    [flag] = settle(availability_terms(), production, Q1_2026).flags_of("occupancy")
    assert flag.amount == D("45.0")  # 405 / 900 again, now from the declarations
    above = Production(deliveries=bed_days(150, 160, 150))  # 460 / 900 = 51,1%
    assert settle(availability_terms(), above, Q1_2026).flags_of("occupancy") == []


def test_availability_just_under_the_threshold_is_flagged_and_not_rounded_up():
    # 449,9 / 900 = 49,988...% < 50%: flagged, shown as 49,9% (rounded down, never up to 50%)
    production = Production(occupancy=occupancy("150", "150", "149.9"))
    [flag] = settle(availability_terms(), production, Q1_2026).flags_of("occupancy")
    assert flag.amount == D("49.9")
    assert flag.message.startswith("Bezetting 49,9% (449,9 van 900 plaatsdagen)")


def test_availability_uses_declared_etmalen_only_for_months_without_occupancy():
    # January reported 100 occupied days; February and March only declared 150 + 155 etmalen.
    production = Production(
        occupancy=(Occupancy(m(1), D("100")),), deliveries=bed_days(999, 150, 155)
    )
    [flag] = settle(availability_terms(), production, Q1_2026).flags_of("occupancy")
    # (100 + 150 + 155) / 900 = 405 / 900 = 45,0% (January's 999 declared days are not used)
    assert flag.amount == D("45.0")


# --- hybrid -----------------------------------------------------------------------------------


def test_hybrid_total_is_the_sum_of_its_models():
    terms = contract(
        [CRISIS_BED, HOURS, DYSLEXIA],
        [
            arrangement(
                Model.AVAILABILITY,
                [CRISIS_BED],
                places=4,
                place_fee=D("3500.00"),
                occupancy_threshold_pct=D("50"),
            ),
            arrangement(Model.PXQ, [HOURS]),
            arrangement(Model.OUTPUT, [DYSLEXIA]),
        ],
    )
    production = Production(
        deliveries=(
            *bed_days(100, 90, 110),
            Delivery("45A10", m(1), D("40"), Unit.HOUR),
            Delivery("45A10", m(3), D("25.5"), Unit.HOUR),
        ),
        occupancy=occupancy(100, 90, 110),
        trajectories=(
            Trajectory("T2", "DYS01", date(2026, 1, 20)),
            Trajectory("T3", "DYS01", date(2026, 2, 3), date(2026, 3, 20)),
        ),
    )
    settlement = settle(terms, production, Q1_2026)
    assert settlement.by_model() == {
        # 4 × 3.500,00 × 3 = 42.000,00 plus 300 etmalen × 180,00 = 54.000,00
        Model.AVAILABILITY: D("96000.00"),
        Model.PXQ: D("4480.20"),  # 65,5 uur × 68,40 = 4.446,00 + 34,20
        Model.OUTPUT: D("2469.10"),  # 2 × 1.234,55
    }
    # 96.000,00 + 4.480,20 + 2.469,10
    assert settlement.total_due == D("102949.30")
    assert settlement.flags == ()  # 300 / 360 place-days = 83,3%


# --- ceilings ---------------------------------------------------------------------------------

FLAT_HOURS = ProductTerms(
    "45A10", "Ambulante behandeling", Unit.HOUR, regional_tariffs=open_from(JAN_2026, "100.00")
)
HOURS_JAN_MAR = Production(
    deliveries=(
        Delivery("45A10", m(1), D("500"), Unit.HOUR),  # 50.000,00
        Delivery("45A10", m(2), D("400"), Unit.HOUR),  # 40.000,00
        Delivery("45A10", m(3), D("300"), Unit.HOUR),  # 30.000,00
    )
)


def ceiling_terms(amount):
    return contract(
        [FLAT_HOURS],
        [arrangement(Model.PXQ, [FLAT_HOURS])],
        budgets=[BudgetTerms(2026, BudgetKind.CEILING, D(amount))],
    )


def test_contract_ceiling_withholds_what_is_above_it():
    settlement = settle(ceiling_terms("100000.00"), HOURS_JAN_MAR, Q1_2026)
    assert settlement.total_due == D("120000.00")  # 1.200 uur × 100,00
    assert settlement.withheld == D("20000.00")  # 120.000 − 100.000
    assert settlement.payable == D("100000.00")
    [flag] = settlement.flags_of("ceiling")
    assert flag.amount == D("20000.00")


def test_year_to_date_counts_what_was_payable_earlier():
    settlement = settle_year_to_date(
        ceiling_terms("100000.00"), HOURS_JAN_MAR, Period.months(2026, 3, 3)
    )
    # Jan-Feb payable 90.000; room 100.000 − 90.000 = 10.000; March due 30.000 → 20.000 withheld
    assert settlement.total_due == D("30000.00")
    assert settlement.withheld == D("20000.00")
    assert settlement.payable == D("10000.00")
    assert settlement.flags_of("ceiling")[0].message == (
        "Budgetplafond 2026 (€ 100.000,00) overschreden: eerder dit jaar € 90.000,00, nu "
        "€ 30.000,00; € 20.000,00 boven het plafond is niet betaalbaar."
    )


def test_year_to_date_when_the_ceiling_was_already_reached():
    settlement = settle_year_to_date(
        ceiling_terms("80000.00"), HOURS_JAN_MAR, Period.months(2026, 3, 3)
    )
    # Jan-Feb: 90.000 due, 80.000 payable; no room left, so all of March's 30.000 is withheld
    assert settlement.withheld == D("30000.00")
    assert settlement.payable == D("0.00")


def test_year_to_date_in_january_has_nothing_before():
    settlement = settle_year_to_date(
        ceiling_terms("100000.00"), HOURS_JAN_MAR, Period.months(2026, 1, 1)
    )
    assert (settlement.total_due, settlement.withheld) == (D("50000.00"), D("0"))
    assert settlement.flags == ()


def test_profile_ceiling_then_contract_ceiling():
    terms = profile_terms(
        budgets=[
            BudgetTerms(2026, BudgetKind.CEILING, D("20000.00"), profile=6),
            BudgetTerms(2026, BudgetKind.CEILING, D("22000.00")),
        ]
    )
    production = Production(
        trajectories=(
            Trajectory("F1", "P03-PER", date(2026, 1, 12)),
            Trajectory("F2", "P06-INT", date(2026, 2, 1)),
            Trajectory("F3", "P06-INT", date(2026, 3, 5)),
            Trajectory("F6", "P06-INT", date(2026, 3, 20)),
        )
    )
    settlement = settle(terms, production, Q1_2026)
    assert settlement.total_due == D("28600.00")  # 3.100 + 3 × 8.500
    # profile 6: 25.500 due, ceiling 20.000 → 5.500 over
    # contract: 28.600 − 5.500 = 23.100 left, ceiling 22.000 → 1.100 over
    assert [(f.kind, f.amount) for f in settlement.flags] == [
        ("profile_ceiling", D("5500.00")),
        ("ceiling", D("1100.00")),
    ]
    assert settlement.withheld == D("6600.00")  # 5.500 + 1.100
    assert settlement.payable == D("22000.00")
    assert settlement.payable_by_profile == {3: D("3100.00"), 6: D("20000.00")}


def test_profile_ceiling_year_to_date():
    terms = profile_terms(budgets=[BudgetTerms(2026, BudgetKind.CEILING, D("20000.00"), profile=6)])
    production = Production(
        trajectories=(
            Trajectory("F1", "P06-INT", date(2026, 1, 10)),
            Trajectory("F2", "P06-INT", date(2026, 2, 20)),
            Trajectory("F3", "P06-INT", date(2026, 3, 5)),
        )
    )
    settlement = settle_year_to_date(terms, production, Period.months(2026, 3, 3))
    # Jan-Feb 2 × 8.500 = 17.000; room 3.000; March 8.500 due → 5.500 withheld
    assert settlement.withheld == D("5500.00")
    assert settlement.payable_by_profile == {6: D("3000.00")}
    assert settlement.flags_of("profile_ceiling")[0].message == (
        "Plafond profiel 6 2026 (€ 20.000,00) overschreden: eerder dit jaar € 17.000,00, nu "
        "€ 8.500,00; € 5.500,00 boven het plafond is niet betaalbaar."
    )


# --- bad input --------------------------------------------------------------------------------


def test_bad_production_lists_every_problem_at_once():
    production = Production(
        deliveries=(
            Delivery("45A10", m(6), D("-3"), Unit.HOUR, line=7),
            # without a line number: named by product and month (summed production)
            Delivery("45A10", m(6), D("5"), Unit.ETMAAL),
            Delivery("99Z99", m(6), D("1"), Unit.HOUR),
        ),
        trajectories=(Trajectory("T", "45A10", date(2026, 6, 10), date(2026, 6, 9), line=12),),
    )
    with pytest.raises(SettlementError) as error:
        settle(pxq_terms(), production, JUN_JUL_2026)
    assert error.value.errors == [
        "regel 7: aantal -3 is negatief; een correctie is een eigen regel.",
        "45A10 in 06-2026: product 45A10 wordt geleverd in eenheid 04 uur, niet in 14 etmaal.",
        "99Z99 in 06-2026: product 99Z99 hoort niet bij dit contract.",
        "regel 12: het traject eindigt vóór het begint.",
    ]


def test_negative_fraction_keeps_its_minus_sign_in_the_message():
    production = Production(deliveries=(Delivery("45A10", m(6), D("-0.5"), Unit.HOUR),))
    with pytest.raises(SettlementError) as error:
        settle(pxq_terms(), production, JUN_JUL_2026)
    assert error.value.errors == [
        "45A10 in 06-2026: aantal -0,5 is negatief; een correctie is een eigen regel."
    ]


# --- funding models must not pay a product twice ----------------------------------------------


def test_declared_output_product_is_paid_once_per_trajectory():
    # iJw output products are declared (JW323) in unit 82; the trajectory already pays the price.
    terms = contract([DYSLEXIA], [arrangement(Model.OUTPUT, [DYSLEXIA])])
    production = Production(
        deliveries=(Delivery("DYS01", m(1), D("1"), Unit.PIECES_OUTPUT),),
        trajectories=(Trajectory("T2", "DYS01", date(2026, 1, 20)),),
    )
    assert settle(terms, production, Q1_2026).total_due == D("1234.55")  # one trajectory


def test_lumpsum_is_paid_once_when_the_task_arrangement_is_renewed_mid_year():
    terms = contract(
        [TASK_HOURS],
        [
            arrangement(Model.TASK, [TASK_HOURS], valid_until=date(2026, 6, 30)),
            arrangement(Model.TASK, [TASK_HOURS], valid_from=m(7)),
        ],
        budgets=[BudgetTerms(2026, BudgetKind.LUMPSUM, D("1200000.00"))],
    )
    # one lumpsum of 1.200.000,00 for the year, whichever arrangement runs in which month
    assert settle(terms, Production(), Period.year(2026)).total_due == D("1200000.00")


# --- procurement effect -----------------------------------------------------------------------


def x_terms():  # PxQ, a tariff change on 1 July
    return contract(
        [HOURS],
        [arrangement(Model.PXQ, [HOURS])],
        reference="X",
        provider="Aanbieder A",
        segment="Segment 1",
    )


X_PRODUCTION = Production(
    deliveries=(
        Delivery("45A10", m(6), D("100"), Unit.HOUR),
        Delivery("45A10", m(7), D("120.5"), Unit.HOUR),
    )
)


def y_terms():  # lumpsum + output
    return contract(
        [TASK_HOURS, DYSLEXIA],
        [arrangement(Model.TASK, [TASK_HOURS]), arrangement(Model.OUTPUT, [DYSLEXIA])],
        budgets=[BudgetTerms(2026, BudgetKind.LUMPSUM, D("120000.00"))],
        reference="Y",
        provider="Aanbieder B",
        segment="Segment 2",
    )


Y_PRODUCTION = Production(
    deliveries=(
        Delivery("45T01", m(6), D("150"), Unit.HOUR),
        Delivery("45T01", m(7), D("130"), Unit.HOUR),
    ),
    trajectories=(Trajectory("T5", "DYS01", date(2026, 6, 10)),),
)


def z_terms():  # availability
    return contract(
        [CRISIS_BED],
        [
            arrangement(
                Model.AVAILABILITY,
                [CRISIS_BED],
                places=2,
                place_fee=D("3000.00"),
                occupancy_threshold_pct=D("50"),
            )
        ],
        reference="Z",
        provider="Aanbieder A",
        segment="Segment 2",
    )


Z_PRODUCTION = Production(
    deliveries=(
        Delivery("43C01", m(6), D("40"), Unit.ETMAAL),
        Delivery("43C01", m(7), D("50"), Unit.ETMAAL),
    )
)


def test_with_tariffs_on_prices_everything_at_one_day():
    fixed = with_tariffs_on(x_terms(), JAN_2026)
    assert fixed.products["45A10"].contract_tariffs == (Validity(date.min, None, D("68.40")),)
    assert fixed.products["45A10"].regional_tariffs == ()
    # 220,5 uur × 68,40 = 15.048,00 + 34,20 = 15.082,20
    assert settle(fixed, X_PRODUCTION, JUN_JUL_2026).total_due == D("15082.20")
    # a product without a tariff that day keeps none
    assert with_tariffs_on(x_terms(), date(2025, 12, 31)).products["45A10"].contract_tariffs == ()


def test_with_tariff_change_scales_every_version():
    raised = with_tariff_change(pxq_terms(), D("3"))
    assert [v.amount for v in raised.products["45A10"].regional_tariffs] == [
        D("70.45"),  # 68,40 × 1,03 = 70,452
        D("72.56"),  # 70,45 × 1,03 = 72,5635
    ]
    assert raised.products["43A01"].contract_tariffs[0].amount == D("252.45")  # 245,10 × 1,03
    assert raised.products["43A01"].regional_tariffs[0].amount == D("267.80")  # 260,00 × 1,03
    lowered = with_tariff_change(pxq_terms(), D("-10"))
    # 70,45 × 0,9 = 63,405 → 63,41 (half up)
    assert lowered.products["45A10"].regional_tariffs[1].amount == D("63.41")


def test_procurement_effect_of_a_tariff_change():
    [effect] = procurement_effect(
        [(x_terms(), X_PRODUCTION)], JUN_JUL_2026, lambda t: with_tariff_change(t, D("3"))
    )
    # now: 6.840,00 + 8.489,23 = 15.329,23
    # +3%: 100 × 70,45 = 7.045,00; 120,5 × 72,56 = 8.707,20 + 36,28 = 8.743,48 → 15.788,48
    assert effect == Effect("X", "Aanbieder A", "Segment 1", D("15329.23"), D("15788.48"))
    assert effect.difference == D("459.25")
    assert effect.difference_pct == D("3.0")  # 459,25 / 15.329,23 = 2,996%


def test_as_pxq_replaces_lumpsum_and_availability_but_keeps_output():
    alternative = as_pxq(y_terms())
    pxq, output = alternative.arrangements
    assert pxq.model == Model.PXQ
    assert pxq.product_codes == frozenset({"45T01"})  # not the output product
    assert (pxq.valid_from, pxq.valid_until) == (JAN_2026, date(2029, 12, 31))
    assert output.model == Model.OUTPUT
    assert alternative.budgets == ()


def effects():
    return procurement_effect(
        [(x_terms(), X_PRODUCTION), (y_terms(), Y_PRODUCTION), (z_terms(), Z_PRODUCTION)],
        JUN_JUL_2026,
        as_pxq,
    )


def test_procurement_effect_as_pxq_per_contract():
    x, y, z = effects()
    # X is PxQ already: 15.329,23 either way
    assert (x.current, x.alternative, x.difference) == (D("15329.23"), D("15329.23"), D("0"))
    assert x.difference_pct == D("0.0")
    # Y now: lumpsum months 6-7 of 12 = 70.000,00 − 50.000,00 = 20.000,00 + T5 1.234,55
    # Y as PxQ: 280 uur × 75,00 = 21.000,00 + T5 1.234,55
    assert (y.current, y.alternative) == (D("21234.55"), D("22234.55"))
    assert y.difference == D("1000.00")
    assert y.difference_pct == D("4.7")  # 1.000 / 21.234,55 = 4,709%
    # Z now: 2 × 3.000,00 × 2 = 12.000,00 + 90 etmalen × 180,00 = 16.200,00; as PxQ: 16.200,00
    assert (z.current, z.alternative) == (D("28200.00"), D("16200.00"))
    assert z.difference == D("-12000.00")
    assert z.difference_pct == D("-42.6")  # −12.000 / 28.200 = −42,55%


def test_effect_totals_per_segment_and_provider():
    assert effect_totals(effects(), "segment") == [
        ("Segment 1", D("15329.23"), D("15329.23")),  # X
        ("Segment 2", D("49434.55"), D("38434.55")),  # Y + Z: 21.234,55 + 28.200,00 | …
    ]
    assert effect_totals(effects(), "provider") == [
        ("Aanbieder A", D("43529.23"), D("31529.23")),  # X + Z: 15.329,23 + 28.200,00 | …
        ("Aanbieder B", D("21234.55"), D("22234.55")),  # Y
    ]


def test_effect_without_current_cost_has_no_percentage():
    assert Effect("C", "P", "S", D("0"), D("100")).difference_pct is None


# --- month boundaries and terminations ----------------------------------------------------------


def test_declarations_in_the_month_an_arrangement_starts_are_paid():
    # The arrangement (and its tariff) starts on 15-02-2026: February's declarations are paid at
    # the tariff valid on 15-02, not left unmatched because 01-02 falls before the start.
    hour = ProductTerms(
        "45A10", "Begeleiding", Unit.HOUR, regional_tariffs=open_from(date(2026, 2, 15), "60.00")
    )
    terms = contract(
        [hour],
        [arrangement(Model.PXQ, [hour], valid_from=date(2026, 2, 15))],
        start=date(2026, 2, 15),
    )
    production = Production(deliveries=(Delivery("45A10", m(2), D("10"), Unit.HOUR),))
    settlement = settle(terms, production, Period.months(2026, 2, 2))
    assert settlement.total_due == D("600.00")  # 10 × 60,00
    assert settlement.flags == ()


def test_declarations_after_the_contract_ended_are_unmatched():
    hour = ProductTerms(
        "45A10", "Begeleiding", Unit.HOUR, regional_tariffs=open_from(JAN_2026, "60.00")
    )
    terms = replace(contract([hour], [arrangement(Model.PXQ, [hour])]), end=date(2026, 1, 31))
    production = Production(deliveries=(Delivery("45A10", m(2), D("10"), Unit.HOUR),))
    settlement = settle(terms, production, Period.months(2026, 2, 2))
    assert settlement.total_due == D("0")
    assert [f.kind for f in settlement.flags] == ["unmatched"]


def test_a_termination_pays_the_lumpsum_only_up_to_it():
    # Budget 1.200.000 planned over 2026; terminated on 30-06-2026: January to June are paid,
    # 6 × 100.000,00 = 600.000,00, not the whole year spread over six months.
    terms = replace(task_terms(), end=date(2026, 6, 30), planned_end=date(2029, 12, 31))
    terms = replace(terms, budgets=(BudgetTerms(2026, "lumpsum", D("1200000.00")),))
    assert settle(terms, Production(), Period.year(2026)).total_due == D("600000.00")
    assert settle(terms, Production(), Period.months(2026, 7, 12)).total_due == D("0")
