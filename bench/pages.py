"""The pages benchmark of issue 20: the server time of every page behind a dashboard link, at the
scale of the bench database (docs/bench.md).

    make bench-pages                                  # on jeugdinkoop_bench, 20 requests a page
    make bench-pages BENCH_ARGS="--requests 5"
    BENCH_DATABASE_URL=postgres://u:p@host:5432/<name with bench> python bench/pages.py

It only reads: the database is whatever ``make bench`` (bench/run.py) left — the demo landscape
and the region's production lines with their rollups — and this script writes nothing to it.
The session is set ``READ ONLY`` (a write would fail the run), sessions are signed cookies
and ``last_login`` is not updated. It logs in (``force_login``) as the contract manager
``bench/run.py`` made (``bench-contractmanager``) and, with Django's test client (in process:
routing, middleware, queries, templates; no network), requests every page below ``--warmup``
times, then ``--requests`` times; reported per page: the median and p95 server time in ms, the
SQL queries of one request, the lines in the database. Target: every page < 300 ms (p95).

The pages (region ``--region``; "biggest" = the most declaration lines, from the rollups):
the region dashboard, the biggest provider's dashboard, its segment's and the biggest
municipality's dashboards, coverage; the drill-down unfiltered and with the filters of the
dashboard figures (the biggest provider's declarations of the latest month, its spend from
January, the region's youths of the month, its started trajectories of the month, the
biggest contract's lines); the settlement of the biggest contract (January through the
latest month); the region home; the signals list.

Results: a table on stdout and ``bench/results/<date>-pages.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import setup_django  # noqa: E402
from bench.timing import p95, timed_gets  # noqa: E402

DEFAULT_URL = "postgres://jeugdinkoop:dev-only-password@127.0.0.1:55432/jeugdinkoop_bench"
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_P95_MS = 300.0
USERNAME = "bench-contractmanager"


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def read_only() -> None:
    """Every connection of this process: read-only transactions, no session rows, no
    ``last_login`` update."""
    from django.conf import settings
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.db.backends.signals import connection_created

    def on_connect(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    connection_created.connect(on_connect, weak=False)
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.AXES_ENABLED = False  # no access log row for the login


def month_param(day) -> str:
    return f"{day:%Y-%m}"


def pages(region) -> list[tuple[str, str]]:
    """(name, URL) of every page measured."""
    from django.db.models import Max, Sum
    from django.urls import reverse

    from contracts.models import Contract
    from monitoring.kpis.models import Grain, KpiRollup

    rows = KpiRollup.objects.filter(region=region)
    latest = rows.aggregate(m=Max("month"))["m"]
    if latest is None:
        raise SystemExit("No rollups in the bench database: run `make bench` first.")

    def biggest(grain, field):
        top = (
            rows.filter(grain=grain)
            .values(field)
            .annotate(n=Sum("declaration_lines"))
            .order_by("-n")
            .first()
        )
        return top[field]

    contract = Contract.objects.get(pk=biggest(Grain.CONTRACT, "contract"))
    provider_id = biggest(Grain.PROVIDER, "provider")
    municipality_id = biggest(Grain.MUNICIPALITY, "municipality")
    slug = region.slug

    def url(name, *args, **query):
        path = reverse(name, kwargs={"region": slug, **dict(args)})
        return f"{path}?{urlencode(query)}" if query else path

    month = month_param(latest)
    january = f"{latest:%Y}-01"
    return [
        ("region dashboard", url("monitoring:region")),
        ("provider dashboard", url("monitoring:provider", ("pk", provider_id))),
        ("segment dashboard", url("monitoring:segment", ("pk", contract.segment_id))),
        ("municipality dashboard", url("monitoring:municipality", ("pk", municipality_id))),
        ("coverage", url("monitoring:coverage")),
        ("lines: unfiltered", url("monitoring:lines")),
        (
            "lines: provider's declarations of the month",
            url("monitoring:lines", soort="declaraties", maand=month, aanbieder=provider_id),
        ),
        (
            "lines: provider's spend from January",
            url(
                "monitoring:lines",
                soort="declaraties",
                van=january,
                tot=month,
                aanbieder=provider_id,
            ),
        ),
        ("lines: region's youths of the month", url("monitoring:lines", maand=month)),
        (
            "lines: provider's started trajectories",
            url(
                "monitoring:lines",
                soort="trajecten",
                telling="gestart",
                maand=month,
                aanbieder=provider_id,
            ),
        ),
        ("lines: biggest contract", url("monitoring:lines", contract=contract.pk)),
        (
            "settlement: biggest contract",
            url(
                "contracts:contract-settlement",
                ("pk", contract.pk),
                year=latest.year,
                first_month=1,
                last_month=latest.month,
            ),
        ),
        ("region home", url("segments:region-detail")),
        ("signals", url("monitoring:signals")),
    ]


def measure(client, url: str, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, _response = timed_gets(client, url, requests, warmup)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95(times), 1),
        "queries": len(ctx.captured_queries),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Issue 20 pages benchmark (read-only).")
    parser.add_argument("--region", default="zhz")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL URL of the database to read (default: the bench database)",
    )
    args = parser.parse_args(argv)
    name = urlparse(args.database_url).path.lstrip("/")  # any database: only read
    os.environ["DATABASE_URL"] = args.database_url
    setup_django()
    read_only()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from monitoring.models import Declaration
    from segments.models import Region

    region = Region.objects.get(slug=args.region)
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        raise SystemExit(f"No user {USERNAME!r}: run `make bench` first (it makes the user).")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
            [Declaration._meta.db_table],
        )
        lines = cursor.fetchone()[0]
    client = Client()
    client.force_login(user)
    results = []
    for page, url in pages(region):
        figures = measure(client, url, args.requests, args.warmup)
        log(
            f"{page}: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, "
            f"{figures['queries']} queries"
        )
        results.append({"page": page, "url": url, **figures})
    report = render(results, args, server=server, lines=lines, database=name)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    label = f"-{args.label}" if args.label else ""
    path = RESULTS / f"{stamp}{label}-pages.md"
    path.write_text(report)
    log(f"wrote {path}")


def render(results: list[dict], args, *, server: str, lines: int, database: str) -> str:
    command = " ".join(["bench/pages.py", *sys.argv[1:]])
    over = [r["page"] for r in results if r["p95_ms"] >= TARGET_P95_MS]
    out = [
        "# Pages benchmark (issue 20)",
        "",
        f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `{command}`",
        f"- {platform.node()} ({os.cpu_count()} cores, shared), Python "
        f"{platform.python_version()}, PostgreSQL {server}, database `{database}`",
        f"- region `{args.region}`, ~{lines:,} declaration lines in the database (all regions)",
        f"- {args.warmup} warm-up + {args.requests} timed requests a page, test client in "
        "process, as a contract manager; target p95 < 300 ms",
        "",
        "| page | median ms | p95 ms | queries | URL |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        out.append(
            f"| {r['page']} | {r['median_ms']} | {r['p95_ms']} | {r['queries']} | `{r['url']}` |"
        )
    out += [
        "",
        "All pages within the target." if not over else f"Over the target: {', '.join(over)}.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    main()
