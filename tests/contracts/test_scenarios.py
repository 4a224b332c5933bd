"""contracts.scenarios: a past period's production priced under another funding model.

Pure functions over dataclasses; no database. Every expected amount is a literal computed by hand
in the comment next to it.
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from contracts.codes import ArrangementModel as Model
from contracts.codes import OutputPayment
from contracts.scenarios import (
    Alternative,
    price_alternative,
    products_with_production,
    providers_with_production,
    shares,
)
from contracts.settlement import (
    ArrangementTerms,
    BudgetTerms,
    ContractTerms,
    Delivery,
    Period,
    Production,
    ProductTerms,
    Trajectory,
)
from contracts.tariffs import Validity
from segments.codes import Unit

Q1_2026 = Period.months(2026, 1, 3)


def m(month, year=2026):
    return date(year, month, 1)


HOURS = ProductTerms(
    "45A10",
    "Ambulante behandeling",
    Unit.HOUR,
    regional_tariffs=(Validity(m(1, 2025), None, D("81.37")),),
)
MINUTES = ProductTerms(
    "45A08",
    "Ambulante begeleiding",
    Unit.MINUTE,
    regional_tariffs=(Validity(m(1, 2025), None, D("1.52")),),
)
PROFILED = ProductTerms(
    "P2L",
    "Profiel 2 licht",
    Unit.HOUR,
    profile=2,
    intensity="Licht",
    regional_tariffs=(Validity(m(1, 2025), None, D("100.00")),),
)
ETMAAL = ProductTerms(
    "43A01",
    "Verblijf",
    Unit.ETMAAL,
    contract_tariffs=(Validity(m(1, 2025), None, D("245.10")),),
)


def contract(reference, products, provider="Zorg A", arrangements=None, budgets=()):
    codes = frozenset(p.code for p in products)
    return ContractTerms(
        reference=reference,
        start=date(2025, 1, 1),
        end=date(2027, 12, 31),
        arrangements=arrangements
        or (ArrangementTerms(Model.PXQ, date(2025, 1, 1), product_codes=codes),),
        products={p.code: p for p in products},
        budgets=budgets,
        provider=provider,
        segment="Segment 1",
    )


def hours(*quantities, code="45A10", unit=Unit.HOUR):
    return tuple(Delivery(code, m(i + 1), D(q), unit) for i, q in enumerate(quantities))


def twenty_trajectories():
    """20 trajectories started in Q1 2026, 4 of them ended in March; 2 started in December
    2025 (one of them ended in February)."""
    start = date(2026, 1, 5)
    in_q1 = [
        Trajectory(
            f"t{i}",
            "45A10",
            start + timedelta(days=4 * i),
            date(2026, 3, 20) if i < 4 else None,
        )
        for i in range(20)
    ]
    earlier = [
        Trajectory("d1", "45A10", date(2025, 12, 1), date(2026, 2, 10)),
        Trajectory("d2", "45A10", date(2025, 12, 15)),
    ]
    return tuple(in_q1 + earlier)


def test_twenty_trajectories_at_a_fixed_price_against_their_pxq_declarations():
    terms = contract("C-1", [HOURS])
    # 400,5 + 420 + 414 = 1.234,5 hours × € 81,37 = € 100.451,265 → € 100.451,27
    production = Production(
        deliveries=hours("400.5", "420", "414"), trajectories=twenty_trajectories()
    )
    [effect], errors = price_alternative(
        [(terms, production)],
        Q1_2026,
        Alternative(Model.OUTPUT, prices={"45A10": D("4500.00")}),
    )
    assert errors == []
    assert effect.current == D("100451.27")
    # 20 trajectories started in Q1 × € 4.500,00 = € 90.000,00
    assert effect.alternative == D("90000.00")
    assert effect.difference == D("-10451.27")
    # -10.451,27 / 100.451,27 = -10,404…%
    assert effect.difference_pct == D("-10.4")
    assert effect.lines == (
        "45A10 Ambulante behandeling: 20 trajecten gestart × € 4.500,00 = € 90.000,00",
    )
    assert effect.current_lines == (
        "45A10 Ambulante behandeling: 1.234,5 uur × € 81,37 = € 100.451,27",
    )
    assert effect.unpriced == ()


def test_output_paid_at_the_end_or_half_at_each():
    terms = contract("C-1", [HOURS])
    production = Production(deliveries=hours("10"), trajectories=twenty_trajectories())
    at_end = Alternative(
        Model.OUTPUT, prices={"45A10": D("4500.01")}, output_payment=OutputPayment.AT_END
    )
    [effect], _ = price_alternative([(terms, production)], Q1_2026, at_end)
    # 4 ended in March + 1 (started December) ended in February = 5 × € 4.500,01 = € 22.500,05
    assert effect.alternative == D("22500.05")
    split = Alternative(
        Model.OUTPUT, prices={"45A10": D("4500.01")}, output_payment=OutputPayment.SPLIT
    )
    [effect], _ = price_alternative([(terms, production)], Q1_2026, split)
    # start half € 2.250,01 (4500,01/2 = 2250,005 rounded up) × 20 = € 45.000,20
    # end half € 2.250,00 × 5 = € 11.250,00; together € 56.250,20
    assert effect.alternative == D("56250.20")
    assert effect.lines == (
        "45A10 Ambulante behandeling: 5 trajecten beëindigd × € 2.250,00 = € 11.250,00",
        "45A10 Ambulante behandeling: 20 trajecten gestart × € 2.250,01 = € 45.000,20",
    )


def test_output_per_profile_and_intensity_and_what_it_cannot_price():
    terms = contract("C-2", [PROFILED, MINUTES])
    production = Production(
        # minutes: 1.000 + 500 = 1.500 × € 1,52 = € 2.280,00 now
        deliveries=(
            Delivery("P2L", m(1), D("30"), Unit.HOUR),  # 30 × € 100 = € 3.000,00 now
            Delivery("45A08", m(1), D("1000"), Unit.MINUTE),
            Delivery("45A08", m(2), D("500"), Unit.MINUTE),
        ),
        trajectories=(
            Trajectory("a", "P2L", date(2026, 1, 10)),
            Trajectory("b", "P2L", date(2026, 2, 10)),
            Trajectory("c", "P2L", date(2026, 3, 10)),
        ),
    )
    alternative = Alternative(Model.OUTPUT, profile_prices={(2, "Licht"): D("1250.50")})
    [effect], _ = price_alternative([(terms, production)], Q1_2026, alternative)
    assert effect.current == D("5280.00")
    # 3 × € 1.250,50 = € 3.751,50; the minutes have no price: left out, listed
    assert effect.alternative == D("3751.50")
    [unpriced] = effect.unpriced
    assert (unpriced.product_code, unpriced.quantity, unpriced.current) == (
        "45A08",
        D("1500"),
        D("2280.00"),
    )
    assert unpriced.describe() == (
        "45A08 Ambulante begeleiding: 1.500 minuten, nu € 2.280,00 (geen prijs in het scenario)"
    )
    # A price for the profile with any intensity serves as well.
    [effect], _ = price_alternative(
        [(terms, production)],
        Q1_2026,
        Alternative(Model.OUTPUT, profile_prices={(2, ""): D("1000")}),
    )
    assert effect.alternative == D("3000.00")


def test_pxq_with_other_tariffs():
    terms = contract("C-1", [HOURS])
    production = Production(deliveries=hours("400.5", "420", "414"))
    [effect], _ = price_alternative(
        [(terms, production)], Q1_2026, Alternative(Model.PXQ, prices={"45A10": D("75.05")})
    )
    # 1.234,5 × € 75,05 = € 92.649,225 → € 92.649,23
    assert effect.alternative == D("92649.23")
    assert effect.difference == D("-7802.04")  # 92.649,23 - 100.451,27
    assert effect.lines == ("45A10 Ambulante behandeling: 1.234,5 uur × € 75,05 = € 92.649,23",)


def _three_contracts():
    flat = ProductTerms(
        "45A10", "Behandeling", Unit.HOUR, regional_tariffs=(Validity(m(1, 2025), None, D("100")),)
    )
    return [
        (contract("A-1", [flat]), Production(deliveries=hours("300"))),  # € 30.000 now
        (contract("A-2", [flat]), Production(deliveries=hours("100"))),  # € 10.000 now
        (contract("B-1", [flat], provider="Zorg B"), Production(deliveries=hours("200"))),
    ]


def test_task_based_lumpsum_per_provider_pro_rata_and_divided_over_contracts():
    alternative = Alternative(
        Model.TASK, provider_amounts={"Zorg A": D("100000"), "Zorg B": D("50000.10")}
    )
    effects, _ = price_alternative(_three_contracts(), Q1_2026, alternative)
    by_contract = {e.contract: e for e in effects}
    # Zorg A: € 100.000 × 3/12 = € 25.000; current 30.000 : 10.000 → 75% and 25%
    assert by_contract["A-1"].alternative == D("18750.00")
    assert by_contract["A-2"].alternative == D("6250.00")
    # Zorg B: € 50.000,10 × 3/12 = € 12.500,025 → € 12.500,03
    assert by_contract["B-1"].alternative == D("12500.03")
    assert by_contract["A-1"].lines == (
        "Taakgericht budget Zorg A € 100.000,00 per jaar × 3/12 maanden = € 25.000,00; "
        "aandeel van dit contract (75% naar de huidige kosten): € 18.750,00",
    )


def test_task_based_one_regional_sum_divided_by_current_spend():
    alternative = Alternative(Model.TASK, regional_amount=D("120000"))
    effects, _ = price_alternative(_three_contracts(), Q1_2026, alternative)
    by_contract = {e.contract: e for e in effects}
    # € 120.000 × 3/12 = € 30.000; Zorg A now € 40.000, Zorg B € 20.000 (of € 60.000):
    # A € 20.000 (A-1 three quarters: € 15.000, A-2 € 5.000), B € 10.000
    assert by_contract["A-1"].alternative == D("15000.00")
    assert by_contract["A-2"].alternative == D("5000.00")
    assert by_contract["B-1"].alternative == D("10000.00")
    assert sum(e.alternative for e in effects) == D("30000.00")


def test_task_based_provider_without_an_amount_is_listed():
    alternative = Alternative(Model.TASK, provider_amounts={"Zorg A": D("100000")})
    effects, _ = price_alternative(_three_contracts(), Q1_2026, alternative)
    b = next(e for e in effects if e.contract == "B-1")
    assert b.alternative == 0
    assert [(u.name, u.current) for u in b.unpriced] == [("Zorg B", D("20000.00"))]


def test_availability_places_times_fee_plus_occupied_days():
    terms = contract("V-1", [ETMAAL])
    # 30 + 25 + 25 = 80 etmalen × € 245,10 = € 19.608,00 now
    production = Production(
        deliveries=hours("30", "25", "25", code="43A01", unit=Unit.ETMAAL),
    )
    alternative = Alternative(
        Model.AVAILABILITY,
        prices={"43A01": D("200")},
        places={"Zorg A": (4, D("1000"))},
    )
    [effect], _ = price_alternative([(terms, production)], Q1_2026, alternative)
    assert effect.current == D("19608.00")
    # 4 places × € 1.000 × 3 months = € 12.000 + 80 × € 200 = € 16.000 → € 28.000
    assert effect.alternative == D("28000.00")
    assert effect.lines == (
        "Beschikbaarheid Zorg A: 4 plaatsen × € 1.000,00 × 3 maanden = € 12.000,00",
        "43A01 Verblijf: 80 etmalen × € 200,00 = € 16.000,00",
    )


def test_a_product_scope_leaves_other_production_and_lumpsums_out():
    terms = contract(
        "H-1",
        [HOURS, MINUTES],
        arrangements=(
            ArrangementTerms(Model.PXQ, date(2025, 1, 1), product_codes=frozenset({"45A10"})),
            ArrangementTerms(Model.TASK, date(2025, 1, 1), product_codes=frozenset({"45A08"})),
        ),
        budgets=(BudgetTerms(2026, "lumpsum", D("120000")),),
    )
    production = Production(
        deliveries=hours("10") + (Delivery("45A08", m(1), D("600"), Unit.MINUTE),),
        trajectories=(Trajectory("a", "45A10", date(2026, 1, 10)),),
    )
    [effect], _ = price_alternative(
        [(terms, production)],
        Q1_2026,
        Alternative(Model.OUTPUT, prices={"45A10": D("900")}),
        products=frozenset({"45A10"}),
    )
    # 10 × € 81,37 = € 813,70 now; the lumpsum (€ 30.000 for Q1) belongs to no product
    assert effect.current == D("813.70")
    assert effect.alternative == D("900.00")
    assert any("Taakgericht budget 2026" in note for note in effect.notes)
    assert effect.unpriced == ()


def test_production_that_cannot_be_settled_leaves_the_contract_out():
    terms = contract("C-1", [HOURS])
    bad = Production(deliveries=(Delivery("45A10", m(1), D("-1"), Unit.HOUR),))
    effects, errors = price_alternative(
        [(terms, bad)], Q1_2026, Alternative(Model.PXQ, prices={"45A10": D("1")})
    )
    assert effects == [] and len(errors) == 1 and errors[0].startswith("C-1: ")


def test_what_a_scenario_must_price():
    pairs = [
        (contract("C-1", [HOURS, MINUTES]), Production(deliveries=hours("1"))),
        (
            contract("C-2", [MINUTES], provider="Zorg B"),
            Production(trajectories=(Trajectory("x", "45A08", date(2025, 6, 1)),)),
        ),
    ]
    assert set(products_with_production(pairs, Q1_2026)) == {"45A10"}
    assert providers_with_production(pairs, Q1_2026) == {"Zorg A"}
    assert products_with_production(pairs, Q1_2026, frozenset({"45A08"})) == {}


@pytest.mark.parametrize(
    "total, weights, expected",
    [
        ("100.00", {"a": 1, "b": 1, "c": 1}, {"a": "33.34", "b": "33.33", "c": "33.33"}),
        ("10.00", {"a": 0, "b": 0}, {"a": "5.00", "b": "5.00"}),
        ("0.05", {"a": 3, "b": 1}, {"a": "0.04", "b": "0.01"}),
    ],
)
def test_shares_add_up_to_the_cent(total, weights, expected):
    result = shares(D(total), {k: D(v) for k, v in weights.items()})
    assert result == {k: D(v) for k, v in expected.items()}
    assert sum(result.values()) == D(total)
