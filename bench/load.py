"""Load test (issue 20): 50 simulated users for 60 s against gunicorn with the production setup
(config/gunicorn.conf.py) on loopback, on a PostgreSQL database with the demo; ten pages and
three API calls in a fixed mix, think time between requests. Writes
``bench/results/<date>-load.md`` (and ``.json``): count, errors and p50/p95/p99 per request and
overall. ``--restart-db`` restarts the PostgreSQL server half-way (``pg_ctl restart -m fast``)
and reports the errors it caused, by kind.

    make bench-load
    make bench-load BENCH_ARGS="--restart-db"
    .venv/bin/python bench/load.py --users 50 --duration 60 --database-url postgres://...

See docs/bench.md, "Load test". The client is a thread per user with ``requests`` (not locust:
see there why).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://jeugdinkoop:dev-only-password@127.0.0.1:55432/jeugdinkoop_load_bench"
PASSWORD = "jeugdinkoop-demo"
#: the region whose pages the users read (the demo's production lines are there) and its user
REGION = "zhz"
USER = "inkoper"
#: the API clients the bench makes in the demo's API region (wbo), one key each
API_REGION = "wbo"
#: the dev server of /tmp/pgdev.sh; -l keeps its log in the file it was started with (without
#: it the restarted server would write to this process's output)
PG_RESTART = (
    "runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pgdev/data "
    "-l /tmp/pgdev/server.log -m fast -w restart"
)

#: the mix: (name, weight). Pages are read by browser users, the API calls by three clients.
MIX = [
    ("regio-home", 10),
    ("dashboard-regio", 10),
    ("dashboard-gemeente", 6),
    ("dashboard-aanbieder", 8),
    ("drill-down", 8),
    ("contracten", 8),
    ("contract", 8),
    ("afrekening", 6),
    ("aanbestedingen", 6),
    ("signalen", 6),
    ("api-kpi-waarden", 8),
    ("api-contracten", 8),
    ("api-signalen", 8),
]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# ------------------------------------------------------------------------------------- setup


def bench_env(database_url: str) -> dict[str, str]:
    """The environment of gunicorn and of this process's Django: production settings (DEBUG
    off), loopback, static files from the app folders (no collectstatic needed)."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
    env.setdefault("PSEUDONYM_KEY", "bench-only-pseudonym-key")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_PLAIN_STATIC": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            # three clients, each sending ~1 request a second: far below any real throttle
            "API_THROTTLE_CLIENT": env.get("API_THROTTLE_CLIENT", "1200/min"),
        }
    )
    return env


def prepare(database_url: str, env: dict[str, str]) -> None:
    """Create the database if missing; migrate; load the demo once (when user inkoper is
    missing)."""
    import psycopg

    parsed = urlparse(database_url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("The load test needs PostgreSQL: --database-url postgres://...")
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(database_url) as conn:
        has_demo = conn.execute(
            "SELECT 1 FROM accounts_user WHERE username = %s", (USER,)
        ).fetchone()
    if not has_demo:
        log("loading the demo (a few minutes)")
        subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True)


