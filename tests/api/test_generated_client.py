"""A client generated from the committed openapi.yaml by openapi-python-client reads a
municipality's KPI values from the running app: the same values as monitoring.dashboards.selectors
computes, and none of another municipality; since API 1.3.0 with months as JJJJ-MM and the code
lists' values in Dutch."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from api import services
from api.models import ApiClient, ApiScope, ClientKind
from monitoring.dashboards import selectors
from monitoring.kpis.api import API_KPIS
from monitoring.models import Grain
from tests.monitoring.test_selectors import fill, month, rollup

PACKAGE = "jeugdinkoop_api_client"
MONTHS = range(1, 11)  # January-October 2026, as tests/reports/conftest.py's monitoring_data


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated package (imported from a temp dir); no ruff post-hooks, for speed."""
    root = tmp_path_factory.mktemp("generated-client")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")
    tool = Path(sys.executable).with_name("openapi-python-client")
    command = [str(tool)] if tool.exists() else [sys.executable, "-m", "openapi_python_client"]
    result = subprocess.run(
        [
            *command,
            "generate",
            "--path",
            str(Path(settings.BASE_DIR) / "openapi.yaml"),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        importlib.invalidate_caches()
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _kpi_api(package):
    module = importlib.import_module(f"{PACKAGE}.api.kpi_waarden.kpi_waarden_list")
    # a string since API 1.2.0 (the region's own KPIs have codes of their own)
    kpi_enum = str
    niveau_enum = importlib.import_module(
        f"{PACKAGE}.models.kpi_waarden_list_niveau"
    ).KpiWaardenListNiveau
    return module, kpi_enum, niveau_enum


@pytest.fixture
def figures(world_a, world_b):
    """Rollups of world_a (its municipality) and world_b, plus different figures for world_a's
    other municipality: the client must never see those."""
    fill(world_a, months=MONTHS)
    fill(world_b, months=MONTHS)
    for n in MONTHS:
        rollup(
            world_a.region,
            month(n),
            Grain.MUNICIPALITY,
            municipality=world_a.other_municipality,
            youths=7,
            trajectories_active=9,
            amount=Decimal("1234.00"),
            declaration_lines=3,
            wait_days=70,
            wait_count=7,
        )
    return world_a


@pytest.fixture
def municipal_token(figures):
    client = ApiClient(
        region=figures.region,
        name="BI gemeente",
        kind=ClientKind.MUNICIPALITY,
        municipality=figures.municipality,
        scopes=[ApiScope.READ_FIGURES],
    )
    client.full_clean()
    client.save()
    return services.api_key_issue(client=client)


def _all_pages(list_fn, client, **params):
    """Every result of a paginated list, page after page (via ``pagina``)."""
    results, page = [], 1
    while True:
        response = list_fn.sync_detailed(client=client, pagina=page, **params)
        assert response.status_code == 200, response.content[:500]
        body = response.parsed
        results.extend(body.resultaten)
        if not body.volgende:
            assert body.aantal == len(results)
            return results
        page += 1


def test_generated_client_lists_the_municipality_kpi_values(
    generated, municipal_token, figures, world_b, live_server
):
    kpi_waarden_list, KpiEnum, NiveauEnum = _kpi_api(generated)
    client = generated.AuthenticatedClient(
        base_url=live_server.url, token=municipal_token, raise_on_unexpected_status=True
    )
    own, other = figures.municipality, figures.other_municipality
    months = [month(n) for n in MONTHS]

    with client:
        for kpi, code in API_KPIS.items():
            results = _all_pages(kpi_waarden_list, client, kpi=KpiEnum(code))
            assert results, code
            assert {r.gemeente for r in results} == {own.pk}, code
            assert {r.niveau.value for r in results} == {"gemeente"}
            assert {r.regio for r in results} == {figures.region.slug}
            expected = selectors.kpi_series(
                figures.region, Grain.MUNICIPALITY, f"m{own.pk}", kpi, months, suppressed=True
            )
            got = [(r.maand, None if r.waarde is None else Decimal(r.waarde)) for r in results]
            want = [
                (
                    m.strftime("%Y-%m"),
                    None if value is None else Decimal(value).quantize(Decimal("0.01")),
                )
                for m, value in expected
            ]
            assert sorted(got) == want, code

        # the other municipality of the region and another region's: never a figure of theirs
        youths = KpiEnum("unieke-jeugdigen")
        for municipality in (other, world_b.municipality):
            response = kpi_waarden_list.sync_detailed(
                client=generated.Client(base_url=live_server.url).with_headers(
                    {"Authorization": f"Bearer {municipal_token}"}
                ),
                kpi=youths,
                gemeente=municipality.pk,
            )
            if response.status_code == 200:
                assert all(r.gemeente == own.pk for r in response.parsed.resultaten)
                assert not [r for r in response.parsed.resultaten if r.gemeente == municipality.pk]
            else:
                assert response.status_code in (400, 403, 404), response.content[:300]
        for niveau in ("gemeente", "segment-gemeente", "aanbieder-gemeente"):
            results = _all_pages(kpi_waarden_list, client, kpi=youths, niveau=NiveauEnum(niveau))
            assert {r.gemeente for r in results} <= {own.pk}, niveau


def test_generated_client_filters_on_a_period(generated, municipal_token, figures, live_server):
    """periodeVan/periodeTot (JJJJ-MM) through the generated client, with the type the schema
    gives them: a month string (a ``date`` would be sent as JJJJ-MM-DD, which the API refuses)."""
    kpi_waarden_list, KpiEnum, _niveau = _kpi_api(generated)
    annotation = str(inspect.signature(kpi_waarden_list.sync_detailed).parameters["periode_van"])
    first, last = ("2026-03", "2026-05") if "date" not in annotation else (month(3), month(5))
    client = generated.AuthenticatedClient(base_url=live_server.url, token=municipal_token)
    with client:
        response = kpi_waarden_list.sync_detailed(
            client=client, kpi=KpiEnum("unieke-jeugdigen"), periode_van=first, periode_tot=last
        )
    assert response.status_code == 200, response.content[:500]
    assert [r.maand for r in response.parsed.resultaten] == ["2026-03", "2026-04", "2026-05"]


def test_generated_client_reads_and_filters_dutch_values(generated, world_a, live_server):
    """The code lists of the generated client are the Dutch values: a contract's status reads
    ``verlengd`` and the status filter takes it; the old English value is no member."""
    client_row = ApiClient(
        region=world_a.region,
        name="Regionaal systeem",
        kind=ClientKind.REGIONAL,
        scopes=[ApiScope.READ_CONTRACTS],
    )
    client_row.full_clean()
    client_row.save()
    token = services.api_key_issue(client=client_row)
    contracten_list = importlib.import_module(f"{PACKAGE}.api.contracten.contracten_list")
    status_filter = importlib.import_module(
        f"{PACKAGE}.models.contracten_list_status"
    ).ContractenListStatus
    status_enum = importlib.import_module(
        f"{PACKAGE}.models.contract_status_enum"
    ).ContractStatusEnum
    assert {s.value for s in status_enum} == {
        "gepland", "actief", "verlengd", "afgelopen", "beeindigd"
    }  # fmt: skip
    with pytest.raises(ValueError):
        status_filter("extended")
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token)
    with client:
        response = contracten_list.sync_detailed(client=client, status=status_filter("verlengd"))
        assert response.status_code == 200, response.content[:500]
        rows = response.parsed.resultaten
        assert [r.id for r in rows] == [world_a.con.contract.pk]
        assert rows[0].status == status_enum.VERLENGD
        assert {b.bekostigingsvorm.value for b in rows[0].bekostiging} == {
            "inspanningsgericht",
            "beschikbaarheid",
        }
        ended = contracten_list.sync_detailed(client=client, status=status_filter("afgelopen"))
        assert ended.parsed.resultaten == []
