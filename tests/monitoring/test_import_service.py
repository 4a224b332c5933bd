"""Importing production files: every rejection with its message, whole or nothing, idempotency,
corrections, JSON, and no BSN anywhere in the database.

World A's contract ``C-regio-a-001`` runs from 01-01-2025 (3 + 1 + 1 years, so at the latest to
31-12-2029); its arrangements cover ``world.product`` (unit 04 uur) and ``con.stay_product``
(unit 14 etmaal, 4 places). It already has declarations D1-D3 and occupancy B1-B3 (2026-01..03).
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from monitoring.imports.pseudonym import pseudonymise
from monitoring.imports.services import batch_create, import_file
from monitoring.models import (
    LINE_MODELS,
    Allocation,
    Declaration,
    ImportBatch,
    ImportStatus,
    KpiRollup,
    Occupancy,
    OutcomeMeasurement,
    Referral,
    Trajectory,
)
from tests.segments.factories import ProductFactory

pytestmark = pytest.mark.django_db

DECLARATION_HEADER = (
    "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;bedrag"
)


def valid_bsn(seed: int) -> str:
    """A nine-digit number that passes the eleven-test (deterministic per seed)."""
    n = seed
    while True:
        digits = [int(d) for d in f"{n % 10**8:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check != 10 and any(digits):
            return "".join(map(str, digits)) + str(check)
        n += 1


BSN = [valid_bsn(10_000_000 + 7919 * i) for i in range(6)]
BAD_BSN = "123456789"  # 9·1+8·2+…+2·8 = 156, 156 − 9 = 147, not divisible by 11


def line_counts() -> dict[str, int]:
    return {kind: model.objects.count() for kind, model in LINE_MODELS.items()}


def write(tmp_path: Path, text: str | bytes, name="productie.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def run(world, kind: str, path: Path, file_format: str | None = None) -> ImportBatch:
    file_format = file_format or path.suffix.lstrip(".")
    batch = batch_create(
        region=world.region,
        kind=kind,
        file_format=file_format,
        file_name=path.name,
        file_size=path.stat().st_size,
    )
    import_file(batch=batch, path=path)
    batch.refresh_from_db()
    return batch


def declaration_csv(world, rows: list[dict], header: str = DECLARATION_HEADER) -> str:
    """Declaration lines; every value not given is a valid default."""
    names = header.split(";")
    lines = [header]
    for i, row in enumerate(rows, start=1):
        values = {
            "referentie": f"R{i}",
            "corrigeert": "",
            "contract": world.con.contract.reference,
            "gemeente": world.municipality.cbs_code,
            "bsn": BSN[i % len(BSN)],
            "product": world.product.code,
            "maand": "2026-04",
            "aantal": "10",
            "eenheid": "04",
            "bedrag": "721,00",
            **row,
        }
        lines.append(";".join(values[n] for n in names))
    return "\n".join(lines) + "\n"


def rejected_with(batch: ImportBatch, column: str, fragment: str, row: int | None = None):
    assert batch.status == ImportStatus.REJECTED, batch.message
    hits = [
        e
        for e in batch.errors
        if e["column"] == column and fragment in e["message"] and (row is None or e["row"] == row)
    ]
    assert hits, batch.errors
    return hits[0]


# --- rejections: one per kind of problem the issue names ----------------------------------------


def reject_one(world, tmp_path, row: dict):
    before = line_counts()
    batch = run(world, "declaraties", write(tmp_path, declaration_csv(world, [{}, row, {}])))
    assert line_counts() == before  # nothing at all was written
    assert batch.rows_added == 0
    return batch


def test_unknown_product_code(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"product": "99X99"})
    error = rejected_with(batch, "product", "Onbekende productcode '99X99'", row=3)
    assert "Regio A" in error["message"]
    assert batch.error_count == 1
    assert "1 fout in 1 regel" in batch.message


def test_product_of_another_region_is_unknown(world_a, world_b, tmp_path):
    batch = reject_one(world_a, tmp_path, {"product": world_b.product.code + "X"})
    rejected_with(batch, "product", "Onbekende productcode")


def test_product_outside_the_contracts_arrangements(world_a, tmp_path):
    other = ProductFactory(region=world_a.region, care_form=world_a.care_form, unit="04")
    batch = reject_one(world_a, tmp_path, {"product": other.code})
    rejected_with(
        batch,
        "product",
        f"Product {other.code} valt niet onder een bekostigingsafspraak van contract "
        f"{world_a.con.contract.reference}",
    )


def test_unknown_municipality_code(world_a, world_b, tmp_path):
    batch = reject_one(world_a, tmp_path, {"gemeente": world_b.municipality.cbs_code})
    rejected_with(
        batch,
        "gemeente",
        f"Onbekende gemeentecode '{world_b.municipality.cbs_code}': geen gemeente van Regio A",
        row=3,
    )


def test_unknown_contract(world_a, world_b, tmp_path):
    batch = reject_one(world_a, tmp_path, {"contract": world_b.con.contract.reference})
    rejected_with(batch, "contract", f"Onbekend contract '{world_b.con.contract.reference}'")


def test_unit_that_does_not_fit_the_product(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"eenheid": "01"})
    rejected_with(
        batch,
        "eenheid",
        f"Product {world_a.product.code} wordt geleverd in eenheid 04 uur, niet in 01 minuut.",
        row=3,
    )


def test_unknown_unit_code(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"eenheid": "99"})
    rejected_with(batch, "eenheid", "Onbekende waarde '99' voor eenheid; toegestaan: 01, 04")


def test_negative_quantity(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"aantal": "-3"})
    rejected_with(batch, "aantal", "Aantal mag niet negatief zijn (-3).", row=3)


def test_negative_amount(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"bedrag": "-10,00"})
    rejected_with(batch, "bedrag", "Bedrag mag niet negatief zijn (-10,00).")


def test_absurd_quantity(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"aantal": "800"})
    rejected_with(
        batch,
        "aantal",
        "Aantal 800 uur in één maand kan niet: hoogstens 744 uur per regel per maand.",
        row=3,
    )


def test_absurd_amount(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"bedrag": "300000"})
    rejected_with(
        batch,
        "bedrag",
        "Bedrag € 300.000,00 op één regel is onwaarschijnlijk hoog: hoogstens € 250.000,00",
    )


@pytest.mark.parametrize(
    ("month", "shown"), [("2024-12", "2024-12"), ("2030-01", "2030-01")], ids=["before", "after"]
)
def test_period_outside_the_contract(world_a, tmp_path, month, shown):
    batch = reject_one(world_a, tmp_path, {"maand": month})
    rejected_with(
        batch,
        "maand",
        f"Maand {shown} valt buiten de looptijd van contract {world_a.con.contract.reference} "
        "(01-01-2025 – 31-12-2029).",
        row=3,
    )


@pytest.mark.parametrize("month", ["2026-13", "april", "2026/04", "26-04"])
def test_malformed_month(world_a, tmp_path, month):
    batch = reject_one(world_a, tmp_path, {"maand": month})
    rejected_with(batch, "maand", f"'{month}' is geen geldige maand; gebruik JJJJ-MM")


def test_malformed_dates(world_a, tmp_path):
    text = (
        "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde\n"
        f"T1;;{world_a.con.contract.reference};{world_a.municipality.cbs_code};{BSN[0]};"
        f"{world_a.product.code};2026-02-30;;\n"
        f"T2;;{world_a.con.contract.reference};{world_a.municipality.cbs_code};{BSN[1]};"
        f"{world_a.product.code};2026-02-01;01-03-2026;01\n"
    )
    before = line_counts()
    batch = run(world_a, "trajecten", write(tmp_path, text))
    assert line_counts() == before
    rejected_with(batch, "start", "'2026-02-30' is geen geldige datum; gebruik JJJJ-MM-DD", row=2)
    rejected_with(batch, "einde", "'01-03-2026' is geen geldige datum", row=3)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1.234,50", "gebruik geen scheidingsteken voor duizendtallen"),
        ("tien", "'tien' is geen getal"),
        ("10,125", "'10,125' heeft te veel decimalen: hoogstens 2."),
    ],
)
def test_malformed_numbers(world_a, tmp_path, value, fragment):
    batch = reject_one(world_a, tmp_path, {"bedrag": value})
    rejected_with(batch, "bedrag", fragment)


def test_bsn_failing_the_eleven_test_is_masked(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"bsn": BAD_BSN})
    error = rejected_with(batch, "bsn", "BSN ****6789 voldoet niet aan de elfproef.", row=3)
    assert BAD_BSN not in error["message"]
    assert BAD_BSN not in json.dumps(batch.errors) + batch.message


def test_bsn_with_too_few_digits(world_a, tmp_path):
    batch = reject_one(world_a, tmp_path, {"bsn": "1234567"})
    rejected_with(batch, "bsn", "heeft geen 9 cijfers")


def test_bsn_with_a_dropped_leading_zero_is_accepted(world_a, tmp_path):
    bsn = next(b for b in (valid_bsn(i) for i in range(1, 10**6, 7)) if b.startswith("0"))
    text = declaration_csv(world_a, [{"bsn": bsn[1:]}])
    batch = run(world_a, "declaraties", write(tmp_path, text))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert Declaration.objects.get(reference="R1").client_key == pseudonymise(bsn)


def test_empty_file(world_a, tmp_path):
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, b""))
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors == [{"row": 0, "column": "", "message": "Het bestand is leeg."}]
    assert line_counts() == before


def test_header_only(world_a, tmp_path):
    batch = run(world_a, "declaraties", write(tmp_path, DECLARATION_HEADER + "\n"))
    rejected_with(batch, "", "alleen een kopregel")


def test_a_two_gigabyte_file_is_refused_before_reading(world_a, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1 << 30
    path = tmp_path / "groot.csv"
    with open(path, "wb") as f:
        f.write(b"niet eens een kopregel")
    os.truncate(path, 2 * (1 << 30))  # sparse: nothing is written to disk
    before = line_counts()
    batch = run(world_a, "declaraties", path)
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors[0]["message"] == (
        "Het bestand is 2,0 GB; het maximum is 1,0 GB per bestand. Splits het bestand op."
    )
    assert batch.sha256 == ""  # not even hashed
    assert batch.file_size == 2 * (1 << 30)
    assert line_counts() == before


def test_wrong_encoding(world_a, tmp_path):
    text = declaration_csv(world_a, [{}, {"referentie": "Zorg één"}, {}])
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, text.encode("cp1252")))
    error = rejected_with(batch, "", "Het bestand is geen UTF-8 (onleesbaar teken in regel 3)")
    assert "CSV UTF-8" in error["message"]
    assert line_counts() == before


def test_utf16_is_named(world_a, tmp_path):
    text = declaration_csv(world_a, [{}])
    batch = run(world_a, "declaraties", write(tmp_path, text.encode("utf-16")))
    rejected_with(batch, "", "Het bestand is UTF-16, niet UTF-8")


def test_a_bom_is_fine(world_a, tmp_path):
    text = declaration_csv(world_a, [{}])
    batch = run(world_a, "declaraties", write(tmp_path, text.encode("utf-8-sig")))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors


@pytest.mark.parametrize(("delimiter", "shown"), [(",", ","), ("\t", "tab")])
def test_wrong_delimiter(world_a, tmp_path, delimiter, shown):
    text = declaration_csv(world_a, [{}]).replace(";", delimiter)
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, text))
    rejected_with(batch, "", f"Scheidingsteken '{shown}' gevonden; verwacht ';'")
    assert line_counts() == before


def test_missing_and_unknown_columns_are_named(world_a, tmp_path):
    header = "referentie;contract;gemeente;bsn;product;maand;hoeveelheid;eenheid;bedrag"
    batch = run(world_a, "declaraties", write(tmp_path, header + "\nR1;x;x;x;x;x;x;x;x\n"))
    error = rejected_with(batch, "", "onbekende kolom(men): hoeveelheid")
    assert "ontbrekende kolom(men): aantal" in error["message"]
    assert "corrigeert" not in error["message"].split("Verwacht")[0]  # it may be left out


def test_columns_of_another_kind_are_recognised(world_a, tmp_path):
    header = "referentie;corrigeert;contract;maand;plaatsen;bezette_dagen"
    batch = run(world_a, "declaraties", write(tmp_path, header + "\nB9;;x;2026-04;4;10\n"))
    rejected_with(batch, "", "Deze kolommen horen bij capaciteit en bezetting")


def test_any_column_order_and_no_corrects_column(world_a, tmp_path):
    header = "bedrag;eenheid;aantal;maand;product;bsn;gemeente;contract;referentie"
    text = declaration_csv(world_a, [{"aantal": "12,5"}], header=header)
    batch = run(world_a, "declaraties", write(tmp_path, text))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    line = Declaration.objects.get(reference="R1")
    assert line.quantity == Decimal("12.50") and line.amount == Decimal("721.00")
    assert line.month == date(2026, 4, 1) and line.unit == "04"


def test_a_line_with_too_many_fields(world_a, tmp_path):
    text = declaration_csv(world_a, [{}, {"bedrag": "721;00"}])
    batch = run(world_a, "declaraties", write(tmp_path, text))
    rejected_with(batch, "", "Deze regel heeft 11 velden, de kopregel 10", row=3)


# --- whole or nothing ---------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing(world_a, tmp_path):
    rows = [{"maand": f"2026-{m:02d}"} for m in range(4, 13)]
    rows[5] = {"product": "ONBEKEND"}
    before = line_counts()
    rollups = KpiRollup.objects.count()
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.REJECTED
    assert batch.error_count == 1 and batch.errors[0]["row"] == 7
    assert line_counts() == before
    assert KpiRollup.objects.count() == rollups
    assert batch.rows_total == 9 and batch.rows_done == 9
    assert batch.finished_at is not None


def test_all_errors_of_all_rows_are_reported_in_order(world_a, tmp_path):
    rows = [{"product": "X1", "aantal": "-1"}, {}, {"gemeente": "GM0000", "bsn": BAD_BSN}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (2, "product"),
        (2, "aantal"),
        (4, "gemeente"),
        (4, "bsn"),
    ]
    assert batch.error_count == 4
    assert "4 fouten in 2 regels" in batch.message


def test_only_the_first_thousand_errors_are_kept(world_a, tmp_path):
    rows = [{"product": "X"}] * 1205
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.error_count == 1205
    assert len(batch.errors) == 1000
    assert batch.errors[-1]["row"] == 1001
    assert "1.205 fouten (de eerste 1.000 staan hieronder)" in batch.message


def test_a_failing_refresh_rolls_the_import_back(world_a, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("rollups kapot")

    monkeypatch.setattr("monitoring.kpis.rollups.refresh_for_import", broken)
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{}, {}])))
    assert batch.status == ImportStatus.FAILED
    assert "rollups kapot" in batch.message and "niets geïmporteerd" in batch.message
    assert line_counts() == before


# --- success, idempotency and corrections -------------------------------------------------------


def test_import_adds_lines_and_refreshes_the_months(world_a, tmp_path):
    rows = [{"maand": "2026-04"}, {"maand": "2026-05", "aantal": "7,5", "bedrag": "540.75"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.rows_total, batch.rows_added, batch.rows_unchanged) == (2, 2, 0)
    assert batch.months == ["2026-04-01", "2026-05-01"]
    assert batch.sha256 and batch.started_at and batch.finished_at
    line = Declaration.objects.get(reference="R2")
    assert line.batch == batch and line.active and line.region == world_a.region
    assert line.client_key == pseudonymise(BSN[2])
    assert line.quantity == Decimal("7.50") and line.amount == Decimal("540.75")
    assert KpiRollup.objects.filter(region=world_a.region, month=date(2026, 5, 1)).exists()


def test_the_same_file_twice_adds_nothing(world_a, tmp_path):
    path = write(tmp_path, declaration_csv(world_a, [{}, {"maand": "2026-05"}, {}]))
    first = run(world_a, "declaraties", path)
    assert first.rows_added == 3
    counts = line_counts()
    second = run(world_a, "declaraties", path)
    assert second.status == ImportStatus.SUCCEEDED
    assert (second.rows_added, second.rows_unchanged, second.rows_corrected) == (0, 3, 0)
    assert second.months == []
    assert line_counts() == counts
    assert second.sha256 == first.sha256


def test_same_reference_with_other_content_is_refused(world_a, tmp_path):
    run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{}])))
    before = line_counts()
    changed = declaration_csv(world_a, [{"aantal": "11", "bedrag": "793,10"}])
    batch = run(world_a, "declaraties", write(tmp_path, changed, "gewijzigd.csv"))
    rejected_with(
        batch,
        "referentie",
        "Referentie R1 bestaat al met andere gegevens (verschil in: aantal, bedrag); lever een "
        "correctieregel met kolom corrigeert.",
        row=2,
    )
    assert line_counts() == before


def test_a_reference_twice_in_one_file(world_a, tmp_path):
    rows = [{}, {"referentie": "R1", "maand": "2026-05"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    rejected_with(
        batch, "referentie", "Referentie R1 van contract C-regio-a-001 staat al in regel 2", row=3
    )


def test_a_correction_replaces_the_line(world_a, tmp_path):
    from monitoring.kpis.production import production_source

    contract = world_a.con.contract
    d1 = Declaration.objects.get(contract=contract, reference="D1")  # 2026-01, 10 uur
    text = declaration_csv(
        world_a,
        [
            {
                "referentie": "D1-C",
                "corrigeert": "D1",
                "maand": "2026-01",
                "aantal": "6",
                "bedrag": "432,60",
            }
        ],
    )
    path = write(tmp_path, text)
    batch = run(world_a, "declaraties", path)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.rows_added, batch.rows_corrected) == (0, 1)
    assert batch.months == ["2026-01-01"]
    d1.refresh_from_db()
    assert not d1.active
    new = Declaration.objects.get(contract=contract, reference="D1-C")
    assert new.active and new.corrects == "D1" and new.quantity == Decimal("6")
    # settlement's production source sees the correction, not the corrected line
    production = production_source([contract.pk], date(2026, 1, 1), date(2026, 1, 31))
    assert [d.quantity for d in production[contract.pk].deliveries] == [Decimal("6.00")]

    counts = line_counts()
    again = run(world_a, "declaraties", path)
    assert again.status == ImportStatus.SUCCEEDED, again.errors
    assert (again.rows_added, again.rows_corrected, again.rows_unchanged) == (0, 0, 1)
    assert line_counts() == counts
    d1.refresh_from_db()
    assert not d1.active


def test_a_correction_within_the_file(world_a, tmp_path):
    rows = [{"referentie": "N1"}, {"referentie": "N1-C", "corrigeert": "N1", "aantal": "9"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.rows_added, batch.rows_corrected) == (1, 1)
    assert not Declaration.objects.get(reference="N1").active
    assert Declaration.objects.get(reference="N1-C").active


def test_correction_of_an_unknown_reference(world_a, tmp_path):
    rows = [{"referentie": "X-C", "corrigeert": "BESTAAT-NIET"}]
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    rejected_with(
        batch,
        "corrigeert",
        "Er is geen regel BESTAAT-NIET bij contract C-regio-a-001 om te corrigeren",
        row=2,
    )
    assert line_counts() == before


def test_correction_of_a_line_later_in_the_file(world_a, tmp_path):
    rows = [{"referentie": "L-C", "corrigeert": "L"}, {"referentie": "L"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    rejected_with(batch, "corrigeert", "Regel L staat pas later in dit bestand (regel 3)")


def test_correction_of_a_line_already_corrected(world_a, tmp_path):
    first = [{"referentie": "D2-C", "corrigeert": "D2", "maand": "2026-02"}]
    run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, first)))
    second = [{"referentie": "D2-C2", "corrigeert": "D2", "maand": "2026-02"}]
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, second), "b.csv"))
    rejected_with(
        batch,
        "corrigeert",
        "Regel D2 is al gecorrigeerd (door D2-C); corrigeer de geldende regel D2-C.",
    )
    assert line_counts() == before


def test_two_corrections_of_one_line_in_a_file(world_a, tmp_path):
    rows = [
        {"referentie": "D3-A", "corrigeert": "D3", "maand": "2026-03"},
        {"referentie": "D3-B", "corrigeert": "D3", "maand": "2026-03"},
    ]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    rejected_with(batch, "corrigeert", "Regel D3 wordt in dit bestand al gecorrigeerd door regel 2")


def test_a_line_cannot_correct_itself(world_a, tmp_path):
    rows = [{"referentie": "Z", "corrigeert": "Z"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    rejected_with(batch, "corrigeert", "Een regel kan zichzelf niet corrigeren.")


# --- the other kinds ----------------------------------------------------------------------------


def _client_line(world, *values) -> str:
    return ";".join(
        [
            values[0],
            values[1],
            world.con.contract.reference,
            world.municipality.cbs_code,
            *values[2:],
        ]
    )


def test_trajectories(world_a, tmp_path):
    w = world_a
    text = "\n".join(
        [
            "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde",
            _client_line(w, "T1", "", BSN[0], w.product.code, "2026-01-05", "2026-03-31", "03"),
            _client_line(w, "T2", "", BSN[1], w.product.code, "2026-02-01", "", ""),
            _client_line(w, "T3", "", BSN[2], w.product.code, "2026-02-01", "2026-01-01", "01"),
            _client_line(w, "T4", "", BSN[3], w.product.code, "2026-02-01", "2026-02-02", ""),
            _client_line(w, "T5", "", BSN[4], w.product.code, "2026-02-01", "", "01"),
            _client_line(w, "T6", "", BSN[5], w.product.code, "2026-02-01", "2026-02-02", "9"),
        ]
    )
    batch = run(w, "trajecten", write(tmp_path, text + "\n"))
    rejected_with(batch, "einde", "Einde 01-01-2026 ligt vóór de start 01-02-2026.", row=4)
    rejected_with(batch, "reden_einde", "Reden_einde is verplicht als einde is ingevuld.", row=5)
    rejected_with(batch, "reden_einde", "alleen in als einde is ingevuld", row=6)
    rejected_with(batch, "reden_einde", "Onbekende waarde '9' voor reden_einde", row=7)
    assert batch.error_count == 4
    good = "\n".join(text.splitlines()[:3]) + "\n"
    batch = run(w, "trajecten", write(tmp_path, good, "goed.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    t1 = Trajectory.objects.get(reference="T1")
    assert (t1.started_on, t1.ended_on, t1.end_reason) == (
        date(2026, 1, 5),
        date(2026, 3, 31),
        "03",
    )
    t2 = Trajectory.objects.get(reference="T2")
    assert t2.ended_on is None and t2.end_reason == ""
    assert "2026-01-01" in batch.months and "2026-03-01" in batch.months


def test_allocations(world_a, tmp_path):
    w = world_a
    text = "\n".join(
        [
            "referentie;corrigeert;contract;gemeente;bsn;product;ingang;einde",
            _client_line(w, "A1", "", BSN[0], w.product.code, "2026-01-01", "2026-06-30"),
            _client_line(w, "A2", "", BSN[1], w.product.code, "2024-12-31", ""),
        ]
    )
    batch = run(w, "toewijzingen", write(tmp_path, text + "\n"))
    rejected_with(batch, "ingang", "Ingang 31-12-2024 valt buiten de looptijd", row=3)
    batch = run(w, "toewijzingen", write(tmp_path, "\n".join(text.splitlines()[:2]), "a.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert Allocation.objects.get(reference="A1").end == date(2026, 6, 30)


def test_referrals_up_to_a_year_before_the_start(world_a, tmp_path):
    w = world_a
    text = "\n".join(
        [
            "referentie;corrigeert;contract;gemeente;bsn;datum;verwijzer",
            _client_line(w, "V1", "", BSN[0], "2024-01-01", "2"),
            _client_line(w, "V2", "", BSN[1], "2023-12-31", "01"),
            _client_line(w, "V3", "", BSN[2], "2026-01-01", "07"),
        ]
    )
    batch = run(w, "verwijzingen", write(tmp_path, text + "\n"))
    rejected_with(batch, "datum", "een verwijzing mag tot een jaar vóór de ingangsdatum", row=3)
    rejected_with(batch, "verwijzer", "Onbekende waarde '07' voor verwijzer", row=4)
    batch = run(w, "verwijzingen", write(tmp_path, "\n".join(text.splitlines()[:2]), "v.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert Referral.objects.get(reference="V1").referrer == "02"  # "2" read as 02


def test_outcomes(world_a, tmp_path):
    w = world_a
    text = "\n".join(
        [
            "referentie;corrigeert;contract;gemeente;bsn;moment;datum;doelrealisatie;clientervaring",
            _client_line(w, "U1", "", BSN[0], "einde", "2026-03-15", "80", "7,5"),
            _client_line(w, "U2", "", BSN[1], "2j", "2032-01-31", "", "8"),
            _client_line(w, "U3", "", BSN[2], "2j", "2032-02-01", "50", ""),
            _client_line(w, "U4", "", BSN[3], "einde", "2026-03-15", "", ""),
            _client_line(w, "U5", "", BSN[4], "einde", "2026-03-15", "101", "0"),
            _client_line(w, "U6", "", BSN[5], "later", "2026-03-15", "50", ""),
        ]
    )
    batch = run(w, "uitkomsten", write(tmp_path, text + "\n"))
    rejected_with(batch, "datum", "een meting mag tot 2 jaar en 1 maand na het einde", row=4)
    rejected_with(batch, "doelrealisatie", "minstens één van beide", row=5)
    rejected_with(batch, "doelrealisatie", "Doelrealisatie 101 ligt niet tussen 0 en 100.", row=6)
    rejected_with(batch, "clientervaring", "Cliëntervaring 0 ligt niet tussen 1 en 10.", row=6)
    rejected_with(batch, "moment", "Onbekende waarde 'later' voor moment", row=7)
    batch = run(w, "uitkomsten", write(tmp_path, "\n".join(text.splitlines()[:3]), "u.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    u1 = OutcomeMeasurement.objects.get(reference="U1")
    assert (u1.goal_realisation, u1.client_experience) == (Decimal("80"), Decimal("7.5"))
    assert OutcomeMeasurement.objects.get(reference="U2").goal_realisation is None


def test_occupancy(world_a, tmp_path):
    w = world_a
    ref = w.con.contract.reference
    header = "referentie;corrigeert;contract;maand;plaatsen;bezette_dagen"
    bad = "\n".join(
        [
            header,
            f"B4;;{ref};2026-04;4;130",  # 4 × 30 = 120
            f"B5;;{ref};2026-01;4;60",  # January already has B1
            f"B6;;{ref};2026-05;4;10",
            f"B7;;{ref};2026-05;4;11",  # May twice in the file
            f"B8;;{ref};2026-06;4,5;10",
        ]
    )
    batch = run(w, "bezetting", write(tmp_path, bad + "\n"))
    rejected_with(
        batch,
        "bezette_dagen",
        "Bezette dagen 130 is meer dan 4 plaatsen × 30 dagen = 120 in 2026-04.",
        row=2,
    )
    rejected_with(
        batch, "maand", "heeft voor 2026-01 al een geldende bezettingsregel (referentie B1)", row=3
    )
    rejected_with(
        batch, "maand", "voor 2026-05 al een geldende bezettingsregel (referentie B6)", row=5
    )
    rejected_with(batch, "plaatsen", "'4,5' is geen geheel getal.", row=6)
    good = "\n".join([header, f"B1-C;B1;{ref};2026-01;4;75,5", f"B4;;{ref};2026-04;4;100"])
    batch = run(w, "bezetting", write(tmp_path, good + "\n", "goed.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert not Occupancy.objects.get(reference="B1").active
    assert Occupancy.objects.get(reference="B1-C").occupied_days == Decimal("75.5")
    assert batch.months == ["2026-01-01", "2026-04-01"]


# --- JSON ---------------------------------------------------------------------------------------


def test_json_with_kind_and_lines(world_a, tmp_path):
    w = world_a
    data = {
        "soort": "declaraties",
        "regels": [
            {
                "referentie": "J1",
                "contract": w.con.contract.reference,
                "gemeente": w.municipality.cbs_code,
                "bsn": int(BSN[1]),
                "product": w.product.code,
                "maand": "2026-06",
                "aantal": 12.25,
                "eenheid": "04",
                "bedrag": 883.23,
            }
        ],
    }
    path = write(tmp_path, json.dumps(data), "productie.json")
    batch = run(w, "declaraties", path)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    line = Declaration.objects.get(reference="J1")
    assert line.quantity == Decimal("12.25") and line.amount == Decimal("883.23")
    assert line.client_key == pseudonymise(BSN[1])


def test_json_bare_list_with_errors_by_position(world_a, tmp_path):
    w = world_a
    good = {
        "referentie": "J1",
        "corrigeert": None,
        "contract": w.con.contract.reference,
        "gemeente": w.municipality.cbs_code,
        "bsn": BSN[1],
        "product": w.product.code,
        "maand": "2026-06",
        "aantal": "1",
        "eenheid": "04",
        "bedrag": "72,10",
    }
    records = [good, {**good, "referentie": "J2", "aantal": -1}, {**good, "extra": 1}, "tekst"]
    batch = run(w, "declaraties", write(tmp_path, json.dumps(records), "lijst.json"))
    rejected_with(batch, "aantal", "Aantal mag niet negatief zijn (-1).", row=2)
    rejected_with(batch, "", "Onbekende kolom(men): extra", row=3)
    rejected_with(batch, "", "geen object", row=4)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"soort": "declaraties", "regels": [', "Het bestand is geen geldige JSON"),
        ('{"soort": "trajecten", "regels": []}', "Het bestand bevat trajecten (soort 'trajecten')"),
        ('{"regels": {"a": 1}}', 'Verwacht een object met "soort" en "regels"'),
        ('"tekst"', 'Verwacht een object met "soort" en "regels"'),
        ("[]", "Het bestand bevat geen regels."),
    ],
)
def test_json_file_problems(world_a, tmp_path, content, fragment):
    before = line_counts()
    batch = run(world_a, "declaraties", write(tmp_path, content, "x.json"))
    rejected_with(batch, "", fragment)
    assert line_counts() == before


# --- no BSN anywhere ----------------------------------------------------------------------------


def text_columns_containing(values: list[str]) -> list[str]:
    """Every (table, column) of the database whose text holds one of ``values``."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                condition = " OR ".join(f"CAST({name} AS TEXT) LIKE %s" for _ in values)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {condition}",
                    [f"%{v}%" for v in values],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def test_no_bsn_reaches_the_database(world_a, tmp_path):
    w = world_a
    good = declaration_csv(w, [{"bsn": b} for b in BSN])
    assert run(w, "declaraties", write(tmp_path, good)).status == ImportStatus.SUCCEEDED
    trajectories = "\n".join(
        [
            "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde",
            _client_line(w, "T1", "", BSN[0], w.product.code, "2026-01-05", "", ""),
        ]
    )
    assert run(w, "trajecten", write(tmp_path, trajectories, "t.csv")).status == "succeeded"
    # a rejected file keeps its errors: those must not hold a BSN either
    bad = declaration_csv(w, [{"bsn": BAD_BSN, "product": "X"}, {"bsn": BSN[0], "aantal": "-1"}])
    rejected = run(w, "declaraties", write(tmp_path, bad, "fout.csv"))
    assert rejected.status == ImportStatus.REJECTED
    assert text_columns_containing([*BSN, BAD_BSN]) == []
    # and the check itself works: a pseudonym is found where it is
    assert text_columns_containing([pseudonymise(BSN[0])]) == [
        "monitoring_declaration.client_key",
        "monitoring_trajectory.client_key",
    ]


