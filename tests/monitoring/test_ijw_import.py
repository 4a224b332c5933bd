"""iJw 3.2 messages in: each message type, credit lines, repeat deliveries, JW325 answers,
every rejection the issue names (nothing imported, file · message · element named), and no BSN
anywhere.

World A's contract ``C-regio-a-001`` (provider ``world.provider``, given AGB 12345678 here)
runs from 01-01-2025; its pxq arrangement covers ``world.product`` (unit 04 uur, category 45).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from monitoring.imports.models import IjwMessage
from monitoring.imports.services import batch_create, import_file
from monitoring.models import (
    LINE_MODELS,
    Allocation,
    Declaration,
    ImportBatch,
    ImportStatus,
    Trajectory,
)
from providers.models import Provider
from tests.monitoring import ijw_xml as x
from tests.monitoring.test_import_service import BAD_BSN, BSN

pytestmark = pytest.mark.django_db

AGB = "12345678"


@pytest.fixture
def world(world_a):
    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    return world_a


def gm(world) -> str:
    return world.municipality.cbs_code[2:]


def line_counts() -> dict[str, int]:
    return {kind: model.objects.count() for kind, model in LINE_MODELS.items()}


def run(world, tmp_path: Path, files: dict[str, str | bytes], name="levering.zip") -> ImportBatch:
    if len(files) == 1 and name.endswith(".xml"):
        path = tmp_path / name
        content = next(iter(files.values()))
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    else:
        path = tmp_path / name
        path.write_bytes(x.zip_of(files))
    batch = batch_create(
        region=world.region,
        kind="declaraties",
        file_format="ijw",
        file_name=name,
        file_size=path.stat().st_size,
    )
    import_file(batch=batch, path=path)
    batch.refresh_from_db()
    return batch


def declaration_message(world, ident="2026-000123", lines=None, **kw):
    p = world.product.code
    lines = lines or [
        (BSN[0], [x.prestatie("R1", p, 72100), x.prestatie("R2", p, 36050, volume=5)]),
        (BSN[1], [x.prestatie("R3", p, 14420, volume=2)]),
    ]
    return x.jw323(AGB, gm(world), ident, lines, **kw)


# --- each message type ---------------------------------------------------------------------------


def test_jw323_declarations_are_imported_on_the_resolved_contract(world, tmp_path):
    batch = run(world, tmp_path, {"bericht-0001.xml": declaration_message(world)}, "d.xml")
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.kind == "declaraties"
    assert batch.rows_added == 3
    lines = {d.reference: d for d in Declaration.objects.filter(batch=batch)}
    assert set(lines) == {"R1", "R2", "R3"}
    assert lines["R1"].amount == Decimal("721.00")
    assert lines["R2"].quantity == Decimal("5") and lines["R2"].amount == Decimal("360.50")
    assert lines["R1"].contract_id == world.con.contract.pk
    assert lines["R1"].municipality_id == world.municipality.pk
    assert str(lines["R1"].month) == "2026-04-01"
    assert lines["R1"].client_key == lines["R2"].client_key != lines["R3"].client_key
    message = IjwMessage.objects.get(batch=batch)
    assert (message.message_type, message.sender, message.identification) == (
        "jw323",
        AGB,
        "2026-000123",
    )


def test_jw301_allocations(world, tmp_path):
    p = world.product.code
    text = x.jw301(
        gm(world),
        AGB,
        "T-1",
        BSN[2],
        [x.toegewezen("700001", p, "2026-02-01", "2026-07-31"), x.toegewezen("700002", p)],
    )
    batch = run(world, tmp_path, {"toewijzing.xml": text}, "toewijzing.xml")
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.kind == "toewijzingen"
    rows = {a.reference: a for a in Allocation.objects.filter(batch=batch)}
    assert set(rows) == {"700001", "700002"}
    assert str(rows["700001"].end) == "2026-07-31" and rows["700002"].end is None


def test_jw305_start_then_jw307_stop_closes_the_trajectory(world, tmp_path):
    p = world.product.code
    files = {
        "start.xml": x.jw305(AGB, gm(world), "S-1", BSN[3], [x.start_product("700001", p)]),
    }
    first = run(world, tmp_path, files)
    assert first.status == ImportStatus.SUCCEEDED, first.errors
    assert first.kind == "trajecten"
    start = Trajectory.objects.get(reference="700001-2026-02-03")
    assert start.ended_on is None and start.active
    stop = {"stop.xml": x.jw307(AGB, gm(world), "E-1", BSN[3], [x.stop_product("700001", p)])}
    second = run(world, tmp_path, stop)
    assert second.status == ImportStatus.SUCCEEDED, second.errors
    start.refresh_from_db()
    assert not start.active
    closed = Trajectory.objects.get(reference="700001-2026-02-03-stop")
    assert closed.active and closed.corrects == "700001-2026-02-03"
    assert str(closed.ended_on) == "2026-04-30"
    assert closed.end_reason == "01"  # JZ588 31 "volgens plan" → CBS 01
    assert closed.client_key == start.client_key


def test_start_and_stop_in_one_zip(world, tmp_path):
    p = world.product.code
    files = {  # the stop's file name sorts first: starts are read before stops all the same
        "a-stop.xml": x.jw307(
            AGB, gm(world), "E-2", BSN[3], [x.stop_product("700002", p, reason="32")]
        ),
        "b-start.xml": x.jw305(AGB, gm(world), "S-2", BSN[3], [x.start_product("700002", p)]),
    }
    batch = run(world, tmp_path, files)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    active = Trajectory.objects.filter(batch=batch, active=True).get()
    assert active.end_reason == "03"  # 32 "eenzijdig door de cliënt" → CBS 03 (drop-out)


# --- credit line, repeat delivery, answers ------------------------------------------------------


def test_credit_line_reverses_its_debit_line(world, tmp_path):
    p = world.product.code
    first = run(world, tmp_path, {"d1.xml": declaration_message(world)})
    assert first.status == ImportStatus.SUCCEEDED
    lines = [
        (
            BSN[0],
            [
                x.prestatie("R1C", p, 72100, dc="C", previous="R1"),
                x.prestatie("R1N", p, 28840, volume=4),
            ],
        )
    ]
    second = run(world, tmp_path, {"d2.xml": declaration_message(world, "2026-000124", lines)})
    assert second.status == ImportStatus.SUCCEEDED, second.errors
    assert (second.rows_added, second.rows_corrected) == (1, 1)
    assert not Declaration.objects.get(reference="R1").active
    credit = Declaration.objects.get(reference="R1C")
    assert credit.active and credit.corrects == "R1"
    assert (credit.quantity, credit.amount) == (Decimal("0"), Decimal("0"))
    active = Declaration.objects.filter(
        contract=world.con.contract, active=True, month="2026-04-01"
    )
    # 721.00 reversed; left: R2 360.50 + R3 144.20 + R1N 288.40
    assert sum(d.amount for d in active) == Decimal("793.10")


def test_a_credit_without_its_debit_is_refused(world, tmp_path):
    p = world.product.code
    lines = [(BSN[0], [x.prestatie("R9C", p, 72100, dc="C", previous="R9")])]
    batch = run(world, tmp_path, {"d.xml": declaration_message(world, "C-9", lines)})
    assert batch.status == ImportStatus.REJECTED
    error = batch.errors[0]
    assert "geen regel R9" in error["message"]
    assert error["column"].endswith("/Prestatie[1]/ProductReferentie/VorigReferentieNummer")


def test_repeat_delivery_adds_nothing_and_says_so(world, tmp_path):
    files = {"bericht-0001.xml": declaration_message(world)}
    first = run(world, tmp_path, files)
    counts = line_counts()
    second = run(world, tmp_path, files)
    assert second.status == ImportStatus.SUCCEEDED, second.errors
    assert line_counts() == counts
    assert (second.rows_added, second.rows_unchanged) == (0, 3)
    assert "1 van de 1 berichten waren al eerder ingelezen" in second.message
    assert IjwMessage.objects.filter(identification="2026-000123").get().batch == first


def test_only_lines_the_answer_accepted_are_imported(world, tmp_path):
    files = {
        "declaratie.xml": declaration_message(world),
        "antwoord.xml": x.jw325(gm(world), AGB, "A-1", [("R1", ["0200"]), ("R2", ["8017"])]),
    }
    batch = run(world, tmp_path, files)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert list(Declaration.objects.filter(batch=batch).values_list("reference", flat=True)) == [
        "R1"
    ]
    assert "2 declaratieregels niet ingelezen: 1 afgewezen" in batch.message
    assert "1 zonder antwoord" in batch.message


# --- rejections ----------------------------------------------------------------------------------


def rejected(world, tmp_path, files, name="levering.zip") -> ImportBatch:
    before = line_counts()
    messages = IjwMessage.objects.count()
    batch = run(world, tmp_path, files, name)
    assert batch.status == ImportStatus.REJECTED, batch.message
    assert line_counts() == before
    assert IjwMessage.objects.count() == messages
    return batch


def one_error(batch, fragment) -> dict:
    hits = [e for e in batch.errors if fragment in e["message"]]
    assert hits, batch.errors
    return hits[0]


def test_not_well_formed(world, tmp_path):
    text = declaration_message(world).replace("</Clienten>", "</Client>", 1)
    batch = rejected(world, tmp_path, {"kapot.xml": text})
    error = one_error(batch, "geen goedgevormde XML")
    assert error["column"].startswith("kapot.xml · bericht 2026-000123 · regel ")


def test_other_release_is_refused(world, tmp_path):
    text = declaration_message(world, release="3_1")
    batch = rejected(world, tmp_path, {"oud.xml": text})
    error = one_error(batch, "iJw-release 3.1")
    assert error["column"] == "oud.xml · /Bericht"


def test_not_an_ijw_namespace(world, tmp_path):
    text = declaration_message(world).replace(
        "http://www.istandaarden.nl/ijw/3_2/jw323/schema", "urn:iets-anders"
    )
    batch = rejected(world, tmp_path, {"x.xml": text})
    error = one_error(batch, "is geen iJw-bericht")
    assert "urn:iets-anders" in error["message"] and error["column"] == "x.xml · /Bericht"


def test_version_in_header_other_than_3_2(world, tmp_path):
    batch = rejected(world, tmp_path, {"v.xml": declaration_message(world, version=("3", "1"))})
    error = one_error(batch, "BerichtVersie 3.1")
    assert error["column"] == "v.xml · bericht 2026-000123 · /Bericht/Header/BerichtVersie"


def test_a_message_type_we_do_not_read(world, tmp_path):
    text = declaration_message(world).replace("/jw323/schema", "/jw315/schema")
    batch = rejected(world, tmp_path, {"jw315.xml": text})
    one_error(batch, "JW315-bericht")


def test_bericht_code_not_matching_the_root(world, tmp_path):
    batch = rejected(world, tmp_path, {"c.xml": declaration_message(world, code="436")})
    error = one_error(batch, "BerichtCode 436 hoort niet bij een JW323-bericht")
    assert error["column"].endswith("/Bericht/Header/BerichtCode")


def test_unknown_agb_code(world, tmp_path):
    text = declaration_message(world).replace(f"<Afzender>{AGB}", "<Afzender>87654321")
    batch = rejected(world, tmp_path, {"a.xml": text})
    error = one_error(batch, "Onbekende AGB-code 87654321")
    assert error["column"] == "a.xml · bericht 2026-000123 · /Bericht/Header/Afzender"


def test_product_without_a_contract_on_that_date(world, tmp_path):
    p = world.product.code
    lines = [(BSN[0], [x.prestatie("R1", p, 100), x.prestatie("R0", p, 100, begin="2024-06-01")])]
    batch = rejected(world, tmp_path, {"p.xml": declaration_message(world, "P-1", lines)})
    error = one_error(batch, "geen lopend contract dat product")
    assert error["column"] == (
        "p.xml · bericht P-1 · /Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]"
        "/ProductCode"
    )
    assert "01-06-2024" in error["message"] or "1 juni 2024" in error["message"]


def test_a_date_that_is_no_date(world, tmp_path):
    p = world.product.code
    lines = [(BSN[0], [x.prestatie("R1", p, 100, begin="2026-13-01")])]
    batch = rejected(world, tmp_path, {"d.xml": declaration_message(world, "D-1", lines)})
    error = one_error(batch, "'2026-13-01' is geen geldige datum")
    assert error["column"].endswith("/Prestatie[1]/ProductPeriode/Begindatum")


def test_municipality_outside_the_region(world, world_b, tmp_path):
    text = declaration_message(world).replace(
        f"<Ontvanger>{gm(world)}", f"<Ontvanger>{world_b.municipality.cbs_code[2:]}"
    )
    batch = rejected(world, tmp_path, {"g.xml": text})
    error = one_error(batch, "hoort niet bij Regio A")
    assert error["column"].endswith("/Bericht/Header/Ontvanger")


def test_bsn_failing_the_eleven_test_is_located_and_masked(world, tmp_path):
    p = world.product.code
    lines = [(BSN[0], [x.prestatie("R1", p, 100)]), (BAD_BSN, [x.prestatie("R2", p, 100)])]
    batch = rejected(world, tmp_path, {"b.xml": declaration_message(world, "B-1", lines)})
    error = one_error(batch, "elfproef")
    assert error["column"] == "b.xml · bericht B-1 · /Bericht/Declaratie/Clienten/Client[2]/Bsn"
    assert BAD_BSN not in str(batch.errors) and BAD_BSN not in batch.message


def test_sum_of_lines_differs_from_the_declared_total(world, tmp_path):
    batch = rejected(world, tmp_path, {"t.xml": declaration_message(world, total=100)})
    error = one_error(batch, "tellen op tot € 1.225,70")
    assert "TotaalIngediendBedrag is € 1,00" in error["message"]
    assert error["column"].endswith("/Bericht/Declaratie/TotaalIngediendBedrag")


def test_credit_total_sign_counts(world, tmp_path):
    p = world.product.code
    lines = [
        (BSN[0], [x.prestatie("R1", p, 500), x.prestatie("R2", p, 700, dc="C", previous="R1")])
    ]
    # lines give -2,00; a total of 2,00 debet is wrong
    batch = rejected(
        world, tmp_path, {"s.xml": declaration_message(world, "S-1", lines, total=200)}
    )
    one_error(batch, "tellen op tot -€ 2,00")


def test_zip_bomb_is_refused(world, tmp_path):
    bomb = b"<a>" + b"0" * (20 << 20) + b"</a>"
    batch = rejected(world, tmp_path, {"bom.xml": bomb})
    error = one_error(batch, "zip-bom")
    assert error["column"] == "bom.xml"


def test_zip_larger_than_the_limit_when_unpacked(world, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    batch = rejected(world, tmp_path, {"d.xml": declaration_message(world) * 5})
    one_error(batch, "het maximum is 10000")


@pytest.mark.parametrize("name", ["../buiten.xml", "/etc/bericht.xml", "map/../../x.xml"])
def test_zip_with_paths_outside_its_root(world, tmp_path, name):
    batch = rejected(world, tmp_path, {name: declaration_message(world)})
    assert batch.errors[0]["column"].endswith(name)
    assert "pad" in batch.errors[0]["message"]


def test_nested_zip_is_refused(world, tmp_path):
    inner = x.zip_of({"d.xml": declaration_message(world)})
    batch = rejected(world, tmp_path, {"binnen.zip": inner})
    one_error(batch, "zip in een zip")


def test_messages_of_two_kinds_are_refused(world, tmp_path):
    p = world.product.code
    files = {
        "d.xml": declaration_message(world),
        "s.xml": x.jw305(AGB, gm(world), "S-1", BSN[3], [x.start_product("700001", p)]),
    }
    batch = rejected(world, tmp_path, files)
    one_error(batch, "verschillende soorten gegevens (JW305, JW323)")


# --- no BSN anywhere -----------------------------------------------------------------------------


def test_no_bsn_reaches_the_database_or_an_error(world, tmp_path):
    good = run(world, tmp_path, {"d.xml": declaration_message(world)})
    assert good.status == ImportStatus.SUCCEEDED
    p = world.product.code
    lines = [(BSN[4], [x.prestatie("Q1", p, 100, unit="14")]), (BAD_BSN, [x.prestatie("Q2", p, 1)])]
    bad = run(world, tmp_path, {"e.xml": declaration_message(world, "Q", lines)})
    assert bad.status == ImportStatus.REJECTED
    secrets = [*BSN[:5], BAD_BSN]
    tables = [m._meta.db_table for m in (*LINE_MODELS.values(), ImportBatch, IjwMessage)]
    with connection.cursor() as cursor:
        for table in tables:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.type_code in ("text", "varchar")
                or "char" in str(c.type_code).lower()
                or "text" in str(c.type_code).lower()
            ]
            for column in columns:
                cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608
                for (value,) in cursor.fetchall():
                    for secret in secrets:
                        assert secret not in str(value or ""), (table, column)
    for batch in (good, bad):
        text = f"{batch.errors} {batch.message}"
        for secret in secrets:
            assert secret not in text
