"""A contract manager indexes the regional tariffs and extends a contract, in Chromium."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from contracts.models import ContractEvent, TariffVersion
from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_index_tariffs_by_a_percentage_and_extend_a_contract(live_server, page, shot):
    w = build_world("k")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    contract = w.con.contract  # 01-01-2025, 3 + 1 + 1, the first option already exercised
    base = live_server.url
    login(page, base, "carla")

    # Tarieven: the regional tariff in force is € 72,10 (from 01-01-2026).
    page.goto(f"{base}/regios/{w.region.slug}/")
    nav = page.get_by_role("navigation", name=re.compile("Navigatie"))
    nav.get_by_role("button", name="Contracten").click()  # the menu's groups open on a button
    nav.get_by_role("link", name="Tarieven", exact=True).click()
    page.get_by_role("heading", name="Tarieven", level=1).wait_for()
    expect(page.get_by_role("cell", name="€ 72,10").first).to_be_visible()

    # Index by 3,4% from 01-01-2027: the preview shows what changes, nothing is saved yet.
    page.get_by_role("link", name="Tarieven indexeren").click()
    page.get_by_label("Percentage").fill("3,4")
    page.get_by_label("Geldig vanaf").fill("2027-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekijk wat er verandert").click()
    preview = page.locator("#preview-title")
    preview.wait_for()
    assert "geïndexeerd met 3,4% per 01-01-2027" in preview.inner_text()
    # 72,10 × 1,034 = 74,5514 → € 74,55
    row = page.locator("tbody tr", has_text=w.product.code)
    assert "€ 72,10" in row.inner_text() and "€ 74,55" in row.inner_text()
    assert not TariffVersion.objects.filter(valid_from=date(2027, 1, 1)).exists()
    shot("contracts-01-index-preview")

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"tarie(f|ven) indexeren")).click()
    page.locator(".message--success").wait_for()
    assert "3,4%" in page.locator(".message--success").inner_text()

    # The new version is there, from 01-01-2027; the old one now ends on 31-12-2026.
    new = TariffVersion.objects.get(product=w.product, contract=None, valid_from=date(2027, 1, 1))
    assert new.amount == Decimal("74.55") and new.previous_id == w.con.regional_tariff.pk
    w.con.regional_tariff.refresh_from_db()
    assert w.con.regional_tariff.valid_until == date(2026, 12, 31)
    page.get_by_label("Versies", exact=True).select_option(label="Alle versies (geschiedenis)")
    with page.expect_navigation():
        page.get_by_role("button", name="Toepassen").click()
    history = page.locator("tbody tr", has_text=w.product.code)
    texts = " ".join(history.all_inner_texts())
    assert "€ 70,00" in texts and "€ 72,10" in texts and "€ 74,55" in texts
    assert "31-12-2026" in texts
    shot("contracts-02-tariff-history")

    # The contract: extend with the second (last) option of 1 year.
    page.goto(f"{base}/regios/{w.region.slug}/contracten/")
    page.get_by_role("link", name=contract.reference).click()
    page.get_by_role("heading", name=w.provider.name, level=1).wait_for()
    assert "31-12-2028" in page.locator("main").inner_text()  # 3 years + the first option
    page.get_by_role("link", name="Verlengen").click()
    assert page.get_by_label("Aantal jaren").input_value() == ""  # nothing pre-filled
    page.get_by_label("Aantal jaren").fill("1")
    page.get_by_label("Besloten op").fill(date.today().isoformat())
    page.get_by_label("Toelichting").fill("Prestaties op orde; laatste optie benut.")
    shot("contracts-03-extend-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder naar bevestigen").click()
    assert "tot en met 31-12-2029" in page.locator("[data-confirm-summary]").inner_text()
    assert ContractEvent.objects.filter(contract=contract, kind="extension").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Bevestigen: verlenging vastleggen").click()
    page.locator(".message--success").wait_for()
    main = page.locator("main").inner_text()
    assert "31-12-2029" in main  # the new end, also the last possible end
    assert "Prestaties op orde; laatste optie benut." in main
    expect(page.get_by_role("link", name="Verlengen")).to_have_count(0)  # no option left
    shot("contracts-04-extended")
    assert ContractEvent.objects.filter(contract=contract, kind="extension").count() == 2
    contract.refresh_from_db()
    assert contract.end_date == date(2029, 12, 31) and contract.extensions_used == 2
