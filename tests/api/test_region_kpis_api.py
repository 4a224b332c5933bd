"""The region's own KPIs in the API (issue 17): /kpis lists them, /kpi-waarden serves them by
their code like the built-in ones, never to another region's client, and a municipality's
client gets its own municipality's figures with small counts suppressed."""

from datetime import date
from decimal import Decimal

import pytest

from api.models import ClientKind
from monitoring.kpis import services as kpi_services
from monitoring.kpis.models import Grain, RegionKpiRollup
from tests.monitoring.test_selectors import fill, month

from .conftest import F, make_client

REG, MUNI = ClientKind.REGIONAL, ClientKind.MUNICIPALITY


@pytest.fixture
def own_kpi(world_a, world_b):
    fill(world_a, months=range(1, 4))
    fill(world_b, months=range(1, 4))
    kpi = kpi_services.region_kpi_create(
        region=world_a.region,
        code="volgens-plan",
        name="Volgens plan afgesloten",
        definition="Aandeel trajecten beëindigd met reden 01.",
        unit="procent",
        direction="higher",
        computation="trajectory_share",
        population="ended",
        end_reasons=["01"],
    )
    c = world_a.con.contract
    m1 = world_a.municipality
    # the counts of a share: 3 of 8 ended as planned in January, 6 of 8 in February, and in
    # March 2 of 3 in the municipality (a small count)
    for n, (num, den) in {1: (3, 8), 2: (6, 8), 3: (2, 3)}.items():
        for grain, key, members in (
            (Grain.REGION, "r", {}),
            (Grain.PROVIDER, f"p{world_a.provider.pk}", {"provider": world_a.provider}),
            (Grain.MUNICIPALITY, f"m{m1.pk}", {"municipality": m1}),
            (Grain.CONTRACT, f"c{c.pk}", {"contract": c, "provider": c.provider}),
        ):
            RegionKpiRollup.objects.create(
                region=world_a.region,
                kpi=kpi,
                month=month(n),
                grain=grain,
                key=key,
                numerator=num,
                denominator=den,
                **members,
            )
    return kpi


def test_definitions_list_the_regions_own(api, world_a, world_b, own_kpi):
    _client, token = make_client(world_a, REG, {F})
    rows = api(token).get("/api/v1/kpis").json()
    own = [r for r in rows if r["eigen"]]
    assert own == [
        {
            "code": "volgens-plan",
            "eigen": True,
            "naam": "Volgens plan afgesloten",
            "eenheid": "procent",
            "richting": "hoger",
            "definitie": "Aandeel trajecten beëindigd met reden 01.",
        }
    ]
    assert not any(r["eigen"] for r in rows if r["code"] == "wachttijd")
    _client, other = make_client(world_b, REG, {F})
    assert not [r for r in api(other).get("/api/v1/kpis").json() if r["eigen"]]


def test_values_by_code(api, world_a, own_kpi):
    _client, token = make_client(world_a, REG, {F})
    response = api(token).get(
        "/api/v1/kpi-waarden",
        {"kpi": "volgens-plan", "aanbieder": world_a.provider.pk, "periodeVan": "2026-01"},
    )
    assert response.status_code == 200, response.content
    rows = response.json()["resultaten"]
    # 3 / 8 = 37.5%, 6 / 8 = 75.0%, 2 / 3 = 66.7%
    assert [(r["maand"], r["kpi"], Decimal(r["waarde"])) for r in rows] == [
        ("2026-01", "volgens-plan", Decimal("37.5")),
        ("2026-02", "volgens-plan", Decimal("75.0")),
        ("2026-03", "volgens-plan", Decimal("66.7")),
    ]
    assert {r["eenheid"] for r in rows} == {"procent"}


def test_another_regions_client_does_not_know_the_code(api, world_b, own_kpi):
    _client, token = make_client(world_b, REG, {F})
    response = api(token).get("/api/v1/kpi-waarden", {"kpi": "volgens-plan"})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["kpi"]


def test_municipal_client_gets_its_own_with_small_counts_suppressed(api, world_a, own_kpi):
    _client, token = make_client(world_a, MUNI, {F})
    rows = api(token).get("/api/v1/kpi-waarden", {"kpi": "volgens-plan"}).json()["resultaten"]
    assert {r["gemeente"] for r in rows} == {world_a.municipality.pk}
    by_month = {r["maand"]: r for r in rows}
    assert Decimal(by_month["2026-02"]["waarde"]) == Decimal("75.0")
    # 2 of 3: a share of fewer than 5 is not shown to a municipality
    assert by_month["2026-03"]["waarde"] is None
    assert by_month["2026-03"]["onderdrukt"] is True
    assert date(2026, 3, 1).strftime("%Y-%m") in by_month
