"""World A with its public pages on, and a hand-made small-cell world: in March 2026 the
provider "Zorg A Dichtbij" has 10 youths (threshold 10: shown) and "Zorg A Veraf" 9 (not)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from contracts import services as contract_services
from monitoring.kpis.models import Grain, KpiRollup
from monitoring.models import Trajectory
from segments.services import region_public_page_set

MARCH = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class PublicWorld:
    region: object
    near: object  # 10 youths in March 2026
    far: object  # 9 youths in March 2026
    far_contract: object


def _youths(world, contract, provider, count: int, prefix: str) -> None:
    for n in range(count):
        Trajectory.objects.create(
            region=world.region,
            contract=contract,
            municipality=world.municipality,
            product=world.product,
            client_key=f"{prefix}{n}",
            reference=f"{prefix}-T{n}",
            started_on=date(2026, 2, 1),
        )
    # the month's measures of the provider: `count` outcome measurements, 70% (near) or 80%
    KpiRollup.objects.create(
        region=world.region,
        month=MARCH,
        grain=Grain.PROVIDER,
        key=f"p{provider.pk}",
        provider=provider,
        youths=count,
        trajectories_active=count,
        goal_sum=Decimal(count * (70 if prefix == "near" else 80)),
        goal_count=count,
    )


@pytest.fixture
def public_world(world_a):
    return make_public_world(world_a)


def make_public_world(world_a) -> PublicWorld:
    """Turn the world's public page on (threshold 10) and give its two providers 10 and 9
    youths in March 2026."""
    region = region_public_page_set(region=world_a.region, enabled=True, min_cell=10)
    far_contract = contract_services.contract_create(
        region=world_a.region,
        reference=f"C-{world_a.region.slug}-002",
        provider=world_a.distant_provider,
        segment=world_a.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
    )
    _youths(world_a, world_a.con.contract, world_a.provider, 10, "near")
    _youths(world_a, far_contract, world_a.distant_provider, 9, "far")
    return PublicWorld(region, world_a.provider, world_a.distant_provider, far_contract)
