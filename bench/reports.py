"""Benchmark of issue 6: the time to make ALL provider reports of the WBO demo region with two
Celery workers (see docs/bench.md, "Rapportages").

    make bench-reports
    BENCH_DATABASE_URL=postgres://u:p@host:5432/jeugdinkoop_reports_bench \\
        python bench/reports.py [--region wbo] [--repeat 1] [--reuse]

Setup (not measured): a fresh PostgreSQL database (dropped and created; ``--reuse`` keeps one
that already holds the demo), ``migrate``, ``load_demo``, and a throwaway redis-server on a free
port. The period is the latest month with production data in the region.

Measured, each on the same database after the run's reports are deleted:

(i)   one worker process, ``--concurrency=1`` (the baseline);
(ii)  two worker processes, each ``--concurrency=1`` (the issue's case);
(iii) for reference, the same reports made one after the other in this process (no broker).

For (i) and (ii) the workers are started and answer a ping before the clock starts; the clock
runs from ``services.report_run_start(...)`` for the provider reports of a period (the
fan-out: one report and one task per provider) until every version of the run is ready.
Results: seconds, reports per second, and the ratio two workers / one worker; a table on stdout and
``bench/results/<time>-reports.json`` / ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_ENV, setup_django  # noqa: E402

DEFAULT_URL = "postgres://jeugdinkoop:dev-only-password@127.0.0.1:55432/jeugdinkoop_reports_bench"
RESULTS = ROOT / "bench" / "results"
#: long enough that no report is taken over or sent again during a run
WORKER_ENV = {"CELERY_VISIBILITY_TIMEOUT": "3600", "REPORT_LEASE_SECONDS": "600"}


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S} UTC] {message}", flush=True)


# ------------------------------------------------------------------------------------ setup


def prepare_database(url: str, reuse: bool) -> bool:
    """Drop and create the bench database (before Django). True when it is new."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("The benchmark needs PostgreSQL: set BENCH_DATABASE_URL.")
    if "bench" not in name:
        raise SystemExit(f"Refusing to use database {name!r}: its name must contain 'bench'.")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and reuse:
            return False
        if exists:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        log(f"creating database {name}")
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def free_port(start: int) -> int:
    import socket

    for port in range(start, start + 200):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port near {start}")


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    """A throwaway redis-server: loopback, no persistence, in the foreground (its pid is ours)."""
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is needed (apt-get install redis-server).")
    port = free_port(63900)
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=open(workdir / "redis.log", "wb"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            if client.ping():
                return process, url
        except redis.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"redis-server did not start: {(workdir / 'redis.log').read_text()}")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# ------------------------------------------------------------------------------------ workers


