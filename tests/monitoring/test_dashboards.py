"""Dashboard pages at HTTP level: who sees what, the figures and their drill-down links, small
cells for municipal users, the empty state, and the drill-down list whose totals equal the
figure that links to it (with real production lines and ``rollups.refresh_months``)."""

import html
import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from contracts.codes import Kpi
from monitoring.kpis import rollups
from monitoring.models import Declaration, Grain, KpiRollup, Level, Signal, Trajectory
from tests.monitoring.test_selectors import OCT, fill

pytestmark = pytest.mark.django_db

D = Decimal
OK, FORBIDDEN, HIDDEN = 200, 403, 404
ROLES = ("officer", "contract_manager", "viewer", "municipal", "other_region_officer", "superuser")
#                        officer contract_manager viewer municipal other_region superuser
EXPECT = {
    "region_only": (OK, OK, OK, FORBIDDEN, HIDDEN, OK),
    "own_municipality": (OK, OK, OK, OK, HIDDEN, OK),
    "other_municipality": (OK, OK, OK, HIDDEN, HIDDEN, OK),
    "everyone": (OK, OK, OK, OK, HIDDEN, OK),
}


def url(name, w, *args, **query):
    path = reverse(f"monitoring:{name}", args=[w.region.slug, *args])
    if query:
        from urllib.parse import urlencode

        path += "?" + urlencode(query)
    return path


def pages(w):
    return [
        (url("region", w), "region_only"),
        (url("provider", w, w.provider.pk), "region_only"),
        (url("segment", w, w.segment.pk), "region_only"),
        (url("coverage", w), "region_only"),
        (url("municipality", w, w.municipality.pk), "own_municipality"),
        (url("municipality", w, w.other_municipality.pk), "other_municipality"),
        (url("lines", w), "everyone"),
        (url("lines", w, soort="trajecten", telling="gestart", maand="2026-10"), "everyone"),
        (url("definitions", w), "everyone"),
    ]


def text(response) -> str:
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def links(response) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', response.content.decode())]


@pytest.fixture
def data(world_a, world_b):
    fill(world_a, months=range(1, 11))
    fill(world_b, months=range(1, 11))
    return world_a


@pytest.mark.parametrize("with_data", [True, False], ids=["data", "empty"])
def test_every_page_every_role(client, world_a, world_b, users, with_data):
    if with_data:
        fill(world_a, months=range(9, 11))
    for role in ROLES:
        client.force_login(getattr(users, role))
        for path, kind in pages(world_a):
            response = client.get(path)
            expected = EXPECT[kind][ROLES.index(role)]
            assert response.status_code == expected, f"{role} GET {path}: {response.status_code}"


def test_anonymous_is_sent_to_login(client, world_a):
    for path, _kind in pages(world_a):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), path


def test_other_regions_objects_are_hidden(client, world_a, world_b, users):
    client.force_login(users.officer)
    for path in (
        url("provider", world_a, world_b.provider.pk),
        url("segment", world_a, world_b.segment.pk),
        url("municipality", world_a, world_b.municipality.pk),
    ):
        assert client.get(path).status_code == 404, path
    # filtering the lines by another region's provider lists nothing
    response = client.get(url("lines", world_a, aanbieder=world_b.provider.pk))
    assert response.status_code == 200 and response.context["filter"].errors
    assert (
        response.context["totals"]["lines"] == 0 or "aanbieder" in response.context["filter"].errors
    )


def test_region_dashboard(client, data, users):
    w = data
    Signal.objects.create(
        region=w.region,
        provider=w.provider,
        contract=w.con.contract,
        source="kpi",
        topic=Kpi.WAIT_TIME,
        key="x",
        period=OCT,
        level=Level.RED,
        message="Wachttijd te lang",
    )
    client.force_login(users.viewer)
    response = client.get(url("region", w))
    page = text(response)
    assert "oktober 2026" in page
    assert "€ 10.000,00" in page  # declared in October
    assert "Wachttijd (dagen)" in page and "Definitie" in page
    assert w.provider.name in page and "Rood" in page  # open red signal
    assert response.context["providers"][0].obj == w.provider
    assert "<svg" in response.content.decode()
    assert url("provider", w, w.provider.pk) in links(response)
    assert url("segment", w, w.segment.pk) in links(response)
    # the month can be chosen
    response = client.get(url("region", w, maand="2026-03"))
    assert response.context["month"] == date(2026, 3, 1)
    assert 'value="2026-03" selected' in response.content.decode()


