"""Celery tasks of the core, and how every app starts its background work (:func:`start`).

With a broker (``REDIS_URL``) a task goes to the worker. Without one (the embedded mode of
``make run``: SQLite, ``CELERY_TASK_ALWAYS_EAGER``) a task would run inside the request that
started it, and the user would wait for an import or a report with nothing to see. So there
:func:`start` runs it in a background thread of this process (one at a time, in the order
started: SQLite has one writer), and the request answers at once; the page then polls the job's
status. The tests set ``TASKS_EAGER_IN_THREAD=0`` (pyproject.toml): there a task runs where it
is started, so they stay deterministic.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@shared_task(name="core.ping")
def ping() -> str:
    """Worker health check: `celery -A config call core.ping` answers "pong" from a live worker."""
    return "pong"


@shared_task(name="core.produce_notifications")
def produce_notifications() -> dict:
    """The daily notifications (expiring screenings and contracts, overdue actions): idempotent,
    beat runs it every morning (``core.notifications.ensure_daily_task``)."""
    from core.notifications import notifications_produce

    return notifications_produce()


def in_background_thread() -> bool:
    """Does :func:`start` run tasks in this process's background thread (no broker)?"""
    return bool(
        getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
        and getattr(settings, "TASKS_EAGER_IN_THREAD", False)
    )


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            # one thread: jobs run one after the other, as SQLite allows one writer at a time
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jeugdinkoop-task")
        return _executor


def _run(task, args: tuple, kwargs: dict) -> None:
    try:
        task.apply(args=args, kwargs=kwargs, throw=True)
    except Exception:  # noqa: BLE001 - a failed job must not end the thread, only be logged
        logger.exception("Background task %s%r failed", task.name, args)
    finally:
        # the thread's own connection: never left open (SQLite would keep its lock, PostgreSQL
        # a session)
        connections.close_all()


def start(task, *args, **kwargs) -> Future | object:
    """Start ``task`` with these arguments: to the broker (``task.delay``), or without one in
    the background thread (see the module's note), or here and now when the settings say so
    (the tests). The caller calls it after its commit (``transaction.on_commit``), so the job
    finds what the request wrote."""
    if not in_background_thread():
        return task.delay(*args, **kwargs)
    return _pool().submit(_run, task, args, kwargs)


def wait_for_background(timeout: float | None = 60) -> None:
    """Wait until every job started so far in the background thread has run (for the command
    line and tests that turn the thread on)."""
    if _executor is not None:
        _executor.submit(lambda: None).result(timeout=timeout)
