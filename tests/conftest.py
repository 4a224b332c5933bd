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
    proc: object = None  # procurement objects, see build_procurement


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
    world = World(
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
    world.proc = build_procurement(world)
    return world


@dataclass
class Proc:
    framework: object
    view: object
    strategy: object
    tender: object  # SAS, definitively awarded to ``submission``
    draft: object  # a draft procedure (hidden from municipal users)
    submission: object
    question: object
    document: object


def build_procurement(w) -> Proc:
    """Procurement objects in every state a page needs, made directly (the services are
    tested elsewhere)."""
    from datetime import date, timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from procurement import models as pm

    framework = pm.Framework.objects.create(
        region=w.region,
        title=f"Kader {w.region.slug}",
        status="adopted",
        consultation_started_on=date(2020, 9, 24),
        adopted_on=date(2020, 12, 10),
        principles="Eigen kracht\nKostenbeheersing",
    )
    view = pm.MunicipalView.objects.create(
        framework=framework,
        municipality=w.municipality,
        received_on=date(2020, 11, 1),
        view="Stevig contractmanagement",
        response="Zo doen we het",
        responded_on=date(2020, 12, 10),
    )
    strategy = pm.Strategy.objects.create(
        region=w.region,
        framework=framework,
        segment=w.segment,
        title=f"Strategie {w.region.slug}",
        procedure_type="sas",
        funding_models=["task"],
        contract_term_years=5,
        extension_options=[1, 1],
        max_providers=20,
    )
    now = timezone.now()
    tender = pm.Tender.objects.create(
        region=w.region,
        strategy=strategy,
        reference=f"SAS-{w.region.slug}",
        title=f"Partners {w.region.slug}",
        procedure_type="sas",
        state="definitive",
        submission_deadline=now - timedelta(days=60),
        objection_started_on=date.today() - timedelta(days=30),
    )
    lot = pm.Lot.objects.create(tender=tender, number=1, segment=w.segment)
    req = pm.Requirement.objects.create(tender=tender, kind="suitability", text="Ervaring")
    crit = pm.AwardCriterion.objects.create(tender=tender, name="Visie", weight=100)
    submission = pm.Submission.objects.create(
        tender=tender,
        lot=lot,
        provider=w.provider,
        number=1,
        received_at=now - timedelta(days=61),
        eligible=True,
        total_score=80,
        rank=1,
        preselected=True,
        outcome="awarded",
        outcome_reason="Beste inschrijving",
        outcome_on=date.today(),
    )
    pm.EligibilityCheck.objects.create(submission=submission, requirement=req, passed=True)
    pm.ConsensusScore.objects.create(submission=submission, criterion=crit, value=8, reason="Goed")
    question = pm.Question.objects.create(
        tender=tender,
        number=1,
        source="provider",
        asked_by=w.distant_provider,
        received_at=now - timedelta(days=70),
        text="Hoeveel partners?",
        answer="Twintig.",
        published_in=1,
        published_on=date.today() - timedelta(days=65),
    )
    document = pm.TenderDocument(tender=tender, title="Inkoopleidraad")
    document.file.save("leidraad.txt", ContentFile(b"Leidraad"), save=True)
    draft = pm.Tender.objects.create(
        region=w.region,
        reference=f"CONCEPT-{w.region.slug}",
        title="Concept",
        procedure_type="open_house",
    )
    return Proc(framework, view, strategy, tender, draft, submission, question, document)


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