def test_provider_dashboard_tiles_chart_and_links(client, data, users):
    w = data
    client.force_login(users.contract_manager)
    response = client.get(url("provider", w, w.provider.pk))
    assert response.status_code == 200
    page = text(response)
    body = response.content.decode()
    tiles = {t.kpi: t for t in response.context["tiles"]}
    assert tiles[Kpi.WAIT_TIME].figure.value == D("30.0")
    assert tiles[Kpi.WAIT_TIME].level == Level.GREEN
    assert tiles[Kpi.SPEND_VS_BUDGET].figure.value == D("90.9")
    assert "Groen" in page and "Segment 1 Hoog specialistisch A" in page
    assert "november 2026" in page  # the budget runs out in November
    # sparklines, the trend chart, the spend chart: images, or groups when their points link
    assert body.count('role="img"') + body.count('role="group"') >= 3
    for svg in re.findall(r"<svg.*?</svg>", body, re.S):
        assert ('role="group"' in svg) == ("<a href" in svg), svg[:200]
    assert "Norm 28 dagen" in body  # the norm line of the trend chart
    # every figure links to the drill-down with the provider's filters
    lines_links = [h for h in links(response) if "/productie/" in h]
    assert lines_links
    wait = next(h for h in lines_links if "telling=gestart" in h and "maand=2026-10" in h)
    assert parse_qs(urlsplit(wait).query)["aanbieder"] == [str(w.provider.pk)]
    # other KPIs in the chart
    response = client.get(url("provider", w, w.provider.pk, kpi=Kpi.DROPOUT, maand="2026-10"))
    assert response.context["chart_kpi"] == Kpi.DROPOUT


def test_segment_and_coverage_pages(client, data, users):
    w = data
    client.force_login(users.officer)
    response = client.get(url("segment", w, w.segment.pk))
    assert response.status_code == 200
    assert [r.obj for r in response.context["contracts"]] == [w.con.contract]
    assert "<svg" in response.content.decode()
    response = client.get(url("coverage", w))
    page = text(response)
    assert "Gemeente A1" in page and "30 dagen" in page


def test_municipal_user_sees_own_municipality_with_small_cells_suppressed(client, data, users):
    w = data
    KpiRollup.objects.filter(region=w.region, grain=Grain.SEGMENT_MUNICIPALITY).update(youths=3)
    KpiRollup.objects.filter(region=w.region, grain=Grain.MUNICIPALITY).update(wait_count=4)
    client.force_login(users.municipal)
    response = client.get(url("municipality", w, w.municipality.pk))
    assert response.status_code == 200
    assert response.context["suppressed"]
    tiles = {t.kpi: t for t in response.context["tiles"]}
    assert tiles[Kpi.WAIT_TIME].figure.small == "ratio"
    assert tiles[Kpi.WAIT_TIME].benchmark is None  # no region figures for a municipality
    row = response.context["by_segment"][0]
    assert row.figures[Kpi.UNIQUE_YOUTHS].text == "< 5"
    assert row.amount.small  # an amount of fewer than 5 youths
    assert "&lt; 5" in response.content.decode()
    # links stay within what the municipal user may see
    assert url("region", w) not in links(response)
    # region staff see the same page unsuppressed, with the region as benchmark
    client.force_login(users.viewer)
    response = client.get(url("municipality", w, w.municipality.pk))
    assert not response.context["suppressed"]
    row = response.context["by_segment"][0]
    assert row.figures[Kpi.UNIQUE_YOUTHS].text == "3"
    assert {t.kpi: t for t in response.context["tiles"]}[Kpi.WAIT_TIME].benchmark is not None


