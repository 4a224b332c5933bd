"""The OCDS release package, validated offline by the third-party validator libcoveocds.

libcoveocds (with ocdsextensionregistry) would download the OCDS standard and the extensions;
here it reads the files vendored in api/ocds_schema instead: the standard as the ZIP that
``standard_zip`` accepts, the extensions through a requests adapter that answers the
extensions' URLs from the vendored folders and refuses every other URL (so a test can never
pass by reaching the network, and never depends on it)."""

import copy
import functools
import io
import json
import zipfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from libcoveocds.schema import SchemaOCDS
from ocdsextensionregistry import util as registry_util
from requests.adapters import BaseAdapter
from rest_framework.test import APIClient

from api import ocds
from contracts import services as contract_services
from contracts.models import Contract, KpiAgreement
from procurement import models as pm
from segments.models import Region

SCHEMA_DIR = Path(ocds.__file__).parent / "ocds_schema"
STANDARD_TAG = "1__1__5"


def standard_zip() -> bytes:
    """The vendored standard laid out like the standard's repository archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        root = f"standard-{STANDARD_TAG}/"
        archive.writestr(root, "")
        for path in sorted((SCHEMA_DIR / "standard" / "schema").iterdir()):
            archive.write(path, f"{root}schema/{path.name}")
    return buffer.getvalue()


def extension_zip(name: str, ref: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        root = f"{name}-{ref}/"
        archive.writestr(root, "")
        folder = SCHEMA_DIR / "extensions" / name
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, root + path.relative_to(folder).as_posix())
    return buffer.getvalue()


class VendoredFilesAdapter(BaseAdapter):
    """Answers the extensions' URLs (raw files and GitHub archives) from api/ocds_schema."""

    def __init__(self):
        super().__init__()
        self.requested = []
        self.routes = {}
        for name, ref in ocds.EXTENSION_COMMITS.items():
            folder = SCHEMA_DIR / "extensions" / name
            self.routes[
                f"https://github.com/open-contracting-extensions/{name}/archive/{ref}.zip"
            ] = lambda name=name, ref=ref: extension_zip(name, ref)
            for path in folder.iterdir():
                url = f"{ocds.EXTENSION_BASE}/{name}/{ref}/{path.name}"
                self.routes[url] = path.read_bytes

    def send(self, request, **kwargs):
        self.requested.append(request.url)
        if request.url not in self.routes:
            raise requests.ConnectionError(f"offline: no vendored file for {request.url}")
        response = requests.Response()
        response.status_code = 200
        response._content = self.routes[request.url]()
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


@contextmanager
def offline_registry():
    session = registry_util.session
    saved = dict(session.adapters)
    adapter = VendoredFilesAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    # The standard's codelist CSVs are not vendored (see api/ocds_schema/README.md). Without
    # them libcoveocds 0.17 means to skip its informative "additional codelist values" check
    # (open codelists), but calls cache_clear() on a method it never cached: give the method
    # the cache it expects. Closed codelists are still enforced, by the schema's enums.
    original = SchemaOCDS._standard_codelists
    SchemaOCDS._standard_codelists = functools.lru_cache(original)
    try:
        with session.cache_disabled():
            yield adapter
    finally:
        SchemaOCDS._standard_codelists = original
        session.adapters.clear()
        session.adapters.update(saved)


def validate(package: dict, tmp_path) -> dict:
    """libcoveocds' API result for ``package``, fully offline."""
    config = LibCoveOCDSConfig({"context": "api", "standard_zip": standard_zip()})
    out = tmp_path / f"cove-{len(list(tmp_path.iterdir()))}"
    out.mkdir()
    with offline_registry() as adapter:
        result = ocds_json_output(
            str(out), json_data=copy.deepcopy(package), lib_cove_ocds_config=config
        )
        # cove reports a closed codelist's wrong code only through the codelist CSVs, which are
        # not vendored: check every keyword, enums included, against the same patched schema.
        schema = SchemaOCDS(None, package, config).get_pkg_schema_obj(deref=True)
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    result["schema_errors"] = sorted(
        "/".join(str(p) for p in e.absolute_path if not isinstance(p, int)) + f": {e.message}"
        for e in validator.iter_errors(package)
    )
    result["requested_urls"] = adapter.requested
    return result


