"""Gunicorn's production settings (docs/configuration.md, "Web server"; measured in docs/bench.md,
"Load test"). Gunicorn reads this file itself: ``gunicorn -c config/gunicorn.conf.py
config.wsgi:application``. Every value can be overridden from the environment.

The pages are CPU-bound Python (template rendering, tables, SVG charts) with short database
waits, and one process runs one thread of Python at a time: the default is one sync worker
process per CPU plus one, one request at a time each; more requests wait in the listen queue and
are taken in arrival order. Measured on 2 CPUs with 50 users (docs/bench.md, "Load test"),
``2 × CPUs + 1`` workers with 2 threads each (10 requests at once) gave a p95 two to three times
longer than 3 sync workers and fewer requests per second: ten requests sharing two CPUs all get
slow together. Each worker keeps one database connection (Django's ``CONN_MAX_AGE`` with health
checks, config/settings.py): the database sees ``workers × threads`` connections from the app.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
# gthread when there is more than one thread; the plain sync worker otherwise.
worker_class = "gthread" if threads > 1 else "sync"
# A worker silent for longer than this is killed and restarted. The upload of a large
# production file (up to IMPORT_MAX_BYTES, 1 GiB) may take minutes on a slow line: 300 s, as
# docker-compose.yml had.
timeout = _int("GUNICORN_TIMEOUT", 300)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive behind a reverse proxy on the same network (gthread only; sync workers close).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after about this many requests (the jitter keeps them from restarting at the
# same moment): bounds the growth of a long-lived process's memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load the app once in the master: workers fork with the code already imported (faster start,
# shared memory). Database connections are opened per worker after the fork, never before.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# One line per request: client, time, request line, status, bytes, duration in microseconds.
# No query string (%(U)s is the path only): it may carry filter values; no cookies, no referrer.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sµs'
# X-Forwarded-* are trusted only from the proxy in front (DJANGO_BEHIND_PROXY, settings.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """In the master after the app was preloaded, before the first fork: no database connection
    may be inherited by the workers (two processes on one socket)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
