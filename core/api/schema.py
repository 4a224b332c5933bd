"""The OpenAPI document's shared parts: problem+json errors and the API-Version header on every
operation (a postprocessing hook of drf-spectacular), and the Redoc page without external fonts.

The hook adds what every endpoint can answer without saying so itself: 400 (only where there are
query parameters or a body), 401 and 403 (where a key is needed), 404 (where there is a path
parameter or a page number) and 429, each as ``application/problem+json`` with the ``Problem``
schema that ``core.api.errors`` produces. Responses an endpoint documents itself are kept."""

from __future__ import annotations

import copy
import re

from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.utils.translation import get_language
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from . import API_VERSION

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een fout volgens RFC 9457 (problem+json).",
    "properties": {
        "type": {
            "type": "string",
            "format": "uri",
            "description": "URI die de soort fout aanduidt.",
            "example": "https://jeugdinkoop.nl/api/problemen/404",
        },
        "title": {
            "type": "string",
            "description": "Korte omschrijving van de soort fout.",
            "example": "Niet gevonden",
        },
        "status": {
            "type": "integer",
            "description": "De HTTP-statuscode.",
            "example": 404,
        },
        "detail": {
            "type": "string",
            "description": "Uitleg over deze fout.",
        },
        "instance": {
            "type": "string",
            "description": "Het pad en de query van het verzoek dat de fout gaf.",
            "example": "/api/v1/gemeenten/999",
        },
        "invalidParams": {
            "type": "array",
            "description": "Bij ongeldige invoer (400): elke fout per veld of parameter.",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
    },
    "required": ["type", "title", "status", "detail"],
}

INVALID_PARAM_SCHEMA = {
    "type": "object",
    "description": "Eén ongeldig veld of ongeldige parameter.",
    "properties": {
        "name": {
            "type": "string",
            "description": "Naam van het veld of de parameter (geneste velden als veld.subveld).",
        },
        "code": {"type": "string", "description": "Code van de fout, bv. required of invalid."},
        "reason": {"type": "string", "description": "Uitleg van de fout."},
    },
    "required": ["name", "code", "reason"],
}

API_VERSION_HEADER = {
    "description": "De volledige versie van de API (semver); het pad noemt alleen de hoofdversie.",
    "required": True,
    "schema": {"type": "string", "example": API_VERSION},
}

ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer: een parameter of het bericht klopt niet (zie invalidParams).",
    "401": "Niet geauthenticeerd: geen, een onbekende, verlopen of ingetrokken sleutel.",
    "403": "Geen toegang: de client mist de scope die dit endpoint vraagt.",
    "404": "Niet gevonden: het object of de pagina bestaat niet of is niet zichtbaar voor "
    "deze client.",
    "429": "Te veel verzoeken: wacht het aantal seconden uit de header Retry-After.",
}

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _problem_response(code: str) -> dict:
    response = {
        "description": ERROR_DESCRIPTIONS[code],
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if code == "429":
        response["headers"]["Retry-After"] = {
            "description": "Na hoeveel seconden een nieuw verzoek kan.",
            "schema": {"type": "integer"},
        }
    return response


def _needs_key(operation: dict, default_security: list | None) -> bool:
    security = operation.get("security", default_security)
    if not security:
        return False
    # [{}] (or an empty alternative among others) means: also without authentication
    return all(requirement for requirement in security)


def _parameters(operation: dict, path_item: dict) -> list[dict]:
    return [*path_item.get("parameters", []), *operation.get("parameters", [])]


def error_codes(operation: dict, path_item: dict, default_security=None) -> list[str]:
    """The error statuses the API can answer for this operation, by its shape."""
    params = _parameters(operation, path_item)
    locations = {p.get("in") for p in params if "in" in p}
    names = {p.get("name") for p in params}
    codes = []
    if "query" in locations or "requestBody" in operation:
        codes.append("400")
    if _needs_key(operation, default_security):
        codes += ["401", "403"]
    # DRF answers an unknown ``formaat`` with 404, as a page number past the end
    if "path" in locations or names & {"pagina", "formaat"}:
        codes.append("404")
    codes.append("429")
    return codes


#: DRF's English description of a primary-key path parameter
DRF_PK_DESCRIPTION = re.compile(r"^A unique (?:integer )?value identifying this (?P<name>.+)\.$")


def _dutch_parameter_descriptions(operation: dict) -> None:
    for param in operation.get("parameters", []):
        match = DRF_PK_DESCRIPTION.match(str(param.get("description") or ""))
        if match:
            param["description"] = f"Het unieke id van het object (een {match['name']})."


def postprocess_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: problem+json errors and the API-Version header."""
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("Problem", copy.deepcopy(PROBLEM_SCHEMA))
    schemas.setdefault("InvalidParam", copy.deepcopy(INVALID_PARAM_SCHEMA))
    components.setdefault("headers", {}).setdefault("API-Version", dict(API_VERSION_HEADER))
    default_security = result.get("security")

    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            _dutch_parameter_descriptions(operation)
            responses = operation.setdefault("responses", {})
            for code in error_codes(operation, path_item, default_security):
                responses.setdefault(code, _problem_response(code))
            for response in responses.values():
                if "$ref" in response:
                    continue
                response.setdefault("headers", {}).setdefault(
                    "API-Version", {"$ref": "#/components/headers/API-Version"}
                )
    return result


# drf-spectacular's Redoc template loads Google Fonts, which the documentation's CSP
# (core.api.middleware.DOCS_CSP) forbids and which would leak the visitor to Google.
REDOC_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
  <head>
    <title>{{ title }}</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    {% if favicon_href %}<link rel="icon" href="{{ favicon_href }}">{% endif %}
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <redoc spec-url="{{ schema_url }}"></redoc>
    <script src="{{ redoc_standalone }}"></script>
  </body>
</html>
"""


class RedocView(SpectacularRedocView):
    """Redoc from the vendored bundle only: no fonts or scripts from another host, no inline
    script (``REDOC_UI_SETTINGS`` would need one and are not supported here)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        template = engines["django"].from_string(REDOC_TEMPLATE)
        html = template.render(
            {
                "title": self.title or "Redoc",
                "lang": get_language() or settings.LANGUAGE_CODE,
                "redoc_standalone": self._redoc_standalone(),
                "schema_url": self._get_schema_url(request),
                # the browser asks for /favicon.ico (a 404) when the page names no icon
                "favicon_href": spectacular_settings.SWAGGER_UI_FAVICON_HREF,
            }
        )
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored files with our own page around it
    (templates/api/swagger_ui.html): the page names its language, loads a stylesheet that
    brings Swagger's colours to a contrast of 4.5:1 and a script that names its selects (WCAG
    2.1 AA, checked with axe-core by tests/e2e/test_api_docs.py). Deep links stay off
    (``SWAGGER_UI_SETTINGS``): Swagger UI renders them as links inside each operation's
    button, a nested interactive control."""

    template_name = "api/swagger_ui.html"