def targets(env: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The URL of every name in MIX (objects of the demo that have data) and the API token."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse

    from api.models import ApiClient, ApiKey, ClientKind
    from api.services import api_client_create, api_key_issue
    from contracts.models import Contract
    from core.api.scopes import ApiScope
    from monitoring.models import Declaration
    from segments.models import Municipality, Region

    region = Region.objects.get(slug=REGION)
    lines = Declaration.objects.filter(region=region)
    busiest = lines.values("contract").annotate(n=Count("pk")).order_by("-n", "contract").first()
    contract = Contract.objects.get(pk=busiest["contract"])
    top = lines.values("municipality").annotate(n=Count("pk")).order_by("-n", "municipality")
    municipality = Municipality.objects.get(pk=top.first()["municipality"])
    r = {"region": REGION}
    urls = {
        "regio-home": reverse("segments:region-detail", kwargs=r),
        "dashboard-regio": reverse("monitoring:region", kwargs=r),
        "dashboard-gemeente": reverse(
            "monitoring:municipality", kwargs={**r, "pk": municipality.pk}
        ),
        "dashboard-aanbieder": reverse(
            "monitoring:provider", kwargs={**r, "pk": contract.provider_id}
        ),
        "drill-down": reverse("monitoring:lines", kwargs=r)
        + "?"
        + urlencode({"aanbieder": contract.provider_id}),
        "contracten": reverse("contracts:contract-list", kwargs=r),
        "contract": reverse("contracts:contract-detail", kwargs={**r, "pk": contract.pk}),
        "afrekening": reverse("contracts:contract-settlement", kwargs={**r, "pk": contract.pk}),
        "aanbestedingen": reverse("procurement:tender-list", kwargs=r),
        "signalen": reverse("monitoring:signals", kwargs=r),
        "api-kpi-waarden": reverse("api:kpi-waarde-list")
        + "?"
        + urlencode({"kpi": "wachttijd", "niveau": "gemeente"}),
        "api-contracten": reverse("api:contract-list") + "?" + urlencode({"status": "actief"}),
        "api-signalen": reverse("api:signaal-list"),
    }
    # One regional client of the API region with a fresh key for this run (its earlier keys are
    # revoked by deleting them: bench data only).
    api_region = Region.objects.get(slug=API_REGION)
    client = ApiClient.objects.filter(region=api_region, name="bench-load").first()
    scopes = [ApiScope.READ_FIGURES.value, ApiScope.READ_CONTRACTS.value]
    if client is None:
        client, token = api_client_create(
            region=api_region, name="bench-load", kind=ClientKind.REGIONAL, scopes=scopes
        )
    else:
        ApiKey.objects.filter(client=client).delete()
        token = api_key_issue(client=client)
    return urls, {"token": token}


class Server:
    """gunicorn -c config/gunicorn.conf.py on 127.0.0.1:<port>, its own process group."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, overrides: dict):
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", **overrides}
        self.env.setdefault("GUNICORN_ACCESS_LOG", str(log_path.with_suffix(".access.log")))
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
            "config.wsgi:application",
        ]  # fmt: skip
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz in 60 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def login(base: str) -> requests.Session:
    """A browser session of USER (one login; every simulated page user shares its cookie)."""
    session = requests.Session()
    page = session.get(base + "/account/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base + "/account/login/",
        data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/account/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login of {USER} failed: HTTP {response.status_code}")
    return session


# ---------------------------------------------------------------------------------- the users


@dataclass
class Sample:
    name: str
    start: float  # seconds since the measurement started
    seconds: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    retry_after: bool = False
    error: str = ""


@dataclass
class Run:
    base: str
    urls: dict[str, str]
    cookies: dict
    token: str
    duration: float
    think: tuple[float, float]
    timeout: float
    t0: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def user(self, number: int, seed: int) -> None:
        rng = random.Random(seed * 1000 + number)
        names = [name for name, _w in MIX]
        weights = [w for _n, w in MIX]
        session = requests.Session()
        session.cookies.update(self.cookies)
        # A new connection per request: a browser retries a GET whose idle keep-alive
        # connection the server has just closed (gunicorn's keepalive, 5 s, is within the think
        # time); requests would count that as an error. On loopback a connect costs ~0.1 ms.
        session.headers["Connection"] = "close"
        # users arrive spread over the first think-time interval, not all at once
        time.sleep(rng.uniform(0, self.think[1]))
        while time.monotonic() - self.t0 < self.duration:
            name = rng.choices(names, weights)[0]
            headers = {"Authorization": f"Bearer {self.token}"} if name.startswith("api-") else {}
            started = time.monotonic()
            status, retry_after, error = 0, False, ""
            try:
                response = session.get(
                    self.base + self.urls[name], headers=headers, timeout=self.timeout,
                    allow_redirects=False,
                )  # fmt: skip
                status = response.status_code
                retry_after = "Retry-After" in response.headers
                if status >= 400:
                    error = response.text[:200]
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"
            elapsed = time.monotonic() - started
            with self.lock:
                self.samples.append(
                    Sample(name, started - self.t0, elapsed, status, retry_after, error)
                )
            time.sleep(rng.uniform(*self.think))

    def go(self, users: int, seed: int) -> None:
        self.t0 = time.monotonic()
        threads = [
            threading.Thread(target=self.user, args=(n, seed), daemon=True) for n in range(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(self.duration + self.timeout + self.think[1] + 5)


# ---------------------------------------------------------------------------------- reporting


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(samples: list[Sample]) -> dict:
    ms = sorted(s.seconds * 1000 for s in samples)
    errors = [s for s in samples if not 200 <= s.status < 400]
    return {
        "count": len(samples),
        "errors": len(errors),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": ms[-1] if ms else float("nan"),
    }


def error_kinds(samples: list[Sample]) -> dict[str, int]:
    kinds: dict[str, int] = defaultdict(int)
    for s in samples:
        if 200 <= s.status < 400:
            continue
        if s.status == 503:
            kinds["503 with Retry-After" if s.retry_after else "503 without Retry-After"] += 1
        elif s.status:
            kinds[f"HTTP {s.status}"] += 1
        else:
            kinds[f"no answer ({s.error.split(':')[0]})"] += 1
    return dict(kinds)


def write_report(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "-restart" if result["restart"] else ""
    stem = RESULTS / f"{result['started']:%Y%m%d-%H%M%S}-load{suffix}"
    lines = [
        f"# Load test {result['started']:%Y-%m-%d %H:%M} UTC"
        + (" — PostgreSQL restarted during the run" if result["restart"] else ""),
        "",
        f"Command: `{result['command']}`",
        "",
        f"{result['users']} users, {result['duration']:.0f} s, think time "
        f"{result['think'][0]:g}–{result['think'][1]:g} s; gunicorn {result['server']}; "
        f"{result['cpus']} CPUs, load average before/after {result['load_before']} / "
        f"{result['load_after']}.",
        "",
        "Alone: the median of 3 requests one at a time before the load (same server, same run).",
        "",
        "| request | alone ms | count | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    alone = result["alone"]
    weights = dict(MIX)
    mean_alone = sum(alone[n] * weights[n] for n in alone) / sum(weights.values())
    for name, row in [*result["per_request"].items(), ("**all**", result["overall"])]:
        lone = f"{alone[name]:.0f}" if name in alone else f"{mean_alone:.0f} (mix mean)"
        lines.append(
            f"| {name} | {lone} | {row['count']} | {row['errors']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {row['max']:.0f} |"
        )
    overall = result["overall"]
    lines += [
        "",
        f"Throughput: {overall['count'] / result['duration']:.1f} requests/s.",
        "",
        f"Target p95 < 500 ms: **{'met' if overall['p95'] < 500 else 'not met'}** "
        f"({overall['p95']:.0f} ms).",
    ]
    share = overall["errors"] / overall["count"] if overall["count"] else 0.0
    if result["restart"]:
        rs = result["restart"]
        took = (
            f"`pg_ctl` took {rs['seconds']:.2f} s (exit {rs['returncode']})"
            if "seconds" in rs
            else "`pg_ctl` had not finished when the run ended"
        )
        lines += [
            "",
            f"PostgreSQL restart at {rs['at']:.1f} s; {took}.",
            f"Errors: {overall['errors']} of {overall['count']} ({share:.2%}); target < 1 %, "
            f"every error a 503 with Retry-After: **"
            + (
                "met"
                if share < 0.01 and set(result["error_kinds"]) <= {"503 with Retry-After"}
                else "not met"
            )
            + "**.",
        ]
    else:
        lines.append(f"Target 0 errors: **{'met' if overall['errors'] == 0 else 'not met'}**.")
    log = result["server_log"]
    lines += [
        "",
        f"Server log: {log['tracebacks']} tracebacks, {log['outage_lines']} one-line "
        "'Database unreachable: 503' entries.",
    ]
    if result["error_kinds"]:
        lines += ["", "Errors by kind:", ""]
        lines += [f"- {kind}: {n}" for kind, n in sorted(result["error_kinds"].items())]
    if result.get("first_errors"):
        lines += ["", "First error bodies:", ""]
        lines += [f"- {e}" for e in result["first_errors"]]
    path = stem.with_suffix(".md")
    path.write_text("\n".join(lines) + "\n")
    stem.with_suffix(".json").write_text(json.dumps(result, default=str, indent=1))
    return path


# --------------------------------------------------------------------------------------- main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Issue 20: load test of pages and API calls.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--think", default="1,5", help="think time min,max in seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout, seconds")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--restart-db",
        action="store_true",
        help="restart the dev PostgreSQL server (pg_ctl restart -m fast) half-way",
    )
    parser.add_argument("--restart-command", default=PG_RESTART)
    parser.add_argument(
        "--server",
        default="",
        help="gunicorn overrides, e.g. 'GUNICORN_WORKERS=2 GUNICORN_THREADS=1'",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL database with the demo (created, migrated and loaded when missing)",
    )
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split(","))
    overrides = dict(item.split("=", 1) for item in args.server.split())
    started = datetime.now(UTC)

    env = bench_env(args.database_url)
    prepare(args.database_url, env)
    urls, api = targets(env)
    log_path = Path(f"/tmp/bench-load-{os.getpid()}.log")
    server = Server(env, args.port, log_path, overrides)
    log(f"starting gunicorn on {server.base} (log {log_path})")
    server.start()
    try:
        session = login(server.base)
        # warm-up: every request once (templates compiled, connections open), not measured
        for name, url in urls.items():
            headers = {"Authorization": f"Bearer {api['token']}"} if name.startswith("api-") else {}
            response = session.get(server.base + url, headers=headers, timeout=60)
            if response.status_code != 200:
                raise SystemExit(f"warm-up: {name} {url} answered {response.status_code}")
        # alone: each request 3 times in a row, one at a time (the server time without load,
        # the baseline of this run)
        alone = {}
        for name, url in urls.items():
            headers = {"Authorization": f"Bearer {api['token']}"} if name.startswith("api-") else {}
            times = []
            for _ in range(3):
                t = time.monotonic()
                session.get(server.base + url, headers=headers, timeout=60)
                times.append((time.monotonic() - t) * 1000)
            alone[name] = statistics.median(times)
        run = Run(
            base=server.base,
            urls=urls,
            cookies=session.cookies.get_dict(),
            token=api["token"],
            duration=args.duration,
            think=think,
            timeout=args.timeout,
        )
        restart = {}
        if args.restart_db:

            def restart_db():
                time.sleep(args.duration / 2)
                restart["at"] = time.monotonic() - run.t0
                t = time.monotonic()
                # no pipes: the restarted server inherits them and would hold them open
                done = subprocess.run(
                    shlex.split(args.restart_command),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                restart["seconds"] = time.monotonic() - t
                restart["returncode"] = done.returncode
                log(f"PostgreSQL restarted in {restart['seconds']:.2f} s (exit {done.returncode})")

            threading.Thread(target=restart_db, daemon=True).start()
        load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        log(f"{args.users} users for {args.duration:.0f} s")
        run.go(args.users, args.seed)
        load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    finally:
        server.stop()

    server_log = log_path.read_text(errors="replace")
    samples = sorted(run.samples, key=lambda s: s.start)
    per_request = {name: summary([s for s in samples if s.name == name]) for name, _w in MIX}
    config = {**{k: v for k, v in env.items() if k.startswith("GUNICORN_")}, **overrides}
    result = {
        "started": started,
        "command": " ".join(["bench/load.py", *(argv if argv is not None else sys.argv[1:])]),
        "users": args.users,
        "duration": args.duration,
        "think": think,
        "server": ", ".join(
            f"{k}={v}" for k, v in sorted(config.items()) if k != "GUNICORN_ACCESS_LOG"
        )
        or "defaults of config/gunicorn.conf.py",
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_after,
        "urls": urls,
        "per_request": per_request,
        "alone": alone,
        "overall": summary(samples),
        "error_kinds": error_kinds(samples),
        "first_errors": [
            f"{s.name} at {s.start:.1f} s: {s.status} {s.error[:120]!r}"
            for s in samples
            if not 200 <= s.status < 400
        ][:5],
        "restart": restart or None,
        "server_log": {
            "tracebacks": server_log.count("Traceback"),
            "outage_lines": server_log.count("Database unreachable: 503"),
        },
    }
    path = write_report(result)
    print(path.read_text())
    log(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
