"""Real components for the integration tests: redis-server (``REDIS_URL``), Celery worker and
beat processes started from the test, and a database they share with it.

A worker is a separate process, so it cannot see a test's uncommitted transaction nor
pytest-django's in-memory SQLite database: tests that need a worker use committed data
(``django_db(transaction=True)``) in PostgreSQL and hand the worker a ``DATABASE_URL`` that
points at pytest-django's test database. `.ci/run` runs them with both ``DATABASE_URL``
(PostgreSQL) and ``REDIS_URL`` set.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def need_redis() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("Integration tests need REDIS_URL pointing at a running redis-server.")
    return url


def need_postgres() -> None:
    """Tests with a worker share the database with it: PostgreSQL. Locally on SQLite they are
    skipped; in CI (``CI`` set) that is a failure, not a skip."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        message = (
            "Needs PostgreSQL shared with the worker processes: set DATABASE_URL=postgres://..."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def worker_database_url() -> str:
    """A DATABASE_URL for the database this test runs in (``test_<name>``), for the workers."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{quote(db['NAME'], safe='')}"


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies (Linux), so that a test run
    killed by a timeout leaves no worker behind (SIGTERM: the worker stops its pool too)."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


class Celery:
    """Starts celery worker and beat processes, each in its own process group (so that the
    pool's children die with it), with output in a log file; stops them all at the end."""

    def __init__(self, tmp_path: Path, env: dict):
        self.tmp_path = tmp_path
        self.env = env
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *args: str, name: str, **env: str) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches the pool too
                preexec_fn=_die_with_parent,
            )
        process.log = log
        self.processes.append((process, log))
        return process

    def worker(self, *args: str, name: str = "worker", **env: str) -> subprocess.Popen:
        return self.start(
            "worker", "-l", "info", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
            *args, name=name, **env,
        )  # fmt: skip

    def beat(self, **env: str) -> subprocess.Popen:
        # The DatabaseScheduler, as in docker-compose.yml: the schedule is read from the
        # database (django-celery-beat), no schedule file.
        return self.start("beat", "-l", "info", "-S", "django", name="beat", **env)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """``kill -9`` of the whole process group: the main process and its pool."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(process)
            except ProcessLookupError:
                pass
        else:
            # The pool's children may outlive a main process that died.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for process, _log in reversed(self.processes):
            self.stop(process)

    def logs(self) -> str:
        return "\n".join(
            f"----- {log.name} -----\n{log.read_text(errors='replace')}"
            for _process, log in self.processes
            if log.exists()
        )


@pytest.fixture
def redis_client():
    """The broker, emptied before and after the test: no task of another test is delivered."""
    import redis

    client = redis.Redis.from_url(need_redis())
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def celery_processes(tmp_path, redis_client, request):
    """Start worker and beat processes against the test's database; all stopped at the end
    (before pytest-django empties the database). Their logs are printed when a test fails."""
    from django.conf import settings

    need_postgres()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": need_redis(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    celery = Celery(tmp_path, env)
    yield celery
    celery.stop_all()
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        print(celery.logs()[-20000:])


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_for(condition, *, timeout: float, interval: float = 0.5, message: str = ""):
    """Poll ``condition()`` until it returns something true; its value, or a failure."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s: {message}")
        time.sleep(interval)
