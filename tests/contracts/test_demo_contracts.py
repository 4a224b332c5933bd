"""The contract and production demo (contracts/demo.py, monitoring/demo.py): complete, built
through the real rules, settleable, and repeatable.

The whole demo is loaded once for the module inside a transaction that is rolled back
afterwards, so the other test modules never see it."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from contracts.codes import ArrangementModel, BudgetKind, EventKind, Kpi, OutputPayment
from contracts.demo import (
    AMS_STACKING,
    ZHZ_LOW_FACILITY,
    ZHZ_LOW_OCCUPANCY,
    ZHZ_OVERRUN,
    ZHZ_SECOND_FACILITY,
)
from contracts.models import Contract, TariffVersion
from contracts.selectors import arrangement_models, funding_label, settlement_for
from contracts.settlement import Period
from core.ui.formatting import money
from monitoring.models import Allocation, Declaration, Occupancy, Trajectory
from procurement.codes import FundingModel, TenderState
from procurement.models import Tender
from segments.codes import ParticipationLevel
from segments.models import Participation, Product, Region
from tests.conftest import replay_demo

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

Q1_2026 = Period.months(2026, 1, 3)
PSEUDONYM = r"^[0-9a-f]{64}$"


def counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("contracts").get_models(),
        *apps.get_app_config("monitoring").get_models(),
        *apps.get_app_config("procurement").get_models(),
        LogEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        replay_demo()  # the first load, as recorded once per test process (tests/conftest.py)
        before = counts()
        call_command("load_demo", force=True, verbosity=0)
        regions = {r.slug: r for r in Region.objects.all()}
        yield SimpleNamespace(regions=regions, before=before, after=counts())
        transaction.set_rollback(True)


def contracts_of(slug: str):
    return Contract.objects.filter(region__slug=slug).order_by("reference")


def test_second_load_adds_nothing(demo):
    assert demo.before["Contract"] == 46  # with the ZHZ pilot for two municipalities
    assert demo.before["Declaration"] > 0 and demo.before["Trajectory"] > 0
    assert demo.after == demo.before  # not a row, not an audit entry


# ---------------------------------------------------------------- West-Brabant Oost


def test_wbo_procedure_definitively_awarded_on_the_planned_dates(demo):
    tender = Tender.objects.get(reference="WBO-2022-SAS-01")
    assert tender.state == TenderState.DEFINITIVE_AWARD
    assert tender.objection_started_on == date(2022, 9, 23)
    actual = dict(tender.milestones.values_list("kind", "actual_on"))
    assert actual["provisional_award"] == date(2022, 9, 23)
    assert actual["definitive_award"] == date(2022, 10, 14)
    assert list(tender.events.values_list("transition", flat=True))[-3:] == [
        "provisional_award",
        "start_objection",
        "award",
    ]


def test_wbo_twenty_strategic_partners_from_the_award(demo):
    contracts = list(contracts_of("wbo").select_related("submission"))
    assert len(contracts) == 20
    for contract in contracts:
        assert contract.submission.tender.reference == "WBO-2022-SAS-01"
        assert contract.is_strategic_partner
        assert contract.start_date == date(2023, 1, 1)
        assert (contract.initial_term_years, contract.extension_options) == (5, [1, 1])
        arrangements = list(contract.arrangements.all())
        assert [a.model for a in arrangements] == [ArrangementModel.TASK]
        offered = set(contract.submission.care_forms.values_list("pk", flat=True))
        products = arrangements[0].products.all()
        assert products and {p.care_form_id for p in products} <= offered
        assert arrangements[0].lumpsum_decrease_pct == Decimal("2")
        assert {k.kpi for k in contract.kpi_agreements.all()} == {
            Kpi.WAIT_TIME,
            Kpi.DROPOUT,
            Kpi.GOAL_REALISATION,
            Kpi.CLIENT_EXPERIENCE,
        }


def test_wbo_lumpsum_decreases_two_percent_a_year(demo):
    total = Decimal(0)
    for contract in contracts_of("wbo"):
        lumpsum = {b.year: b.amount for b in contract.budgets.filter(kind=BudgetKind.LUMPSUM)}
        assert sorted(lumpsum) == list(range(2023, 2030))
        total += lumpsum[2023]
        # By hand: 98% of the year before, rounded to cents.
        for year in (2024, 2025, 2026):
            expected = (lumpsum[year - 1] * Decimal("0.98")).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            assert lumpsum[year] == expected
    assert abs(total - Decimal("60000000")) < Decimal("100000")


def test_wbo_recalibration_amendment_and_termination(demo):
    contracts = contracts_of("wbo")
    ended = contracts.get(events__kind=EventKind.TERMINATION)
    termination = ended.events.get(kind=EventKind.TERMINATION)
    assert termination.effective_on == date(2025, 12, 31) and termination.reason
    assert ended.terminated_on == date(2025, 12, 31)
    amended = contracts.filter(events__kind=EventKind.AMENDMENT)
    assert amended.count() == 1
    assert "Ontwikkelopdracht 2024" in amended.get().development_assignments
    recalibrated = {
        c.pk
        for c in contracts.exclude(pk=ended.pk)
        for b in c.budgets.all()
        for r in b.revisions.all()
        if r.effective_on.year in (2025, 2026) and r.reason
    }
    assert 2 <= len(recalibrated) <= 3
    # The terminated partner's later budgets are recalibrated to nothing.
    assert all(b.current_amount == 0 for b in ended.budgets.filter(year__gte=2026))


# ---------------------------------------------------------------- Zuid-Holland Zuid


def test_zhz_pxq_availability_and_hybrid_crisis(demo):
    zhz = contracts_of("zhz")
    crisis = zhz.filter(submission__tender__reference="SOJ-2025-OH-S5")
    assert crisis.count() == 8
    for contract in crisis:
        models = arrangement_models(contract)
        assert models == [ArrangementModel.AVAILABILITY, ArrangementModel.PXQ]
        assert funding_label(models) == str(FundingModel.HYBRID.label)
    first = zhz.filter(segment__code="1")
    assert first.count() == 6
    for contract in first:
        assert arrangement_models(contract) == [ArrangementModel.PXQ]
        assert contract.start_date == date(2022, 1, 1)
        assert contract.term_label == "4 + 1 + 1" and contract.extensions_used == 1
    housing = zhz.filter(segment__code="2")
    assert housing.count() == 4
    for contract in housing:
        # one facility each, two for the contract with low occupancy in one of them
        places = contract.arrangements.filter(model=ArrangementModel.AVAILABILITY)
        assert places.count() == (2 if contract.reference == ZHZ_LOW_OCCUPANCY else 1)
        for availability in places:
            assert availability.places >= 1 and availability.place_fee > 0
            assert availability.occupancy_threshold_pct == Decimal("50")
    for contract in zhz.exclude(reference="SOJ-2025-OH-S5-010"):
        years = set(contract.budgets.filter(kind=BudgetKind.CEILING).values_list("year", flat=True))
        assert 2026 in years and (contract.start_date.year > 2025 or 2025 in years)


# ---------------------------------------------------------------- Amsterdam


def test_ams_segment_b_paid_per_profile_and_intensity(demo):
    contracts = contracts_of("ams")
    assert contracts.count() == 6
    for contract in contracts:
        assert contract.segment.code == "B" and contract.start_date == date(2024, 1, 1)
        arrangement = contract.arrangements.get()
        assert arrangement.model == ArrangementModel.OUTPUT
        assert arrangement.output_payment == OutputPayment.SPLIT
        products = list(arrangement.products.select_related("support_profile"))
        assert len(products) >= 30
        assert all(p.support_profile_id and p.intensity for p in products)
        profiles = {
            b.support_profile.number for b in contract.budgets.filter(support_profile__isnull=False)
        }
        assert len(profiles) == 2
    prices = {
        v.product.code: v.amount
        for v in TariffVersion.objects.filter(
            region__slug="ams", contract__isnull=True, valid_until__isnull=True
        ).select_related("product")
    }
    assert len(prices) == 40
    assert prices["P01-ACU"] < prices["P01-PER"] < prices["P01-INT"]
    assert prices["P01-PER"] < prices["P10-PER"]


# ---------------------------------------------------------------- tariffs


def test_every_regional_tariff_has_a_history_with_an_indexation(demo):
    products = Product.objects.filter(
        pk__in=TariffVersion.objects.filter(contract__isnull=True).values("product")
    )
    assert products.count() == 23 + 20 + 40
    for product in products:
        latest = TariffVersion.objects.get(
            product=product, contract__isnull=True, valid_until__isnull=True
        )
        chain = [latest]
        while chain[-1].previous_id:
            chain.append(chain[-1].previous)
        assert len(chain) >= 3, product.code
        assert any(v.indexation_id for v in chain), product.code
    assert TariffVersion.objects.filter(region__slug="zhz", staff_client_bound__isnull=False)


# ---------------------------------------------------------------- settlement


def test_one_contract_of_each_kind_settles_q1_2026(demo):
    picks = [
        contracts_of("wbo").filter(terminated_on__isnull=True).first(),  # task-based
        contracts_of("zhz").get(reference="SOJ-2022-S1-001"),  # PxQ
        contracts_of("zhz").get(reference="SOJ-2022-S2-001"),  # availability + PxQ
        contracts_of("zhz").get(reference="SOJ-2025-OH-S5-001"),  # hybrid crisis
        contracts_of("ams").get(reference="AMS-2024-B-002"),  # output
    ]
    kinds = set()
    for contract in picks:
        settlement = settlement_for(contract, Q1_2026)
        assert settlement.payable > 0, contract.reference
        assert settlement.lines and all(line.description for line in settlement.lines)
        kinds |= {line.model for line in settlement.lines}
    assert kinds == set(ArrangementModel.values)


def test_no_production_is_left_unsettled(demo):
    for contract in Contract.objects.all():
        for period in (Period.months(2025, 1, 12), Period.months(2026, 1, 10)):
            flags = {f.kind for f in settlement_for(contract, period).flags}
            assert not flags & {"unmatched", "no_tariff", "no_budget"}, contract.reference


def test_zhz_ceiling_overrun_in_2026_only(demo):
    overrun = Contract.objects.get(reference=ZHZ_OVERRUN)
    settlement = settlement_for(overrun, Period.months(2026, 1, 10))
    assert [f.kind for f in settlement.flags] == ["ceiling"]
    assert settlement.withheld > 0
    for contract in contracts_of("zhz"):
        for period in (Period.year(2025), Period.months(2026, 1, 10)):
            flags = {f.kind for f in settlement_for(contract, period).flags}
            if contract.reference == ZHZ_OVERRUN and period.start.year == 2026:
                continue
            assert "ceiling" not in flags, (contract.reference, period)


def test_low_occupancy_in_2026_for_one_provider(demo):
    flagged = set()
    for contract in contracts_of("zhz").filter(arrangements__model="availability").distinct():
        for period in (Period.months(2025, m, m + 2) for m in (1, 4, 7, 10)):
            flags = settlement_for(contract, period).flags
            assert not [f for f in flags if f.kind == "occupancy"], contract.reference
        for period in (Period.months(2026, m, m + 2) for m in (1, 4, 7)):
            if any(f.kind == "occupancy" for f in settlement_for(contract, period).flags):
                flagged.add(contract.reference)
    assert flagged == {ZHZ_LOW_OCCUPANCY}
    months = Occupancy.objects.filter(contract__reference=ZHZ_LOW_OCCUPANCY)
    for facility in (ZHZ_LOW_FACILITY, ZHZ_SECOND_FACILITY):  # a line per facility per month
        assert months.filter(month__year=2026, facility=facility).count() == 10


def test_two_facility_contract_flags_only_the_facility_under_its_threshold(demo):
    contract = Contract.objects.get(reference=ZHZ_LOW_OCCUPANCY)
    facilities = sorted(
        contract.arrangements.filter(model=ArrangementModel.AVAILABILITY).values_list(
            "facility", flat=True
        )
    )
    assert facilities == [ZHZ_LOW_FACILITY, ZHZ_SECOND_FACILITY]
    settlement = settlement_for(contract, Period.months(2026, 1, 3))
    [flag] = [f for f in settlement.flags if f.kind == "occupancy"]
    assert flag.message.startswith(f"Voorziening {ZHZ_LOW_FACILITY}: bezetting ")
    assert flag.amount < Decimal("50")
    fees = [line for line in settlement.lines if line.component == "availability"]
    assert [f.description.split(":")[0] for f in fees] == [
        f"Beschikbaarheid {ZHZ_LOW_FACILITY}",
        f"Beschikbaarheid {ZHZ_SECOND_FACILITY}",
    ]


def test_ams_stacking_breach_flagged_and_acute_alongside_allowed(demo):
    for contract in contracts_of("ams"):
        stacking = [f for f in settlement_for(contract, Q1_2026).flags if f.kind == "stacking"]
        assert len(stacking) == (1 if contract.reference == AMS_STACKING else 0)
    # Some families have an Acuut allocation of at most 14 days next to another profile.
    acute = Allocation.objects.filter(product__intensity__code="acuut")
    alongside = 0
    for allocation in acute:
        assert (allocation.end - allocation.start).days + 1 <= 14
        alongside += (
            Allocation.objects.filter(client_key=allocation.client_key)
            .exclude(pk=allocation.pk)
            .filter(start__lte=allocation.end, end__gte=allocation.start)
            .exists()
        )
    assert alongside >= 3


def test_ams_trajectories_per_contract_and_year(demo):
    for contract in contracts_of("ams"):
        for year in (2025, 2026):
            n = Trajectory.objects.filter(contract=contract, started_on__year=year).count()
            assert 10 <= n <= 70, (contract.reference, year, n)
    ended = Trajectory.objects.exclude(ended_on=None)
    assert set(ended.values_list("end_reason", flat=True)) <= {"01", "02", "03", "04", "05"}
    assert Trajectory.objects.filter(ended_on=None, end_reason="").exists()
    assert Trajectory.objects.count() == Allocation.objects.count()


# ---------------------------------------------------------------- production


def test_client_keys_are_pseudonyms_only(demo):
    for model in (Declaration, Trajectory, Allocation):
        assert model.objects.exists()
        assert not model.objects.exclude(client_key__regex=PSEUDONYM).exists()


def test_declarations_priced_at_the_tariff_of_their_month(demo):
    rows = Declaration.objects.select_related("product").order_by("pk")
    assert not rows.filter(month__lt=date(2025, 1, 1)).exists()
    assert not rows.filter(month__gt=date(2026, 10, 1)).exists()
    for row in rows[::997]:
        version = (
            TariffVersion.objects.filter(
                product=row.product, contract__isnull=True, valid_from__lte=row.month
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=row.month))
            .get()
        )
        assert row.amount == money(row.quantity * version.amount)
        assert row.unit == row.product.unit and row.month.day == 1


def test_no_production_outside_participation(demo):
    for participation in Participation.objects.filter(level=ParticipationLevel.NONE):
        segments = [participation.segment, *participation.segment.children.all()]
        for model in (Declaration, Trajectory, Allocation):
            assert not model.objects.filter(
                municipality=participation.municipality, contract__segment__in=segments
            ).exists()


def test_production_within_the_contract_and_its_window(demo):
    for contract in Contract.objects.all():
        months = Declaration.objects.filter(contract=contract).values_list("month", flat=True)
        if months:
            assert contract.start_date <= min(months) <= max(months) <= contract.end_date


def test_zhz_has_one_saved_funding_model_scenario_with_an_effect(demo):
    from contracts.demo import ZHZ_SCENARIO
    from contracts.models import EffectScenario
    from contracts.selectors import scenario_result

    scenario = EffectScenario.objects.get(region__slug="zhz")
    assert scenario.name == ZHZ_SCENARIO and scenario.model == ArrangementModel.OUTPUT
    assert scenario.segment.code == "5" and scenario.prices.count() == 2
    effects, errors = scenario_result(scenario, contracts_of("zhz"))
    assert errors == [] and effects
    current = sum(e.current for e in effects)
    alternative = sum(e.alternative for e in effects)
    assert current > 0 and alternative > 0 and alternative != current
    assert all(e.lines and not e.unpriced for e in effects)
