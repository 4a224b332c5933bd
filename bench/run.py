"""The benchmark of issue 5, in one run on PostgreSQL (see docs/bench.md).

    make bench                                   # sizes 100k, 1M, 10M
    make bench BENCH_ARGS=--quick                # sizes 20k, 100k, a 10k import: < 1 minute
    BENCH_DATABASE_URL=postgres://u:p@host:5432/jeugdinkoop_bench \\
        python bench/run.py --sizes 100000,1000000,10000000

For every size (declaration lines in the database, ascending):

1. setup, not measured: filler lines up to the size minus the import (generated with
   bench/generate.py and loaded with COPY straight into the line tables: declarations and, in
   proportion, trajectories, referrals and outcome measurements), ``ANALYZE``, then
   ``monitoring.kpis.rollups.refresh_region`` (its time is reported);
2. (a) the import of a fresh file of declaration lines (100,000; one new month) through the
   real service (``monitoring.imports.services.import_file``: read, check, pseudonymise, stage,
   write, refresh the KPIs of the month) against a plain ``COPY`` of the same CSV file into an
   unindexed table of text columns; rows per second of both and their ratio;
(b) the incremental KPI refresh inside that import (``refresh_for_import``: the rollups of the
   touched months at every grain plus the KPI signals) against pandas computing the same
   measures for the same months from the same database (loading included; bench/pandas_kpis.py),
   with a check that both give the same figures;
(c) the provider dashboard (``monitoring:provider``) as a contract manager with Django's test
   client: median and 95th percentile of 20 requests after 3 warm-up requests.

The database named in ``BENCH_DATABASE_URL`` (default: ``jeugdinkoop_bench`` on the dev
server) is the bench's own: its production data is emptied at the start; it is created,
migrated and given the demo landscape (regions, providers, contracts; no demo production)
when needed. Its name must contain "bench". Results: a table on stdout and
``bench/results/<time>-<mode>.json`` / ``.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import (  # noqa: E402
    CsvSink,
    Landscape,
    TableSink,
    add_months,
    generate,
    setup_django,
)
from bench.timing import p95, timed_gets  # noqa: E402

DEFAULT_URL = "postgres://jeugdinkoop:dev-only-password@127.0.0.1:55432/jeugdinkoop_bench"
RESULTS = Path(__file__).resolve().parent / "results"
LAST_MONTH = date(2026, 10, 1)
FIRST_MONTH = date(2022, 1, 1)
LINE_TABLES = (
    "monitoring_declaration",
    "monitoring_trajectory",
    "monitoring_allocation",
    "monitoring_referral",
    "monitoring_outcomemeasurement",
    "monitoring_occupancy",
)
TARGETS = {
    "import_vs_copy": 0.5,  # import at least half as fast as COPY (unindexed text table)
    "import_vs_indexed_copy": 0.5,  # … and as COPY into the real, indexed line table (issue 20)
    "visible_seconds": 3.0,  # from the import's call to the new month on the dashboard (10M)
    "refresh_seconds": 5.0,  # incremental refresh after a 100k import, 10M lines in the DB
    "dashboard_ms": 200.0,  # provider dashboard, flat from 100k to 10M
}


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S} UTC] {message}", flush=True)


@contextmanager
def timer(into: dict, name: str):
    started = time.perf_counter()
    yield
    into[name] = round(time.perf_counter() - started, 3)


# ------------------------------------------------------------------------------------ database


def prepare_database(url: str, fresh: bool) -> None:
    """Create the bench database when it does not exist (or ``fresh``); before Django."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("The benchmark needs PostgreSQL (COPY): set BENCH_DATABASE_URL.")
    if "bench" not in name:
        raise SystemExit(f"Refusing to use database {name!r}: its name must contain 'bench'.")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_landscape(region_slug: str) -> None:
    """Migrations, then the demo landscape without production (idempotent loaders)."""
    from django.core.management import call_command

    from contracts.demo import load_contracts
    from demo.users import load_users
    from procurement.demo import load_procurement
    from providers.demo import load_providers
    from segments.demo.load import load_landscape
    from segments.models import Region

    call_command("migrate", verbosity=0, interactive=False)
    if not Region.objects.filter(slug=region_slug, contracts__isnull=False).exists():
        log("loading the demo landscape (regions, providers, procurement, contracts)")
        regions = load_landscape()
        for region in regions:
            load_providers(region)
        load_users()
        for region in regions:
            load_procurement(region)
        for region in regions:
            load_contracts(region)