def test_empty_state_links_editors_to_the_import(client, world_a, users):
    client.force_login(users.contract_manager)
    response = client.get(url("region", world_a))
    page = text(response)
    assert "Nog geen productiegegevens" in page
    import_url = reverse("monitoring:import-list", args=[world_a.region.slug])
    assert import_url in links(response) and "Productie importeren" in page
    client.force_login(users.viewer)
    response = client.get(url("region", world_a))
    assert "Nog geen productiegegevens" in text(response)
    assert "Productie importeren" not in text(response)  # the button is for editors


def test_definitions_page_lists_every_kpi(client, world_a, users):
    client.force_login(users.municipal)
    page = text(client.get(url("definitions", world_a)))
    for kpi in Kpi:
        assert str(kpi.label) in page
    assert "som wachttijd (dagen) ÷ starts met verwijzing" in page


# --- drill-down -----------------------------------------------------------------------------------


def declare(
    w, reference, *, municipality=None, amount="100.00", month=OCT, client_key=None, active=True
):
    return Declaration.objects.create(
        region=w.region,
        contract=w.con.contract,
        municipality=municipality or w.municipality,
        product=w.product,
        client_key=client_key or f"{reference:0<64}",
        reference=reference,
        month=month,
        quantity=D("1"),
        unit="04",
        amount=D(amount),
        active=active,
    )


def test_lines_page_filters_totals_and_pseudonyms(client, world_a, users):
    w = world_a
    declare(w, "R1", amount="1000.00", client_key="abcdef0123456789" + "0" * 48)
    declare(w, "R2", amount="234.56", municipality=w.other_municipality)
    declare(w, "R3", amount="999.99", active=False)  # corrected away
    declare(w, "R4", amount="5.00", month=date(2026, 9, 1))
    rollups.refresh_region(w.region.pk, signals=False)  # as an import does
    client.force_login(users.officer)
    response = client.get(
        url("lines", w, soort="declaraties", maand="2026-10", aanbieder=w.provider.pk)
    )
    page = text(response)
    assert response.context["totals"]["lines"] == 2
    assert response.context["totals"]["amount"] == D("1234.56")
    assert f"Declaraties van {w.provider.name} in oktober 2026: 2 regels, € 1.234,56" in page
    assert "abcdef01…" in page and "abcdef0123456789" not in response.content.decode()
    # a range of months
    response = client.get(url("lines", w, van="2026-09", tot="2026-10"))
    assert response.context["totals"]["lines"] == 3
    # the municipal user: only the own municipality's lines
    client.force_login(users.municipal)
    response = client.get(url("lines", w, maand="2026-10"))
    assert response.context["totals"]["lines"] == 1
    assert response.context["totals"]["amount"] == D("1000.00")
    response = client.get(url("lines", w, gemeente=w.other_municipality.pk))
    assert response.context["filter"].errors


def test_trajectory_counts(client, world_a, users):
    w = world_a

    def traject(ref, start, end=None, reason=""):
        Trajectory.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=ref * 8,
            reference=ref,
            started_on=start,
            ended_on=end,
            end_reason=reason,
        )

    traject("T1", date(2026, 10, 5))
    traject("T2", date(2026, 8, 1), date(2026, 10, 20), "03")
    traject("T3", date(2026, 8, 1))
    traject("T4", date(2026, 8, 1), date(2026, 9, 30), "01")
    rollups.refresh_region(w.region.pk, signals=False)  # as an import does
    client.force_login(users.viewer)
    counts = {}
    for telling in ("lopend", "gestart", "beeindigd"):
        response = client.get(url("lines", w, soort="trajecten", maand="2026-10", telling=telling))
        counts[telling] = response.context["totals"]["lines"]
    assert counts == {"lopend": 3, "gestart": 1, "beeindigd": 1}
    assert "Gestarte trajecten" in text(
        client.get(url("lines", w, soort="trajecten", maand="2026-10", telling="gestart"))
    )


