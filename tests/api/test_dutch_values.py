"""The API in Dutch throughout (API-04, API 1.3.0): every code list the API shows or takes has
Dutch values, an old English value is refused with a 400 naming its Dutch successor, and months
are JJJJ-MM, in and out.

The lists of values come from the OpenAPI document and the registry (core.api.enums), not from
this file: a new field with English values fails here."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils.module_loading import import_string

from api.models import ClientKind
from core.api import enums
from monitoring.models import Signal
from segments.models import Intensity
from tests.monitoring.test_selectors import fill

from .conftest import C, F, R, W, make_client

SCHEMA = yaml.safe_load((Path(settings.BASE_DIR) / "openapi.yaml").read_text(encoding="utf-8"))
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: query parameters whose values are no code list: the representation, and the (Dutch) field
#: names to sort on
NOT_CODE_LISTS = {"formaat", "sorteer"}


def _stored_values(key: str) -> set[str] | None:
    """The values of a registered code list's class (``None``: a list that is no class)."""
    try:
        found = import_string(key)
    except ImportError:
        return None
    if hasattr(found, "values") and not isinstance(found, dict):
        return {str(v) for v in found.values}
    if isinstance(found, dict):
        return {str(v) for v in found.values()}
    return {str(v) for v, _label in found}


def _allowed_values() -> set:
    allowed: set = {None}
    for table in enums.DUTCH.values():
        allowed |= set(table.values())
    for key in enums.ALREADY_DUTCH:
        values = _stored_values(key)
        assert values, key
        allowed |= values
    return allowed


def _english_only() -> set[str]:
    dutch = {v for table in enums.DUTCH.values() for v in table.values()}
    return {stored for table in enums.DUTCH.values() for stored in table} - dutch


def _enums(node, where=""):
    """(where, values) of every ``enum`` in a part of the OpenAPI document."""
    if isinstance(node, dict):
        if "enum" in node:
            yield where, node["enum"]
        for key, value in node.items():
            yield from _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _enums(value, f"{where}/{i}")


# --- the registry -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(enums.DUTCH))
def test_the_registry_translates_every_value_of_a_code_list(key):
    table = enums.DUTCH[key]
    stored = _stored_values(key)
    if stored is None:  # the tariff list's "regional or contract" filter
        from contracts.filters_money import TariffFilterSet

        assert key == "tarief-soort"
        stored = {str(v) for v, _ in TariffFilterSet.base_filters["kind"].extra["choices"]}
    assert set(table) == stored, key
    assert len(set(table.values())) == len(table), f"{key}: two values share a Dutch value"
    for value in table.values():
        assert enums.API_VALUE.match(value), f"{key}: {value!r} is no lowercase hyphenated code"


def test_the_already_dutch_lists_are_dutch_or_codes():
    english = _english_only()
    for key in enums.ALREADY_DUTCH:
        assert not _stored_values(key) & english, key


# --- the OpenAPI document -----------------------------------------------------------------------


def test_every_enum_of_the_openapi_document_is_dutch():
    allowed = _allowed_values()
    english = _english_only()
    seen = 0
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                if param["name"] in NOT_CODE_LISTS:
                    continue
                for where, values in _enums(param.get("schema", {})):
                    seen += 1
                    name = f"{method.upper()} {path} ?{param['name']}{where}"
                    assert not set(values) & english, f"{name}: English {set(values) & english}"
                    assert set(values) <= allowed, f"{name}: not registered {set(values) - allowed}"
    for where, values in _enums(SCHEMA["components"]["schemas"], "components"):
        seen += 1
        assert not set(values) & english, f"{where}: English {set(values) & english}"
        assert set(values) <= allowed, f"{where}: not registered {set(values) - allowed}"
    assert seen >= 40  # the document's code lists were read at all


