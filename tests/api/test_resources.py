"""What the read resources say: Dutch fields, the UI's filters, ordering, pagination, CSV,
problem+json errors, the API-Version and security headers, throttling, KPI values equal to the
dashboards' figures, and a fixed number of queries per list."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ClientKind
from contracts.codes import Kpi
from monitoring.dashboards.selectors import kpi_series
from tests.monitoring.test_selectors import fill

from .conftest import C, F, W, make_client

REG, MUNI = ClientKind.REGIONAL, ClientKind.MUNICIPALITY


@pytest.fixture
def regional(world_a, world_b):
    return make_client(world_a, REG, {F, C, W})[1]


def test_headers_on_every_answer(api, regional):
    for path, token in (
        ("/api/v1/gemeenten", regional),
        ("/api/v1/gemeenten", None),
        ("/api/v1/bestaat-niet", regional),
        ("/api/v1/openapi.json", None),
    ):
        response = api(token).get(path)
        assert response["API-Version"] == "1.3.0", path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "no-referrer"
    # a client's data: no shared cache may keep it (core.middleware, docs/security.md)
    assert api(regional).get("/api/v1/gemeenten")["Cache-Control"] == "private, no-store"


def test_dutch_fields_and_values(api, world_a, regional):
    contract = world_a.con.contract
    contract.refresh_from_db()
    data = api(regional).get(f"/api/v1/contracten/{contract.pk}").json()
    assert data["kenmerk"] == contract.reference
    assert data["aanbieder"] == world_a.provider.pk
    assert data["ingangsdatum"] == contract.start_date.isoformat()
    assert contract.status == "extended"  # world_a's contract used an extension option
    assert data["status"] == "verlengd"
    assert {b["bekostigingsvorm"] for b in data["bekostiging"]} == {
        "inspanningsgericht",
        "beschikbaarheid",
    }
    budget = api(regional).get(f"/api/v1/budgetten/{world_a.con.ceiling.pk}").json()
    assert Decimal(budget["huidigBedrag"]) == world_a.con.ceiling.current_amount
    assert len(budget["herijkingen"]) == 1
    tariff = api(regional).get(f"/api/v1/tarieven/{world_a.con.regional_tariff.pk}").json()
    assert tariff["contract"] is None
    assert Decimal(tariff["bedrag"]) == world_a.con.regional_tariff.amount
    assert tariff["geldigVanaf"] == world_a.con.regional_tariff.valid_from.isoformat()


def test_a_conditional_admission_lists_its_conditions_for_opening(api, world_a, regional):
    from procurement import services
    from procurement.models import Tender

    strategy = world_a.proc.strategy
    tender = Tender.objects.create(
        region=world_a.region,
        strategy=strategy,
        reference="TV-1",
        title="Toelating",
        procedure_type="conditional",
        state="admission",
    )
    services.admission_condition_create(strategy=strategy, code="WACHT", text="Wachttijden")
    services.admission_condition_create(tender=tender, code="STOPT", text="Aanbieder stopt")
    data = api(regional).get(f"/api/v1/aanbestedingen/{tender.pk}").json()
    assert data["voorwaardenVoorOpenen"] == [
        {"code": "STOPT", "tekst": "Aanbieder stopt", "herkomst": "procedure"},
        {"code": "WACHT", "tekst": "Wachttijden", "herkomst": "strategie"},
    ]
    sas = api(regional).get(f"/api/v1/aanbestedingen/{world_a.proc.tender.pk}").json()
    assert sas["voorwaardenVoorOpenen"] == []  # the strategy's conditions concern admissions


def test_filters_of_the_ui_under_dutch_names(api, world_a, regional):
    caller = api(regional)
    serving = caller.get("/api/v1/aanbieders", {"gemeente": world_a.municipality.pk}).json()
    assert {r["id"] for r in serving["resultaten"]} == {world_a.provider.pk}
    names = {
        r["naam"]
        for r in caller.get("/api/v1/aanbieders", {"zoek": "Dichtbij"}).json()["resultaten"]
    }
    assert names == {world_a.provider.name}
    contracts = caller.get("/api/v1/contracten", {"aanbieder": world_a.distant_provider.pk})
    assert contracts.json()["aantal"] == 0
    contracts = caller.get("/api/v1/contracten", {"aanbieder": world_a.provider.pk})
    assert contracts.json()["aantal"] == 1
    # tariffs: every version, or those valid on a date
    everything = caller.get("/api/v1/tarieven").json()["aantal"]
    valid = caller.get("/api/v1/tarieven", {"geldigOp": "2026-06-01"}).json()["aantal"]
    assert everything >= valid >= 1


def test_the_screening_instrument_and_admissibility_per_segment(api, world_a, regional):
    """The region's kinds, and a kind required only for world A's segment: the screened
    provider stays admissible region-wide but not for that segment."""
    from tests.providers.factories import ScreeningKindFactory

    ScreeningKindFactory(
        region=world_a.region,
        code="bezoek",
        name="Kwaliteitsbezoek",
        requirement="segments",
        validity_months=None,
        for_segments=[world_a.segment],
    )
    caller = api(regional)
    kinds = caller.get("/api/v1/screeningssoorten", {"sorteer": "code"}).json()["resultaten"]
    assert [k["code"] for k in kinds] == ["bezoek", "bibob", "financial", "quality", "vog"]
    assert kinds[0] == {
        "id": kinds[0]["id"],
        "regio": world_a.region.slug,
        "code": "bezoek",
        "naam": "Kwaliteitsbezoek",
        "omschrijving": "",
        "geldigheidMaanden": None,
        "vereist": "segmenten",
        "segmenten": [world_a.segment.pk],
        "inGebruik": True,
    }
    admissible = caller.get("/api/v1/aanbieders", {"toelaatbaar": "true"}).json()["resultaten"]
    assert world_a.provider.pk in {r["id"] for r in admissible}
    for_segment = caller.get(
        "/api/v1/aanbieders", {"toelaatbaarVoorSegment": world_a.sub_segment.pk}
    ).json()["resultaten"]
    assert world_a.provider.pk not in {r["id"] for r in for_segment}


def test_a_filter_value_of_another_region_is_refused(api, world_a, world_b, regional):
    response = api(regional).get("/api/v1/segmenten", {"jeugdhulpvorm": world_b.care_form.pk})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "jeugdhulpvorm"


def test_ordering_and_pagination(api, world_a, regional):
    caller = api(regional)
    up = [
        r["naam"] for r in caller.get("/api/v1/gemeenten", {"sorteer": "naam"}).json()["resultaten"]
    ]
    down = [
        r["naam"]
        for r in caller.get("/api/v1/gemeenten", {"sorteer": "-naam"}).json()["resultaten"]
    ]
    assert up == sorted(up) and down == list(reversed(up))
    page = caller.get("/api/v1/gemeenten", {"paginaGrootte": 1, "sorteer": "naam"})
    body = page.json()
    assert body["aantal"] == 2 and len(body["resultaten"]) == 1
    assert "pagina=2" in body["volgende"] and body["vorige"] is None
    assert 'rel="next"' in page["Link"] and page["X-Total-Count"] == "2"
    second = caller.get("/api/v1/gemeenten", {"paginaGrootte": 1, "sorteer": "naam", "pagina": 2})
    assert second.json()["resultaten"][0]["naam"] == up[1]
    missing = caller.get("/api/v1/gemeenten", {"pagina": 99})
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    bad = caller.get("/api/v1/gemeenten", {"sorteer": "geheim"})
    assert bad.status_code == 400


def test_csv_representation(api, world_a, regional):
    response = api(regional).get("/api/v1/gemeenten", {"formaat": "csv", "sorteer": "naam"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().split("\r\n")
    assert lines[0] == "id,regio,cbsCode,naam"
    assert len(lines) == 3
    by_accept = api(regional).get("/api/v1/gemeenten", Accept="text/csv")
    assert by_accept["Content-Type"].startswith("text/csv")
    # nested fields are flattened
    contracts = api(regional).get("/api/v1/contracten", {"formaat": "csv"}).content.decode()
    assert "verlengingsoptiesJaren" in contracts.split("\r\n")[0]
    # errors stay problem+json
    error = api(regional).get("/api/v1/kpi-waarden", {"formaat": "csv"})
    assert error.status_code == 400 and error["Content-Type"] == "application/problem+json"


def test_problem_lists_every_field_error(api, regional):
    response = api(regional).get(
        "/api/v1/kpi-waarden", {"kpi": "onzin", "periodeVan": "2026-13", "gemeente": "x"}
    )
    assert response.status_code == 400
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert {p["name"] for p in problem["invalidParams"]} == {"kpi", "periodeVan", "gemeente"}


def test_kpi_values_equal_the_dashboards(api, world_a, world_b):
    fill(world_a)
    fill(world_b)
    _client, token = make_client(world_a, REG, {F})
    months = [date(2026, n, 1) for n in range(1, 11)]
    expected = kpi_series(
        world_a.region, "provider", f"p{world_a.provider.pk}", Kpi.WAIT_TIME, months
    )
    response = api(token).get(
        "/api/v1/kpi-waarden",
        {"kpi": "wachttijd", "aanbieder": world_a.provider.pk, "periodeVan": "2026-01"},
    )
    rows = response.json()["resultaten"]
    assert [(r["maand"], Decimal(r["waarde"])) for r in rows] == [
        (m.strftime("%Y-%m"), v) for m, v in expected
    ]
    assert {r["niveau"] for r in rows} == {"aanbieder"}
    # a period and a grain; the filters must fit the grain
    response = api(token).get(
        "/api/v1/kpi-waarden",
        {
            "kpi": "unieke-jeugdigen",
            "niveau": "regio",
            "periodeVan": "2026-03",
            "periodeTot": "2026-04",
        },
    )
    assert [r["maand"] for r in response.json()["resultaten"]] == ["2026-03", "2026-04"]
    bad = api(token).get("/api/v1/kpi-waarden", {"kpi": "uitval", "niveau": "regio", "gemeente": 1})
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "niveau"


def test_small_cells_are_suppressed_for_municipalities_only(api, world_a):
    fill(world_a)
    from monitoring.models import KpiRollup

    KpiRollup.objects.filter(grain="municipality").update(dropouts=2, trajectories_ended=3)
    _m, municipal = make_client(world_a, MUNI, {F})
    _r, regional = make_client(world_a, REG, {F})
    muni = api(municipal).get("/api/v1/kpi-waarden", {"kpi": "uitval"}).json()["resultaten"]
    assert muni and all(r["waarde"] is None and r["onderdrukt"] for r in muni)
    reg = (
        api(regional)
        .get("/api/v1/kpi-waarden", {"kpi": "uitval", "gemeente": world_a.municipality.pk})
        .json()["resultaten"]
    )
    assert reg and all(r["waarde"] is not None and not r["onderdrukt"] for r in reg)


@pytest.mark.parametrize(
    ("path", "max_queries"),
    [
        ("/api/v1/gemeenten", 5),
        ("/api/v1/aanbieders", 8),
        ("/api/v1/screeningssoorten", 5),
        ("/api/v1/contracten", 6),
        ("/api/v1/tarieven", 5),
        ("/api/v1/budgetten", 6),
        ("/api/v1/kpi-waarden?kpi=wachttijd", 5),
        ("/api/v1/signalen", 5),
        ("/api/v1/rapportages", 5),
        ("/api/v1/aanbestedingen", 7),  # lots, criteria, the conditions for opening
    ],
)
def test_query_count_is_fixed(api, world_a, objects, path, max_queries):
    """A list costs the same number of queries whatever its length (no N+1)."""
    fill(world_a)
    _client, token = make_client(world_a, REG, {F, C})
    caller = api(token)
    caller.get(path)  # warm (last_used_at, caches)
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(path)
    assert response.status_code == 200
    assert len(queries) <= max_queries, [q["sql"][:120] for q in queries]


def test_throttling_answers_429_with_retry_after(api, world_a, monkeypatch):
    from core.api.throttling import ClientRateThrottle

    monkeypatch.setattr(
        ClientRateThrottle, "THROTTLE_RATES", {"client": "3/min", "public": "2/min"}
    )
    _client, token = make_client(world_a, REG, {F})
    caller = api(token)
    codes = [caller.get("/api/v1/kpis").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = caller.get("/api/v1/kpis")
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    # another client has its own count
    _other, other = make_client(world_a, REG, {F}, name="ander")
    assert api(other).get("/api/v1/kpis").status_code == 200


def test_public_endpoints_are_throttled_per_address(api, monkeypatch):
    from core.api.throttling import PublicRateThrottle

    monkeypatch.setattr(
        PublicRateThrottle, "THROTTLE_RATES", {"client": "3/min", "public": "2/min"}
    )
    codes = [api().get("/api/v1/openapi.json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