def empty_production() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE "
            + ", ".join(
                [
                    *LINE_TABLES,
                    "monitoring_kpirollup",
                    "monitoring_regionkpirollup",
                    "monitoring_agendaitem",
                    "monitoring_signal",
                    "monitoring_importbatch",
                ]
            )
            + " CASCADE"
        )


def count(table: str, region_id: int | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if region_id is None:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        else:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE region_id = %s", [region_id])  # noqa: S608
        return cursor.fetchone()[0]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (*LINE_TABLES, "monitoring_kpirollup"):
            cursor.execute(f"ANALYZE {table}")


#: the region's own KPIs the refresh computes too (issue 17): one of each computation, the
#: trajectory share with the heaviest condition (a later trajectory, which looks forward)
REGION_KPIS = [
    {
        "code": "bench-crisis-zonder-herhaling",
        "name": "Crisis zonder nieuwe crisis binnen 6 maanden",
        "computation": "trajectory_share",
        "unit": "procent",
        "population": "ended",
        "population_categories": ["46"],
        "later": "without",
        "later_months": 6,
        "later_categories": ["46"],
    },
    {
        "code": "bench-volgens-plan",
        "name": "Volgens plan binnen een jaar",
        "computation": "trajectory_share",
        "unit": "procent",
        "population": "ended",
        "end_reasons": ["01"],
        "max_duration_days": 365,
    },
    {
        "code": "bench-veiligheid",
        "name": "Veiligheid thuis",
        "computation": "measurement_average",
        "unit": "cijfer",
    },
    {
        "code": "bench-bedrag-per-start",
        "name": "Bedrag per gestart traject",
        "computation": "ratio",
        "unit": "euro",
        "numerator": "amount",
        "denominator": "trajectories_started",
    },
]


def ensure_region_kpis(region, wanted: bool) -> int:
    """The bench region's own KPIs (``REGION_KPIS``), or none (``--no-region-kpis``)."""
    from monitoring.imports.models import MeasurementKind
    from monitoring.kpis import services
    from monitoring.kpis.models import RegionKpi

    RegionKpi.objects.filter(region=region).delete()
    if not wanted:
        return 0
    kind, _ = MeasurementKind.objects.get_or_create(
        region=region, code="bench-veiligheid", defaults={"name": "Veiligheid thuis"}
    )
    for spec in REGION_KPIS:
        extra = {"measurement_kind": kind} if spec["computation"] == "measurement_average" else {}
        services.region_kpi_create(
            region=region,
            definition=spec["name"],
            direction="higher",
            **spec,
            **extra,
        )
    return len(REGION_KPIS)


def bench_user(region):
    from accounts.models import RegionMembership, User
    from core.roles import Role

    user, _ = User.objects.get_or_create(
        username="bench-contractmanager", defaults={"first_name": "Bench"}
    )
    RegionMembership.objects.get_or_create(user=user, region=region, role=Role.CONTRACT_MANAGER)
    return user


# ------------------------------------------------------------------------------------ steps


def load_filler(landscape, lines: int, *, seed: int, last: date, spool: Path) -> dict:
    """Generated lines COPYed straight into the tables (setup)."""
    from django.db import connection, transaction

    figures = {"lines": lines}
    sink = TableSink(spool, f"F{seed}", landscape.region_id)
    with timer(figures, "generate_s"):
        counts = generate(
            landscape, sink, lines=lines, seed=seed, first=FIRST_MONTH, last=last, progress=True
        )
    figures["rows"] = counts
    tables = {
        "declaration": "monitoring_declaration",
        "trajectory": "monitoring_trajectory",
        "referral": "monitoring_referral",
        "outcome": "monitoring_outcomemeasurement",
    }
    with timer(figures, "copy_s"), transaction.atomic(), connection.cursor() as cursor:
        sink.copy(cursor.cursor, tables)
    with timer(figures, "analyze_s"):
        analyze()
    return figures


def copy_baseline(path: Path) -> dict:
    """A plain COPY of the CSV file into an unindexed table of text columns."""
    from django.db import connection, transaction

    with open(path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(";")
    columns = ", ".join(f"{name} text" for name in header)
    figures = {}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        cursor.execute(f"CREATE TABLE bench_copy_baseline ({columns})")
    try:
        with timer(figures, "seconds"), transaction.atomic(), connection.cursor() as cursor:
            sql = (
                "COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')"
            )
            with open(path, "rb") as handle, cursor.cursor.copy(sql) as copy:
                while block := handle.read(1 << 20):
                    copy.write(block)
        figures["rows"] = count("bench_copy_baseline")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"])
    return figures


def indexed_copy_baseline(batch_id: int) -> dict:
    """A COPY of the same rows (typed and pseudonymised: the lines the import just wrote,
    their reference marked) into the real ``monitoring_declaration`` with its indexes and
    foreign keys as the import meets them, timed through the COMMIT; then deleted again."""
    import io

    from django.db import connection, transaction

    columns = (
        "region_id, contract_id, reference, corrects, active, batch_id, municipality_id, "
        "client_key, product_id, month, quantity, unit, amount"
    )
    picked = columns.replace("reference", "reference || '~c'")
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY (SELECT {picked} FROM monitoring_declaration WHERE batch_id = {int(batch_id)}) "
            "TO STDOUT"
        ) as copy,
    ):
        for block in copy:
            buffer.write(block)
    figures: dict = {}
    try:
        with timer(figures, "seconds"), transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY monitoring_declaration ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getbuffer())
            figures["rows"] = cursor.cursor.rowcount
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM monitoring_declaration WHERE batch_id = %s AND reference LIKE %s",
                [batch_id, "%~c"],
            )
            figures["deleted"] = cursor.rowcount
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"])
    return figures


