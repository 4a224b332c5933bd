"""The OpenAPI document: the committed openapi.yaml is current, it is served publicly, it is
generated without warnings, and it follows the API Design Rules (paths, keys, errors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

from core.api import API_VERSION

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
KEBAB_SEGMENT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PARAM_SEGMENT = re.compile(r"^\{([^}]+)\}$")
PROBLEM = "application/problem+json"

# Dutch-ish: at least one common Dutch word and none of the usual English ones.
DUTCH_WORDS = {
    "de", "het", "een", "van", "en", "voor", "met", "per", "of", "die", "dat", "is", "zijn",
    "alleen", "naar", "op", "in", "uit", "bij", "wordt", "worden", "kan", "geen", "niet", "als",
    "deze", "dit", "waarin", "waartoe", "ziet", "krijgt", "client",
}  # fmt: skip
ENGLISH_WORDS = {"the", "this", "which", "with", "returns", "list", "retrieve", "identifying"}


def _generate() -> dict:
    """The schema as ``manage.py spectacular`` makes it (in the site's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema():
    return _generate()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item, item[method]


def _params(item, operation):
    return [*item.get("parameters", []), *operation.get("parameters", [])]


def test_committed_schema_is_current(schema):
    generated = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()
    assert COMMITTED.exists(), "openapi.yaml is missing: run `make openapi` and commit it"
    committed = COMMITTED.read_text(encoding="utf-8")
    assert generated == committed, (
        "openapi.yaml is out of date with the API: run `make openapi` and commit the result"
    )


def test_committed_schema_is_valid_openapi():
    validate_schema(yaml.safe_load(COMMITTED.read_text(encoding="utf-8")))


def test_schema_generation_has_no_warnings_or_errors():
    GENERATOR_STATS.reset()
    try:
        _generate()
        warnings = sorted(GENERATOR_STATS._warn_cache)
        errors = sorted(GENERATOR_STATS._error_cache)
    finally:
        GENERATOR_STATS.reset()
    assert not errors, "drf-spectacular errors:\n" + "\n".join(errors)
    assert not warnings, "drf-spectacular warnings:\n" + "\n".join(warnings)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["openapi.json", "openapi.yaml"])
def test_schema_is_served_without_authentication(client, name):
    response = client.get(f"/api/v1/{name}")
    assert response.status_code == 200, response.content[:500]
    assert response["API-Version"] == API_VERSION
    assert response["Content-Type"].startswith(
        "application/vnd.oai.openapi+json" if name.endswith("json") else "application/vnd.oai"
    )
    body = response.json() if name.endswith("json") else yaml.safe_load(response.content)
    assert body["info"]["version"] == API_VERSION
    assert body["paths"]


