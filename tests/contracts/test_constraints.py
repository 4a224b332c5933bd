"""The database keeps the rules the services check, also when a write bypasses them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contracts.models import Budget, TariffVersion


@pytest.mark.django_db
def test_one_regional_and_one_contract_version_per_start_date(world_a):
    w = world_a
    same = {"region": w.region, "product": w.product, "valid_from": date(2026, 1, 1)}
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffVersion.objects.create(**same, amount=Decimal("1.00"))
    # A contract's own version may start on the same day as the regional one, once.
    TariffVersion.objects.create(**same, contract=w.con.contract, amount=Decimal("2.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffVersion.objects.create(**same, contract=w.con.contract, amount=Decimal("3.00"))


@pytest.mark.django_db
def test_one_budget_per_year_kind_and_profile(world_a):
    contract = world_a.con.contract
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(contract=contract, year=2026, kind="ceiling", amount=Decimal("1"))
    Budget.objects.create(contract=contract, year=2026, kind="lumpsum", amount=Decimal("1"))


@pytest.mark.django_db
def test_thresholds_follow_the_direction(world_a):
    kpi = world_a.con.kpi  # lower is better: 28 ≤ 35 ≤ 42
    kpi.red_threshold = Decimal("30")
    with pytest.raises(IntegrityError), transaction.atomic():
        kpi.save()


@pytest.mark.django_db
def test_a_reversal_points_at_an_event_and_only_a_reversal_does(world_a):
    from contracts.models import ContractEvent

    contract, extension = world_a.con.contract, world_a.con.extension
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractEvent.objects.create(contract=contract, kind="reversal", effective_on=date.today())
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractEvent.objects.create(
            contract=contract, kind="amendment", effective_on=date.today(), reverses=extension
        )
    ContractEvent.objects.create(
        contract=contract, kind="reversal", effective_on=date.today(), reverses=extension
    )
    # one reversal per event
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractEvent.objects.create(
            contract=contract, kind="reversal", effective_on=date.today(), reverses=extension
        )