def test_drill_down_total_equals_the_dashboard_figure(client, world_a, users):
    """Real lines → B's refresh → the provider dashboard's amount links to lines whose total is
    that amount."""
    w = world_a
    Declaration.objects.all().delete()  # the world's own Q1 lines: not needed here
    declare(w, "A1", amount="1200.00")
    declare(w, "A2", amount="34.56", municipality=w.other_municipality)
    declare(w, "A3", amount="500.00", active=False)
    declare(w, "A4", amount="77.00", month=date(2026, 9, 1))
    rollups.refresh_months(w.region.pk, [date(2026, 9, 1), OCT])
    client.force_login(users.contract_manager)
    response = client.get(url("provider", w, w.provider.pk))
    amount = response.context["key"]["amount"]
    assert amount.value == D("1234.56")
    href = (
        reverse("monitoring:lines", args=[w.region.slug])
        + "?"
        + "&".join(f"{k}={v}" for k, v in amount.query.items())
    )
    assert href in links(response)
    lines = client.get(href)
    assert lines.context["totals"]["amount"] == amount.value
    assert "€ 1.234,56" in text(lines)
    # the spend figure (January through October) and its lines
    spend = response.context["spend"]
    lines = client.get(url("lines", w, **spend.query))
    assert lines.context["totals"]["amount"] == spend.spent == D("1311.56")
    # the youths figure of the region equals the distinct clients of its lines
    region = client.get(url("region", w))
    youths = region.context["key"]["youths"]
    lines = client.get(url("lines", w, **youths.query))
    assert lines.context["totals"]["clients"] == youths.value == 2


def test_dashboard_query_counts_are_constant(client, world_a, users):
    """A dashboard runs the same small number of queries with 2 or 10 months and 1 or 21
    providers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contracts import services
    from tests.monitoring.test_selectors import rollup
    from tests.providers.factories import ProviderFactory

    w = world_a
    client.force_login(users.officer)
    paths = [
        url("region", w),
        url("provider", w, w.provider.pk),
        url("segment", w, w.segment.pk),
        url("municipality", w, w.municipality.pk),
        url("coverage", w),
    ]

    def counts():
        result = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    fill(w, months=range(9, 11))
    few = counts()
    fill(w, months=range(1, 9))
    for i in range(20):
        provider = ProviderFactory(region=w.region, name=f"Extra {i}")
        contract = services.contract_create(
            region=w.region,
            reference=f"X-{i}",
            provider=provider,
            segment=w.segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
        )
        for n in range(1, 11):
            month = date(2026, n, 1)
            rollup(w.region, month, Grain.PROVIDER, provider=provider, youths=6, amount=D(10))
            rollup(w.region, month, Grain.CONTRACT, contract=contract, youths=6, amount=D(10))
    many = counts()
    assert many == few, list(zip(paths, few, many, strict=True))
    assert max(few) <= 40, list(zip(paths, few, strict=True))


def test_wait_time_tile_links_to_the_started_trajectories(client, world_a, users):
    """B's refresh_region on a small world: the wait-time tile's denominator is the number of
    started trajectories its link lists (each has a referral here)."""
    from monitoring.models import Referral

    w = world_a
    for i, (start, referred) in enumerate(
        [(date(2026, 10, 5), date(2026, 9, 5)), (date(2026, 10, 20), date(2026, 10, 10))]
    ):
        key = f"{i:064d}"
        Trajectory.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=key,
            reference=f"T{i}",
            started_on=start,
        )
        Referral.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            client_key=key,
            reference=f"V{i}",
            referred_on=referred,
            referrer="01",
        )
    rollups.refresh_region(w.region.pk)
    client.force_login(users.viewer)
    response = client.get(url("provider", w, w.provider.pk, maand="2026-10"))
    wait = {t.kpi: t for t in response.context["tiles"]}[Kpi.WAIT_TIME]
    assert wait.figure.value == D("20.0")  # (30 + 10) / 2
    assert wait.numerator.value == 40 and wait.denominator.value == 2
    lines = client.get(url("lines", w, **wait.figure.query))
    assert lines.context["totals"]["lines"] == wait.denominator.value
    assert "Gestarte trajecten van Zorg A Dichtbij in oktober 2026: 2 regels" in text(lines)