def assert_valid(package: dict, tmp_path) -> dict:
    result = validate(package, tmp_path)
    assert result["validation_errors"] == [], json.dumps(result["validation_errors"], indent=1)
    assert result["schema_errors"] == [], result["schema_errors"]
    # Observation.dimensions takes any key (patternProperties), which cove lists as additional
    unknown = [f for f in result["additional_fields"] if not f["path"].endswith("/dimensions")]
    assert unknown == [], unknown
    extensions = result["extensions"]
    assert extensions["invalid_extensions"] == [], extensions["invalid_extensions"]
    assert extensions["is_extended_schema"] is True
    assert {e["url"] for e in extensions["extensions"]} == set(ocds.EXTENSIONS)
    return result


def releases_by_ocid(package):
    return {r["ocid"]: r for r in package["releases"]}


# ---------------------------------------------------------------- the validator itself


def test_vendored_schema_files_are_the_documented_ones():
    standard = SCHEMA_DIR / "standard" / "schema"
    release = json.loads((standard / "release-schema.json").read_text())
    package = json.loads((standard / "release-package-schema.json").read_text())
    assert release["id"].endswith(f"/{STANDARD_TAG}/release-schema.json")
    assert package["id"].endswith(f"/{STANDARD_TAG}/release-package-schema.json")
    for name in ocds.EXTENSION_COMMITS:
        folder = SCHEMA_DIR / "extensions" / name
        assert json.loads((folder / "release-schema.json").read_text())["definitions"]
        assert json.loads((folder / "extension.json").read_text())["name"]
    readme = (SCHEMA_DIR / "README.md").read_text()
    for name, ref in ocds.EXTENSION_COMMITS.items():
        assert name in readme and ref in readme


def test_validator_reports_a_broken_package(world_a, tmp_path):
    """The same validator call that passes the real package fails a broken one: a missing
    required field, a wrong type, codes outside closed codelists (core and lots extension) and
    an unknown field."""
    package = ocds.release_package(world_a.region)
    assert_valid(package, tmp_path)

    broken = copy.deepcopy(package)
    tender_release = next(r for r in broken["releases"] if "tender" in r)
    contract_release = next(r for r in broken["releases"] if r.get("contracts"))
    del tender_release["initiationType"]
    tender_release["tender"]["procurementMethod"] = "aanbesteding"
    tender_release["tender"]["lots"][0]["status"] = "gegund"
    tender_release["tender"]["geheimeScore"] = 8
    contract_release["contracts"][0]["value"]["amount"] = "veel"
    result = validate(broken, tmp_path)
    cove = {e["field"]: e["description"] for e in result["validation_errors"]}
    assert "'initiationType' is missing but required" in cove.values()
    assert "releases/contracts/value/amount" in cove
    assert "geheimeScore" in {f["field"] for f in result["additional_fields"]}
    errors = "\n".join(result["schema_errors"])
    assert "releases/tender/procurementMethod: 'aanbesteding' is not one of" in errors
    assert "releases/tender/lots/status: 'gegund' is not one of" in errors
    assert "'initiationType' is a required property" in errors


def test_validator_checks_the_extensions(world_a, tmp_path):
    """The lots, award-criteria and metrics fields are validated against the extensions:
    a wrong weight code, a metric without id are errors; without the declared extensions
    their fields are unknown (additional) fields."""
    package = ocds.release_package(world_a.region)
    broken = copy.deepcopy(package)
    tender_release = next(r for r in broken["releases"] if "tender" in r)
    crit = tender_release["tender"]["lots"][0]["awardCriteria"]["criteria"][0]
    crit["numbers"][0]["weight"] = "procent"
    contract_release = next(r for r in broken["releases"] if r.get("contracts"))
    del contract_release["contracts"][0]["agreedMetrics"][0]["id"]
    result = validate(broken, tmp_path)
    assert any(
        e["field"] == "releases/contracts/agreedMetrics" and "'id' is missing" in e["description"]
        for e in result["validation_errors"]
    ), result["validation_errors"]
    errors = "\n".join(result["schema_errors"])
    assert "releases/tender/lots/awardCriteria/criteria/numbers/weight: 'procent'" in errors

    bare = copy.deepcopy(package)
    del bare["extensions"]
    result = validate(bare, tmp_path)
    unknown = {f["field"] for f in result["additional_fields"]}
    assert {"lots", "agreedMetrics"} <= unknown


