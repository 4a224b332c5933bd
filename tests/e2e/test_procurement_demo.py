"""The demo's procurement, as the officer and a municipality see it, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_officer_walkthrough import login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("demo"),
]


def test_demo_procedures_for_officer_and_municipality(live_server, demo_data, page, shot):
    base = live_server.url
    login(page, base, "inkoper")
    page.goto(f"{base}/regios/wbo/inkoop/aanbestedingen/")
    page.get_by_role("link", name="WBO-2022-SAS-01").click()
    # The contract demo finishes the procedure: definitively awarded on 14-10-2022.
    expect(page.locator(".lead .badge").first).to_have_text("Definitieve gunning")
    assert page.get_by_role("button", name="Naar implementatie").is_enabled()
    expect(page.get_by_role("button", name="Voorlopig gunnen")).to_have_count(0)
    shot("demo-01-wbo-sas-dashboard")
    page.get_by_role("link", name="Rangschikking").click()
    page.locator("table.ranking").wait_for()
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(28)
    expect(page.locator("tr.row--selected")).to_have_count(20)
    shot("demo-02-wbo-ranking")
    page.get_by_role("link", name="Vragen en antwoorden").click()
    page.get_by_role("heading", name="Vragen en antwoorden", level=1).wait_for()
    expect(page.get_by_role("link", name=re.compile("Nota van inlichtingen 1"))).to_be_visible()

    page.goto(f"{base}/regios/zhz/inkoop/aanbestedingen/")
    page.get_by_role("link", name="SOJ-2025-OH-S5").click()
    page.get_by_role("link", name="Dekking").click()
    page.locator("table.coverage").first.wait_for()
    expect(page.locator("table.coverage tbody tr").first).to_be_visible()
    shot("demo-03-zhz-open-house-coverage")

    # The municipality of Breda reads the public part and never the submissions.
    page.get_by_role("button", name="Uitloggen").click()
    login(page, base, "gemeente")
    page.goto(f"{base}/regios/wbo/inkoop/aanbestedingen/")
    page.get_by_role("link", name="WBO-2022-SAS-01").click()
    page.get_by_role("heading", name="Tijdlijn").wait_for()
    tabs = page.get_by_role("navigation", name="Onderdelen van de procedure")
    expect(tabs.get_by_role("link", name="Inschrijvingen")).to_have_count(0)
    expect(page.get_by_role("button", name="Naar implementatie")).to_have_count(0)
    shot("demo-04-municipality-tender")
