"""The set-based read-and-check (monitoring.imports.vectorised) against the per-row path.

For every kind of data, files of valid rows and many kinds of wrong or odd rows are imported
twice: set-based with the per-row re-check of flagged rows (the default) and purely per row
(``IMPORT_VECTORISED = False``). Both must stage the same records (snapshot of the staging
table before the checks across lines) and report the same errors, in CSV and in JSON. Then:
the set-based pseudonyms are the stored keys, and the filter really accepts the plain rows
(so that the comparison is not empty).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from monitoring.imports import load
from monitoring.imports.models import ImportStatus
from monitoring.imports.pseudonym import pseudonymise, pseudonymise_many
from monitoring.imports.services import import_file
from monitoring.imports.validate import Lookups
from monitoring.imports.vectorised import read_frame, vet
from monitoring.models import Declaration, ImportBatch, KpiRollup
from tests.monitoring.test_import_service import BSN, declaration_csv, run, valid_bsn, write

pytestmark = pytest.mark.django_db

NAMES = {
    "declaraties": "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;"
    "bedrag",
    "trajecten": "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde",
    "toewijzingen": "referentie;corrigeert;contract;gemeente;bsn;product;ingang;einde",
    "verwijzingen": "referentie;corrigeert;contract;gemeente;bsn;datum;verwijzer",
    "uitkomsten": "referentie;corrigeert;contract;gemeente;bsn;moment;datum;doelrealisatie;"
    "clientervaring",
    "bezetting": "referentie;corrigeert;contract;voorziening;maand;plaatsen;bezette_dagen",
}

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def defaults(world, kind: str) -> dict[str, str]:
    common = {
        "corrigeert": "",
        "contract": world.con.contract.reference,
        "gemeente": world.municipality.cbs_code,
        "product": world.product.code,
    }
    return (
        common
        | {
            "declaraties": {
                "maand": "2026-04",
                "aantal": "10",
                "eenheid": "04",
                "bedrag": "721,00",
            },
            "trajecten": {"start": "2026-01-05", "einde": "2026-03-31", "reden_einde": "03"},
            "toewijzingen": {"ingang": "2026-01-01", "einde": ""},
            "verwijzingen": {"datum": "2025-06-01", "verwijzer": "2"},
            "uitkomsten": {
                "moment": "einde",
                "datum": "2026-03-15",
                "doelrealisatie": "80",
                "clientervaring": "7,5",
            },
            "bezetting": {
                "voorziening": "",
                "maand": "2026-05",
                "plaatsen": "4",
                "bezette_dagen": "9",
            },
        }[kind]
    )


#: odd values for a column of any kind (applied where the kind has that column)
ODD = {
    "referentie": [" R-pad", "R-pad2 ", "", "R" * 65, "Rü", "R\x01x", "R met spatie", "R\u00a0"],
    "corrigeert": ["SELF", "C" * 65, " X", "R-unknown-target"],
    "contract": ["C-onbekend", "", " {contract}", "{contract} ", "{contract_lower}"],
    "gemeente": ["505", "gm0505", "GM9999", "", " {gemeente}", "{gemeente_fw}", "X\x1f"],
    "bsn": [
        "{bsn8}",
        "{bsn_dots}",
        "{bsn_spaces}",
        "123456789",
        "000000000",
        "{bsn_fw}",
        "{bsn_ar}",
        "1234567890",
        "",
        "12345678a",
    ],
    "product": ["P-onbekend", "", " {product}", "{other_product}"],
    "maand": [
        "2026-04-01",
        "2026-4",
        "2026-13",
        "1899-01",
        "2024-12",
        "",
        "２０２６-04",
        " 2026-04",
        "2026-05-02",
    ],
    "aantal": ["7,5", "7.50", "007", "1.234,50", "-1", "1e3", "10.123", "745", "0", "", "٣"],
    "eenheid": ["4", "14", "99", "", " 04", "０4"],
    "bedrag": ["250000", "250000,01", ",5", "", "1000000000000000", "12.", "0,00"],
    "start": ["2026-1-5", "2026-02-30", "", "2031-01-01", "2024-12-31"],
    "einde": ["2025-12-31", "", "2026-02-30"],
    "reden_einde": ["3", "", "99"],
    "ingang": ["2024-12-31", "", "31-01-2026"],
    "datum": ["2023-12-31", "2032-02-01", "", "2026-1-1"],
    "verwijzer": ["01", "07", ""],
    "moment": ["EINDE", "later", ""],
    "doelrealisatie": ["101", "", "50,5", "-1"],
    "clientervaring": ["0", "", "10", "7,55"],
    "voorziening": ["Onbekend", " "],
    "plaatsen": ["4,5", "", "10001", "-1"],
    "bezette_dagen": ["130", "", "10,55", "9"],
}


def rows_for(world, kind: str) -> list[dict[str, str]]:
    """Valid rows, then one row per odd value of each column, then two wrong in one row."""
    names = NAMES[kind].split(";")
    base = defaults(world, kind)
    other = world.con.stay_product.code
    bsn = BSN[3]
    fill = {
        "contract": world.con.contract.reference,
        "contract_lower": world.con.contract.reference.lower(),
        "gemeente": world.municipality.cbs_code,
        "gemeente_fw": world.municipality.cbs_code.translate(FULLWIDTH),
        "product": world.product.code,
        "other_product": "P-X-" + other if kind != "declaraties" else other,
        "bsn8": valid_bsn(1_234_567)[1:],  # 0…: a spreadsheet drops the leading zero
        "bsn_dots": f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}",
        "bsn_spaces": f"{bsn[:3]} {bsn[3:6]} {bsn[6:]}",
        "bsn_fw": bsn.translate(FULLWIDTH),
        "bsn_ar": bsn.translate(ARABIC),
    }
    out = []
    for i in range(12):  # plain valid rows, some sharing a client
        months = ("2026-04", "2026-05", "2026-06")
        row = base | {"referentie": f"V{i}", "bsn": BSN[i % len(BSN)]}
        if kind == "declaraties":
            row |= {"maand": months[i % 3], "aantal": f"{i + 1},5", "bedrag": f"{100 + i}.25"}
        if kind == "bezetting":
            row |= {"maand": f"2027-{i % 12 + 1:02d}"}
        out.append(row)
    n = 0
    for column, values in ODD.items():
        if column not in names:
            continue
        for value in values:
            n += 1
            value = value.format(**fill)
            row = base | {"referentie": f"O{n}", "bsn": BSN[n % len(BSN)]}
            if kind == "bezetting":
                row |= {"maand": f"2028-{n % 12 + 1:02d}"}
            row[column] = f"O{n}" if value == "SELF" else value
            if value == "SELF":
                row["referentie"] = row[column]
            out.append(row)
    out.append(base | {"referentie": "V0", "bsn": BSN[0]})  # a reference twice in the file
    out.append(base | {"referentie": "W1", "bsn": BAD, "contract": "C-onbekend"})
    return out


BAD = "123456789"


def csv_text(kind: str, rows: list[dict], *, crlf=False, extra_lines=True) -> str:
    names = NAMES[kind].split(";")
    lines = [NAMES[kind]]
    for i, row in enumerate(rows):
        lines.append(";".join(row.get(n, "") for n in names))
        if extra_lines and i == 3:
            lines.append("")  # a blank line
            lines.append(";" * (len(names) - 1))  # only delimiters
            lines.append(";".join(["Z1"] * (len(names) + 1)))  # a field too many
            lines.append("Z2;;x")  # too few
            lines.append(";".join(rows[0].get(n, "") for n in names).replace("V0", "Z3") + ";")
    end = "\r\n" if crlf else "\n"
    return end.join(lines) + end


def json_text(kind: str, rows: list[dict]) -> str:
    names = NAMES[kind].split(";")
    records: list = [{n: row.get(n, "") for n in names} for row in rows]
    records.insert(2, "geen object")
    records.insert(3, {"referentie": "J1"})  # missing columns
    records.insert(4, dict(records[0], referentie="J2", onbekend="x"))
    records.insert(5, dict(records[0], referentie="J3", contract=True))
    records.insert(6, dict(records[0], referentie="J4", corrigeert=None))
    body = json.dumps({"soort": kind, "regels": records}, ensure_ascii=False)
    # a number written as a number stays its text
    return body.replace('"aantal": "10"', '"aantal": 10')


@pytest.fixture
def staged(monkeypatch):
    """The staging table's rows (in line order) as each import leaves its rows-phase."""
    snapshots: list[list[tuple]] = []
    prepare = load.Stage.prepare

    def snapshot(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {self.table} ORDER BY line_no")
            snapshots.append([tuple(str(v) for v in r) for r in cursor.fetchall()])
        return prepare(self)

    monkeypatch.setattr(load.Stage, "prepare", snapshot)
    return snapshots


def both_ways(world, kind, path, fmt, settings, staged):
    outcome = []
    for vectorised in (True, False):
        settings.IMPORT_VECTORISED = vectorised
        before = len(staged)
        batch = run(world, kind, path, fmt)
        outcome.append(
            (
                batch.status,
                batch.error_count,
                batch.errors,
                batch.message,
                staged[before] if len(staged) > before else None,
            )
        )
    return outcome


KINDS = list(NAMES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", ["csv", "csv-crlf-bom", "csv-quoted", "json"])
def test_set_based_and_per_row_agree(world_a, tmp_path, settings, staged, kind, variant):
    rows = rows_for(world_a, kind)
    if variant == "json":
        path = write(tmp_path, json_text(kind, rows), "p.json")
        fmt = "json"
    else:
        text = csv_text(kind, rows, crlf=variant == "csv-crlf-bom")
        if variant == "csv-crlf-bom":
            text = "\ufeff" + text
        if variant == "csv-quoted":
            text = text.replace("V1;", '"V1";', 1)
        path = write(tmp_path, text, "p.csv")
        fmt = "csv"
    fast, slow = both_ways(world_a, kind, path, fmt, settings, staged)
    assert slow[0] == ImportStatus.REJECTED and slow[1] > 10
    assert fast[:4] == slow[:4]
    assert fast[4] == slow[4]


@pytest.mark.parametrize("kind", KINDS)
def test_valid_files_agree_and_import(world_a, tmp_path, settings, staged, kind):
    """Only valid rows (the plain ones): both ways stage the same; then they import."""
    rows = rows_for(world_a, kind)[:12]
    path = write(tmp_path, csv_text(kind, rows, extra_lines=False), "v.csv")
    settings.IMPORT_VECTORISED = False
    # staged per row, then rolled back by a duplicate of row 1 at the end
    text = csv_text(kind, [*rows, rows[0]], extra_lines=False)
    dup = write(tmp_path, text, "dup.csv")
    slow = run(world_a, kind, dup)
    settings.IMPORT_VECTORISED = True
    fast = run(world_a, kind, dup)
    assert slow.status == fast.status == ImportStatus.REJECTED
    assert staged[0] == staged[1] and len(staged[0]) == 13
    batch = run(world_a, kind, path)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_added == 12


def test_the_filter_accepts_plain_declarations_and_flags_the_rest(world_a, tmp_path):
    rows = rows_for(world_a, "declaraties")
    path = write(tmp_path, csv_text("declaraties", rows), "p.csv")
    frame = read_frame(path, "declaraties", "csv")
    lookups = Lookups.for_region(world_a.region)
    vetted = vet("declaraties", frame.frame, lookups)
    accepted = set(vetted.accepted["reference"].to_list())
    # the twelve plain rows, the last V0 (a double: only the checks across lines see it), and
    # the odd values the per-row rules also take as they are
    plain = {f"V{i}" for i in range(12)}
    assert plain <= accepted
    odd_accepted = accepted - plain
    by_ref = {r["referentie"]: r for r in rows}
    for ref in odd_accepted:
        row = by_ref[ref]
        # printable ASCII only; spaces around a value only in gemeente, whose code the filter
        # reads with the per-row function itself (once per distinct text)
        assert all(v.isascii() and v.isprintable() for v in row.values()), repr(row)
        assert all(v == v.strip() for k, v in row.items() if k != "gemeente"), repr(row)
    assert {"O22", "O25", "O39", "O59"} <= odd_accepted  # " GM…", 8-digit BSN, -01, unit 4
    # every non-ASCII or non-printable value was flagged
    # (a line with a control character is not even read set-based: it is an odd line)
    flagged = set(vetted.flagged["referentie"].to_list())
    flagged |= {values[0] for _r, values, _p in frame.odd if values is not None}
    # an odd line with a control character is refused as it is read: (column, reason)
    refused = {r: p for r, values, p in frame.odd if values is None and isinstance(p, tuple)}
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    at = lines[0].split(";").index("referentie")
    line_of = {}
    for number, line in enumerate(lines, start=1):
        fields = line.split(";")
        if len(fields) > at:
            line_of.setdefault(fields[at], number)
    assert not flagged & accepted
    for ref, row in by_ref.items():
        if any(not v.isascii() or not v.isprintable() for v in row.values()):
            if ref in flagged:
                continue
            column, reason = refused[line_of[ref]]
            assert "stuurteken" in reason or "regeleinde" in reason, (ref, column, reason)
    # odd lines (blank, width) are aside, with the per-row reader's row numbers
    width_or_blank = [r for r, values, p in frame.odd if values is None and r not in refused]
    assert width_or_blank == [8, 9, 10]


def test_set_based_pseudonyms_are_the_stored_keys(world_a, tmp_path, settings):
    key_text = settings.PSEUDONYM_KEY
    bsns = [valid_bsn(1_000 + 13 * i).zfill(9) for i in range(50)]
    assert pseudonymise_many(bsns) == [pseudonymise(b) for b in bsns]
    # also with a key longer than SHA-256's block (hashed first, as HMAC does)
    settings.PSEUDONYM_KEY = "k" * 100
    from monitoring.imports.pseudonym import _keyed

    _keyed.cache_clear()
    assert pseudonymise_many(bsns[:3]) == [
        hmac.new(b"k" * 100, b.encode(), hashlib.sha256).hexdigest() for b in bsns[:3]
    ]
    settings.PSEUDONYM_KEY = key_text
    # the key is the HMAC-SHA256 of the BSN under PSEUDONYM_KEY, as stored so far
    key = settings.PSEUDONYM_KEY.encode()
    assert pseudonymise_many(bsns[:1]) == [
        hmac.new(key, bsns[0].encode(), hashlib.sha256).hexdigest()
    ]
    rows = rows_for(world_a, "declaraties")[:12]
    text = csv_text("declaraties", rows, extra_lines=False)
    batch = run(world_a, "declaraties", write(tmp_path, text, "k.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    stored = dict(Declaration.objects.filter(batch=batch).values_list("reference", "client_key"))
    assert stored == {r["referentie"]: pseudonymise(r["bsn"]) for r in rows}


# --- the refresh after the write's commit -------------------------------------------------------


def test_the_refresh_runs_after_the_write_with_the_batch_still_running(
    world_a, tmp_path, monkeypatch
):
    from monitoring.kpis import rollups

    original = rollups.refresh_for_import
    seen = {}

    def watched(region_id, kind, spans):
        batch = ImportBatch.objects.get(region_id=region_id, status=ImportStatus.RUNNING)
        seen["status"] = batch.status
        seen["lines"] = Declaration.objects.filter(batch=batch).count()
        return original(region_id, kind, spans)

    monkeypatch.setattr(rollups, "refresh_for_import", watched)
    rows = rows_for(world_a, "declaraties")[:3]
    text = csv_text("declaraties", rows, extra_lines=False)
    batch = run(world_a, "declaraties", write(tmp_path, text))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    # the lines were written before the refresh, and the batch was not yet "Geïmporteerd"
    assert seen == {"status": ImportStatus.RUNNING, "lines": 3}
    assert KpiRollup.objects.filter(region=world_a.region, month=date(2026, 4, 1)).exists()


def test_a_failing_refresh_takes_the_write_back(world_a, tmp_path, monkeypatch):
    """A correction and a new line are written and committed; the refresh fails: the
    corrected line is active again, the new lines are gone, the figures are as before."""
    contract = world_a.con.contract

    def broken(*args, **kwargs):
        raise RuntimeError("rollups kapot")

    monkeypatch.setattr("monitoring.kpis.rollups.refresh_for_import", broken)
    figures = sorted(
        KpiRollup.objects.values_list("grain", "key", "month", "amount", "declaration_lines")
    )
    before = {(d.reference, d.active) for d in Declaration.objects.filter(contract=contract)}
    rows = [
        {"referentie": "D1-C", "corrigeert": "D1", "maand": "2026-01", "aantal": "6"},
        {"referentie": "NEW-1", "maand": "2026-04"},
    ]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.FAILED
    assert "rollups kapot" in batch.message and "niets geïmporteerd" in batch.message
    after = {(d.reference, d.active) for d in Declaration.objects.filter(contract=contract)}
    assert after == before and ("D1", True) in after
    assert (
        sorted(
            KpiRollup.objects.values_list("grain", "key", "month", "amount", "declaration_lines")
        )
        == figures
    )


def test_a_batch_run_again_after_a_lost_worker_starts_over(world_a, tmp_path):
    """A worker died between the write's commit and the refresh: the batch is still running
    with its lines written. Run again, it takes them back first and imports them anew."""
    from monitoring.imports.services import batch_create

    rows = [{"referentie": "L1", "corrigeert": "D2", "maand": "2026-02"}, {"referentie": "L2"}]
    path = write(tmp_path, declaration_csv(world_a, rows))
    batch = batch_create(
        region=world_a.region,
        kind="declaraties",
        file_format="csv",
        file_name=path.name,
        file_size=path.stat().st_size,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    batch.refresh_from_db()
    d2 = Declaration.objects.get(contract=world_a.con.contract, reference="D2")
    Declaration.objects.filter(pk=d2.pk).update(active=False)
    for reference, corrects in (("L1", "D2"), ("L2", "")):
        Declaration.objects.create(
            region=world_a.region,
            contract=world_a.con.contract,
            batch=batch,
            reference=reference,
            corrects=corrects,
            municipality=world_a.municipality,
            client_key="x" * 64,
            product=world_a.product,
            month=date(2026, 2, 1),
            quantity=Decimal("1"),
            unit="04",
            amount=Decimal("1"),
        )
    batch = import_file(batch=batch, path=path)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.rows_added, batch.rows_corrected, batch.rows_unchanged) == (1, 1, 0)
    assert Declaration.objects.filter(batch=batch).count() == 2
    assert not Declaration.objects.filter(client_key="x" * 64).exists()
    d2.refresh_from_db()
    assert not d2.active


@pytest.mark.parametrize("kind", [k for k in KINDS if "gemeente" in NAMES[k]])
@pytest.mark.parametrize("variant", ["csv", "json"])
def test_set_based_and_per_row_agree_on_a_contract_for_some_municipalities(
    world_a, tmp_path, settings, staged, kind, variant
):
    """The contract applies to Gemeente A1 only (contracts.scope): lines of Gemeente A2 are
    refused the same way per row and set-based (the filter flags them, the per-row check names
    the contract and its municipalities), among all the odd rows."""
    from contracts.scope import contract_set_municipality_scope

    contract_set_municipality_scope(
        contract=world_a.con.contract,
        municipalities=[world_a.municipality],
        effective_on=date(2026, 1, 1),
    )
    other = world_a.other_municipality.cbs_code
    base = defaults(world_a, kind)
    outside = [
        base | {"referentie": f"S{i}", "bsn": BSN[i % len(BSN)], "gemeente": gemeente}
        for i, gemeente in enumerate([other, other, f" {other}", other.lower()])
    ]
    rows = rows_for(world_a, kind)
    rows = [*rows[:12], *outside, *rows[12:]]
    if variant == "json":
        path, fmt = write(tmp_path, json_text(kind, rows), "s.json"), "json"
    else:
        path, fmt = write(tmp_path, csv_text(kind, rows), "s.csv"), "csv"
    fast, slow = both_ways(world_a, kind, path, fmt, settings, staged)
    assert slow[0] == ImportStatus.REJECTED
    assert fast[:4] == slow[:4]
    assert fast[4] == slow[4]
    refused = [e for e in slow[2] if "valt buiten contract" in e["message"]]
    assert len(refused) == 4 and {e["column"] for e in refused} == {"gemeente"}
    assert refused[0]["message"] == (
        "Gemeente Gemeente A2 valt buiten contract C-regio-a-001: dat contract geldt alleen "
        "voor Gemeente A1."
    )
