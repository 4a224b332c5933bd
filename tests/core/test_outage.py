"""The database unreachable (core/outage.py): a 503 with Retry-After — a Dutch page for the
browser, a problem+json for the API — logged as one line; other database errors stay 500s.

The connection failure is simulated by making the driver's connect or a query raise what
psycopg raises when PostgreSQL is down or restarting, wrapped by Django as it does."""

from __future__ import annotations

import logging
from unittest import mock

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.utils import CursorWrapper

from api.models import ClientKind
from api.services import api_client_create
from core.api.scopes import ApiScope
from core.outage import is_connection_error
from tests.segments.factories import RegionFactory

pytestmark = pytest.mark.django_db


def django_error(cause: Exception) -> OperationalError:
    """Django's OperationalError with the driver's exception as its cause, as Django's
    DatabaseErrorWrapper raises it."""
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as exc:
        return exc


REFUSED = psycopg.OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 55432 failed: Connection refused'
)
CLOSED = psycopg.OperationalError("consuming input failed: server closed the connection")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.nl", "x-geheim-123")
    client.force_login(user)
    return client


@pytest.fixture
def region():
    return RegionFactory(slug="zhz", name="Zuid-Holland Zuid")


@pytest.fixture
def token(region):
    _client, token = api_client_create(
        region=region, name="BI", kind=ClientKind.REGIONAL, scopes=[ApiScope.READ_FIGURES.value]
    )
    return token


@pytest.fixture
def connect_fails(settings):
    """The database refuses connections: the middleware's connect (the first thing a request
    does with the database) raises; no reconnect wait unless a test sets one."""
    settings.DATABASE_OUTAGE_RECONNECT_MS = 0
    connection = connections[DEFAULT_DB_ALIAS]
    with mock.patch.object(
        connection, "ensure_connection", side_effect=django_error(REFUSED)
    ) as patched:
        yield patched


def assert_one_log_line(caplog, method: str, path: str) -> None:
    records = [r for r in caplog.records if r.name == "jeugdinkoop.outage"]
    assert len(records) == 1
    assert records[0].getMessage() == (
        f"Database unreachable: 503 for {method} {path} (OperationalError: "
        + str(records[0].args[-1])
        + ")"
    )
    assert records[0].exc_info is None
    # nothing else logged the error with a traceback (Django's request logger included)
    assert not [r for r in caplog.records if r.exc_info]


# ----------------------------------------------------------------------------- classification


@pytest.mark.parametrize(
    "cause, expected",
    [
        (REFUSED, True),
        (CLOSED, True),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.CannotConnectNow("the database system is starting up"), True),
        (psycopg.errors.ConnectionFailure("connection failure"), True),
        (psycopg.errors.TooManyConnections("too many clients already"), True),
        # a failing statement is not an outage
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), False),
        (psycopg.errors.DeadlockDetected("deadlock detected"), False),
    ],
)
def test_connection_level_errors_only(cause, expected):
    assert is_connection_error(django_error(cause)) is expected


def test_sqlite_and_other_errors_are_not_outages():
    import sqlite3

    assert not is_connection_error(django_error(sqlite3.OperationalError("database is locked")))
    assert not is_connection_error(OperationalError("no cause"))
    assert not is_connection_error(ValueError("x"))
    assert not is_connection_error(None)


# ---------------------------------------------------------------------------------- the page


def test_page_gets_a_dutch_503_with_retry_after(superuser_client, region, connect_fails, caplog):
    caplog.set_level(logging.INFO)
    response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<h1>Tijdelijk niet beschikbaar</h1>" in body
    assert "Probeer het over 5 seconden opnieuw." in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert_one_log_line(caplog, "GET", "/regios/zhz/")


def test_retry_after_from_the_settings(superuser_client, region, connect_fails, settings):
    settings.DATABASE_OUTAGE_RETRY_AFTER = 12
    response = superuser_client.get("/regios/zhz/")
    assert response["Retry-After"] == "12"
    assert "Probeer het over 12 seconden opnieuw." in response.content.decode()


def test_connection_lost_during_the_request_is_a_503_not_a_500(
    superuser_client, region, settings, caplog
):
    """Connected at the start, the server goes away at the first query (the session lookup in
    a middleware, outside the view): handler500 turns it into the 503."""
    caplog.set_level(logging.INFO)
    superuser_client.raise_request_exception = False
    with mock.patch.object(CursorWrapper, "_execute", side_effect=django_error(CLOSED)):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Tijdelijk niet beschikbaar" in response.content.decode()
    assert_one_log_line(caplog, "GET", "/regios/zhz/")


def test_connection_lost_in_the_view_is_a_503(superuser_client, region, settings, caplog):
    settings.DATABASE_OUTAGE_RECONNECT_MS = 0
    caplog.set_level(logging.INFO)
    with mock.patch(
        "segments.views.RegionDetailView.get_context_data", side_effect=django_error(CLOSED)
    ):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert_one_log_line(caplog, "GET", "/regios/zhz/")


