"""The benchmark of issue 7: the KPI time series of the API at scale, on PostgreSQL (docs/bench.md).

    make bench-api                               # sizes 100k and 10M declaration lines
    make bench-api BENCH_ARGS=--quick            # sizes 20k and 100k: about a minute
    BENCH_DATABASE_URL=postgres://u:p@host:5432/jeugdinkoop_api_bench \\
        python bench/api.py --sizes 100000,10000000

For every size (declaration lines in the database, ascending):

1. setup, not measured: filler lines up to the size (bench/generate.py, COPY straight into the
   line tables, ``ANALYZE``: ``bench.run.load_filler``), then
   ``monitoring.kpis.rollups.refresh_region`` (its time is reported) and ``ANALYZE`` again (the
   rollup table is new);
2. with Django's test client (in process: routing, middleware, authentication by key,
   throttling, filters, queries, serialising, rendering; no network), as API clients with a
   key (``Authorization: Bearer``), round-robin over the requests below: warm-up requests, then
   the timed ones; median and 95th percentile in ms of each:
   (1) a municipality's client: its own series of one KPI over 12 months
       (``/api/v1/kpi-waarden?kpi=wachttijd&periodeVan=…&periodeTot=…``);
   (2) a regional system: the series of the provider with the most declaration lines
       (``kpi=wachttijd&aanbieder=<id>``, all months);
   (3) a regional system: all municipalities × all months, the first page of 100
       (``kpi=kosten-per-client&niveau=gemeente&paginaGrootte=100``);
   (4) (1) as CSV (``formaat=csv``);
   baseline: ``GET /api/v1/regios`` with each of the two clients (a trivial list: the cost of
   authentication, middleware, throttling, pagination and rendering), in the same rounds;
3. once more each request inside ``CaptureQueriesContext``: the number of SQL queries and their
   time, and ``EXPLAIN (ANALYZE, BUFFERS)`` of the statements that read the rollups (in the JSON).

Reported per query and size: median, p95, p95 / p95 of the baseline of the same client, the SQL
queries per request; per query the flatness p95 at the largest size / p95 at the smallest. The
reference: the provider dashboard of the UI (``bench.run.dashboard``), which reads the same
rollups.

The database (``BENCH_DATABASE_URL``, default ``jeugdinkoop_api_bench`` on the dev server;
the name must contain "bench") is the bench's own: created, migrated and given the demo
landscape when needed, its production data emptied at the start (not with ``--reuse``).
Results: a table on stdout and ``bench/results/<time>-api.json`` / ``.md`` (``-quick-api`` with
``--quick``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import Landscape, add_months, setup_django  # noqa: E402
from bench.run import (  # noqa: E402
    LAST_MONTH,
    LINE_TABLES,
    RESULTS,
    bench_user,
    biggest_provider,
    count,
    dashboard,
    empty_production,
    load_filler,
    log,
    prepare_database,
    prepare_landscape,
    timer,
)

DEFAULT_URL = "postgres://jeugdinkoop:dev-only-password@127.0.0.1:55432/jeugdinkoop_api_bench"
TARGETS = {
    "p95_ms": 200.0,  # every KPI query at the largest size
    "flatness": 1.2,  # p95 at the largest size / p95 at the smallest, noise included
}
#: the requests, in the order of a round: (name, client, what, is it a baseline)
QUERIES = (
    ("gemeente-12m", "gemeente", "(1) municipality: own 12-month series of one KPI", False),
    ("aanbieder-reeks", "regionaal", "(2) regional: one provider's series, all months", False),
    ("gemeenten-pagina", "regionaal", "(3) regional: all municipalities × months, 100", False),
    ("gemeente-12m-csv", "gemeente", "(4) = (1) as CSV", False),
    ("regios-gemeente", "gemeente", "baseline: /regios, municipality's client", True),
    ("regios-regionaal", "regionaal", "baseline: /regios, regional client", True),
)
BASELINE = {"gemeente": "regios-gemeente", "regionaal": "regios-regionaal"}


# ------------------------------------------------------------------------------------ setup


def vacuum() -> None:
    """``VACUUM (ANALYZE)`` of the line tables and the rollups after loading (setup): fresh
    statistics, a set visibility map, and no autovacuum of millions of new rows competing with
    the requests while they are timed (production's autovacuum would have run long before)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name in (*LINE_TABLES, "monitoring_kpirollup"):
            cursor.execute(f"VACUUM (ANALYZE) {name}")


def api_clients(region, municipality) -> dict[str, str]:
    """A municipality's client and a regional system's client with scope cijfers-lezen, each
    with a fresh key (the bench's earlier keys are deleted); returns the tokens by kind."""
    from api.models import ApiClient, ApiKey, ClientKind
    from api.services import api_key_issue
    from core.api.scopes import ApiScope

    tokens = {}
    for kind, fields in (
        (ClientKind.MUNICIPALITY, {"municipality": municipality}),
        (ClientKind.REGIONAL, {}),
    ):
        client = ApiClient.objects.filter(region=region, name=f"bench-{kind}").first()
        if client is None:
            client = ApiClient(region=region, name=f"bench-{kind}", kind=kind)
        client.kind = kind
        client.municipality = fields.get("municipality")
        client.provider = None
        client.scopes = [ApiScope.READ_FIGURES.value]
        client.is_active = True
        client.full_clean()
        client.save()
        ApiKey.objects.filter(client=client).delete()
        tokens[str(kind)] = api_key_issue(client=client)
    return tokens


def biggest_municipality(region):
    """The municipality with the most youth-months in the rollups."""
    from django.db.models import Sum

    from monitoring.models import Grain, KpiRollup
    from segments.models import Municipality

    top = (
        KpiRollup.objects.filter(region=region, grain=Grain.MUNICIPALITY)
        .values("municipality")
        .annotate(n=Sum("youths"))
        .order_by("-n")
        .first()
    )
    return Municipality.objects.get(pk=top["municipality"])


def urls(provider) -> dict[str, str]:
    from django.urls import reverse

    series = reverse("api:kpi-waarde-list")
    first, last = add_months(LAST_MONTH, -11), LAST_MONTH
    twelve = {"kpi": "wachttijd", "periodeVan": f"{first:%Y-%m}", "periodeTot": f"{last:%Y-%m}"}
    regions = reverse("api:regio-list")
    return {
        "gemeente-12m": f"{series}?{urlencode(twelve)}",
        "aanbieder-reeks": f"{series}?{urlencode({'kpi': 'wachttijd', 'aanbieder': provider.pk})}",
        "gemeenten-pagina": f"{series}?"
        + urlencode({"kpi": "kosten-per-client", "niveau": "gemeente", "paginaGrootte": 100}),
        "gemeente-12m-csv": f"{series}?{urlencode({**twelve, 'formaat': 'csv'})}",
        "regios-gemeente": regions,
        "regios-regionaal": regions,
    }


# ------------------------------------------------------------------------------------ measuring


def p95(times: list[float]) -> float:
    """The 95th percentile the way ``bench.run.dashboard`` takes it (nearest rank)."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: HTTP {response.status_code} {response.content[:300]!r}")


def measure(clients: dict, targets: dict[str, str], requests: int, warmup: int) -> dict:
    """Round-robin over the queries (so noise of the machine hits all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name, *_ in QUERIES}
    last = {}
    for n in range(warmup + requests):
        for name, who, _what, _base in QUERIES:
            url = targets[name]
            started = time.perf_counter()
            response = clients[who].get(url)
            took = (time.perf_counter() - started) * 1000
            check(response, url)
            if n >= warmup:
                times[name].append(took)
            last[name] = response
    figures = {}
    for name, who, what, base in QUERIES:
        response = last[name]
        entry = {
            "url": targets[name],
            "client": who,
            "what": what,
            "baseline": base,
            "requests": requests,
            "median_ms": round(statistics.median(times[name]), 2),
            "p95_ms": round(p95(times[name]), 2),
            "max_ms": round(max(times[name]), 2),
            "bytes": len(response.content),
        }
        if response["Content-Type"].startswith("application/json"):
            body = response.json()
            if isinstance(body, list):  # an unpaginated list
                body = {"aantal": len(body), "resultaten": body}
            entry["total"] = body["aantal"]
            entry["rows"] = len(body["resultaten"])
        else:
            entry["total"] = int(response["X-Total-Count"])
            entry["rows"] = response.content.count(b"\r\n") - 1
        if not base and not entry["rows"]:
            raise SystemExit(f"GET {entry['url']}: an empty series measures nothing")
        figures[name] = entry
    return figures


def capture(clients: dict, targets: dict[str, str]) -> dict:
    """Each request once more, its SQL captured: count, time, EXPLAIN of the rollup reads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for name, who, _what, _base in QUERIES:
        with CaptureQueriesContext(connection) as context:
            check(clients[who].get(targets[name]), targets[name])
        queries = context.captured_queries
        entry = {
            "sql_queries": len(queries),
            "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 2),
            "sql": [q["sql"] for q in queries],
            "explain": [],
        }
        for query in queries:
            if "monitoring_kpirollup" not in query["sql"]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            entry["explain"].append({"sql": query["sql"], "plan": plan})
        figures[name] = entry
    return figures


# ------------------------------------------------------------------------------------ report


def table(results: dict) -> str:
    rows = [
        "| lines in DB | request | client | rows (total) | SQL queries | SQL ms | median "
        "| p95 | p95 / baseline p95 |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        measured = size["requests"]
        for name, who, _what, base in QUERIES:
            m = measured[name]
            ratio = m["p95_ms"] / measured[BASELINE[who]]["p95_ms"]
            rows.append(
                f"| {size['declarations']:,} | {name} | {who} | {m['rows']} ({m['total']}) "
                f"| {m['sql_queries']} | {m['sql_ms']:.1f} | {m['median_ms']:.1f} ms "
                f"| {m['p95_ms']:.1f} ms | {'—' if base else f'{ratio:.2f}×'} |"
            )
    return "\n".join(rows)


def normalised(results: dict, name: str, who: str) -> float:
    """Flatness with the machine's drift taken out: (p95 / baseline p95) at the largest size
    over the same at the smallest (the baseline reads no rollups, so it does not grow with
    the lines; on a shared machine it moves with the load like the endpoint does)."""
    small, large = results["sizes"][0]["requests"], results["sizes"][-1]["requests"]
    base = BASELINE[who]
    return (large[name]["p95_ms"] / large[base]["p95_ms"]) / (
        small[name]["p95_ms"] / small[base]["p95_ms"]
    )


def flatness(results: dict) -> str:
    small, large = results["sizes"][0], results["sizes"][-1]
    rows = [
        f"| request | p95 at {small['declarations']:,} | p95 at {large['declarations']:,} "
        "| largest / smallest | the same, each against its baseline | SQL queries per request |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, who, *_ in QUERIES:
        a, b = small["requests"][name], large["requests"][name]
        counts = sorted({s["requests"][name]["sql_queries"] for s in results["sizes"]})
        rows.append(
            f"| {name} | {a['p95_ms']:.1f} ms | {b['p95_ms']:.1f} ms "
            f"| {b['p95_ms'] / a['p95_ms']:.2f}× | {normalised(results, name, who):.2f}× "
            f"| {' / '.join(map(str, counts))}{' (constant)' if len(counts) == 1 else ''} |"
        )
    dash = [s["dashboard"] for s in results["sizes"]]
    rows.append(
        f"| reference: UI provider dashboard ({dash[0]['requests']} requests) "
        f"| {dash[0]['p95_ms']:.1f} ms | {dash[-1]['p95_ms']:.1f} ms "
        f"| {dash[-1]['p95_ms'] / dash[0]['p95_ms']:.2f}× | — | — |"
    )
    return "\n".join(rows)


def verdicts(results: dict) -> list[str]:
    sizes = results["sizes"]
    small, large = sizes[0], sizes[-1]
    kpi = [name for name, *_rest, base in QUERIES if not base]
    worst = max(kpi, key=lambda n: large["requests"][n]["p95_ms"])
    worst_p95 = large["requests"][worst]["p95_ms"]
    ratios = {n: large["requests"][n]["p95_ms"] / small["requests"][n]["p95_ms"] for n in kpi}
    steepest = max(ratios, key=ratios.get)
    who = {name: client for name, client, *_ in QUERIES}
    relative = {n: normalised(results, n, who[n]) for n in kpi}
    steepest_rel = max(relative, key=relative.get)
    constant = all(
        len({s["requests"][name]["sql_queries"] for s in sizes}) == 1 for name, *_ in QUERIES
    )
    return [
        f"- KPI time series p95 < {TARGETS['p95_ms']:.0f} ms with {large['declarations']:,} "
        f"lines: slowest {worst} {worst_p95:.1f} ms → "
        f"{'met' if worst_p95 < TARGETS['p95_ms'] else 'NOT met'}",
        f"- flat (p95 largest / smallest ≤ {TARGETS['flatness']}): steepest {steepest} "
        f"{ratios[steepest]:.2f}× → "
        f"{'met' if ratios[steepest] <= TARGETS['flatness'] else 'NOT met'}; against the "
        f"baselines: steepest {steepest_rel} {relative[steepest_rel]:.2f}× → "
        f"{'met' if relative[steepest_rel] <= TARGETS['flatness'] else 'NOT met'}",
        f"- SQL queries per request constant across sizes: {'yes' if constant else 'NO'}",
    ]


def write_results(results: dict, mode: str) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"{stamp}-{mode}.json"
    md_path = RESULTS / f"{stamp}-{mode}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    setup = ", ".join(
        f"{s['declarations']:,}: filler COPY {s.get('filler', {}).get('copy_s', 0):.0f} s, "
        f"refresh_region {s['refresh_region_s'] or 0:.0f} s, VACUUM {s.get('vacuum_s', 0):.0f} s, "
        f"{s['rollup_rows']:,} rollup rows"
        for s in results["sizes"]
    )
    md = [
        f"# API benchmark {results['started']} ({mode})",
        "",
        f"Command: `{results['command']}`",
        "",
        f"Machine: {results['machine']}; region {results['region']}; municipality "
        f"{results['municipality']}, provider {results['provider']}; {results['requests']} timed "
        f"requests of each after {results['warmup']} warm-up rounds, round-robin.",
        "",
        f"Setup (not measured): {setup}.",
        "",
        table(results),
        "",
        flatness(results),
        "",
        "Targets:",
        "",
        *verdicts(results),
        "",
        "Server time in the process (Django test client), ms; see docs/bench.md.",
        "",
    ]
    md_path.write_text("\n".join(md), encoding="utf-8")
    return json_path, md_path


# ------------------------------------------------------------------------------------ main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Issue 7 benchmark: /api/v1/kpi-waarden.")
    parser.add_argument("--sizes", default="100000,10000000")
    parser.add_argument("--region", default="zhz")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="sizes 20k,100k")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the lines already in the database (re-measure without the setup); "
        "sizes below what is there are skipped",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL URL of the bench database (name must contain 'bench')",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "20000,100000"
    sizes = sorted(int(s) for s in args.sizes.split(","))
    mode = "quick-api" if args.quick else "api"
    started = datetime.now(UTC)

    prepare_database(args.database_url, args.fresh)
    os.environ["DATABASE_URL"] = args.database_url
    # The bench sends thousands of requests a minute per client: not what throttling is for.
    # The throttle still runs (its cache reads and writes are part of every request).
    os.environ.setdefault("API_THROTTLE_CLIENT", "1000000/min")
    setup_django()
    from django.db import connection
    from django.test import Client

    from monitoring.kpis.rollups import refresh_region
    from monitoring.models import KpiRollup
    from segments.models import Region

    prepare_landscape(args.region)
    if not args.reuse:
        empty_production()
    region = Region.objects.get(slug=args.region)
    user = bench_user(region)
    landscape = Landscape.from_db(args.region)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    results = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) or "api.py",
        "machine": f"{platform.node()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}, PostgreSQL {server}",
        "region": args.region,
        "requests": args.requests,
        "warmup": args.warmup,
        "targets": TARGETS,
        "sizes": [],
    }
    spool = Path(tempfile.mkdtemp(prefix="jeugdinkoop-bench-api-"))
    chosen = None
    try:
        for n, size in enumerate(sizes, start=1):
            have = count("monitoring_declaration", region.pk)
            if have > size:
                log(f"size {size:,}: skipped, the database holds {have:,} lines (--reuse)")
                continue
            log(f"size {size:,}: setup")
            entry: dict = {"size": size, "refresh_region_s": None}
            filler = size - have
            if filler > 0:
                entry["filler"] = load_filler(
                    landscape, filler, seed=args.seed * 100 + n, last=LAST_MONTH, spool=spool
                )
                log(
                    f"  filler {filler:,} lines: generated in {entry['filler']['generate_s']} s, "
                    f"COPY {entry['filler']['copy_s']} s"
                )
            if filler > 0 or not KpiRollup.objects.filter(region=region).exists():
                with timer(entry, "refresh_region_s"):
                    entry["refresh_region_rows"] = refresh_region(region.pk)
                log(f"  refresh_region {entry['refresh_region_s']} s")
                with timer(entry, "vacuum_s"):
                    vacuum()
                log(f"  VACUUM (ANALYZE) {entry['vacuum_s']} s")
            entry["declarations"] = count("monitoring_declaration")
            entry["rollup_rows"] = count("monitoring_kpirollup")
            if chosen is None:  # the same clients and queries at every size
                municipality = biggest_municipality(region)
                provider = biggest_provider(region)
                tokens = api_clients(region, municipality)
                targets = urls(provider)
                chosen = (municipality, provider, tokens, targets)
                results.update(municipality=municipality.name, provider=provider.name)
            municipality, provider, tokens, targets = chosen
            clients = {
                who: Client(HTTP_AUTHORIZATION=f"Bearer {token}") for who, token in tokens.items()
            }
            log(
                f"  {len(QUERIES)} requests × ({args.warmup} warm-up + {args.requests}), "
                "round-robin"
            )
            entry["requests"] = measure(clients, targets, args.requests, args.warmup)
            for name, captured in capture(clients, targets).items():
                entry["requests"][name].update(captured)
            log("  reference: the UI provider dashboard (bench.run.dashboard)")
            entry["dashboard"] = dashboard(region, provider, user, 20)
            results["sizes"].append(entry)
            log(
                "  done: p95 "
                + ", ".join(f"{k} {v['p95_ms']:.1f} ms" for k, v in entry["requests"].items())
            )
    finally:
        for leftover in sorted(spool.rglob("*"), reverse=True):
            leftover.unlink() if leftover.is_file() else leftover.rmdir()
        spool.rmdir()
    if not results["sizes"]:
        raise SystemExit("Nothing measured.")
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    print()
    print(table(results))
    print()
    print(flatness(results))
    print()
    print("\n".join(verdicts(results)))
    json_path, md_path = write_results(results, mode)
    print(f"\nwritten: {json_path.relative_to(RESULTS.parent.parent)}, {md_path.name}")


if __name__ == "__main__":
    main()