class Workers:
    """Celery worker processes against the bench database, each in its own process group."""

    def __init__(self, count: int, concurrency: int, env: dict, workdir: Path, label: str):
        self.names = [f"{label}-{n}@bench" for n in range(1, count + 1)]
        self.processes = []
        for name in self.names:
            log_path = workdir / f"{name.split('@')[0]}.log"
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "-l",
                        "warning",
                        "--pool=prefork",
                        f"--concurrency={concurrency}",
                        "-n",
                        name,
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=open(log_path, "wb"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        self.logs = [workdir / f"{name.split('@')[0]}.log" for name in self.names]

    def wait_ready(self, timeout: float = 120) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process, path in zip(self.processes, self.logs, strict=True):
                if process.poll() is not None:
                    raise SystemExit(f"a worker died at start:\n{path.read_text()[-4000:]}")
            replies = app.control.ping(destination=self.names, timeout=1.0) or []
            if {name for reply in replies for name in reply} >= set(self.names):
                return
        raise SystemExit("the workers did not answer a ping")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def tail(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in self.logs)


# ------------------------------------------------------------------------------------ runs


def latest_month(region):
    from monitoring.models import Grain, KpiRollup
    from reports.periods import MONTH, period_containing

    last = (
        KpiRollup.objects.filter(region=region, grain=Grain.REGION)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if last is None:
        raise SystemExit(f"region {region.slug} has no production data")
    return period_containing(MONTH, last)


def clear_reports(region, period) -> int:
    from reports.models import Report, ReportKind

    deleted, _ = Report.objects.filter(
        region=region, kind=ReportKind.PROVIDER, period=period.code
    ).delete()
    return deleted


def version_figures(version_ids: list[int]) -> dict:
    """From the database: how long each report took inside its worker, pages and size."""
    from reports.models import ReportVersion

    rows = list(
        ReportVersion.objects.filter(pk__in=version_ids).values(
            "started_at", "generated_at", "pages", "size", "attempts"
        )
    )
    each = [(r["generated_at"] - r["started_at"]).total_seconds() for r in rows]
    return {
        "per_report_median_s": round(statistics.median(each), 3),
        "per_report_max_s": round(max(each), 3),
        "pages_median": statistics.median(r["pages"] or 0 for r in rows),
        "size_median_bytes": int(statistics.median(r["size"] for r in rows)),
        "attempts_total": sum(r["attempts"] for r in rows),
    }


def wait_until_ready(version_ids: list[int], timeout: float, workers: Workers) -> None:
    from django.db.models import Count

    from reports.models import ReportStatus, ReportVersion

    versions = ReportVersion.objects.filter(pk__in=version_ids)
    deadline = time.monotonic() + timeout
    while True:
        counts = dict(versions.values_list("status").annotate(n=Count("id")).order_by())
        if counts.get(ReportStatus.FAILED):
            errors = list(versions.filter(status=ReportStatus.FAILED).values_list("error")[:3])
            raise SystemExit(f"reports failed: {errors}\n{workers.tail()}")
        if counts.get(ReportStatus.READY, 0) == len(version_ids):
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"not ready after {timeout:.0f} s: {counts}\n{workers.tail()}")
        time.sleep(0.1)


def run_with_workers(region, period, *, count: int, env: dict, workdir: Path, label: str):
    from reports import services
    from reports.models import ReportKind

    clear_reports(region, period)
    flush_redis(env["REDIS_URL"])
    workers = Workers(count, 1, env, workdir, label)
    try:
        workers.wait_ready()
        started = time.perf_counter()
        run = services.report_run_start(region=region, kind=ReportKind.PROVIDER, period=period)
        fanned_out = time.perf_counter() - started
        wait_until_ready(run.queued, timeout=3600, workers=workers)
        seconds = time.perf_counter() - started
    finally:
        workers.stop()
    return {
        "workers": count,
        "concurrency": 1,
        "reports": len(run.queued),
        "seconds": round(seconds, 2),
        "fan_out_s": round(fanned_out, 2),
        "reports_per_s": round(len(run.queued) / seconds, 3),
        **version_figures(run.queued),
    }


def run_in_process(region, period, redis_url: str):
    """The same reports one after the other here: claim + produce, no broker in the way."""
    from reports import services
    from reports.models import ReportKind

    clear_reports(region, period)
    with mock.patch.object(services, "_dispatch", lambda version_id: None):
        started = time.perf_counter()
        run = services.report_run_start(region=region, kind=ReportKind.PROVIDER, period=period)
        for version_id in run.queued:
            if services.report_version_generate_now(version_id=version_id) is None:
                raise SystemExit(f"version {version_id} was not made")
        seconds = time.perf_counter() - started
    flush_redis(redis_url)  # the mail tasks it queued: no worker to send them
    return {
        "workers": 0,
        "concurrency": 1,
        "reports": len(run.queued),
        "seconds": round(seconds, 2),
        "reports_per_s": round(len(run.queued) / seconds, 3),
        **version_figures(run.queued),
    }


# ------------------------------------------------------------------------------------ report


LABELS = {
    "one_worker": "(i) one worker, concurrency 1 (baseline)",
    "two_workers": "(ii) two workers, concurrency 1 each",
    "in_process": "(iii) in-process, sequential (reference)",
}


def markdown(results: dict) -> str:
    rows = [
        f"# Reports benchmark {results['started']}",
        "",
        f"Command: `{results['command']}`",
        "",
        f"Machine: {results['machine']}. Region {results['region_name']} "
        f"({results['region']}), provider reports of {results['period_label']} "
        f"({results['period']}): {results['reports']} reports.",
        "",
        "| run | reports | seconds | reports/s | speed-up vs (i) | one report (median) "
        "| pages (median) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    base = results["runs"]["one_worker"]
    for key, label in LABELS.items():
        for n, r in enumerate(results["runs_all"][key], start=1):
            suffix = f" #{n}" if len(results["runs_all"][key]) > 1 else ""
            rows.append(
                f"| {label}{suffix} | {r['reports']} | {r['seconds']:.1f} | "
                f"{r['reports_per_s']:.2f} | {base['seconds'] / r['seconds']:.2f}× "
                f"| {r['per_report_median_s']:.2f} s | {r['pages_median']} |"
            )
    rows += [
        "",
        f"Two workers / one worker (wall time): **{results['ratio_two_to_one']:.2f}** "
        f"(speed-up {1 / results['ratio_two_to_one']:.2f}×).",
        "",
        "Times are wall-clock seconds from `start_run` (fan-out included) until every version "
        "is ready; the workers are started and answer a ping before the clock starts. "
        "See docs/bench.md (Rapportages).",
        "",
    ]
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Issue 6 benchmark: all provider reports.")
    parser.add_argument("--region", default="wbo")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing bench database with the demo"
    )
    parser.add_argument("--no-reference", action="store_true", help="skip (iii)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL URL of the bench database (name must contain 'bench')",
    )
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    workdir = Path(tempfile.mkdtemp(prefix="jeugdinkoop-bench-reports-"))
    redis_process = None
    try:
        new = prepare_database(args.database_url, args.reuse)
        redis_process, redis_url = start_redis(workdir)
        media = workdir / "media"
        media.mkdir()
        os.environ.update(
            {
                "DATABASE_URL": args.database_url,
                "REDIS_URL": redis_url,
                "DJANGO_MEDIA_ROOT": str(media),
                **WORKER_ENV,
            }
        )
        setup_django()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from segments.models import Region

        call_command("migrate", verbosity=0, interactive=False)
        if new or not Region.objects.filter(slug=args.region).exists():
            log("load_demo (a few minutes)")
            t0 = time.perf_counter()
            call_command("load_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
            log(f"load_demo took {time.perf_counter() - t0:.0f} s")
        flush_redis(redis_url)
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        region = Region.objects.get(slug=args.region)
        period = latest_month(region)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        env = {**os.environ, **BENCH_ENV, "PYTHONUNBUFFERED": "1"}

        runs: dict[str, list] = {"one_worker": [], "two_workers": [], "in_process": []}
        for n in range(1, args.repeat + 1):
            log(f"round {n}: (i) one worker")
            runs["one_worker"].append(
                run_with_workers(region, period, count=1, env=env, workdir=workdir, label="one")
            )
            log(f"  {runs['one_worker'][-1]}")
            log(f"round {n}: (ii) two workers")
            runs["two_workers"].append(
                run_with_workers(region, period, count=2, env=env, workdir=workdir, label="two")
            )
            log(f"  {runs['two_workers'][-1]}")
            if not args.no_reference:
                log(f"round {n}: (iii) in-process")
                runs["in_process"].append(run_in_process(region, period, redis_url))
                log(f"  {runs['in_process'][-1]}")

        def best(key):  # the fastest of the rounds (the least disturbed by the machine)
            return min(runs[key], key=lambda r: r["seconds"]) if runs[key] else None

        chosen = {key: best(key) for key in runs if runs[key]}
        results = {
            "started": started.isoformat(timespec="seconds"),
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) or "reports.py",
            "machine": f"{platform.node()} ({os.cpu_count()} cores), Python "
            f"{platform.python_version()}, PostgreSQL {server}",
            "region": region.slug,
            "region_name": region.name,
            "period": period.code,
            "period_label": period.label,
            "reports": chosen["one_worker"]["reports"],
            "runs": chosen,
            "runs_all": {k: v for k, v in runs.items() if v},
            "ratio_two_to_one": round(
                chosen["two_workers"]["seconds"] / chosen["one_worker"]["seconds"], 3
            ),
        }
        if not results["runs_all"].get("in_process"):
            LABELS.pop("in_process", None)
        RESULTS.mkdir(exist_ok=True)
        stamp = started.strftime("%Y%m%d-%H%M%S")
        json_path = RESULTS / f"{stamp}-reports.json"
        md_path = RESULTS / f"{stamp}-reports.md"
        json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        text = markdown(results)
        md_path.write_text(text, encoding="utf-8")
        print()
        print(text)
        print(f"written: {json_path.relative_to(ROOT)}, {md_path.name}")
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
