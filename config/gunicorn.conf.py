"""Gunicorn's production settings (docs/configuration.md, "Web server"; measured in docs/bench.md,
"Load test"). Gunicorn reads this file itself: ``gunicorn -c config/gunicorn.conf.py
config.wsgi:application``. Every value can be overridden from the environment.

The pages are CPU-bound Python (template rendering, SVG charts) with short database waits, so
the GIL rules out many threads per process: the default is ``2 × cores + 1`` sync-style workers
of one process each, with a couple of threads (``gthread``) so that one slow request (a PDF, an
export) does not hold a whole worker while others queue behind it. Each thread keeps its own
database connection (Django's ``CONN_MAX_AGE`` with health checks, config/settings.py), so the
database sees at most ``workers × threads`` connections from the web app.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 2)
# gthread when there is more than one thread; the plain sync worker otherwise.
worker_class = "gthread" if threads > 1 else "sync"
# A request running longer than this is killed (its worker restarted): the slowest pages and
# exports take seconds, not minutes; long work runs in Celery.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive behind a reverse proxy on the same network.
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