def test_the_document_names_the_dutch_enum_components():
    components = SCHEMA["components"]["schemas"]
    assert components["ContractStatusEnum"]["enum"] == [
        "gepland", "actief", "verlengd", "afgelopen", "beeindigd"
    ]  # fmt: skip
    assert components["SignalNiveauEnum"]["enum"] == ["groen", "oranje", "rood"]
    assert components["AanbiederSoortEnum"]["enum"] == [
        "instelling", "vrijgevestigde", "gecertificeerde-instelling", "samenwerkingsverband"
    ]  # fmt: skip
    assert components["RapportageSoortEnum"]["enum"] == [
        "aanbieder", "segment", "gemeente", "bestuurlijk"
    ]  # fmt: skip
    assert components["BudgetSoortEnum"]["enum"] == ["taakgericht", "plafond"]
    for component, field in (("KpiValue", "maand"), ("Signal", "periode")):
        assert components[component]["properties"][field]["pattern"] == MONTH.pattern
    maanden = components["Submission"]["properties"]["maanden"]["items"]
    assert maanden["pattern"] == MONTH.pattern


# --- the responses ------------------------------------------------------------------------------


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _check(value, schema, where, found):
    """Every value under an ``enum`` is one of them and every month is JJJJ-MM; records in
    ``found`` which enum fields were checked."""
    schema = _resolve(schema)
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            options = [_resolve(s) for s in schema[key]]
            if value is None and any(o.get("enum") == [None] for o in options):
                return
            merged = [o for o in options if o.get("enum") != [None]]
            assert merged, where
            return _check(value, merged[0], where, found)
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
        found.add(where)
        return
    if schema.get("pattern") == MONTH.pattern and value is not None:
        assert MONTH.match(value), f"{where}: {value!r} is no JJJJ-MM"
        found.add(where)
        return
    if isinstance(value, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if name in value:
                _check(value[name], sub, f"{where}.{name}", found)
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            _check(item, schema["items"], f"{where}[]", found)


def _list_paths():
    for path, item in SCHEMA["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path or path.endswith(("openapi.json", "openapi.yaml")):
            continue
        schema = operation["responses"]["200"]["content"].get("application/json", {}).get("schema")
        if schema is not None:
            yield path, schema


@pytest.fixture
def figures(world_a, objects):
    fill(world_a, months=range(9, 11))
    return world_a


@pytest.mark.parametrize(
    "kind", [ClientKind.REGIONAL, ClientKind.PROVIDER, ClientKind.MUNICIPALITY]
)
def test_every_enum_field_in_every_response_is_dutch(api, figures, kind):
    scopes = {F, C, W, R} if kind == ClientKind.REGIONAL else {F, C}
    if kind == ClientKind.PROVIDER:
        scopes.add(W)
    _client, token = make_client(figures, kind, scopes)
    caller = api(token)
    found: set[str] = set()
    for path, schema in _list_paths():
        params = {"kpi": "wachttijd"} if path.endswith("/kpi-waarden") else {}
        response = caller.get(path, params)
        if kind == ClientKind.MUNICIPALITY and path.endswith("/productie-aanleveringen"):
            assert response.status_code == 403  # a municipality delivers no production data
            continue
        assert response.status_code == 200, (path, response.content[:300])
        _check(response.json(), schema, path, found)
    if kind == ClientKind.REGIONAL:
        # the code lists of every resource were met, with values
        for where in (
            "/api/v1/contracten.resultaten[].status",
            "/api/v1/contracten.resultaten[].rapportagefrequentie",
            "/api/v1/contracten.resultaten[].bekostiging[].bekostigingsvorm",
            "/api/v1/tarieven.resultaten[].herkomst",
            "/api/v1/budgetten.resultaten[].soort",
            "/api/v1/aanbieders.resultaten[].soort",
            "/api/v1/aanbieders.resultaten[].reikwijdte",
            "/api/v1/aanbestedingen.resultaten[].procedure",
            "/api/v1/aanbestedingen.resultaten[].fase",
            "/api/v1/screeningssoorten.resultaten[].vereist",
            "/api/v1/signalen.resultaten[].bron",
            "/api/v1/signalen.resultaten[].niveau",
            "/api/v1/signalen.resultaten[].status",
            "/api/v1/signalen.resultaten[].periode",
            "/api/v1/rapportages.resultaten[].soort",
            "/api/v1/rapportages.resultaten[].status",
            "/api/v1/kpis[].richting",
            "/api/v1/kpi-waarden.resultaten[].niveau",
            "/api/v1/kpi-waarden.resultaten[].maand",
        ):
            assert where in found, where


def test_the_values_read_as_the_objects_hold_them(api, world_a, objects):
    """Hand-checked: world_a's objects in their Dutch API values."""
    own, _other = objects
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F, C})
    caller = api(token)
    contract = caller.get(f"/api/v1/contracten/{own.contract.pk}").json()
    assert contract["status"] == "verlengd"  # stored: extended (one option used)
    provider = caller.get(f"/api/v1/aanbieders/{own.provider.pk}").json()
    assert (provider["soort"], provider["reikwijdte"]) == ("instelling", "regionaal")
    tender = caller.get(f"/api/v1/aanbestedingen/{own.tender.pk}").json()
    assert (tender["procedure"], tender["fase"]) == ("sas", "definitieve-gunning")
    assert caller.get(f"/api/v1/budgetten/{own.budget.pk}").json()["soort"] == "plafond"
    signal = caller.get(f"/api/v1/signalen/{own.signal.pk}").json()
    assert (signal["bron"], signal["niveau"], signal["status"]) == ("kpi", "rood", "open")
    assert signal["onderwerp"] == "wachttijd"
    assert signal["periode"] == "2026-10"
    finance = Signal.objects.create(
        region=world_a.region,
        provider=world_a.provider,
        source="finance",
        topic="finance_margin",
        key="test-jaarrekening",
        period=date(2025, 1, 1),
        level="amber",
        message="Marge negatief",
    )
    row = caller.get(f"/api/v1/signalen/{finance.pk}").json()
    assert (row["bron"], row["onderwerp"], row["niveau"], row["periode"]) == (
        "jaarrekening",
        "jaarrekening-marge",
        "oranje",
        "2025-01",
    )
    report = caller.get(f"/api/v1/rapportages/{own.municipal_report.pk}").json()
    assert report["soort"] == "gemeente"
    assert caller.get(f"/api/v1/rapportages/{own.board_report.pk}").json()["soort"] == (
        "bestuurlijk"
    )


