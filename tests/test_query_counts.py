"""Query counts of the list and dashboard pages: pinned, and the same with few and with more rows
(an N+1 query — a row's link that loads its tender, a template column that runs the navigation
again per cell — makes the count grow with the rows and fails here).

Each case: the page as a region officer with world A's data, then ``grow`` adds rows the page
lists, then the page again: the two counts are equal and at most the pinned ``MAX``. The
drill-down's counts are in tests/monitoring/test_drilldown.py, the dashboards' also in
tests/monitoring/test_dashboards.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services as contract_services
from monitoring.kpis import rollups
from monitoring.models import Declaration, Signal
from procurement.models import Framework
from tests.procurement import factories as procurement_factories
from tests.providers.factories import ProviderFactory
from tests.segments.factories import CareFormFactory, MunicipalityFactory, ProductFactory

pytestmark = pytest.mark.django_db

_serial = iter(range(1, 100_000))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def region_url(w, name, **kwargs):
    return reverse(name, kwargs={"region": w.region.slug, **kwargs})


# --- what each page lists: add a few more --------------------------------------------------------


def more_providers(w, users):
    for _ in range(4):
        ProviderFactory(region=w.region, municipalities=[w.municipality], forms=[w.care_form])


def more_municipalities(w, users):
    for n in range(4):
        MunicipalityFactory(region=w.region, name=f"Extra {n}")


def more_care_forms(w, users):
    for n in range(4):
        CareFormFactory(region=w.region, name=f"Vorm {n}")


def more_products(w, users):
    for n in range(4):
        ProductFactory(region=w.region, care_form=w.care_form, name=f"Product {n}")


def more_frameworks(w, users):
    for n in range(4):
        Framework.objects.create(
            region=w.region,
            title=f"Kader {n}",
            status="adopted",
            consultation_started_on=date(2020, 9, 24),
            adopted_on=date(2020, 12, 10),
        )


def more_tenders(w, users):
    for _ in range(4):
        procurement_factories.tender(w)


def more_contracts(w, users):
    for n in range(4):
        provider = ProviderFactory(region=w.region, municipalities=[w.municipality])
        contract_services.contract_create(
            region=w.region,
            reference=f"C-extra-{n}",
            provider=provider,
            segment=w.segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
            extension_options=[1, 1],
        )


def more_tariffs(w, users):
    for n in range(4):
        product = ProductFactory(region=w.region, care_form=w.care_form, name=f"Tarief {n}")
        contract_services.tariff_version_create(
            product=product, valid_from=date(2025, 1, 1), amount=Decimal("50.00")
        )


def more_signals(w, users, count=6):
    for _ in range(count):
        n = next(_serial)
        provider = ProviderFactory(region=w.region, municipalities=[w.municipality])
        Signal.objects.create(
            region=w.region,
            provider=provider,
            contract=w.con.contract,
            source="kpi",
            topic="wait_time",
            key=f"kpi:wait_time:{provider.pk}:{n}",
            period=date(2026, 3, 1),
            level="red",
            value=Decimal("48"),
            norm=Decimal("28"),
            message="Wachttijd buiten de norm",
        )


def one_signal(w, users):
    more_signals(w, users, count=1)


def with_rollups(w, users):
    rollups.refresh_region(w.region.pk, signals=False)


def nothing(w, users):
    pass


def more_region_home(w, users):
    more_municipalities(w, users)
    more_providers(w, users)
    more_tenders(w, users)
    more_contracts(w, users)


def more_declarations(w, users):
    """Lines in more months of the settled period (the settlement reads its rollup)."""
    for month in range(4, 10):
        Declaration.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=f"extra-{month}",
            reference=f"X{next(_serial)}",
            month=date(2026, month, 1),
            quantity=Decimal("2"),
            unit="04",
            amount=Decimal("144.20"),
        )
    rollups.refresh_region(w.region.pk, signals=False)


def more_dashboard_data(w, users):
    more_contracts(w, users)
    more_declarations(w, users)


# (name, url of world A, grow, pinned maximum[, setup before the first count])
PAGES = [
    ("providers", lambda w: region_url(w, "providers:provider-list"), more_providers, 20),
    (
        "municipalities",
        lambda w: region_url(w, "segments:municipality-list"),
        more_municipalities,
        16,
    ),
    ("care forms", lambda w: region_url(w, "segments:careform-list"), more_care_forms, 16),
    ("products", lambda w: region_url(w, "segments:product-list"), more_products, 16),
    (
        "frameworks",
        lambda w: region_url(w, "procurement:framework-list"),
        more_frameworks,
        16,
    ),
    ("tenders", lambda w: region_url(w, "procurement:tender-list"), more_tenders, 18),
    ("contracts", lambda w: region_url(w, "contracts:contract-list"), more_contracts, 20),
    ("tariffs", lambda w: region_url(w, "contracts:tariff-list"), more_tariffs, 18),
    ("signals", lambda w: region_url(w, "monitoring:signals"), more_signals, 20, one_signal),
    ("region home", lambda w: region_url(w, "segments:region-detail"), more_region_home, 40),
    (
        "settlement",
        lambda w: (
            region_url(w, "contracts:contract-settlement", pk=w.con.contract.pk)
            + "?year=2026&first_month=1&last_month=10"
        ),
        more_declarations,
        20,
    ),
    (
        "region dashboard",
        lambda w: region_url(w, "monitoring:region"),
        more_dashboard_data,
        40,
        with_rollups,
    ),
    (
        "provider dashboard",
        lambda w: region_url(w, "monitoring:provider", pk=w.provider.pk),
        more_dashboard_data,
        40,
        with_rollups,
    ),
]


CASES = [(*page, nothing)[:5] for page in PAGES]


@pytest.mark.parametrize(("name", "url", "grow", "most", "setup"), CASES, ids=[p[0] for p in CASES])
def test_query_count_is_pinned_and_flat(client, world_a, users, name, url, grow, most, setup):
    setup(world_a, users)
    client.force_login(users.officer)
    address = url(world_a)
    before = count_queries(client, address)
    grow(world_a, users)
    after = count_queries(client, address)
    assert (before, after) == (before, before), f"{name}: {before} → {after} queries"
    assert after <= most, f"{name}: {after} queries (pinned at most {most})"


def test_ranking_query_count_does_not_grow_with_submissions(client, world_a, users):
    """The ranking links every submission (its URL names the tender's region): 3 and 7
    submissions, the same queries."""
    client.force_login(users.officer)
    counts = []
    for names in (("Alfa", "Beta", "Gamma"), tuple(f"Inschrijver {n}" for n in range(7))):
        tender, _subs, _now = procurement_factories.sas_to_provisional_award(
            world_a, users.officer, names=names
        )
        url = reverse(
            "procurement:ranking", kwargs={"region": world_a.region.slug, "tender": tender.pk}
        )
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30
