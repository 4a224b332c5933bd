"""Settlement counts trajectories in the database (per product, start day and month of the end)
instead of reading each one: the figures equal those of the trajectories one by one, with
corrections (inactive trajectories), an output-funded contract whose tariff changes mid-month,
a product without a tariff and a PxQ contract in the data; the procurement effect and the
funding-model scenarios too."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from contracts import selectors, services
from contracts.scenarios import Alternative, price_alternative
from contracts.settlement import Period, Trajectory, procurement_effect, settle_year_to_date
from monitoring.kpis.production import production_source
from monitoring.models import Trajectory as TrajectoryLine
from tests.segments.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
Q1 = Period.months(2026, 1, 3)
FEB_MAR = Period.months(2026, 2, 3)


def traject(w, contract, product, ref, start, end=None, *, active=True, corrects=""):
    TrajectoryLine.objects.create(
        region=w.region,
        contract=contract,
        municipality=w.municipality,
        product=product,
        client_key=f"k-{ref}",
        reference=ref,
        corrects=corrects,
        active=active,
        started_on=start,
        ended_on=end,
        end_reason="01" if end else "",
    )


def one_by_one(contract, start, end):
    """The production as settlement read it before: every active trajectory touching the period
    as a fact of its own."""
    production = production_source([contract.pk], start, end)[contract.pk]
    rows = (
        TrajectoryLine.objects.filter(contract=contract, active=True, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by("started_on", "pk")
        .values_list("pk", "product__code", "started_on", "ended_on")
    )
    facts = tuple(Trajectory(str(pk), code, s, e) for pk, code, s, e in rows)
    return replace(production, trajectories=facts)


@pytest.fixture
def output_world(world_a):
    """World A's PxQ contract and an output-funded one (half at the start, half at the end) of
    the same provider: product OUT1 costs 1,000.00 until 14 February 2026 and 1,100.00 from the
    15th; OUT2 has no tariff."""
    w = world_a
    out1 = ProductFactory(region=w.region, care_form=w.care_form, code="OUT1", unit="82")
    out2 = ProductFactory(region=w.region, care_form=w.care_form, code="OUT2", unit="82")
    contract = services.contract_create(
        region=w.region,
        reference="C-OUTPUT",
        provider=w.provider,
        segment=w.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )
    services.tariff_version_create(
        product=out1, contract=contract, valid_from=date(2025, 1, 1), amount=D("1000.00")
    )
    services.tariff_version_create(
        product=out1, contract=contract, valid_from=date(2026, 2, 15), amount=D("1100.00")
    )
    services.arrangement_create(
        contract=contract,
        model="output",
        valid_from=date(2025, 1, 1),
        products=[out1, out2],
        output_payment="split",
    )
    t = traject
    t(w, contract, out1, "T1", date(2026, 1, 10), date(2026, 2, 20))
    t(w, contract, out1, "T2", date(2026, 1, 10), date(2026, 2, 5))  # T1's group
    t(w, contract, out1, "T3", date(2026, 2, 14))  # the last day at 1,000.00
    t(w, contract, out1, "T9", date(2026, 2, 10), date(2026, 3, 15))  # months of T4, 1,000.00
    t(w, contract, out1, "T4", date(2026, 2, 15), date(2026, 3, 1))  # 1,100.00
    t(w, contract, out1, "T5", date(2026, 2, 15), date(2026, 3, 31), active=False)
    t(w, contract, out1, "T6", date(2026, 2, 15), date(2026, 4, 10), corrects="T5")
    t(w, contract, out1, "T7", date(2025, 11, 3), date(2026, 1, 31))  # ends in the period
    t(w, contract, out1, "T8", date(2025, 6, 1), date(2025, 12, 31))  # ended before it
    t(w, contract, out2, "U1", date(2026, 3, 3))
    t(w, contract, out2, "U2", date(2026, 3, 3))
    # trajectories of the PxQ contract: no output lines there, but priced by an output scenario
    t(w, w.con.contract, w.product, "P1", date(2026, 1, 5), date(2026, 3, 20))
    t(w, w.con.contract, w.product, "P2", date(2026, 1, 12), date(2026, 3, 2))
    t(w, w.con.contract, w.product, "P3", date(2026, 2, 1), active=False)
    t(w, w.con.contract, w.product, "P4", date(2025, 12, 20), date(2026, 2, 10))
    return contract


def test_output_settlement_equals_the_trajectories_one_by_one(output_world, world_a):
    contract = output_world
    production = production_source([contract.pk], date(2026, 1, 1), Q1.end)[contract.pk]
    # T1 and T2 (same product, start day and end month) are one fact of two
    assert sorted((t.product_code, t.started_on, t.count) for t in production.trajectories) == [
        ("OUT1", date(2025, 11, 3), 1),
        ("OUT1", date(2026, 1, 10), 2),
        ("OUT1", date(2026, 2, 10), 1),
        ("OUT1", date(2026, 2, 14), 1),
        ("OUT1", date(2026, 2, 15), 1),
        ("OUT1", date(2026, 2, 15), 1),
        ("OUT2", date(2026, 3, 3), 2),
    ]
    # the PxQ contract's product is not paid per trajectory: counted by start month
    pxq = world_a.con.contract
    code = world_a.product.code
    assert [
        (t.product_code, t.started_on, t.ended_on, t.count)
        for t in production_source([pxq.pk], date(2026, 1, 1), Q1.end)[pxq.pk].trajectories
    ] == [
        (code, date(2025, 12, 20), date(2026, 2, 10), 1),
        (code, date(2026, 1, 5), date(2026, 3, 20), 2),  # P1 and P2, P3 corrected away
    ]
    terms = selectors.contract_terms(contract, on=Q1.end)
    for period in (Q1, FEB_MAR):
        settlement = selectors.settlement_for(contract, period)
        expected = settle_year_to_date(
            terms, one_by_one(contract, date(2026, 1, 1), period.end), period
        )
        assert settlement == expected

    settlement = selectors.settlement_for(contract, Q1)
    lines = {(line.component, line.unit_price): line.quantity for line in settlement.lines}
    # starts: T1, T2 (10 Jan), T9 (10 Feb) and T3 (14 Feb) at 500.00, T4 and T6 (15 Feb) at
    # 550.00; ends: T1, T2 (Feb), T7 (31 Jan) and T9 (15 Mar) at 500.00, T4 (1 Mar) at 550.00;
    # T5 is corrected away
    assert lines == {
        ("output_start", D("500.00")): 4,
        ("output_start", D("550.00")): 2,
        ("output_end", D("500.00")): 4,
        ("output_end", D("550.00")): 1,
    }
    assert settlement.total_due == D("5650.00")  # 2,000 + 1,100 + 2,000 + 550
    # one flag per trajectory without a tariff, as before
    assert [f.message for f in settlement.flags_of("no_tariff")] == [
        "Geen tarief voor OUT2 op 03-03-2026; traject niet verrekend."
    ] * 2


def test_settlement_page_shows_the_same_figures(client, output_world, users):
    contract = output_world
    client.force_login(users.contract_manager)
    response = client.get(
        reverse(
            "contracts:contract-settlement",
            kwargs={"region": contract.region.slug, "pk": contract.pk},
        ),
        {"year": 2026, "first_month": 1, "last_month": 3},
    )
    assert response.status_code == 200
    terms = selectors.contract_terms(contract, on=Q1.end)
    expected = settle_year_to_date(terms, one_by_one(contract, date(2026, 1, 1), Q1.end), Q1)
    assert response.context["settlement"] == expected
    assert "5.650,00" in response.content.decode()


def test_effect_and_scenarios_equal_the_trajectories_one_by_one(output_world, world_a):
    contracts = [world_a.con.contract, output_world]
    # the procurement effect: every tariff at that of 1 January 2026 (OUT1 1,000.00 throughout)
    effects, errors = selectors.effect_for(contracts, Q1, "tariffs_on", date(2026, 1, 1))
    assert errors == []
    old_pairs = [
        (selectors.contract_terms(c, on=Q1.end), one_by_one(c, Q1.start, Q1.end))
        for c in sorted(contracts, key=lambda c: c.reference)
    ]
    from contracts.settlement import with_tariffs_on

    expected = procurement_effect(
        old_pairs, Q1, lambda terms: with_tariffs_on(terms, date(2026, 1, 1))
    )
    assert effects == expected
    output = next(e for e in effects if e.contract == "C-OUTPUT")
    # T4 and T6 (start) and T4 (end) at 500.00 instead of 550.00
    assert (output.current, output.alternative) == (D("5650.00"), D("5500.00"))

    # an output scenario prices the PxQ contract's trajectories too: half at the start and
    # half at the end
    alternative = Alternative(
        model="output",
        prices={world_a.product.code: D("300.00"), "OUT1": D("1000.00")},
        output_payment="split",
    )
    new = price_alternative(selectors.scenario_pairs(contracts, Q1), Q1, alternative)
    old = price_alternative(old_pairs, Q1, alternative)
    assert new == old
    by_contract = {e.contract: e for e in new[0]}
    # P1 and P2 start in January (P3 is corrected away), P1, P2 and P4 end in Q1: 5 × 150.00
    assert by_contract[world_a.con.contract.reference].alternative == D("750.00")
    # OUT1: T1, T2, T3, T4, T6, T9 start in Q1, T1, T2, T4, T7, T9 end in it: 11 × 500.00;
    # OUT2 has no price
    assert by_contract["C-OUTPUT"].alternative == D("5500.00")
