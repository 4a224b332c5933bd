"""Against a real Redis and a real Celery worker process (run by .ci/run with REDIS_URL set)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    if not os.environ.get("REDIS_URL"):
        pytest.fail("Integration tests need REDIS_URL pointing at a running redis-server.")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "warning"],
        cwd=ROOT,
        env={**os.environ},
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_a_task_round_trips_through_redis_and_a_worker(worker):
    from django.conf import settings

    from core.tasks import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is False  # really over the broker
    result = ping.delay()
    assert result.get(timeout=60) == "pong"
    assert worker.poll() is None  # the worker is still alive
