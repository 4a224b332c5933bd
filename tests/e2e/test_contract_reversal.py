"""A contract manager extends a contract through its confirmation page and then reverses the
extension by a recorded reversal, in Chromium (nl-NL), checking the end date each time."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from contracts.models import ContractEvent
from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def end_date_on(page) -> str:
    """The "Einde huidige looptijd" shown on the contract page."""
    term = page.locator("dt", has_text="Einde huidige looptijd")
    return term.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def test_extend_through_the_confirmation_then_reverse_the_extension(live_server, page, shot):
    w = build_world("v")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    contract = w.con.contract  # 01-01-2025, 3 + 1 + 1, the first option already exercised
    base = live_server.url
    login(page, base, "carla")

    page.goto(f"{base}{contract.get_absolute_url()}")
    page.get_by_role("heading", name=w.provider.name, level=1).wait_for()
    assert end_date_on(page) == "31-12-2028"

    # Extend: nothing pre-filled; the form leads to a confirmation that records nothing.
    page.get_by_role("link", name="Verlengen", exact=True).click()
    assert page.get_by_label("Aantal jaren").input_value() == ""
    assert page.get_by_label("Besloten op").input_value() == ""
    page.get_by_label("Aantal jaren").fill("1")
    page.get_by_label("Besloten op").fill(date.today().isoformat())
    page.get_by_label("Toelichting").fill("Laatste optie benut.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder naar bevestigen").click()
    summary = page.locator("[data-confirm-summary]")
    expect(summary).to_contain_text("tot en met 31-12-2029; de einddatum was 31-12-2028.")
    assert ContractEvent.objects.filter(contract=contract, kind="extension").count() == 1
    shot("contract-reversal-01-confirm-extension")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Bevestigen")).click()
    page.locator(".message--success").wait_for()
    assert end_date_on(page) == "31-12-2029"
    assert ContractEvent.objects.filter(contract=contract, kind="extension").count() == 2

    # Reverse it: a required reason, its own confirmation, then the end date is back.
    latest = ContractEvent.objects.filter(contract=contract, kind="extension").last()
    page.locator(f"#gebeurtenis-{latest.pk}").get_by_role("link", name="Terugdraaien").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(page.locator("#id_reason_error")).to_be_visible()  # the reason is required
    page.get_by_label("Reden van het terugdraaien (verplicht)").fill("Besluit ingetrokken.")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder naar bevestigen").click()
    expect(page.locator("[data-confirm-summary]")).to_contain_text(
        "de einddatum wordt 31-12-2028 (nu 31-12-2029)"
    )
    assert not ContractEvent.objects.filter(contract=contract, kind="reversal").exists()
    shot("contract-reversal-02-confirm-reversal")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Bevestigen")).click()
    page.locator(".message--success").wait_for()
    assert end_date_on(page) == "31-12-2028"

    # Both events are in the history; the reversed one is marked.
    events = page.locator("#gebeurtenissen")
    expect(events.locator(f"#gebeurtenis-{latest.pk}")).to_contain_text("teruggedraaid op")
    expect(events).to_contain_text("Terugdraaiing")
    expect(events).to_contain_text("Besluit ingetrokken.")
    shot("contract-reversal-03-reversed")
    reversal = ContractEvent.objects.get(contract=contract, kind="reversal")
    assert reversal.reverses_id == latest.pk