class _Phases(logging.Handler):
    """The import's phase timings from its log line (``_Clock`` in services.py)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.phases: dict[str, float] = {}

    def emit(self, record):
        message = record.getMessage()
        if "): " in message and message.startswith("Import "):
            for part in message.split("): ", 1)[1].split(", "):
                name, _sep, seconds = part.rpartition(" ")
                if seconds.endswith("s"):
                    self.phases[name] = float(seconds[:-1])


def measured_import(region, path: Path) -> dict:
    """The real import service on the file; the refresh inside it is timed separately."""
    from unittest import mock

    from monitoring.imports.services import batch_create, import_file
    from monitoring.kpis import rollups
    from monitoring.models import DatasetKind, ImportFormat, ImportStatus

    figures: dict = {}
    original = rollups.refresh_for_import

    def timed_refresh(region_id, kind, spans):
        spans = list(spans)
        started = time.perf_counter()
        months = original(region_id, kind, spans)
        figures["refresh_s"] = round(time.perf_counter() - started, 3)
        figures["refresh_months"] = [m.isoformat() for m in months]
        return months

    batch = batch_create(
        region=region,
        kind=DatasetKind.DECLARATIONS,
        file_format=ImportFormat.CSV,
        file_name=path.name,
        file_size=path.stat().st_size,
    )
    from monitoring.dashboards.selectors import Subject, measures_by_month

    phases = _Phases()
    service_log = logging.getLogger("monitoring.imports.services")
    service_log.addHandler(phases)
    service_log.setLevel(logging.INFO)
    month = None
    try:
        with (
            mock.patch.object(rollups, "refresh_for_import", timed_refresh),
            timer(figures, "visible_s"),
        ):
            with timer(figures, "seconds"):
                batch = import_file(batch=batch, path=path)
            # dashboard-visible: the new month's figure through the dashboard's selector
            month = max(date.fromisoformat(m) for m in batch.months) if batch.months else None
            shown = measures_by_month(region, Subject.region(region), [month]) if month else {}
    finally:
        service_log.removeHandler(phases)
    if batch.status != ImportStatus.SUCCEEDED:
        raise SystemExit(
            f"The import did not succeed: {batch.status} {batch.message} {batch.errors[:3]}"
        )
    if month not in shown:
        raise SystemExit(f"The import's month {month} is not on the dashboard after the import.")
    figures["visible_month"] = month.isoformat()
    figures["phases"] = phases.phases
    figures["batch_id"] = batch.pk
    figures["rows"] = batch.rows_added
    figures["rows_per_s"] = round(batch.rows_added / figures["seconds"])
    without = figures["seconds"] - figures.get("refresh_s", 0)
    figures["rows_per_s_without_refresh"] = round(batch.rows_added / without)
    return figures


def refresh_diagnostics(region, months: list[date]) -> dict:
    """``refresh_months`` of the import's months again, with the session's JIT setting and
    with ``jit = off``, each in a transaction that is rolled back (nothing changes). Not a
    target, only in the JSON: PostgreSQL's JIT compiler once cost the refresh seconds per
    statement (``refresh_months`` now turns it off itself); this shows if that comes back."""
    from django.db import connection, transaction

    from monitoring.kpis.rollups import refresh_months

    figures = {}
    for label, setting in (("server_jit", None), ("jit_off", "off")):
        with transaction.atomic():
            with connection.cursor() as cursor:
                if setting:
                    cursor.execute(f"SET LOCAL jit = {setting}")
                cursor.execute("SHOW jit")
                figures[f"{label}_setting"] = cursor.fetchone()[0]
            with timer(figures, f"refresh_months_{label}_s"):
                refresh_months(region.pk, months)
            transaction.set_rollback(True)
    # the region's own KPIs alone: those the import's refresh recomputes (the ones reading
    # declarations: none since issue 20, A2) and, for comparison, all of them
    from monitoring.kpis import regional
    from monitoring.models import DatasetKind

    with transaction.atomic():
        with timer(figures, "region_kpis_s"):
            figures["region_kpi_rows"] = regional.refresh_months(
                region.pk, months, kpis=regional.reading(region.pk, DatasetKind.DECLARATIONS)
            )
        transaction.set_rollback(True)
    with transaction.atomic():
        with timer(figures, "region_kpis_every_kind_s"):
            regional.refresh_months(region.pk, months)
        transaction.set_rollback(True)
    # every month: what defining (or changing the computation of) a KPI costs at this size
    from core.ui.formatting import month_range
    from monitoring.kpis.rollups import data_bounds

    bounds = data_bounds(region.pk)
    if bounds is not None:
        with transaction.atomic():
            with timer(figures, "region_kpis_all_months_s"):
                regional.refresh_months(region.pk, month_range(*bounds))
            transaction.set_rollback(True)
    return figures


def pandas_baseline(region, months: list[date]) -> dict:
    from django.db import connection

    import bench.pandas_kpis as pk
    from monitoring.models import KpiRollup

    with connection.cursor() as cursor:
        result, load_s, compute_s = pk.run(cursor.cursor, region.pk, months)
    rows = list(
        KpiRollup.objects.filter(region=region, month__in=months).values(
            "grain", "key", "month", *pk.MEASURES
        )
    )
    check = pk.compare(result, rows)
    return {
        "load_s": round(load_s, 3),
        "compute_s": round(compute_s, 3),
        "seconds": round(load_s + compute_s, 3),
        "rows": len(result),
        "agrees_with_rollups": check,
    }


def dashboard(region, provider, user, requests: int, warmup: int = 3) -> dict:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("monitoring:provider", kwargs={"region": region.slug, "pk": provider.pk})
    times, response = timed_gets(client, url, requests, warmup)
    return {
        "url": url,
        "requests": requests,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95(times), 1),
        "max_ms": round(times[-1], 1),
        "bytes": len(response.content),
    }


def biggest_provider(region):
    from django.db.models import Count

    from contracts.models import Contract
    from monitoring.models import Declaration

    top = (
        Declaration.objects.filter(region=region)
        .values("contract")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return Contract.objects.get(pk=top["contract"]).provider


# ------------------------------------------------------------------------------------ report


def human(n: float) -> str:
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if n >= size:
            value = n / size
            return f"{value:.0f}{unit}" if value == int(value) else f"{value:.1f}{unit}"
    return str(int(n))


def table(results: dict) -> str:
    rows = [
        "| lines in DB | setup: filler COPY | setup: refresh_region | import rows/s | COPY rows/s "
        "| import/COPY | indexed COPY rows/s | import/indexed COPY | write path rows/s "
        "| write path/indexed COPY | visible on dashboard "
        "| refresh after import | of which region KPIs | region KPIs, all months "
        "| pandas (load+compute) | refresh/pandas | same figures | dashboard median "
        "| dashboard p95 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:"
        "|---:|---:|",
    ]
    for size in results["sizes"]:
        f, imp, cp, pd_, dash = (
            size.get("filler") or {},
            size["import"],
            size["copy"],
            size["pandas"],
            size["dashboard"],
        )
        differ = pd_["agrees_with_rollups"]["differ"]
        same = "yes" if not differ else f"no ({differ} rows)"
        rows.append(
            f"| {size['declarations']:,} | {f.get('copy_s', 0):.1f} s "
            f"| {size['refresh_region_s']:.1f} s | {imp['rows_per_s']:,} | {cp['rows_per_s']:,} "
            f"| {imp['rows_per_s'] / cp['rows_per_s']:.1%} "
            f"| {size['indexed_copy']['rows_per_s']:,} "
            f"| {imp['rows_per_s'] / size['indexed_copy']['rows_per_s']:.1%} "
            f"| {imp['rows_per_s_without_refresh']:,} "
            f"| {imp['rows_per_s_without_refresh'] / size['indexed_copy']['rows_per_s']:.1%} "
            f"| {imp['visible_s']:.2f} s | {imp['refresh_s']:.2f} s "
            f"| {size['diagnostics'].get('region_kpis_s', 0):.2f} s "
            f"| {size['diagnostics'].get('region_kpis_all_months_s', 0):.1f} s "
            f"| {pd_['load_s']:.2f} + {pd_['compute_s']:.2f} s "
            f"| {imp['refresh_s'] / pd_['seconds']:.2f} "
            f"| {same} "
            f"| {dash['median_ms']:.0f} ms | {dash['p95_ms']:.0f} ms |"
        )
    return "\n".join(rows)


def verdicts(results: dict) -> list[str]:
    sizes = results["sizes"]
    largest = sizes[-1]
    ratio = min(s["import"]["rows_per_s"] / s["copy"]["rows_per_s"] for s in sizes)
    medians = [s["dashboard"]["median_ms"] for s in sizes]
    indexed = min(s["import"]["rows_per_s"] / s["indexed_copy"]["rows_per_s"] for s in sizes)
    write_path = min(
        s["import"]["rows_per_s_without_refresh"] / s["indexed_copy"]["rows_per_s"] for s in sizes
    )
    visible = largest["import"]["visible_s"]
    lines = [
        f"- import ≥ 50% of COPY speed (unindexed text table): lowest ratio {ratio:.1%} → "
        f"{'met' if ratio >= TARGETS['import_vs_copy'] else 'NOT met'}",
        f"- import ≥ 50% of COPY into the indexed monitoring_declaration, judged on the whole "
        f"call (the batch is not imported until its figures are in): lowest ratio "
        f"{indexed:.1%} → {'met' if indexed >= TARGETS['import_vs_indexed_copy'] else 'NOT met'}"
        f" (write path alone, until the lines are committed: {write_path:.1%}; not the target)",
        f"- new month visible on the dashboard < 3 s after the import's call with "
        f"{largest['declarations']:,} lines: {visible:.2f} s → "
        f"{'met' if visible < TARGETS['visible_seconds'] else 'NOT met'}",
        f"- incremental refresh after the import < 5 s with {largest['declarations']:,} lines: "
        f"{largest['import']['refresh_s']:.2f} s → "
        f"{'met' if largest['import']['refresh_s'] < TARGETS['refresh_seconds'] else 'NOT met'}",
        "- provider dashboard < 200 ms and flat: medians "
        + ", ".join(f"{m:.0f} ms" for m in medians)
        + f" → {'met' if max(medians) < TARGETS['dashboard_ms'] else 'NOT met'}"
        + f" (largest size / smallest: {medians[-1] / medians[0]:.2f}×)",
    ]
    return lines


def phase_table(results: dict) -> list[str]:
    names: list[str] = []
    for size in results["sizes"]:
        for name in size["import"].get("phases", {}):
            if name not in names:
                names.append(name)
    rows = ["| lines in DB | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for size in results["sizes"]:
        phases = size["import"].get("phases", {})
        rows.append(
            f"| {size['declarations']:,} | "
            + " | ".join(f"{phases[n]:.2f}" if n in phases else "" for n in names)
            + " |"
        )
    return rows


def write_results(results: dict, mode: str) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"{stamp}-{mode}.json"
    md_path = RESULTS / f"{stamp}-{mode}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    md = [
        f"# Benchmark {results['started']} ({mode})",
        "",
        f"Command: `{results['command']}`",
        "",
        f"Machine: {results['machine']}; region {results['region']}; import file "
        f"{results['import_lines']:,} declaration lines of one new month.",
        "",
        table(results),
        "",
        "Targets:",
        "",
        *verdicts(results),
        "",
        "Phases of the import (seconds, from the service's log line):",
        "",
        *phase_table(results),
        "",
        "Times are wall-clock seconds of one run; see docs/bench.md for what each column measures.",
        "",
    ]
    md_path.write_text("\n".join(md), encoding="utf-8")
    return json_path, md_path


# ------------------------------------------------------------------------------------ main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Issue 5 benchmark (PostgreSQL).")
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--import-lines", type=int, default=100_000)
    parser.add_argument("--region", default="zhz")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="sizes 20k,100k; a 10k import")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument(
        "--no-region-kpis",
        action="store_true",
        help="without the region's own KPIs (the refresh as before issue 17)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL URL of the bench database (name must contain 'bench')",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.import_lines = "20000,100000", 10_000
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if sizes[0] < args.import_lines:
        raise SystemExit("The smallest size must hold the import (--import-lines).")
    mode = "quick" if args.quick else "full"
    started = datetime.now(UTC)

    prepare_database(args.database_url, args.fresh)
    os.environ["DATABASE_URL"] = args.database_url
    setup_django()
    from django.db import connection

    from monitoring.kpis.rollups import refresh_region
    from segments.models import Region

    prepare_landscape(args.region)
    empty_production()
    region = Region.objects.get(slug=args.region)
    region_kpis = ensure_region_kpis(region, not args.no_region_kpis)
    user = bench_user(region)
    landscape = Landscape.from_db(args.region)
    # One new month per size, the last ones up to October 2026; filler before them.
    import_months = [add_months(LAST_MONTH, n - len(sizes) + 1) for n in range(len(sizes))]
    filler_last = add_months(import_months[0], -1)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    results = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) or "run.py",
        "machine": f"{platform.node()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}, PostgreSQL {server}",
        "region": args.region,
        "import_lines": args.import_lines,
        "region_kpis": region_kpis,
        "targets": TARGETS,
        "sizes": [],
    }
    spool = Path(tempfile.mkdtemp(prefix="jeugdinkoop-bench-"))
    try:
        for n, size in enumerate(sizes, start=1):
            log(f"size {size:,}: setup")
            entry: dict = {"size": size}
            have = count("monitoring_declaration", region.pk)
            filler = size - args.import_lines - have
            if filler > 0:
                entry["filler"] = load_filler(
                    landscape, filler, seed=args.seed * 100 + n, last=filler_last, spool=spool
                )
                log(
                    f"  filler {filler:,} lines: generated in {entry['filler']['generate_s']} s, "
                    f"COPY {entry['filler']['copy_s']} s"
                )
            with timer(entry, "refresh_region_s"):
                entry["refresh_region_rows"] = refresh_region(region.pk)
            log(f"  refresh_region {entry['refresh_region_s']} s")
            month = import_months[n - 1]
            path = spool / f"import-{n}" / "declaraties.csv"
            generate(
                landscape,
                CsvSink(path.parent, f"I{n}", ["declaraties"]),
                lines=args.import_lines,
                seed=args.seed * 1000 + n,
                first=month,
                last=month,
            )
            entry["import_month"] = month.isoformat()
            entry["import_file_bytes"] = path.stat().st_size
            log(f"  (a) COPY baseline of {path.name}")
            entry["copy"] = copy_baseline(path)
            log(f"  (a) import through the service ({args.import_lines:,} lines)")
            entry["import"] = measured_import(region, path)
            log(
                f"      import {entry['import']['seconds']} s, of which refresh "
                f"{entry['import'].get('refresh_s')} s; visible on the dashboard after "
                f"{entry['import']['visible_s']} s; phases {entry['import']['phases']}"
            )
            log("  (a) COPY of the same typed rows into the indexed monitoring_declaration")
            entry["indexed_copy"] = indexed_copy_baseline(entry["import"]["batch_id"])
            months = [date.fromisoformat(m) for m in entry["import"]["refresh_months"]]
            log("  (b) pandas baseline")
            entry["pandas"] = pandas_baseline(region, months)
            entry["diagnostics"] = refresh_diagnostics(region, months)
            entry["declarations"] = count("monitoring_declaration")
            entry["rows_in_db"] = {t: count(t) for t in (*LINE_TABLES, "monitoring_kpirollup")}
            provider = biggest_provider(region)
            log(f"  (c) provider dashboard ({provider})")
            entry["dashboard"] = dashboard(region, provider, user, args.requests)
            entry["dashboard"]["provider"] = provider.name
            results["sizes"].append(entry)
            log(
                f"  done: import {entry['import']['rows_per_s']:,} rows/s vs COPY "
                f"{entry['copy']['rows_per_s']:,} (unindexed) and "
                f"{entry['indexed_copy']['rows_per_s']:,} (indexed); refresh "
                f"{entry['import']['refresh_s']} s vs "
                f"pandas {entry['pandas']['seconds']} s; dashboard "
                f"{entry['dashboard']['median_ms']} ms"
            )
            path.unlink()
    finally:
        for leftover in sorted(spool.rglob("*"), reverse=True):
            leftover.unlink() if leftover.is_file() else leftover.rmdir()
        spool.rmdir()
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    print()
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    print()
    print("\n".join(phase_table(results)))
    json_path, md_path = write_results(results, mode)
    print(f"\nwritten: {json_path.relative_to(RESULTS.parent.parent)}, {md_path.name}")


if __name__ == "__main__":
    main()
