"""Errors as ``application/problem+json`` (RFC 9457) with every field error at once."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.outage import is_connection_error, log_outage, outage_detail, retry_after

from .renderers import ProblemJSONRenderer

logger = logging.getLogger("jeugdinkoop.api")

TITLES = {
    400: gettext_lazy("Ongeldige invoer"),
    401: gettext_lazy("Niet geauthenticeerd"),
    403: gettext_lazy("Geen toegang"),
    404: gettext_lazy("Niet gevonden"),
    405: gettext_lazy("Methode niet toegestaan"),
    406: gettext_lazy("Niet aanvaardbaar"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Te groot"),
    415: gettext_lazy("Mediatype niet ondersteund"),
    422: gettext_lazy("Niet te verwerken"),
    429: gettext_lazy("Te veel verzoeken"),
    500: gettext_lazy("Interne fout"),
    503: gettext_lazy("Tijdelijk niet beschikbaar"),
}


def _invalid_params(detail, prefix=""):
    """[{name, code, reason}] for every field error, nested fields as ``veld.subveld``."""
    params = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = name if not prefix else f"{prefix}.{name}"
            if name == "non_field_errors":
                key = prefix or "nonFieldErrors"
            params.extend(_invalid_params(value, key))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                params.extend(_invalid_params(value, f"{prefix}.{i}" if prefix else str(i)))
            else:
                params.extend(_invalid_params(value, prefix))
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", None) or "invalid",
                "reason": str(detail),
            }
        )
    return params


def problem(status_code: int, detail: str, *, title: str | None = None, request=None, **extra):
    body = {
        "type": f"https://jeugdinkoop.nl/api/problemen/{status_code}",
        "title": str(title or TITLES.get(status_code, _("Fout"))),
        "status": status_code,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.get_full_path()
    body.update(extra)
    return body


def exception_handler(exc, context):
    request = context.get("request")
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(
            _("Dit object bestaat niet of is niet zichtbaar voor deze client.")
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.APIException):
        code = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc, exceptions.ValidationError):
            params = _invalid_params(exc.detail)
            body = problem(
                code,
                _("De invoer is ongeldig: %(n)s fout(en), zie invalidParams.") % {"n": len(params)},
                request=request,
                invalidParams=params,
            )
        else:
            detail = exc.detail
            if isinstance(detail, list | dict):
                detail = "; ".join(str(p["reason"]) for p in _invalid_params(detail))
            body = problem(code, str(detail), request=request)
    elif is_connection_error(exc):
        # the database is unreachable (core/outage.py): one log line, the client may retry
        log_outage(request, exc)
        code = status.HTTP_503_SERVICE_UNAVAILABLE
        headers["Retry-After"] = str(retry_after())
        body = problem(code, outage_detail(), request=request)
    else:
        logger.exception("Unhandled error in the API", exc_info=exc)
        code = status.HTTP_500_INTERNAL_SERVER_ERROR
        body = problem(code, _("Er ging iets mis aan onze kant; probeer het later opnieuw."))

    if request is not None:
        # errors are problem+json whatever representation the client asked for
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = ProblemJSONRenderer.media_type
    return Response(body, status=code, headers=headers)
