"""Seeded generator of realistic production data for the benchmark (and for trying imports).

The landscape (contracts with their products and areas, municipalities, tariffs) is read from
the database: load it first with ``python manage.py load_demo`` (or let ``bench/run.py`` do
it). For a region the generator draws clients one after another; each client gets a contract
(weighted by its budget), a product of that contract, a municipality of the contract's area,
a start month and a number of months in care. A client yields

- a declaration line per month in care (quantity by unit, priced at the tariff of the month),
- a trajectory (start in the first month; end in the last month with a CBS end reason, or
  open when the care runs past the last generated month),
- a referral 5-80 days before the start (the mean wait differs per contract; crisis the same
  day or the day before),
- an outcome measurement at the end for most ended trajectories, and at the start for some.

So there are about 8 declaration lines per trajectory, as in the demo. BSNs pass the
eleven-test and are unique within one run (an arithmetic walk through the 8-digit prefixes);
references are ``<prefix>-D00000001`` etc. Everything is deterministic per seed, and streamed:
memory does not grow with ``--lines``.

Output, in the import format (docs/monitoring import columns; ``;``-separated, UTF-8):
``declaraties.csv``, ``trajecten.csv``, ``verwijzingen.csv``, ``uitkomsten.csv``.

    python bench/generate.py --region zhz --lines 1000000 --out bench/data/zhz-1m
    python bench/generate.py --region wbo --lines 100000 --first 2026-10 --last 2026-10 \\
        --prefix IMP --seed 7 --out bench/data/wbo-oct

``bench/run.py`` uses the same generator to load filler lines straight into the tables with
``COPY`` (:class:`TableSink`).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project's packages too
    sys.path.insert(0, str(ROOT))

from core.ui.formatting import add_months  # noqa: E402  (pure, needs no Django setup)

#: secrets: defaults only, a real environment's values win
BENCH_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": "bench-only-insecure-key",
    "PSEUDONYM_KEY": "bench-only-pseudonym-key",
}
#: how the bench process runs Django, whatever the shell says
BENCH_ENV = {
    "DJANGO_DEBUG": "0",  # no query log (it would grow with every statement), cached templates
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_PLAIN_STATIC": "1",
    "DATABASE_CONN_MAX_AGE": "0",
}


def setup_django() -> None:
    for name, value in BENCH_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.update(BENCH_ENV)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ------------------------------------------------------------------------------------ codes

END_REASONS = [("01", 68), ("02", 14), ("03", 8), ("04", 5), ("05", 5)]
DROPOUT = {"03", "04"}
REFERRERS = [("01", 40), ("02", 22), ("03", 8), ("04", 10), ("05", 12), ("06", 5), ("08", 3)]
JUSTICE_REFERRERS = [("08", 55), ("04", 30), ("01", 15)]
JUSTICE = {"47", "48", "49"}
RESIDENTIAL = {"43", "44"}
CRISIS = "46"
SEASON = {7: 0.9, 8: 0.85, 12: 0.93}

# Units (iJw WJ756)
MINUTE, HOUR, ETMAAL, DAGDEEL, OUTPUT, EUROS, EFFORT, KM = (
    "01",
    "04",
    "14",
    "16",
    "82",
    "83",
    "84",
    "85",
)

HEADERS = {
    "declaraties": (
        "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;bedrag"
    ),
    "trajecten": "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde",
    "verwijzingen": "referentie;corrigeert;contract;gemeente;bsn;datum;verwijzer",
    "uitkomsten": (
        "referentie;corrigeert;contract;gemeente;bsn;moment;datum;doelrealisatie;clientervaring"
    ),
}
CENT = Decimal("0.01")


def month_of(text: str) -> date:
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


def days_in(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def bsn_walk(seed: int) -> Iterator[str]:
    """Valid BSNs (eleven-test), each once: the 8-digit prefixes in an order fixed by the seed
    (a step coprime with their number), each with the check digit that makes it valid;
    prefixes whose check digit would be 10 are skipped."""
    low, span = 10_000_000, 90_000_000
    step = 7_919_977  # prime, not a divisor of 90,000,000
    position = random.Random(f"bsn-{seed}").randrange(span)
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    for _ in range(span):
        prefix = str(low + position)
        position = (position + step) % span
        check = sum(int(d) * w for d, w in zip(prefix, weights, strict=True)) % 11
        if check < 10:
            yield prefix + str(check)


# ------------------------------------------------------------------------------------ landscape


@dataclass
class ProductInfo:
    id: int
    code: str
    unit: str
    category: str
    weight: float


@dataclass
class ContractInfo:
    id: int
    reference: str
    first: date  # first month it may be declared
    last: date  # last month
    first_day: date
    last_day: date
    products: list[ProductInfo]
    area: list[tuple[int, str]]  # (municipality id, CBS code)
    area_weights: list[float]
    weight: float
    wait: float = 25.0
    dropout: float = 1.0


@dataclass
class Landscape:
    region_id: int
    slug: str
    contracts: list[ContractInfo]
    prices: dict[tuple[int, int], list[tuple[date, date | None, Decimal]]]

    @classmethod
    def from_db(cls, slug: str) -> Landscape:
        from contracts.models import Contract, TariffVersion
        from monitoring.demo.production import _areas
        from segments.models import Region

        region = Region.objects.get(slug=slug)
        area_of = _areas(region)
        prices: dict[tuple[int, int], list] = defaultdict(list)
        for v in TariffVersion.objects.filter(region=region).order_by("valid_from"):
            prices[(v.product_id, v.contract_id or 0)].append(
                (v.valid_from, v.valid_until, v.amount)
            )
        contracts = []
        query = (
            Contract.objects.filter(region=region, arrangements__isnull=False)
            .distinct()
            .select_related("segment__parent__parent")
            .prefetch_related(
                "arrangements__products",
                "budgets",
                "provider__municipalities_served",
                "municipalities",
            )
            .order_by("reference")
        )
        for c in query:
            products = {}
            for arrangement in c.arrangements.all():
                for p in arrangement.products.all():
                    if p.unit == OUTPUT:
                        continue  # output is paid per trajectory, not declared per month
                    weight = 1.5 if p.unit == ETMAAL else 3.0
                    products[p.pk] = ProductInfo(p.pk, p.code, p.unit, p.category, weight)
            if not products:
                continue
            served = {m.pk for m in c.provider.municipalities_served.all()}
            full = area_of(c.segment)
            area = [(m, w) for m, w in full if m.pk in served] or full
            scope = {m.pk for m in c.municipalities.all()}  # a contract for some only
            if scope:
                area = [(m, w) for m, w in full if m.pk in scope]
            if not area:
                continue
            last_day = min(
                d for d in (c.terminated_on, c.end_date, c.final_end_date) if d is not None
            )
            budgets = [b.amount for b in c.budgets.all()]
            contracts.append(
                ContractInfo(
                    id=c.pk,
                    reference=c.reference,
                    first=date(c.start_date.year, c.start_date.month, 1),
                    last=date(last_day.year, last_day.month, 1),
                    first_day=c.start_date,
                    last_day=last_day,
                    products=sorted(products.values(), key=lambda p: p.code),
                    area=[(m.pk, m.cbs_code) for m, _w in area],
                    area_weights=[w for _m, w in area],
                    weight=float(max(budgets)) / 100_000 if budgets else 3.0,
                )
            )
        return cls(region.pk, slug, contracts, prices)

    def price(self, product_id: int, contract_id: int, month: date) -> Decimal:
        for key in ((product_id, contract_id), (product_id, 0)):
            versions = self.prices.get(key)
            if not versions:
                continue
            for start, until, amount in versions:
                if start <= month and (until is None or month <= until):
                    return amount
            return versions[0][2]  # before the first version: its price
        return Decimal("50")


# ------------------------------------------------------------------------------------ clients


@dataclass
class Client:
    bsn: str
    contract: ContractInfo
    municipality: tuple[int, str]
    product: ProductInfo
    declarations: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    reason: str = ""
    referral: tuple[date, str] | None = None
    outcomes: list[tuple[str, date, Decimal | None, Decimal | None]] = field(default_factory=list)


class Generator:
    """Clients of one region between ``first`` and ``last`` (months), deterministic per seed."""

    def __init__(self, landscape: Landscape, *, seed: int, first: date, last: date):
        self.landscape = landscape
        self.rng = random.Random(f"bench-{landscape.slug}-{seed}")
        self.first, self.last = first, last
        self.bsns = bsn_walk(seed)
        self.contracts = [c for c in landscape.contracts if c.first <= last and c.last >= first]
        if not self.contracts:
            raise SystemExit(
                f"No contract of {landscape.slug} with declarable products runs between "
                f"{first} and {last} (output-funded contracts have no declaration lines)."
            )
        self.weights = [c.weight for c in self.contracts]
        quality = random.Random(f"bench-quality-{landscape.slug}")
        for c in landscape.contracts:
            slow = quality.random() < 0.25
            c.wait = quality.uniform(45, 62) if slow else quality.uniform(12, 30)
            c.dropout = quality.uniform(0.5, 1.8)
        self.goal = {c.id: quality.uniform(60, 85) for c in landscape.contracts}
        self.grade = {c.id: quality.uniform(6.6, 8.3) for c in landscape.contracts}
        self.price_cache: dict[tuple[int, int, date], Decimal] = {}

    def price(self, product: ProductInfo, contract: ContractInfo, month: date) -> Decimal:
        key = (product.id, contract.id, month)
        hit = self.price_cache.get(key)
        if hit is None:
            hit = self.price_cache[key] = self.landscape.price(product.id, contract.id, month)
        return hit

    def quantity(self, product: ProductInfo, month: date, share: float) -> Decimal:
        rng, unit = self.rng, product.unit
        if unit == ETMAAL:
            return Decimal(max(1, round(days_in(month) * share)))
        if unit == MINUTE:
            return Decimal(max(15, round(rng.randrange(180, 1260, 15) * share / 15) * 15))
        if unit == HOUR:
            return Decimal(max(1, round(rng.uniform(3, 20) * share * 4) / 4)).quantize(CENT)
        if unit == DAGDEEL:
            return Decimal(max(1, round(rng.randint(4, 32) * share)))
        if unit == KM:
            return Decimal(rng.randint(50, 400))
        if unit == EUROS:
            return Decimal(rng.randint(100, 2000))
        return Decimal(rng.randint(1, 4))

    def months_in_care(self, product: ProductInfo) -> int:
        rng = self.rng
        if product.category == CRISIS:
            return rng.randint(1, 2)
        if product.category in RESIDENTIAL and product.unit == ETMAAL:
            return rng.randint(3, 18)
        return rng.randint(2, 12)

    def client(self) -> Client:
        rng = self.rng
        contract = rng.choices(self.contracts, self.weights)[0]
        product = rng.choices(contract.products, [p.weight for p in contract.products])[0]
        municipality = rng.choices(contract.area, contract.area_weights)[0]
        client = Client(next(self.bsns), contract, municipality, product)
        first = max(self.first, contract.first)
        last = min(self.last, contract.last)
        span = (last.year - first.year) * 12 + last.month - first.month
        start = add_months(first, rng.randint(0, span))
        months = self.months_in_care(product)
        end_month = add_months(start, months - 1)
        month = start
        while month <= end_month and month <= last:
            share = rng.uniform(0.35, 1.0) if month == start else 1.0
            quantity = self.quantity(product, month, share)
            amount = (quantity * self.price(product, contract, month)).quantize(CENT, ROUND_HALF_UP)
            client.declarations.append((month, quantity, amount))
            month = add_months(month, 1)
        # The trajectory: start in the first month, end in the last (unless still running).
        day = rng.randint(1, days_in(start))
        client.start = max(start.replace(day=day), contract.first_day)
        if end_month < self.last or contract.last < self.last:  # ended (or its contract did)
            final = min(client.declarations[-1][0], contract.last)
            low = client.start.day if final == start else 1
            end = final.replace(day=rng.randint(low, days_in(final)))
            client.end = min(max(end, client.start), contract.last_day)
            factor = contract.dropout
            reasons = [(r, w * factor if r in DROPOUT else w) for r, w in END_REASONS]
            client.reason = rng.choices(*zip(*reasons, strict=True))[0]
        # The referral before the start.
        if product.category == CRISIS:
            wait = rng.choice((0, 0, 1))
        else:
            wait = min(80, max(5, round(rng.gauss(contract.wait, contract.wait * 0.35))))
        referred = client.start - timedelta(days=wait)
        if referred >= contract.first_day:
            table = JUSTICE_REFERRERS if product.category in JUSTICE else REFERRERS
            client.referral = (referred, rng.choices(*zip(*table, strict=True))[0])
        # Outcomes: at the start for some, at the end for most ended trajectories.
        limit = min(contract.last_day, date(self.last.year, self.last.month, days_in(self.last)))
        grade_mean = self.grade[contract.id]
        if rng.random() < 0.25:
            measured = client.start + timedelta(days=rng.randint(0, 21))
            if measured <= limit:
                grade = min(9.5, max(5.5, rng.gauss(grade_mean, 0.7)))
                client.outcomes.append(("start", measured, None, _tenth(grade)))
        if client.end is not None and rng.random() < 0.8:
            measured = min(client.end + timedelta(days=rng.randint(0, 14)), limit)
            dropped = client.reason in DROPOUT
            goal = min(100.0, max(40.0, rng.gauss(self.goal[contract.id] - 15 * dropped, 12)))
            grade = min(9.5, max(5.5, rng.gauss(grade_mean - 0.8 * dropped, 0.7)))
            client.outcomes.append(("einde", measured, _tenth(goal), _tenth(grade)))
        return client

    def clients(self, lines: int) -> Iterator[Client]:
        """Clients until ``lines`` declaration lines; the last client is cut to fit."""
        written = 0
        while written < lines:
            client = self.client()
            room = lines - written
            if len(client.declarations) > room:
                client.declarations = client.declarations[:room]
            written += len(client.declarations)
            yield client


def _tenth(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ------------------------------------------------------------------------------------ sinks


class Counter:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.n = defaultdict(int)

    def next(self, label: str) -> str:
        self.n[label] += 1
        return f"{self.prefix}-{label}{self.n[label]:08d}"


class CsvSink:
    """The import files: one per kind, ``;``-separated, with the header row."""

    def __init__(self, out: Path, prefix: str, kinds=tuple(HEADERS)):
        out.mkdir(parents=True, exist_ok=True)
        self.kinds = set(kinds)
        self.refs = Counter(prefix)
        self.files = {}
        self.writers = {}
        for kind in HEADERS:
            if kind not in self.kinds:
                continue
            handle = open(out / f"{kind}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            handle.write(HEADERS[kind] + "\n")
            self.files[kind] = handle
            self.writers[kind] = csv.writer(handle, delimiter=";", lineterminator="\n")
        self.counts = defaultdict(int)

    def add(self, client: Client) -> None:
        c, (_mid, code), bsn = client.contract, client.municipality, client.bsn
        w = self.writers
        if "declaraties" in w:
            rows = [
                (self.refs.next("D"), "", c.reference, code, bsn, client.product.code,
                 f"{month:%Y-%m}", quantity, client.product.unit, amount)
                for month, quantity, amount in client.declarations
            ]  # fmt: skip
            w["declaraties"].writerows(rows)
            self.counts["declaraties"] += len(rows)
        if not client.declarations:
            return
        if "trajecten" in w:
            w["trajecten"].writerow(
                (self.refs.next("T"), "", c.reference, code, bsn, client.product.code,
                 client.start.isoformat(), client.end.isoformat() if client.end else "",
                 client.reason)
            )  # fmt: skip
            self.counts["trajecten"] += 1
        if "verwijzingen" in w and client.referral:
            day, who = client.referral
            w["verwijzingen"].writerow(
                (self.refs.next("R"), "", c.reference, code, bsn, day.isoformat(), who)
            )
            self.counts["verwijzingen"] += 1
        if "uitkomsten" in w:
            for moment, day, goal, grade in client.outcomes:
                w["uitkomsten"].writerow(
                    (self.refs.next("O"), "", c.reference, code, bsn, moment, day.isoformat(),
                     "" if goal is None else goal, "" if grade is None else grade)
                )  # fmt: skip
                self.counts["uitkomsten"] += 1

    def close(self) -> dict[str, int]:
        for handle in self.files.values():
            handle.close()
        return dict(self.counts)


#: table columns the TableSink writes, per model (id and defaults left to the database)
TABLE_COLUMNS = {
    "declaration": (
        "region_id", "contract_id", "reference", "corrects", "active", "municipality_id",
        "client_key", "product_id", "month", "quantity", "unit", "amount",
    ),
    "trajectory": (
        "region_id", "contract_id", "reference", "corrects", "active", "municipality_id",
        "client_key", "product_id", "started_on", "ended_on", "end_reason",
    ),
    "referral": (
        "region_id", "contract_id", "reference", "corrects", "active", "municipality_id",
        "client_key", "referred_on", "referrer",
    ),
    "outcome": (
        "region_id", "contract_id", "reference", "corrects", "active", "municipality_id",
        "client_key", "moment", "measured_on", "goal_realisation", "client_experience",
    ),
}  # fmt: skip


class TableSink:
    """Rows in the tables' own shape, as COPY text (tab-separated, ``\\N`` for NULL), written to
    one spool file per table; :meth:`copy` loads them with ``COPY ... FROM STDIN``. The BSN is
    pseudonymised here, as the import does, so imported lines of the same BSN match."""

    def __init__(self, spool: Path, prefix: str, region_id: int):
        from monitoring.imports.pseudonym import pseudonymise

        self.pseudonymise = pseudonymise
        spool.mkdir(parents=True, exist_ok=True)
        self.spool = spool
        self.refs = Counter(prefix)
        self.region = str(region_id)
        self.files = {
            name: open(spool / f"{name}.tsv", "w", encoding="utf-8")  # noqa: SIM115
            for name in TABLE_COLUMNS
        }
        self.counts = defaultdict(int)

    def add(self, client: Client) -> None:
        if not client.declarations:
            return
        key = self.pseudonymise(client.bsn)
        head = f"{self.region}\t{client.contract.id}\t"
        who = f"\t\tt\t{client.municipality[0]}\t{key}\t"
        product = str(client.product.id)
        unit = client.product.unit
        next_ref = self.refs.next
        self.files["declaration"].write(
            "".join(
                f"{head}{next_ref('D')}{who}{product}\t{month.isoformat()}\t{qty}\t{unit}\t{amt}\n"
                for month, qty, amt in client.declarations
            )
        )
        self.counts["declaration"] += len(client.declarations)
        end = client.end.isoformat() if client.end else "\\N"
        self.files["trajectory"].write(
            f"{head}{next_ref('T')}{who}{product}\t{client.start.isoformat()}\t{end}\t"
            f"{client.reason}\n"
        )
        self.counts["trajectory"] += 1
        if client.referral:
            day, referrer = client.referral
            self.files["referral"].write(
                f"{head}{next_ref('R')}{who}{day.isoformat()}\t{referrer}\n"
            )
            self.counts["referral"] += 1
        for moment, day, goal, grade in client.outcomes:
            goal_text = "\\N" if goal is None else str(goal)
            grade_text = "\\N" if grade is None else str(grade)
            self.files["outcome"].write(
                f"{head}{next_ref('O')}{who}{moment}\t{day.isoformat()}\t{goal_text}\t"
                f"{grade_text}\n"
            )
            self.counts["outcome"] += 1

    def close(self) -> dict[str, int]:
        for handle in self.files.values():
            handle.close()
        return dict(self.counts)

    def copy(self, cursor, tables: dict[str, str]) -> None:
        """COPY every spool file into its table (``tables``: name → db table)."""
        for name, columns in TABLE_COLUMNS.items():
            path = self.spool / f"{name}.tsv"
            with (
                open(path, "rb") as handle,
                cursor.copy(f"COPY {tables[name]} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
            path.unlink()


def generate(
    landscape: Landscape,
    sink,
    *,
    lines: int,
    seed: int,
    first: date,
    last: date,
    progress: bool = False,
) -> dict[str, int]:
    generator = Generator(landscape, seed=seed, first=first, last=last)
    started = time.monotonic()
    done = 0
    for client in generator.clients(lines):
        sink.add(client)
        done += len(client.declarations)
        if progress and done % 1_000_000 < len(client.declarations):
            print(f"  {done:,} lines, {time.monotonic() - started:.0f} s", file=sys.stderr)
    return sink.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--region", default="zhz", help="region slug (zhz, wbo, ams)")
    parser.add_argument("--lines", type=int, default=100_000, help="declaration lines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", default="2025-01", help="first month (YYYY-MM)")
    parser.add_argument("--last", default="2026-10", help="last month (YYYY-MM)")
    parser.add_argument("--prefix", default="GEN", help="reference prefix")
    parser.add_argument(
        "--kinds",
        default=",".join(HEADERS),
        help="files to write (default all: " + ", ".join(HEADERS) + ")",
    )
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    setup_django()
    landscape = Landscape.from_db(args.region)
    started = time.monotonic()
    sink = CsvSink(args.out, args.prefix, [k for k in args.kinds.split(",") if k])
    counts = generate(
        landscape,
        sink,
        lines=args.lines,
        seed=args.seed,
        first=month_of(args.first),
        last=month_of(args.last),
        progress=True,
    )
    took = time.monotonic() - started
    summary = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    print(f"{args.out}: {summary} in {took:.1f} s")


if __name__ == "__main__":
    main()