# --- PostgreSQL: the COPY path ------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the COPY path runs on PostgreSQL only"
)


@postgres_only
def test_copy_path_stages_and_loads_many_lines(world_a, tmp_path, django_assert_max_num_queries):
    rows = [
        {"referentie": f"P{i}", "maand": f"2026-{1 + i % 12:02d}", "bsn": BSN[i % 6]}
        for i in range(12_000)
    ]
    path = write(tmp_path, declaration_csv(world_a, rows))
    # staging goes by COPY in blocks of 5,000, not one INSERT per line
    with django_assert_max_num_queries(120):
        batch = run(world_a, "declaraties", path)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_added == 12_000
    assert Declaration.objects.filter(batch=batch).count() == 12_000
    assert len(batch.months) == 12
    again = run(world_a, "declaraties", path)
    assert (again.rows_added, again.rows_unchanged) == (0, 12_000)


@postgres_only
def test_copy_path_leaves_no_staging_table(world_a, tmp_path):
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{}])))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_class WHERE relname LIKE %s", ["import_stage_%"])
        assert cursor.fetchone()[0] == 0
    assert batch.status == ImportStatus.SUCCEEDED


@postgres_only
def test_copy_path_escapes_awkward_references(world_a, tmp_path):
    # (a tab is refused at the door since issue 20: a control character; see test_corpus.py)
    references = ["R\\1", 'R"3', "R;4", "R é 5"]
    rows = [{"referentie": f'"{r.replace(chr(34), chr(34) * 2)}"'} for r in references]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert set(Declaration.objects.filter(batch=batch).values_list("reference", flat=True)) == set(
        references
    )


