"""The database going away under a real gunicorn (config/gunicorn.conf.py) with the real
driver, no mocks (core/outage.py, docs/configuration.md "Web server"):

- every connection of the app killed by the server (what a PostgreSQL restart does to them): the
  next requests are served, the health checks replace the dead connections;
- no database to connect to: a 503 with Retry-After for a page and for the API, never a 500.

A PostgreSQL restart itself during load is `make bench-load BENCH_ARGS=--restart-db`
(docs/bench.md, "Load test"): it would take the server away from other tests too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from api.models import ClientKind
from api.services import api_client_create
from core.api.scopes import ApiScope
from tests.segments.factories import RegionFactory

from .conftest import ROOT, _die_with_parent, need_postgres, wait_for, worker_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn with the production config against ``database_url``; stopped at the end."""
    started = []

    def start(database_url: str) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_PLAIN_STATIC": "1",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
            "DATABASE_OUTAGE_RECONNECT_MS": "100",
            # the production default: kept, health-checked connections (the tests' is 0)
            "DATABASE_CONN_MAX_AGE": "60",
            "DATABASE_CONN_HEALTH_CHECKS": "1",
        }
        log = open(tmp_path / "gunicorn.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
             "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"

        def answers():
            try:
                return requests.get(base + "/static/css/app.css", timeout=2).status_code
            except requests.ConnectionError:
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                return None

        wait_for(answers, timeout=60, interval=0.3, message="gunicorn did not start")
        return base

    yield start
    for process, log in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        text = (tmp_path / "gunicorn.log").read_text(errors="replace")
        assert "Traceback" not in text, text[-5000:]


def token_of_a_client() -> str:
    region = RegionFactory(slug="zhz", name="Zuid-Holland Zuid")
    _client, token = api_client_create(
        region=region, name="BI", kind=ClientKind.REGIONAL, scopes=[ApiScope.READ_FIGURES.value]
    )
    return token


def terminate_app_connections() -> int:
    """Kill every other backend of the test database, as a restart of the server would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_connections_killed_by_the_server_are_replaced(gunicorn):
    need_postgres()
    token = token_of_a_client()
    base = gunicorn(worker_database_url())
    headers = {"Authorization": f"Bearer {token}"}
    for _round in range(3):
        # enough requests that every worker thread holds a connection
        for _ in range(12):
            assert requests.get(base + "/api/v1/regios", headers=headers, timeout=10).ok
        assert requests.get(base + "/healthz", timeout=10).status_code == 200
        assert terminate_app_connections() >= 1
        time.sleep(0.2)  # the backends are gone
        statuses = [
            requests.get(base + path, headers=headers, timeout=10).status_code
            for path in ["/api/v1/regios", "/healthz"] * 6
        ]
        assert statuses == [200] * 12


def test_no_database_is_a_503_with_retry_after(gunicorn):
    need_postgres()
    # a port nothing listens on: every connect is refused by the operating system
    base = gunicorn(f"postgres://jeugdinkoop:x@127.0.0.1:{free_port()}/nothing")
    page = requests.get(
        base + "/regios/zhz/", cookies={"sessionid": "a-session"}, timeout=10, allow_redirects=False
    )
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "Tijdelijk niet beschikbaar" in page.text
    assert "Traceback" not in page.text
    api = requests.get(base + "/api/v1/regios", headers={"Authorization": "Bearer x"}, timeout=10)
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "5"
    assert api.headers["Content-Type"] == "application/problem+json"
    assert api.json()["status"] == 503
    assert api.headers["API-Version"]