def test_the_csv_shows_the_dutch_values(api, world_a, objects):
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F, C})
    response = api(token).get("/api/v1/signalen", {"formaat": "csv"})
    assert response.status_code == 200
    header, *rows = response.content.decode().splitlines()
    columns = header.split(",")
    row = dict(zip(columns, rows[0].split(","), strict=False))
    assert (row["niveau"], row["bron"], row["periode"]) == ("rood", "kpi", "2026-10")


# --- filters and bodies -------------------------------------------------------------------------

#: (path, parameter, Dutch value that finds the object, its English predecessor, the object)
FILTERS = [
    ("/api/v1/contracten", "status", "verlengd", "extended", "contract"),
    ("/api/v1/aanbieders", "soort", "instelling", "institution", "provider"),
    ("/api/v1/aanbestedingen", "fase", "definitieve-gunning", "definitive", "tender"),
    ("/api/v1/aanbestedingen", "procedure", "sas", None, "tender"),
    ("/api/v1/budgetten", "soort", "plafond", "ceiling", "budget"),
    ("/api/v1/tarieven", "soort", "regionaal", "regional", "regional_tariff"),
    ("/api/v1/signalen", "niveau", "rood", "red", "signal"),
    ("/api/v1/signalen", "status", "open", None, "signal"),
    ("/api/v1/rapportages", "soort", "gemeente", "municipality", "municipal_report"),
    ("/api/v1/screeningssoorten", "vereist", "alle", "all", "screening_kind"),
]
#: a Dutch value of the same list that does not find the object
OTHER = {
    ("/api/v1/contracten", "status"): "afgelopen",
    ("/api/v1/aanbieders", "soort"): "samenwerkingsverband",
    ("/api/v1/aanbestedingen", "fase"): "ingetrokken",
    ("/api/v1/aanbestedingen", "procedure"): "aanbesteding",
    ("/api/v1/budgetten", "soort"): "taakgericht",
    ("/api/v1/tarieven", "soort"): "contract",
    ("/api/v1/signalen", "niveau"): "oranje",
    ("/api/v1/signalen", "status"): "afgehandeld",
    ("/api/v1/rapportages", "soort"): "bestuurlijk",
    ("/api/v1/screeningssoorten", "vereist"): "segmenten",
}


