"""The drill-down (``monitoring:lines``) at scale: totals from the KPI rollups when the filter is
a grain's, equal to the lines' own aggregate; one count otherwise; a query count that does not
grow with the lines."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services as contract_services
from monitoring.kpis import rollups
from monitoring.models import Declaration, Trajectory

pytestmark = pytest.mark.django_db

D = Decimal
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def lines_url(w, **query):
    path = reverse("monitoring:lines", args=[w.region.slug])
    return f"{path}?{urlencode(query)}" if query else path


@pytest.fixture
def second(world_a):
    """A second contract: the distant provider in the sub-segment."""
    return contract_services.contract_create(
        region=world_a.region,
        reference="C-regio-a-002",
        provider=world_a.distant_provider,
        segment=world_a.sub_segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )


def declare(w, contract, n, *, month, municipality, amount, active=True, client=None):
    Declaration.objects.create(
        region=w.region,
        contract=contract,
        municipality=municipality,
        product=w.product,
        client_key=client or f"c{n:0>63}",
        reference=f"L{n}",
        month=month,
        quantity=D("1"),
        unit="04",
        amount=D(amount),
        active=active,
    )


def spread(w, second, count: int):
    """``count`` lines over two contracts, two municipalities and three months; every fifth
    corrected away (inactive); clients repeat every 7 lines."""
    contracts = [w.con.contract, second]
    municipalities = [w.municipality, w.other_municipality]
    months = [SEP, OCT, NOV]
    for n in range(count):
        declare(
            w,
            contracts[n % 2],
            n,
            month=months[n % 3],
            municipality=municipalities[(n // 2) % 2],
            amount=f"{10 + n}.{n % 100:02d}",
            active=n % 5 != 4,
            client=f"k{n % 7:0>63}",
        )
    rollups.refresh_region(w.region.pk, signals=False)


def expected(w, *, month_from=None, month_to=None, **lookups):
    qs = Declaration.objects.filter(region=w.region, active=True, **lookups)
    if month_from:
        qs = qs.filter(month__gte=month_from)
    if month_to:
        qs = qs.filter(month__lte=month_to)
    return qs.aggregate(
        lines=Count("pk"), amount=Sum("amount"), clients=Count("client_key", distinct=True)
    )


def line_queries(queries) -> list[str]:
    """The aggregate queries over the declaration lines (the page's rows are not aggregates)."""
    return [
        q["sql"]
        for q in queries
        if "monitoring_declaration" in q["sql"]
        and ("COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper())
    ]


def test_rollup_totals_equal_the_lines_for_every_grain(client, world_a, users, second):
    w = world_a
    Declaration.objects.all().delete()
    spread(w, second, 60)
    client.force_login(users.contract_manager)
    cases = [
        ({}, {}),
        ({"contract": second.pk}, {"contract": second}),
        ({"contract": second.pk, "aanbieder": w.distant_provider.pk}, {"contract": second}),
        ({"aanbieder": w.provider.pk}, {"contract__provider": w.provider}),
        ({"segment": w.sub_segment.pk}, {"contract__segment": w.sub_segment}),
        ({"gemeente": w.other_municipality.pk}, {"municipality": w.other_municipality}),
        (
            {"segment": w.segment.pk, "gemeente": w.municipality.pk},
            {"contract__segment": w.segment, "municipality": w.municipality},
        ),
        (
            {"aanbieder": w.distant_provider.pk, "gemeente": w.municipality.pk},
            {"contract__provider": w.distant_provider, "municipality": w.municipality},
        ),
    ]
    periods = [
        ({}, {}),
        ({"maand": "2026-10"}, {"month_from": OCT, "month_to": OCT}),
        ({"van": "2026-10", "tot": "2026-11"}, {"month_from": OCT, "month_to": NOV}),
        ({"van": "2026-10"}, {"month_from": OCT}),
    ]
    # the page without any query (the dashboard navigation's link): the region's rollups
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(lines_url(w))
    assert response.context["totals"]["lines"] == expected(w)["lines"]
    assert response.context["totals"]["amount"] == expected(w)["amount"]
    assert line_queries(ctx.captured_queries) == []
    for query, lookups in cases:
        for period, bounds in periods:
            want = expected(w, **lookups, **bounds)
            assert want["lines"] > 0, (query, period)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(lines_url(w, soort="declaraties", **query, **period))
            totals = response.context["totals"]
            assert (totals["lines"], totals["amount"]) == (want["lines"], want["amount"]), (
                query,
                period,
            )
            assert response.context["table"].paginator.count == want["lines"]
            aggregates = line_queries(ctx.captured_queries)
            if "maand" in period:
                # one month: the unique clients, counted over that month's lines only
                assert totals["clients"] == want["clients"]
                assert len(aggregates) == 1 and "DISTINCT" in aggregates[0].upper()
            else:
                # lines and amount from the rollups, no aggregate over the lines at all
                assert totals["clients"] is None
                assert aggregates == [], (query, period)


def test_unique_clients_only_up_to_a_bound(client, world_a, users, second, monkeypatch):
    """From the rollups, a month's unique clients are counted only up to CLIENTS_MAX_LINES
    lines (a whole region's month at scale is not)."""
    from monitoring.dashboards import views_lines

    w = world_a
    Declaration.objects.all().delete()
    spread(w, second, 60)
    client.force_login(users.contract_manager)
    want = expected(w, month_from=OCT, month_to=OCT)  # 16 active lines, 7 clients
    assert (want["lines"], want["clients"]) == (16, 7)
    monkeypatch.setattr(views_lines, "CLIENTS_MAX_LINES", 16)
    response = client.get(lines_url(w, maand="2026-10"))
    assert response.context["totals"]["clients"] == 7
    assert "7 unieke cliënten" in response.content.decode()
    monkeypatch.setattr(views_lines, "CLIENTS_MAX_LINES", 15)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(lines_url(w, maand="2026-10"))
    assert response.context["totals"]["clients"] is None
    assert response.context["totals"]["lines"] == 16
    assert "unieke cliënten" not in response.content.decode()
    assert line_queries(ctx.captured_queries) == []


def test_filters_without_a_grain_count_once(client, world_a, users, second):
    """Contract × municipality has no rollup grain, a municipal user does not see the whole
    region: one aggregate gives the totals and the paginator's count."""
    w = world_a
    Declaration.objects.all().delete()
    spread(w, second, 60)
    client.force_login(users.contract_manager)
    want = expected(w, contract=second, municipality=w.municipality)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(
            lines_url(w, contract=second.pk, gemeente=w.municipality.pk, van="2026-09")
        )
    assert response.context["totals"]["lines"] == want["lines"]
    assert response.context["totals"]["amount"] == want["amount"]
    assert response.context["table"].paginator.count == want["lines"]
    assert len(line_queries(ctx.captured_queries)) == 1
    # a municipal user: the own municipality's lines, counted once
    client.force_login(users.municipal)
    want = expected(w, municipality=w.municipality)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(lines_url(w))
    assert response.context["totals"]["lines"] == want["lines"]
    assert response.context["totals"]["amount"] == want["amount"]
    assert len(line_queries(ctx.captured_queries)) == 1
    # a provider that is not the contract's: the intersection is empty, counted on the lines
    client.force_login(users.contract_manager)
    response = client.get(lines_url(w, contract=second.pk, aanbieder=w.provider.pk))
    assert response.context["totals"]["lines"] == 0


def test_trajectory_totals_from_the_rollups(client, world_a, users):
    w = world_a

    def traject(ref, start, end=None):
        Trajectory.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=ref * 8,
            reference=ref,
            started_on=start,
            ended_on=end,
            end_reason="01" if end else "",
        )

    traject("T1", date(2026, 10, 5))
    traject("T2", date(2026, 8, 1), date(2026, 10, 20))
    traject("T3", date(2026, 9, 3), date(2026, 9, 30))
    traject("T4", date(2026, 11, 2))
    rollups.refresh_region(w.region.pk, signals=False)
    client.force_login(users.officer)

    def lines(**query):
        return client.get(lines_url(w, soort="trajecten", **query)).context["totals"]["lines"]

    assert lines(telling="gestart", van="2026-09", tot="2026-11") == 3  # T1, T3, T4
    assert lines(telling="gestart", van="2026-10", tot="2026-11") == 2  # T1, T4
    assert lines(telling="beeindigd", van="2026-09", tot="2026-10") == 2  # T2, T3
    assert lines(telling="lopend", maand="2026-10") == 2  # T1, T2
    # running in several months is no sum of months: counted on the lines (T1..T4)
    assert lines(telling="lopend", van="2026-09", tot="2026-11") == 4


def test_query_count_does_not_grow_with_lines(client, world_a, users, second):
    w = world_a
    Declaration.objects.all().delete()
    client.force_login(users.contract_manager)
    counts = []
    for size in (12, 120):
        Declaration.objects.all().delete()
        spread(w, second, size)
        for query in ({}, {"maand": "2026-10", "aanbieder": w.provider.pk}):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(lines_url(w, **query))
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:2] == counts[2:]
    assert max(counts) <= 16