@pytest.mark.django_db
def test_docs_pages_load_only_own_scripts(client):
    """Swagger UI and Redoc: no inline script (the CSP forbids it), nothing from another host."""
    for url in ("/api/v1/docs", "/api/v1/redoc"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        csp = response["Content-Security-Policy"]
        script_src = csp.split("script-src", 1)[1].split(";", 1)[0]
        assert script_src.split() == ["'self'"], csp
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        assert scripts, url
        for attrs, body in scripts:
            assert 'src="' in attrs and not body.strip(), f"inline script on {url}"
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), (
            f"{url} loads something from another host"
        )
    script = client.get("/api/v1/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_paths_are_kebab_case_without_trailing_slash(schema):
    bad = []
    for path in schema["paths"]:
        if not path.startswith("/api/v1/") or path.endswith("/"):
            bad.append(path)
            continue
        for segment in path.removeprefix("/api/v1/").split("/"):
            param = PARAM_SEGMENT.match(segment)
            if param:
                if not CAMEL.match(param.group(1)):
                    bad.append(path)
            elif not KEBAB_SEGMENT.match(segment):
                bad.append(path)
    assert not bad, f"paths not under /api/v1/, not kebab-case or with a trailing slash: {bad}"


def test_parameter_names_are_camel_case(schema):
    bad = sorted(
        {
            f"{method.upper()} {path}: {param['in']} {param['name']}"
            for path, method, item, operation in _operations(schema)
            for param in _params(item, operation)
            if param.get("in") in ("query", "path") and not CAMEL.match(param["name"])
        }
    )
    assert not bad, "query/path parameters that are not camelCase:\n" + "\n".join(bad)


def _is_dutchish(text: str) -> bool:
    words = set(re.findall(r"[a-zà-ÿ']+", text.lower()))
    return bool(words & DUTCH_WORDS) and not words & ENGLISH_WORDS


def test_every_operation_has_a_dutch_description(schema):
    bad = [
        f"{method.upper()} {path}: {operation.get('description')!r}"
        for path, method, _item, operation in _operations(schema)
        if not (operation.get("description") or "").strip()
        or not _is_dutchish(operation["description"])
    ]
    assert not bad, "operations without a Dutch description:\n" + "\n".join(bad)


def test_parameter_descriptions_are_not_english(schema):
    bad = sorted(
        {
            f"{method.upper()} {path}: {param['name']}: {param['description']!r}"
            for path, method, item, operation in _operations(schema)
            for param in _params(item, operation)
            if param.get("description")
            and set(re.findall(r"[a-z]+", param["description"].lower())) & ENGLISH_WORDS
        }
    )
    assert not bad, "English parameter descriptions:\n" + "\n".join(bad)


def _expected_errors(item, operation, default_security):
    params = _params(item, operation)
    locations = {p.get("in") for p in params}
    names = {p.get("name") for p in params}
    security = operation.get("security", default_security)
    needs_key = bool(security) and all(security)
    expected = {"429"}
    if "query" in locations or "requestBody" in operation:
        expected.add("400")
    if needs_key:
        expected |= {"401", "403"}
    if "path" in locations or "pagina" in names:
        expected.add("404")
    return expected


def test_error_responses_are_documented_as_problem_json(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "instance", "invalidParams"} <= set(
        problem["properties"]
    )
    invalid = schema["components"]["schemas"]["InvalidParam"]
    assert set(invalid["properties"]) == {"name", "code", "reason"}

    missing = []
    for path, method, item, operation in _operations(schema):
        responses = operation["responses"]
        for code in sorted(_expected_errors(item, operation, schema.get("security"))):
            response = responses.get(code)
            if response is None or PROBLEM not in response.get("content", {}):
                missing.append(f"{method.upper()} {path}: {code}")
        for code, response in responses.items():
            is_error = code.startswith(("4", "5")) and "$ref" not in response
            if is_error and set(response.get("content", {})) != {PROBLEM}:
                missing.append(f"{method.upper()} {path}: {code} is not problem+json only")
    assert not missing, "error responses missing or not problem+json:\n" + "\n".join(missing)


def test_every_response_documents_the_api_version_header(schema):
    missing = [
        f"{method.upper()} {path}: {code}"
        for path, method, _item, operation in _operations(schema)
        for code, response in operation["responses"].items()
        if "$ref" not in response and "API-Version" not in response.get("headers", {})
    ]
    assert not missing, "responses without the API-Version header:\n" + "\n".join(missing)


def test_only_reading_is_possible_without_a_key(schema):
    """Operations without a security requirement (open data) are GETs; the rest need the
    bearer key of the one security scheme."""
    schemes = schema["components"]["securitySchemes"]
    assert set(schemes) == {"apiKey"}
    assert schemes["apiKey"]["type"] == "http" and schemes["apiKey"]["scheme"] == "bearer"
    default = schema.get("security")
    public_writes = []
    for path, method, _item, operation in _operations(schema):
        security = operation.get("security", default)
        if not security or not all(security):
            if method != "get":
                public_writes.append(f"{method.upper()} {path}")
        else:
            assert all(set(req) <= set(schemes) for req in security), (method, path)
    assert not public_writes, f"writing operations without a key: {public_writes}"
