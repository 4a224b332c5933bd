"""The database unreachable (a PostgreSQL restart, a failover, a full connection table): a clean
503 with ``Retry-After`` — a short Dutch page for the browser, a problem+json for the API — and
one log line, never a 500 with a stack trace. The app recovers by itself: the next request opens
a new connection (``CONN_HEALTH_CHECKS``, config/settings.py).

Only connection-level errors count: no connection could be made, the server closed it or is
shutting down or starting up, or it has no connection slot left. A failing query (a constraint,
a lock timeout, a cancelled statement) stays the error it is.

Three places catch them, because Django turns an exception into a 500 at every middleware layer:

- ``DatabaseOutageMiddleware.__call__``: before the rest of a request with a session cookie or
  an API key, the connection is checked (the health check Django does at the first query
  anyway) and opened. A GET or HEAD that finds the database unreachable tries again every
  250 ms for up to ``DATABASE_OUTAGE_RECONNECT_MS`` (a restart takes about a second); then the
  503.
- ``DatabaseOutageMiddleware.process_exception``: the connection is lost during the view or its
  template. A GET or HEAD reads: its view runs once more on a new connection (with the same
  wait); anything else gets the 503 at once.
- ``server_error`` (``handler500``) for the rest (a middleware's own query), and
  ``core.api.errors.exception_handler`` for the API views (DRF catches their exceptions first).
"""

from __future__ import annotations

import logging
import sys
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("jeugdinkoop.outage")

#: SQLSTATEs of a connection that cannot be used: class 08 (connection exception) and these
CONNECTION_SQLSTATES = {
    "57P01",  # admin_shutdown: the server is stopping (pg_ctl stop/restart -m fast)
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: the server is starting up or shutting down
    "53300",  # too_many_connections
}


def is_connection_error(exc: BaseException | None) -> bool:
    """True for Django's OperationalError/InterfaceError raised by the PostgreSQL driver because
    the connection is missing or lost; False for every other error (SQLite's included)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a runtime dependency
        return False
    cause = exc.__cause__
    if not isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:
        # refused or broken connections carry no SQLSTATE; a failing statement always has one
        return True
    return sqlstate.startswith("08") or sqlstate in CONNECTION_SQLSTATES


def retry_after() -> int:
    return settings.DATABASE_OUTAGE_RETRY_AFTER


def log_outage(request, exc: BaseException) -> None:
    """One line: method, path (no query string), the driver's first line. No traceback."""
    first_line = str(exc.__cause__ or exc).strip().splitlines()[:1]
    method, path = (request.method, request.path) if request is not None else ("-", "-")
    logger.warning(
        "Database unreachable: 503 for %s %s (%s: %s)",
        method,
        path,
        type(exc.__cause__ or exc).__name__,
        first_line[0] if first_line else "",
    )


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """The 503 for ``request``; renders without the database (no context processors)."""
    log_outage(request, exc)
    if request.path.startswith(getattr(settings, "API_PATH_PREFIX", "/api/")):
        from core.api.errors import problem

        response = JsonResponse(
            problem(503, outage_detail(), request=request),
            status=503,
            content_type="application/problem+json",
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": retry_after()}), status=503
        )
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "no-store"
    # logged above in one line: Django's request logger must not add a traceback
    response._has_been_logged = True
    return response


def outage_detail() -> str:
    return _(
        "De database is tijdelijk niet bereikbaar. Probeer het over %(seconds)s seconden opnieuw."
    ) % {"seconds": retry_after()}


class DatabaseOutageMiddleware:
    """See the module docstring. Placed right after WhiteNoise: static files need no database."""

    SAFE_METHODS = ("GET", "HEAD")
    #: the pause between two connection attempts of a GET while the database is away
    STEP_MS = 250

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.uses_database(request):
            return self.get_response(request)
        try:
            self.connect(request)
        except (OperationalError, InterfaceError) as exc:
            if not is_connection_error(exc):
                raise
            return unavailable_response(request, exc)
        return self.get_response(request)

    @staticmethod
    def uses_database(request) -> bool:
        """A request with a session cookie or an API key reads them from the database first:
        connect up front. Others (a public page, the OpenAPI document) may need no database;
        a failure there is caught when it happens (process_exception, server_error)."""
        return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers

    def connect(self, request) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except (OperationalError, InterfaceError) as exc:
            if not (is_connection_error(exc) and request.method in self.SAFE_METHODS):
                raise
            self.reconnect(exc)

    def reconnect(self, exc: BaseException) -> None:
        """Connect again every STEP_MS until DATABASE_OUTAGE_RECONNECT_MS have passed (a
        restart takes about a second); the last error if the database is still away."""
        connection = connections[DEFAULT_DB_ALIAS]
        budget = settings.DATABASE_OUTAGE_RECONNECT_MS
        waited = 0
        while waited < budget:
            step = min(self.STEP_MS, budget - waited)
            time.sleep(step / 1000)
            waited += step
            connection.close()
            try:
                connection.ensure_connection()
                return
            except (OperationalError, InterfaceError) as again:
                if not is_connection_error(again):
                    raise
                exc = again
        raise exc

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._outage_view = (view_func, view_args, view_kwargs)

    def process_exception(self, request, exception):
        if not is_connection_error(exception):
            return None
        view = getattr(request, "_outage_view", None)
        if (
            request.method not in self.SAFE_METHODS
            or view is None
            or request.__dict__.get("_outage_rerun")
        ):
            return unavailable_response(request, exception)
        # A GET lost its connection in the view (the server went away during a query): it
        # reads, so it runs once more on a new connection.
        request._outage_rerun = True
        view_func, view_args, view_kwargs = view
        try:
            self.reconnect(exception)
            response = view_func(request, *view_args, **view_kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        except (OperationalError, InterfaceError) as again:
            if not is_connection_error(again):
                raise
            return unavailable_response(request, again)
        return response


def server_error(request, template_name: str = "500.html"):
    """``handler500``: a connection error raised outside a view (by a middleware) is a 503 too;
    anything else is Django's own 500 page."""
    exc = sys.exc_info()[1]
    if is_connection_error(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request, template_name=template_name)
