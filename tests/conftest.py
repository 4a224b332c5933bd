"""Shared fixtures: two regions with a small landscape each, and a user of every role."""

from dataclasses import dataclass

import pytest

from accounts.models import User
from core.roles import Role
from tests.accounts.factories import municipal_user, user_with_role
from tests.providers.factories import (
    ConsortiumFactory,
    MembershipFactory,
    ProviderFactory,
    screen_fully,
)
from tests.segments.factories import (
    CareFormFactory,
    MunicipalityFactory,
    ParticipationFactory,
    ProductFactory,
    RegionFactory,
    SegmentFactory,
)


@dataclass
class World:
    """One region's objects; ``a`` and ``b`` never share anything."""

    region: object
    municipality: object
    other_municipality: object
    care_form: object
    segment: object
    sub_segment: object
    participation: object
    product: object
    provider: object  # delivers in ``municipality``
    distant_provider: object  # delivers only in ``other_municipality``
    consortium: object
    screening: object


def build_world(label: str) -> World:
    region = RegionFactory(name=f"Regio {label.upper()}", slug=f"regio-{label}")
    municipality = MunicipalityFactory(region=region, name=f"Gemeente {label.upper()}1")
    other = MunicipalityFactory(region=region, name=f"Gemeente {label.upper()}2")
    care_form = CareFormFactory(region=region, name=f"Begeleiding {label.upper()}")
    segment = SegmentFactory(region=region, code="1", name=f"Hoog specialistisch {label.upper()}")
    sub_segment = SegmentFactory(
        region=region, parent=segment, code="1a", name=f"Deel {label.upper()}"
    )
    participation = ParticipationFactory(municipality=other, segment=segment, level="none")
    product = ProductFactory(region=region, care_form=care_form, name=f"Product {label.upper()}")
    provider = ProviderFactory(
        region=region,
        name=f"Zorg {label.upper()} Dichtbij",
        municipalities=[municipality],
        forms=[care_form],
    )
    screen_fully(provider)
    distant = ProviderFactory(
        region=region, name=f"Zorg {label.upper()} Veraf", municipalities=[other]
    )
    consortium = ConsortiumFactory(
        region=region, name=f"Verband {label.upper()}", municipalities=[other]
    )
    MembershipFactory(consortium=consortium, member=provider, is_lead=True)
    MembershipFactory(consortium=consortium, member=distant)
    return World(
        region,
        municipality,
        other,
        care_form,
        segment,
        sub_segment,
        participation,
        product,
        provider,
        distant,
        consortium,
        provider.screenings.first(),
    )


@pytest.fixture
def world_a(db):
    return build_world("a")


@pytest.fixture
def world_b(db):
    return build_world("b")


@dataclass
class Users:
    officer: User
    contract_manager: User
    viewer: User
    municipal: User
    other_region_officer: User
    superuser: User


@pytest.fixture
def users(world_a, world_b):
    return Users(
        officer=user_with_role(world_a.region, Role.PROCUREMENT_OFFICER, is_staff=True),
        contract_manager=user_with_role(world_a.region, Role.CONTRACT_MANAGER, is_staff=True),
        viewer=user_with_role(world_a.region, Role.VIEWER),
        municipal=municipal_user(world_a.municipality),
        other_region_officer=user_with_role(
            world_b.region, Role.PROCUREMENT_OFFICER, is_staff=True
        ),
        superuser=User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"),
    )
