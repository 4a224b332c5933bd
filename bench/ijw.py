"""The iJw benchmark of issue 19: a JW323 delivery next to the CSV import of the same lines.

    make bench-ijw                                  # 1,000,000 lines on SQLite
    make bench-ijw BENCH_ARGS="--lines 200000"      # a shorter run
    DATABASE_URL=postgres://u:p@host:5432/jeugdinkoop_ijw_bench python bench/ijw.py

One run, one database (``DATABASE_URL``; default a fresh SQLite file in the temp directory;
a PostgreSQL database name must contain "bench", its production lines are emptied first):

1. setup, not measured: a region with one municipality, one product (unit 04 uur), a provider
   with AGB code 12345678 and one contract whose pxq arrangement covers the product;
2. the same N declaration lines (10 per client, clients cycling over 20,000 valid BSNs, months
   2026-01 to 2026-12, random quantities and amounts) written once as our CSV and once as one
   JW323 message (amounts in cents, ``ProductReferentie``, the contract left to be resolved);
3. both imported through the one door (``import_offer(run="now")``): the CSV first, then the
   JW323 (so the iJw import checks its references against a table that already holds the CSV's
   N lines: if anything, that favours the CSV). Wall time of each import (parsing, checks,
   staging, write and rollup refresh), lines per second, and the ratio iJw / CSV.

Results: a line on stdout and ``bench/results/<time>-ijw.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGB = "12345678"
PER_CLIENT = 10
BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"


def valid_bsns(count: int, seed: int = 19) -> list[str]:
    """``count`` distinct nine-digit numbers that pass the eleven-test."""
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < count:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check != 10 and any(digits):
            found.add("".join(map(str, digits)) + str(check))
    return sorted(found)


def lines(n: int, seed: int = 7):
    """``(client number, bsn, reference number, month, quantity, cents)`` per line."""
    rng = random.Random(seed)
    bsns = valid_bsns(20_000)
    for i in range(n):
        client = i // PER_CLIENT
        quantity = rng.randrange(1, 40)
        yield client, bsns[client % len(bsns)], i, 1 + (client % 12), quantity, quantity * 7210


def write_csv(path: Path, n: int, contract: str, gm: str, product: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;bedrag\n"
        )
        for _client, bsn, i, month, quantity, cents in lines(n):
            out.write(
                f"C{i};;{contract};{gm};{bsn};{product};2026-{month:02d};{quantity};04;"
                f"{cents // 100},{cents % 100:02d}\n"
            )


def write_jw323(path: Path, n: int, gemeente: str, product: str) -> None:
    total = sum(line[5] for line in lines(n))
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw323/schema" '
            f'xmlns:ijw="{BASIS}"><Header><BerichtCode>490</BerichtCode>'
            "<BerichtVersie>3</BerichtVersie><BerichtSubversie>2</BerichtSubversie>"
            f"<Afzender>{AGB}</Afzender><Ontvanger>{gemeente}</Ontvanger>"
            "<BerichtIdentificatie><ijw:Identificatie>BENCH-1</ijw:Identificatie>"
            "<ijw:Dagtekening>2027-01-05</ijw:Dagtekening></BerichtIdentificatie>"
            "<XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>"
            "<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></XsdVersie></Header>"
            "<Declaratie><DeclaratieNummer>BENCH1</DeclaratieNummer><DeclaratiePeriode>"
            "<ijw:Begindatum>2026-01-01</ijw:Begindatum><ijw:Einddatum>2026-12-31"
            "</ijw:Einddatum></DeclaratiePeriode><DeclaratieDagtekening>2027-01-05"
            f"</DeclaratieDagtekening><TotaalIngediendBedrag><ijw:Bedrag>{total}</ijw:Bedrag>"
            "<ijw:DebetCredit>D</ijw:DebetCredit></TotaalIngediendBedrag><Clienten>\n"
        )
        current = None
        for client, bsn, i, month, quantity, cents in lines(n):
            if client != current:
                if current is not None:
                    out.write("</Prestaties></Client>\n")
                out.write(f"<Client><Bsn>{bsn}</Bsn><Prestaties>")
                current = client
            last = 31 if month in (1, 3, 5, 7, 8, 10, 12) else (28 if month == 2 else 30)
            out.write(
                f"<Prestatie><ProductReferentie><ijw:ReferentieNummer>X{i}"
                "</ijw:ReferentieNummer></ProductReferentie>"
                f"<ToewijzingNummer>{800000 + client}</ToewijzingNummer>"
                f"<ProductCategorie>45</ProductCategorie><ProductCode>{product}</ProductCode>"
                f"<ProductPeriode><ijw:Begindatum>2026-{month:02d}-01</ijw:Begindatum>"
                f"<ijw:Einddatum>2026-{month:02d}-{last}</ijw:Einddatum></ProductPeriode>"
                f"<GeleverdVolume>{quantity}</GeleverdVolume><Eenheid>04</Eenheid>"
                f"<ProductTarief>7210</ProductTarief><IngediendBedrag><ijw:Bedrag>{cents}"
                "</ijw:Bedrag><ijw:DebetCredit>D</ijw:DebetCredit></IngediendBedrag></Prestatie>"
            )
        out.write("</Prestaties></Client>\n</Clienten></Declaratie></Bericht>\n")


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    for name, value in {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "bench-only-insecure-key",
        "PSEUDONYM_KEY": "bench-only-pseudonym-key",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_PLAIN_STATIC": "1",
    }.items():
        os.environ.setdefault(name, value)
    os.environ["DJANGO_DEBUG"] = "0"  # no query log
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def landscape():
    """Region, municipality, product, provider (AGB) and a contract covering the product."""
    from datetime import date

    from contracts import services as contracts
    from providers.models import Provider
    from tests.providers.factories import ProviderFactory
    from tests.segments.factories import (
        CareFormFactory,
        MunicipalityFactory,
        ProductFactory,
        RegionFactory,
        SegmentFactory,
    )

    stamp = datetime.now(UTC).strftime("%H%M%S")
    region = RegionFactory(name=f"Bench iJw {stamp}", slug=f"bench-ijw-{stamp}")
    municipality = MunicipalityFactory(region=region, cbs_code="GM0505")
    care_form = CareFormFactory(region=region)
    segment = SegmentFactory(region=region)
    product = ProductFactory(region=region, care_form=care_form, code="45A01", unit="04")
    Provider.objects.filter(agb_code=AGB).update(agb_code="")
    provider = ProviderFactory(region=region, municipalities=[municipality], forms=[care_form])
    Provider.objects.filter(pk=provider.pk).update(agb_code=AGB)
    contract = contracts.contract_create(
        region=region,
        reference="BENCH-1",
        provider=provider,
        segment=segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
    )
    contracts.arrangement_create(
        contract=contract, model="pxq", valid_from=date(2025, 1, 1), products=[product]
    )
    return region, municipality, product, contract


def run_import(region, kind: str, file_format: str, path: Path):
    from monitoring.imports.services import import_offer

    started = time.perf_counter()
    batch = import_offer(
        region=region,
        kind=kind,
        file_format=file_format,
        path=path,
        file_name=path.name,
        run="now",
        delete_file=False,
    )
    seconds = time.perf_counter() - started
    batch.refresh_from_db()
    if batch.status != "succeeded":
        raise SystemExit(f"{file_format} import {batch.status}: {batch.message} {batch.errors[:3]}")
    return batch, seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-ijw-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite3'}"
    if database_url.startswith("postgres") and "bench" not in database_url.rsplit("/", 1)[-1]:
        raise SystemExit("The PostgreSQL database's name must contain 'bench'.")
    setup(database_url)
    from django.db import connection

    region, municipality, product, contract = landscape()
    n = args.lines
    csv_path, xml_path = work / "declaraties.csv", work / "declaraties-jw323.xml"
    started = time.perf_counter()
    write_csv(csv_path, n, contract.reference, municipality.cbs_code, product.code)
    write_jw323(xml_path, n, municipality.cbs_code[2:], product.code)
    generated = time.perf_counter() - started
    csv_batch, csv_seconds = run_import(region, "declaraties", "csv", csv_path)
    ijw_batch, ijw_seconds = run_import(region, "declaraties", "ijw", xml_path)
    assert csv_batch.rows_added == ijw_batch.rows_added == n
    csv_rate, ijw_rate = n / csv_seconds, n / ijw_seconds
    mb = 1 << 20
    report = (
        f"# iJw benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"- lines: {n:,}; database: {connection.vendor}; Python {platform.python_version()} on "
        f"{platform.machine()}, {os.cpu_count()} cores (shared)\n"
        f"- files: CSV {csv_path.stat().st_size / mb:,.0f} MB, JW323 "
        f"{xml_path.stat().st_size / mb:,.0f} MB (generated in {generated:.0f} s)\n\n"
        "| import | seconds | lines/s |\n|---|---:|---:|\n"
        f"| CSV | {csv_seconds:.1f} | {csv_rate:,.0f} |\n"
        f"| iJw JW323 | {ijw_seconds:.1f} | {ijw_rate:,.0f} |\n\n"
        f"iJw / CSV: {ijw_rate / csv_rate:.2f} (lines/s; "
        f"{ijw_seconds / csv_seconds:.2f}× the time)\n"
    )
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-ijw.md").write_text(report, encoding="utf-8")
    for path in (csv_path, xml_path):
        path.unlink()


if __name__ == "__main__":
    main()