def test_validation_never_reaches_the_network(world_a, tmp_path):
    result = validate(ocds.release_package(world_a.region), tmp_path)
    assert result["requested_urls"]  # the extensions were read ...
    assert all(
        url.startswith("https://github.com/open-contracting-extensions/")
        or url.startswith(ocds.EXTENSION_BASE)
        for url in result["requested_urls"]
    )  # ... from the vendored files only (the adapter refuses anything else)


# ---------------------------------------------------------------- the package


def test_package_of_the_world(world_a, world_b, tmp_path):
    package = ocds.release_package(world_a.region)
    assert_valid(package, tmp_path)
    assert package["version"] == "1.1"
    releases = releases_by_ocid(package)
    ocid = "ocds-jk0000-regio-a-SAS-regio-a"
    assert set(releases) == {ocid, "ocds-jk0000-regio-a-contract-C-regio-a-001"}
    release = releases[ocid]
    assert release["tag"] == ["tender", "award"]
    section = release["tender"]
    assert section["procurementMethod"] == "selective"
    assert section["procurementMethodDetails"] == "SAS-procedure met onderhandeling"
    assert section["status"] == "complete"
    assert section["numberOfTenderers"] == 1
    assert section["lots"][0]["awardCriteria"] == {
        "criteria": [
            {
                "type": "quality",
                "name": "Visie",
                "numbers": [{"number": 100, "weight": "percentageExact"}],
            }
        ]
    }
    (award,) = release["awards"]
    assert award["relatedLots"] == ["1"]
    assert award["suppliers"][0]["name"] == world_a.provider.name
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles[world_a.region.contracting_authority or world_a.region.name] == [
        "buyer",
        "procuringEntity",
    ]
    assert roles[world_a.provider.name] == ["supplier"]

    # the directly entered contract: own process, period, value, KPI and budgets as metrics
    contract_release = releases["ocds-jk0000-regio-a-contract-C-regio-a-001"]
    assert contract_release["tag"] == ["award", "contract"]
    (contract,) = contract_release["contracts"]
    assert contract["awardID"] == contract_release["awards"][0]["id"]
    assert contract["period"]["startDate"] == "2024-12-31T23:00:00Z"  # 1-1-2025 in NL
    assert contract["value"] == {"amount": 110000.0, "currency": "EUR"}
    metrics = {m["id"]: m for m in contract["agreedMetrics"]}
    wait = metrics["kpi-wait_time"]
    assert [(o["dimensions"]["niveau"], o["measure"]) for o in wait["observations"]] == [
        ("norm", 28),
        ("oranje", 35),
        ("rood", 42),
    ]
    assert wait["observations"][0]["unit"]["name"] == "dagen"
    (budget,) = metrics["budget"]["observations"]
    assert budget["value"] == {"amount": 110000.0, "currency": "EUR"}


def test_only_public_information(world_a, world_b, tmp_path):
    package = ocds.release_package(world_a.region)
    text = json.dumps(package)
    # no drafts
    assert world_a.proc.draft.reference not in text
    assert all("CONCEPT" not in r["ocid"] for r in package["releases"])
    # nothing of region B
    for value in (world_b.region.slug, world_b.provider.name, world_b.proc.tender.reference):
        assert value not in text
    # no scores, reasons, ranks or names of other tenderers
    for secret in (
        "Beste inschrijving",
        "Goed",
        "total_score",
        "rank",
        world_a.distant_provider.name,
    ):
        assert secret not in text
    assert "tenderers" not in package["releases"][0]["tender"]


def test_unsuccessful_tenderers_and_provisional_awards_stay_private(world_a, tmp_path):
    tender = world_a.proc.tender
    loser = pm.Submission.objects.create(
        tender=tender,
        lot=tender.lots.get(),
        provider=world_a.distant_provider,
        number=2,
        received_at=tender.submission_deadline - timedelta(days=2),
        outcome="not_awarded",
        outcome_reason="Lagere score",
    )
    package = ocds.release_package(world_a.region)
    assert_valid(package, tmp_path)
    text = json.dumps(package)
    assert world_a.distant_provider.name not in text and "Lagere score" not in text
    release = releases_by_ocid(package)["ocds-jk0000-regio-a-SAS-regio-a"]
    assert release["tender"]["numberOfTenderers"] == 2
    assert len(release["awards"]) == 1

    pm.Tender.objects.filter(pk=tender.pk).update(state="provisional")
    release = releases_by_ocid(ocds.release_package(world_a.region))[
        "ocds-jk0000-regio-a-SAS-regio-a"
    ]
    assert "awards" not in release and "numberOfTenderers" not in release["tender"]
    assert release["tender"]["status"] == "active"
    assert loser.pk