# --- the task -----------------------------------------------------------------------------------


def test_the_task_imports_and_deletes_the_file(world_a, tmp_path):
    from monitoring.tasks import import_batch

    path = write(tmp_path, declaration_csv(world_a, [{}]))
    batch = batch_create(
        region=world_a.region,
        kind="declaraties",
        file_format="csv",
        file_name="a.csv",
        file_size=path.stat().st_size,
    )
    assert import_batch.delay(batch.pk, str(path)).get() == ImportStatus.SUCCEEDED
    assert not path.exists()
    # delivered twice: the outcome stands
    path = write(tmp_path, b"")
    assert import_batch(batch.pk, str(path)) == ImportStatus.SUCCEEDED
    assert not path.exists()


def test_the_task_deletes_the_file_even_when_it_fails(world_a, tmp_path):
    from monitoring.tasks import import_batch

    path = write(tmp_path, declaration_csv(world_a, [{}]))
    with pytest.raises(ImportBatch.DoesNotExist):
        import_batch(987654, str(path))
    assert not path.exists()


def test_trailing_delimiters_of_a_spreadsheet_are_ignored(world_a, tmp_path):
    text = declaration_csv(world_a, [{}, {"maand": "2026-05"}])
    lines = text.splitlines()
    lines = [lines[0] + ";;", lines[1] + ";;", lines[2], ";;;;;;;;;;;"]
    batch = run(world_a, "declaraties", write(tmp_path, "\n".join(lines) + "\n"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_added == 2
    # but a value in an unnamed column is not silently dropped
    lines[2] += ";;x"
    batch = run(world_a, "declaraties", write(tmp_path, "\n".join(lines) + "\n", "b.csv"))
    rejected_with(batch, "", "Deze regel heeft 12 velden, de kopregel 10", row=3)


def test_progress_is_saved_while_checking(world_a, tmp_path, monkeypatch):
    monkeypatch.setattr("monitoring.imports.services.PROGRESS_EVERY", 2)
    monkeypatch.setattr("monitoring.imports.services.FRAME_PROGRESS_EVERY", 2)
    path = write(
        tmp_path, declaration_csv(world_a, [{"maand": f"2026-{m:02d}"} for m in range(4, 9)])
    )
    batch = batch_create(
        region=world_a.region,
        kind="declaraties",
        file_format="csv",
        file_name=path.name,
        file_size=path.stat().st_size,
    )
    assert batch.status == ImportStatus.QUEUED
    seen = []

    def progress(done, total):
        saved = ImportBatch.objects.get(pk=batch.pk)
        seen.append((done, total, saved.rows_done, saved.status))

    import_file(batch=batch, path=path, on_progress=progress)
    assert seen == [
        (0, 5, 0, ImportStatus.RUNNING),
        (2, 5, 2, ImportStatus.RUNNING),
        (4, 5, 4, ImportStatus.RUNNING),
        (5, 5, 5, ImportStatus.RUNNING),
    ]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED and batch.progress == 100


def test_outcomes_with_the_regions_own_measurements(world_a, tmp_path):
    """A region's measurement kinds come in the columns meting and waarde (issue 17); a kind
    the region does not define, a value outside the kind's range or not yes/no: rejected, and
    nothing of the file is imported."""
    from monitoring.kpis import services as kpi_services

    w = world_a
    safety = kpi_services.measurement_kind_create(
        region=w.region, code="veiligheid", name="Veiligheid", minimum=1, maximum=10
    )
    school = kpi_services.measurement_kind_create(
        region=w.region, code="school", name="Naar school", value_type="yes_no"
    )
    header = (
        "referentie;corrigeert;contract;gemeente;bsn;moment;datum;doelrealisatie;clientervaring;"
        "meting;waarde"
    )
    good = [
        _client_line(w, "M1", "", BSN[0], "einde", "2026-03-15", "", "") + ";veiligheid;7,5",
        _client_line(w, "M2", "", BSN[1], "einde", "2026-03-15", "", "") + ";School;ja",
        _client_line(w, "M3", "", BSN[2], "einde", "2026-03-15", "80", "") + ";;",
    ]
    bad = [
        _client_line(w, "M4", "", BSN[3], "einde", "2026-03-15", "", "") + ";welzijn;5",
        _client_line(w, "M5", "", BSN[4], "einde", "2026-03-15", "", "") + ";veiligheid;11",
        _client_line(w, "M6", "", BSN[5], "einde", "2026-03-15", "", "") + ";school;misschien",
        _client_line(w, "M7", "", BSN[0], "start", "2026-03-15", "", "") + ";;4",
        _client_line(w, "M8", "", BSN[1], "start", "2026-03-15", "", "") + ";veiligheid;",
    ]
    before = OutcomeMeasurement.objects.count()
    batch = run(w, "uitkomsten", write(tmp_path, "\n".join([header, *good, *bad]) + "\n"))
    rejected_with(batch, "meting", "Meting welzijn is geen soort meting van regio", row=5)
    rejected_with(batch, "meting", "school, veiligheid", row=5)  # the kinds it does know
    rejected_with(batch, "waarde", "Waarde 11 van meting veiligheid ligt niet tussen 1 en 10", 6)
    rejected_with(batch, "waarde", "Meting school is ja/nee", row=7)
    rejected_with(batch, "meting", "Bij een waarde hoort een meting", row=8)
    rejected_with(batch, "waarde", "leeg", row=9)
    assert OutcomeMeasurement.objects.count() == before
    batch = run(w, "uitkomsten", write(tmp_path, "\n".join([header, *good]) + "\n", "ok.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    m1 = OutcomeMeasurement.objects.get(reference="M1")
    assert (m1.measurement_kind, m1.measurement_value) == (safety, Decimal("7.5"))
    assert m1.goal_realisation is None and m1.client_experience is None
    m2 = OutcomeMeasurement.objects.get(reference="M2")
    assert (m2.measurement_kind, m2.measurement_value) == (school, Decimal("1"))
    assert OutcomeMeasurement.objects.get(reference="M3").measurement_kind is None
    # delivered again: nothing added
    again = run(w, "uitkomsten", write(tmp_path, "\n".join([header, *good]) + "\n", "ok2.csv"))
    assert again.status == ImportStatus.SUCCEEDED and again.rows_added == 0
