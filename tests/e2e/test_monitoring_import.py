"""A contract manager imports declarations: one bad row refuses the file, the fix goes in."""

import re

import pytest
from playwright.sync_api import expect

from core.roles import Role
from monitoring.models import Declaration, ImportBatch
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login
from tests.monitoring.test_import_service import declaration_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_with_a_bad_row_then_the_fixed_file(live_server, page, shot, tmp_path, settings):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    w = build_world("m")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="mila")
    rows = [{"maand": "2026-04"}, {"maand": "2026-05", "eenheid": "01"}, {"maand": "2026-06"}]
    bad = tmp_path / "declaraties-q2.csv"
    bad.write_text(declaration_csv(w, rows), encoding="utf-8")
    base = live_server.url
    login(page, base, "mila")

    page.goto(f"{base}/regios/{w.region.slug}/monitoring/imports/")
    page.get_by_role("heading", name="Imports van productiegegevens", level=1).wait_for()
    page.get_by_role("link", name="Importeren").click()
    page.get_by_role("heading", name="Productiegegevens importeren", level=1).wait_for()
    kind = page.get_by_role("combobox", name=re.compile("^Soort gegevens"))
    kind.select_option("declaraties")
    page.get_by_label("Bestand").set_input_files(str(bad))
    shot("import-01-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Importeren").click()

    # Refused: the error table names row 3 and column eenheid; nothing was written.
    page.get_by_role("heading", name=re.compile("Fouten per regel en kolom")).wait_for()
    assert "Afgewezen" in page.locator(".import-status").inner_text()
    row = page.locator("table.import-errors tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "3"
    assert row.locator("td").nth(1).inner_text() == "eenheid"
    assert "wordt geleverd in eenheid 04 uur, niet in 01 minuut" in row.inner_text()
    assert not Declaration.objects.filter(contract=w.con.contract, month__gte="2026-04-01").exists()
    shot("import-02-rejected")

    # Fix the row and offer the file again.
    rows[1]["eenheid"] = "04"
    bad.write_text(declaration_csv(w, rows), encoding="utf-8")
    page.get_by_role("link", name="Nieuwe import").click()
    assert kind.input_value() == "declaraties"
    page.get_by_label("Bestand").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Importeren").click()
    status = page.locator(".import-status")
    status.wait_for()
    assert "Geïmporteerd" in status.inner_text()
    assert "3 regels toegevoegd" in status.inner_text()
    expect(page.locator("table.import-errors")).to_have_count(0)
    shot("import-03-succeeded")

    # The list shows both attempts, newest first.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Imports").click()
    statuses = page.locator("table.import-table tbody tr td:nth-child(4)").all_inner_texts()
    assert [s.strip() for s in statuses] == ["Geïmporteerd", "Afgewezen"]
    assert ImportBatch.objects.count() == 2
    assert Declaration.objects.filter(contract=w.con.contract, month__gte="2026-04-01").count() == 3