def test_contracts_from_an_award_and_release_ids_are_stable(world_a, tmp_path):
    tender = world_a.proc.tender
    (contract,) = contract_services.contracts_from_award(
        None, tender=tender, submissions=[world_a.proc.submission]
    )
    KpiAgreement.objects.create(
        contract=contract,
        kpi="client_experience",
        direction="higher",
        norm=Decimal("7.5"),
        amber_threshold=Decimal("7"),
        red_threshold=Decimal("6"),
    )
    contract_services.budget_set(
        contract=contract, year=2027, kind="lumpsum", amount=Decimal("250000.50")
    )
    first = ocds.release_package(world_a.region)
    assert_valid(first, tmp_path)
    release = releases_by_ocid(first)["ocds-jk0000-regio-a-SAS-regio-a"]
    assert release["tag"] == ["tender", "award", "contract"]
    (entry,) = release["contracts"]
    assert entry["awardID"] == release["awards"][0]["id"]
    assert entry["value"] == {"amount": 250000.5, "currency": "EUR"}
    assert entry["agreedMetrics"][0]["observations"][0]["measure"] == 7.5

    # same data, same ids and date; a change gives a new release id
    again = ocds.release_package(world_a.region)
    assert [r["id"] for r in again["releases"]] == [r["id"] for r in first["releases"]]
    assert again["publishedDate"] == first["publishedDate"]
    KpiAgreement.objects.filter(contract=contract).update(norm=Decimal("8"))
    changed = releases_by_ocid(ocds.release_package(world_a.region))
    assert changed["ocds-jk0000-regio-a-SAS-regio-a"]["id"] != release["id"]
    for r in first["releases"]:
        assert r["date"].endswith("Z") and "#" not in r["id"]
        datetime.strptime(r["date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "procedure_type,method",
    [
        ("open_house", "open"),
        ("conditional", "open"),
        ("tender", "open"),
        ("sas", "selective"),
        ("partnership", "limited"),
        ("grant", "direct"),
    ],
)
def test_procedure_types_map_to_a_procurement_method(world_a, tmp_path, procedure_type, method):
    tender = world_a.proc.tender
    pm.Tender.objects.filter(pk=tender.pk).update(procedure_type=procedure_type)
    release = releases_by_ocid(ocds.release_package(world_a.region))[
        "ocds-jk0000-regio-a-SAS-regio-a"
    ]
    assert release["tender"]["procurementMethod"] == method
    assert release["tender"]["procurementMethodDetails"]


# ---------------------------------------------------------------- the endpoint


@pytest.fixture
def api_client():
    cache.clear()  # the throttle counts per address
    return APIClient()


def test_endpoint_is_public_json(world_a, world_b, api_client, tmp_path):
    url = reverse("api:regio-ocds", kwargs={"code": world_a.region.slug})
    assert url == f"/api/v1/regios/{world_a.region.slug}/ocds"
    response = api_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    package = response.json()
    assert package["uri"] == f"http://testserver{url}"
    assert_valid(package, tmp_path)
    assert world_b.provider.name not in response.content.decode()
    assert world_a.proc.draft.reference not in response.content.decode()


def test_endpoint_unknown_region_is_a_problem(db, api_client):
    response = api_client.get("/api/v1/regios/bestaat-niet/ocds")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


def test_endpoint_in_openapi(db, api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/regios/{code}/ocds"]["get"]
    assert "OCDS" in operation["description"]
    assert operation.get("security") in ([], [{}], None)
    assert "404" in operation["responses"]


# ---------------------------------------------------------------- the demo data


@pytest.mark.xdist_group("demo")
def test_demo_packages_are_valid(db, demo_data, tmp_path):
    checked = 0
    for region in Region.objects.all():
        package = ocds.release_package(region)
        if not package["releases"]:
            continue
        checked += len(package["releases"])
        assert_valid(package, tmp_path)
        drafts = pm.Tender.objects.filter(region=region, state="draft")
        ocids = {r["ocid"] for r in package["releases"]}
        for draft in drafts:
            assert not any(ocid.endswith(f"-{ocds._token(draft.reference)}") for ocid in ocids)
        others = Contract.objects.exclude(region=region).values_list("reference", flat=True)
        text = json.dumps(package)
        assert not any(f'"id": "{ref}"' in text for ref in others)
    assert checked >= 3
