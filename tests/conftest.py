"""Shared fixtures: two regions with a small landscape each, and a user of every role."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import hashers
from django.core.management import call_command

from accounts.models import User
from core.roles import Role
from tests.accounts.factories import municipal_user, user_with_role
from tests.providers.factories import (
    ConsortiumFactory,
    MembershipFactory,
    ProviderFactory,
    screen_fully,
)
from tests.replay import replayed
from tests.segments.factories import (
    CareFormFactory,
    MunicipalityFactory,
    ParticipationFactory,
    ProductFactory,
    RegionFactory,
    SegmentFactory,
)

# Tests hash passwords with MD5: PBKDF2's 1,000,000 rounds cost half a second per user on the CI
# machine, and the suite makes thousands of users (seven per ``users``, more in the demo).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
hashers.get_hashers.cache_clear()
hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no autovacuum in the test database: its VACUUM and ANALYZE see only
    committed rows, and every test replaces the database's contents. An autovacuum that ran
    while a test was loading the demo (thousands of uncommitted rows) recorded the tables as
    many pages holding zero rows; the planner then estimated one row per table and chose nested
    loops over tens of thousands, and single queries took minutes: the KPI rollup inside
    ``load_demo``, and the home page after a browser test's login (past Playwright's 30 s).
    Without autovacuum the planner estimates from the tables' actual size, as on a fresh
    database; the test database is thrown away afterwards."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} "
                    "SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                )


def replay_demo():
    """The demo (``load_demo --force``), loaded once per test process and replayed per test
    (tests/replay.py): for tests that need the demo's data, not a test of ``load_demo`` itself
    (tests/test_demo.py and the second load in tests/contracts/test_demo_contracts.py run it)."""
    replayed("load_demo", lambda: call_command("load_demo", force=True, verbosity=0))


@pytest.fixture
def demo_data(db):
    """The whole demo in the test database (see ``replay_demo``)."""
    replay_demo()


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
    con: object = None  # contract objects, see build_contracts


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
    world.con = build_contracts(world)
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


@dataclass
class Con:
    contract: object  # PxQ + availability, 2025-01-01, 3 + 1 + 1 years
    stay_product: object  # an etmaal product for the availability arrangement
    regional_tariff: object  # current regional tariff of ``world.product``
    contract_tariff: object  # the contract's own tariff of ``stay_product``
    pxq: object
    availability: object
    ceiling: object  # ceiling 2026, revised once
    kpi: object
    extension: object  # the first option, exercised


def build_contracts(w) -> Con:
    """A contract with every kind of child a page needs, made through the services, and a
    little production in 2026 for its settlement."""
    from datetime import date
    from decimal import Decimal

    from contracts import services
    from contracts.models import KpiAgreement
    from monitoring.models import Declaration, Occupancy
    from tests.segments.factories import ProductFactory

    stay = ProductFactory(
        region=w.region, care_form=w.care_form, name="Verblijf", category="43", unit="14"
    )
    contract = services.contract_create(
        region=w.region,
        reference=f"C-{w.region.slug}-001",
        provider=w.provider,
        segment=w.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[1, 1],
    )
    services.tariff_version_create(
        product=w.product, valid_from=date(2025, 1, 1), amount=Decimal("70.00")
    )
    regional = services.tariff_version_create(
        product=w.product, valid_from=date(2026, 1, 1), amount=Decimal("72.10")
    )
    own = services.tariff_version_create(
        product=stay, contract=contract, valid_from=date(2025, 1, 1), amount=Decimal("150.00")
    )
    pxq = services.arrangement_create(
        contract=contract, model="pxq", valid_from=date(2025, 1, 1), products=[w.product]
    )
    availability = services.arrangement_create(
        contract=contract,
        model="availability",
        valid_from=date(2025, 1, 1),
        products=[stay],
        places=4,
        place_fee=Decimal("1000.00"),
        occupancy_threshold_pct=Decimal("50"),
    )
    ceiling = services.budget_set(
        contract=contract, year=2026, kind="ceiling", amount=Decimal("100000.00")
    )
    services.budget_revise(
        budget=ceiling,
        effective_on=date(2026, 7, 1),
        amount=Decimal("110000.00"),
        reason="Meer aanmeldingen",
    )
    kpi = KpiAgreement.objects.create(
        contract=contract,
        kpi="wait_time",
        direction="lower",
        norm=Decimal("28"),
        amber_threshold=Decimal("35"),
        red_threshold=Decimal("42"),
    )
    extension = services.contract_extend(
        contract=contract, years=1, decided_on=date(2027, 6, 1), reason="Goede samenwerking"
    )
    for month in (1, 2, 3):
        Declaration.objects.create(
            region=w.region,
            contract=contract,
            municipality=w.municipality,
            product=w.product,
            client_key=f"k{month}",
            reference=f"D{month}",
            month=date(2026, month, 1),
            quantity=Decimal("10"),
            unit="04",
            amount=Decimal("721.00"),
        )
        Occupancy.objects.create(
            region=w.region,
            contract=contract,
            reference=f"B{month}",
            month=date(2026, month, 1),
            places=4,
            occupied_days=Decimal("60"),
        )
    # settlement reads the settlement rollup, which an import refreshes
    from monitoring.kpis.rollups import refresh_settlement

    refresh_settlement(w.region.pk, [date(2026, month, 1) for month in (1, 2, 3)])
    return Con(contract, stay, regional, own, pxq, availability, ceiling, kpi, extension)


@pytest.fixture
def world_a(db):
    return replayed("world_a", lambda: build_world("a"))


@pytest.fixture
def world_b(db):
    return replayed("world_b", lambda: build_world("b"))


@dataclass
class Users:
    officer: User
    contract_manager: User
    viewer: User
    municipal: User
    other_region_officer: User
    superuser: User
    administrator: User  # region administrator (Regiobeheerder) of world_a


@pytest.fixture
def users(world_a, world_b):
    return replayed("users", lambda: build_users(world_a, world_b))


def build_users(world_a, world_b) -> Users:
    return Users(
        officer=user_with_role(world_a.region, Role.PROCUREMENT_OFFICER, is_staff=True),
        contract_manager=user_with_role(world_a.region, Role.CONTRACT_MANAGER, is_staff=True),
        viewer=user_with_role(world_a.region, Role.VIEWER),
        municipal=municipal_user(world_a.municipality),
        other_region_officer=user_with_role(
            world_b.region, Role.PROCUREMENT_OFFICER, is_staff=True
        ),
        superuser=User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"),
        administrator=user_with_role(world_a.region, Role.ADMINISTRATOR),
    )


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in the site's language (Dutch). Django's LocaleMiddleware activates a
    request's language in the thread and leaves it active, so one test that asks for English
    would otherwise leave later tests in the same process in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