@pytest.mark.parametrize(("path", "name", "dutch", "english", "attr"), FILTERS)
def test_a_filter_takes_the_dutch_value_and_refuses_the_english_one(
    api, world_a, objects, path, name, dutch, english, attr
):
    own, _other = objects
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F, C})
    caller = api(token)
    wanted = getattr(own, attr).pk
    extra = {"geldigOp": date.today().isoformat()} if path.endswith("tarieven") else {}

    found = caller.get(path, {name: dutch, **extra})
    assert found.status_code == 200, found.content
    assert wanted in {r["id"] for r in found.json()["resultaten"]}
    missed = caller.get(path, {name: OTHER[(path, name)], **extra})
    assert missed.status_code == 200, missed.content
    assert wanted not in {r["id"] for r in missed.json()["resultaten"]}

    if english is not None:
        refused = caller.get(path, {name: english})
        assert refused.status_code == 400
        assert refused["Content-Type"].startswith("application/problem+json")
        [param] = refused.json()["invalidParams"]
        assert param["name"] == name
        assert f"'{english}' is sinds API 1.3.0 '{dutch}'" in param["reason"]
        assert OTHER[(path, name)] in param["reason"]  # the valid values are named


def test_a_body_with_the_old_english_value_is_refused_and_saves_nothing(api, world_a):
    _client, token = make_client(world_a, ClientKind.REGIONAL, {R})
    caller = api(token)
    before = Intensity.objects.count()
    body = {"code": "acuut", "naam": "Acuut", "naastAnderProfiel": "limited"}
    refused = caller.post("/api/v1/intensiteiten", json.dumps(body))
    assert refused.status_code == 400
    [param] = refused.json()["invalidParams"]
    assert param["name"] == "naastAnderProfiel"
    assert "'limited' is sinds API 1.3.0 'beperkt'" in param["reason"]
    assert "nooit, altijd, beperkt" in param["reason"]
    assert Intensity.objects.count() == before

    body["naastAnderProfiel"] = "beperkt"
    body["maxDagenNaastAnderProfiel"] = 14
    created = caller.post("/api/v1/intensiteiten", json.dumps(body))
    assert created.status_code == 201, created.content
    assert created.json()["naastAnderProfiel"] == "beperkt"
    assert Intensity.objects.get(pk=created.json()["id"]).parallel == "limited"  # stored as is

    unknown = caller.patch(
        f"/api/v1/intensiteiten/{created.json()['id']}", json.dumps({"naastAnderProfiel": "zo"})
    )
    assert unknown.status_code == 400
    assert "'zo' is geen geldige keuze" in unknown.json()["invalidParams"][0]["reason"]


# --- months -------------------------------------------------------------------------------------


def test_months_are_jjjj_mm_in_and_out(api, figures):
    _client, token = make_client(figures, ClientKind.REGIONAL, {F})
    caller = api(token)
    rows = caller.get(
        "/api/v1/kpi-waarden",
        {"kpi": "unieke-jeugdigen", "niveau": "regio", "periodeVan": "2026-10"},
    ).json()["resultaten"]
    assert [r["maand"] for r in rows] == ["2026-10"]
    signals = caller.get("/api/v1/signalen", {"periodeVan": "2026-10", "periodeTot": "2026-10"})
    assert [s["periode"] for s in signals.json()["resultaten"]] == ["2026-10"]
    # a first-of-month date is no month
    refused = caller.get("/api/v1/signalen", {"periodeVan": "2026-10-01"})
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["periodeVan"]


def test_the_month_field():
    field = enums.MonthField()
    assert field.to_representation(date(2026, 3, 1)) == "2026-03"
    assert field.to_representation("2026-11-01") == "2026-11"
    assert field.to_internal_value("2026-03") == date(2026, 3, 1)
    for bad in ("2026-13", "2026-3", "2026-03-01", 202603):
        with pytest.raises(Exception, match="JJJJ-MM"):
            field.to_internal_value(bad)