# The connection is really closed and opened again: outside the test's transaction (on
# PostgreSQL a closed connection cannot come back inside one; SQLite's in-memory test database
# ignores the close, which is why these passed there either way).
@pytest.mark.django_db(transaction=True)
def test_a_get_that_lost_its_connection_runs_once_more(superuser_client, region, settings):
    """The server went away during the view's query; on a new connection the view succeeds."""
    settings.DATABASE_OUTAGE_RECONNECT_MS = 1000
    from segments.views import RegionDetailView

    real = RegionDetailView.get_context_data
    calls = []

    def lose_once(self, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise django_error(CLOSED)
        return real(self, **kwargs)

    with (
        mock.patch.object(RegionDetailView, "get_context_data", lose_once),
        mock.patch("core.outage.time.sleep") as sleep,
    ):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 200
    assert "Zuid-Holland Zuid" in response.content.decode()
    assert len(calls) == 2
    sleep.assert_called_once_with(0.25)


# The connection is really closed and opened again: outside the test's transaction (on
# PostgreSQL a closed connection cannot come back inside one; SQLite's in-memory test database
# ignores the close, which is why these passed there either way).
@pytest.mark.django_db(transaction=True)
def test_a_get_runs_once_more_only_once(superuser_client, region, settings):
    settings.DATABASE_OUTAGE_RECONNECT_MS = 1000
    with (
        mock.patch(
            "segments.views.RegionDetailView.get_context_data", side_effect=django_error(CLOSED)
        ) as view,
        mock.patch("core.outage.time.sleep"),
    ):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 503
    assert view.call_count == 2


def test_a_post_is_never_repeated(superuser_client, region, settings):
    settings.DATABASE_OUTAGE_RECONNECT_MS = 1000
    with (
        mock.patch(
            "segments.views.RegionDetailView.post", side_effect=django_error(CLOSED), create=True
        ) as view,
        mock.patch("core.outage.time.sleep") as sleep,
    ):
        response = superuser_client.post("/regios/zhz/", {})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert view.call_count == 1
    sleep.assert_not_called()


def test_other_database_errors_stay_500(superuser_client, region):
    superuser_client.raise_request_exception = False
    timeout = django_error(psycopg.errors.QueryCanceled("canceling statement"))
    with mock.patch("segments.views.RegionDetailView.get_context_data", side_effect=timeout):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 500
    assert "Retry-After" not in response


# ----------------------------------------------------------------- a retry of a GET's connect


# The connection is really closed and opened again: outside the test's transaction (on
# PostgreSQL a closed connection cannot come back inside one; SQLite's in-memory test database
# ignores the close, which is why these passed there either way).
@pytest.mark.django_db(transaction=True)
def test_get_waits_and_connects_again(superuser_client, region, settings):
    """The first connect is refused (the server is restarting), the next one 250 ms later
    succeeds: the page is served."""
    settings.DATABASE_OUTAGE_RECONNECT_MS = 2000
    connection = connections[DEFAULT_DB_ALIAS]
    real = connection.ensure_connection
    calls = []

    def refuse_once():
        calls.append(1)
        if len(calls) == 1:
            raise django_error(REFUSED)
        return real()

    with (
        mock.patch.object(connection, "ensure_connection", side_effect=refuse_once),
        mock.patch("core.outage.time.sleep") as sleep,
    ):
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 200
    sleep.assert_called_once_with(0.25)


def test_post_does_not_wait(superuser_client, region, connect_fails, settings):
    settings.DATABASE_OUTAGE_RECONNECT_MS = 2000
    with mock.patch("core.outage.time.sleep") as sleep:
        response = superuser_client.post("/regios/zhz/", {})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    sleep.assert_not_called()


def test_still_down_after_the_wait_is_a_503(superuser_client, region, connect_fails, settings):
    """400 ms of patience: tries at 250 and 400 ms, then the 503."""
    settings.DATABASE_OUTAGE_RECONNECT_MS = 400
    with mock.patch("core.outage.time.sleep") as sleep:
        response = superuser_client.get("/regios/zhz/")
    assert response.status_code == 503
    assert connect_fails.call_count == 3
    assert sleep.call_args_list == [mock.call(0.25), mock.call(0.15)]


# ------------------------------------------------------------------------------------ the API


def assert_problem(response, path: str) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"]
    assert response.json() == {
        "type": "https://jeugdinkoop.nl/api/problemen/503",
        "title": "Tijdelijk niet beschikbaar",
        "status": 503,
        "detail": "De database is tijdelijk niet bereikbaar. Probeer het over 5 seconden opnieuw.",
        "instance": path,
    }


def test_api_gets_a_problem_when_the_database_refuses(client, token, connect_fails, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v1/regios", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, "/api/v1/regios")
    assert_one_log_line(caplog, "GET", "/api/v1/regios")


def test_api_connection_lost_in_the_view(client, token, caplog):
    """Inside a DRF view the exception handler of the API answers (DRF catches first)."""
    caplog.set_level(logging.INFO)
    with mock.patch(
        "segments.api.RegionViewSet.get_queryset", side_effect=django_error(CLOSED)
    ) as patched:
        response = client.get("/api/v1/regios", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert patched.called
    assert_problem(response, "/api/v1/regios")
    assert_one_log_line(caplog, "GET", "/api/v1/regios")
