"""Query counts of the list and dashboard pages: pinned, and the same with few and with more rows
(an N+1 query — a row's link that loads its tender, a template column that runs the navigation
again per cell — makes the count grow with the rows and fails here).

Each case: the page as a region officer with world A's data, then ``grow`` adds rows the page
lists, then the page again: the two counts are equal and at most the pinned ``MAX``. Lists that
may skip a query while empty get a row first (``setup``). The drill-down's counts are in
tests/monitoring/test_drilldown.py, the dashboards' also in tests/monitoring/test_dashboards.py."""

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


def one_segment_budget(w, users):
    from contracts.segment_budgets import segment_budget_create

    segment_budget_create(
        region=w.region, segment=w.segment, year=2026, kind="free", amount=Decimal("1000")
    )


def more_segment_budgets(w, users):
    """Four more segments, each with a contract with a budget (and a revision) and a free and
    a reserved budget in 2026."""
    from contracts.segment_budgets import segment_budget_create
    from tests.segments.factories import SegmentFactory

    for n in range(4):
        segment = SegmentFactory(region=w.region, code=f"9{n}", name=f"Extra {n}")
        contract = contract_services.contract_create(
            region=w.region,
            reference=f"C-seg-{n}",
            provider=w.provider,
            segment=segment,
            start_date=date(2026, 1, 1),
            initial_term_years=1,
        )
        budget = contract_services.budget_set(
            contract=contract, year=2026, kind="ceiling", amount=Decimal("1000")
        )
        contract_services.budget_revise(
            budget=budget, effective_on=date(2026, 6, 1), amount=Decimal("1200"), reason="Meer"
        )
        for kind in ("free", "reserved"):
            segment_budget_create(
                region=w.region, segment=segment, year=2026, kind=kind, amount=Decimal("500")
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


def more_search_hits(w, users):
    """Providers, contracts, procedures, municipalities and segments that the search finds."""
    more_contracts(w, users)
    more_tenders(w, users)
    more_municipalities(w, users)


def one_notification(w, users):
    more_notifications(w, users, count=1, start=100)


def more_notifications(w, users, count=6, start=0):
    from core.notifications import notification_create

    for n in range(start, start + count):
        notification_create(
            user=users.officer,
            kind="report_ready",
            title=f"Rapportage {n} klaar",
            url="/",
            key=f"test:{n}",
            check_preference=False,
        )


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


def more_consents(w, users, count=3):
    """Case directors' consents on world A's contract, each with its products."""
    from contracts.models import ProfileConsent

    for _n in range(count):
        consent = ProfileConsent.objects.create(
            region=w.region,
            contract=w.con.contract,
            family=f"{next(_serial):012d}",
            kind="stapeling",
            given_on=date(2026, 2, 20),
            case_director="J. de Vries, regisseur",
            reason="Afgestemd in het perspectiefplan.",
            valid_from=date(2026, 3, 1),
            recorded_by=users.officer,
        )
        consent.products.set([w.product, w.con.stay_product])


def one_consent(w, users):
    more_consents(w, users, count=1)


def more_dashboard_data(w, users):
    more_contracts(w, users)
    more_declarations(w, users)


def more_dialogues(w, users, count=4):
    from monitoring.models import DialogueAction, PerformanceDialogue

    for n in range(count):
        provider = ProviderFactory(region=w.region, municipalities=[w.municipality])
        dialogue = PerformanceDialogue.objects.create(
            region=w.region, provider=provider, scheduled_on=date(2026, 11, n + 1)
        )
        DialogueAction.objects.create(
            dialogue=dialogue, description="Plan", owner="Directie", due_on=date(2026, 12, 31)
        )


def more_imports(w, users, statuses=("rejected", "imported", "pending", "imported")):
    from monitoring.models import ImportBatch

    for n, status in enumerate(statuses):
        ImportBatch.objects.create(
            region=w.region,
            kind=("declaraties", "trajecten")[n % 2],
            file_format="csv",
            file_name=f"bestand-{next(_serial)}.csv",
            status=status,
            created_by=users.officer,
            errors=[{"row": 2, "column": "product", "message": "Onbekende productcode X."}]
            if status == "rejected"
            else [],
            error_count=1 if status == "rejected" else 0,
        )


def more_reports(w, users, months=range(1, 5)):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports import services as report_services
    from reports.models import ReportKind, ReportVersion
    from reports.periods import parse_period

    for month in months:
        provider = ProviderFactory(region=w.region, municipalities=[w.municipality])
        report = report_services.report_ensure(
            region=w.region,
            kind=ReportKind.PROVIDER,
            subject=provider,
            period=parse_period("month", f"2026-{month:02d}"),
        )
        version = ReportVersion(
            report=report,
            number=1,
            status="ready",
            trigger="demand",
            generated_at=timezone.now(),
            snapshot={},
            pages=1,
        )
        version.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        version.save()
        report.current = version
        report.status = "ready"
        report.save()


def more_region_kpis(w, users, count=4):
    from monitoring.kpis import services as kpi_services

    for _ in range(count):
        n = next(_serial)
        kind = kpi_services.measurement_kind_create(
            region=w.region, code=f"soort-{n}", name=f"Soort {n}"
        )
        kpi_services.region_kpi_create(
            region=w.region,
            code=f"eigen-{n}",
            name=f"Eigen KPI {n}",
            definition="Gemiddelde score.",
            unit="cijfer",
            direction="higher",
            computation="measurement_average",
            measurement_kind=kind,
            user=users.officer,
        )


def more_scenarios(w, users, count=4):
    for _ in range(count):
        n = next(_serial)
        contract_services.effect_scenario_create(
            region=w.region,
            name=f"Scenario {n}",
            model="pxq",
            year=2026,
            first_month=1,
            last_month=3,
            segment=w.segment,
            prices=[{"product": w.product, "amount": Decimal("75.00")}],
            user=users.officer,
        )


def one_of_each(w, users):
    """A row of every list below before the first count (an empty list may skip a query)."""
    more_dialogues(w, users, count=1)
    more_imports(w, users, statuses=("imported",))
    more_reports(w, users, months=[12])
    more_region_kpis(w, users, count=1)
    more_scenarios(w, users, count=2)  # two: the comparison form (its own query) shows


def _theme(w, name):
    from procurement import kader

    return kader.theme_create(region=w.region, name=name)


def one_view_and_consultation(w, users):
    """Issue 21: a theme on the world's view and a consultation on its strategy."""
    from procurement import consultations, services

    theme = _theme(w, "Kostenbeheersing")
    services.municipal_view_update(municipal_view=w.proc.view, themes=[theme])
    consultations.consultation_create(
        strategy=w.proc.strategy,
        held_on=date(2021, 1, 19),
        kind="market",
        providers=[w.provider],
        themes=[theme],
    )


def more_views_with_themes(w, users):
    from procurement import services

    themes = [_theme(w, f"Thema {next(_serial)}") for _ in range(3)]
    for n in range(3):
        municipality = MunicipalityFactory(region=w.region, name=f"Raad {next(_serial)}")
        services.municipal_view_create(
            framework=w.proc.framework,
            municipality=municipality,
            received_on=date(2020, 11, 1),
            view="Akkoord",
            themes=themes[: n + 1],
        )


def more_consultations(w, users):
    from procurement import consultations

    themes = [_theme(w, f"Thema {next(_serial)}") for _ in range(2)]
    for n in range(3):
        consultations.consultation_create(
            strategy=w.proc.strategy,
            held_on=date(2021, 2, n + 1),
            kind="table",
            providers=[w.provider, w.distant_provider],
            other_participants="Cliëntenraad",
            themes=themes,
        )


def more_themes(w, users):
    for _ in range(4):
        _theme(w, f"Thema {next(_serial)}")


# (name, url of world A, grow, pinned maximum[, setup before the first count])
PAGES = [
    (
        "framework with views and themes",
        lambda w: region_url(w, "procurement:framework-detail", pk=w.proc.framework.pk),
        more_views_with_themes,
        16,
        one_view_and_consultation,
    ),
    (
        "strategy with consultations",
        lambda w: region_url(w, "procurement:strategy-detail", pk=w.proc.strategy.pk),
        more_consultations,
        20,
        one_view_and_consultation,
    ),
    (
        "themes",
        lambda w: region_url(w, "procurement:theme-list"),
        more_themes,
        10,
        one_view_and_consultation,
    ),
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
        "settlement with consents",
        lambda w: (
            region_url(w, "contracts:contract-settlement", pk=w.con.contract.pk)
            + "?year=2026&first_month=1&last_month=3"
        ),
        more_consents,
        21,  # with the header's notification bell (one query)
        one_consent,
    ),
    (
        "contract page with consents",
        lambda w: region_url(w, "contracts:contract-detail", pk=w.con.contract.pk),
        more_consents,
        # consents, development assignments and the municipality scope: one query each (and
        # the header's notification bell: one)
        19,
        one_consent,
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
    (
        "segment dashboard",
        lambda w: region_url(w, "monitoring:segment", pk=w.segment.pk),
        more_dashboard_data,
        30,
        with_rollups,
    ),
    (
        "municipality dashboard",
        lambda w: region_url(w, "monitoring:municipality", pk=w.municipality.pk),
        more_dashboard_data,
        20,
        with_rollups,
    ),
    (
        "dialogues",
        lambda w: region_url(w, "monitoring:dialogue-list"),
        more_dialogues,
        12,
        one_of_each,
    ),
    ("imports", lambda w: region_url(w, "monitoring:import-list"), more_imports, 10, one_of_each),
    ("reports", lambda w: region_url(w, "reports:report-list"), more_reports, 10, one_of_each),
    (
        "region's own KPIs",
        lambda w: region_url(w, "monitoring:regionkpi-list"),
        more_region_kpis,
        10,
        one_of_each,
    ),
    (
        "effect scenarios",
        lambda w: region_url(w, "contracts:effect-scenario-list"),
        more_scenarios,
        12,
        one_of_each,
    ),
    (
        "budget per segment",
        lambda w: region_url(w, "contracts:segment-budgets") + "?jaar=2026",
        more_segment_budgets,
        12,
        one_segment_budget,
    ),
]


PAGES += [
    # the header search: two queries a kind at most (the hits, and their count past 20)
    ("header search", lambda w: reverse("search:results") + "?q=e", more_search_hits, 15),
    (
        "notifications",
        lambda w: reverse("notifications:list"),
        more_notifications,
        10,
        one_notification,
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


def test_kept_letters_query_count_does_not_grow_with_letters(client, world_a, users):
    """The letters kept for a procedure (each with its bidder, signatory and sender): 2 and 6
    letters, the same queries."""
    from procurement import letters
    from procurement.signatory import signatory_for

    tender, subs, _now = procurement_factories.sas_to_provisional_award(
        world_a, users.officer, names=tuple(f"Inschrijver {n}" for n in range(6))
    )
    url = reverse(
        "procurement:tender-letters", kwargs={"region": world_a.region.slug, "tender": tender.pk}
    )
    client.force_login(users.officer)
    counts = []
    for batch in (subs[:2], subs[2:]):
        for sub in batch:
            letters.decision_letter_keep(
                submission=sub,
                letter_kind="provisional",
                pdf=b"%PDF-1.4 brief",
                file_name="brief.pdf",
                message=None,
                signed_by=signatory_for(tender),
                sent_by=users.officer,
            )
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 25
