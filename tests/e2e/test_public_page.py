"""A parent reads a region's public page in Chromium without logging in: the care landscape
and the outcome figures, where a provider with fewer youths than the region's threshold shows
no figure; axe-core finds no WCAG 2.1 A/AA violation; the page switches to English."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from tests.conftest import build_world
from tests.public.conftest import make_public_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # the passes of a long page are megabytes of JSON
}


def no_violations(page):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_a_parent_reads_the_public_page_without_logging_in(live_server, page, shot):
    cache.clear()
    w = build_world("p")
    make_public_world(w)  # threshold 10: "Zorg P Dichtbij" 10 youths, "Zorg P Veraf" 9
    base = live_server.url

    page.goto(f"{base}/openbaar/")
    page.get_by_role("link", name="Regio P").click()
    page.get_by_role("heading", name="Zorglandschap", level=1).wait_for()
    assert "/account/login" not in page.url
    table = page.get_by_role("table", name=re.compile("Gecontracteerde aanbieders in segment 1"))
    expect(table.get_by_role("rowheader", name=re.compile("Zorg P Dichtbij"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("open data \\(OCDS"))).to_be_visible()
    no_violations(page)
    shot("public-landscape")

    # the open procedures with their public documents, and the awarded contracts
    page.get_by_role("link", name="Procedures", exact=True).click()
    page.get_by_role("heading", name="Open procedures en toelatingsmomenten", level=1).wait_for()
    expect(page.get_by_role("link", name="Inkoopleidraad")).to_be_visible()
    expect(page.get_by_text("Concept", exact=True)).to_have_count(0)
    no_violations(page)
    page.get_by_role("link", name="Contracten", exact=True).click()
    contracts = page.get_by_role("table", name=re.compile("Gegunde contracten"))
    expect(contracts.get_by_role("row", name=re.compile("C-regio-p-001"))).to_contain_text(
        "€ 110.000,00"
    )
    no_violations(page)

    page.get_by_role("link", name="Resultaten", exact=True).click()
    page.get_by_role("heading", name="Resultaten per aanbieder", level=1).wait_for()
    page.get_by_label("Periode").select_option(label="maart 2026")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("heading", name="maart 2026", level=2).wait_for()
    outcomes = page.get_by_role("table", name=re.compile("Resultaten per aanbieder, maart 2026"))
    near = outcomes.get_by_role("row", name=re.compile("Zorg P Dichtbij"))
    far = outcomes.get_by_role("row", name=re.compile("Zorg P Veraf"))
    expect(near.get_by_role("cell").nth(0)).to_have_text("10")
    expect(near.get_by_role("cell").nth(2)).to_have_text("70%")
    # 9 youths at threshold 10: no figure at all
    for n in range(4):
        expect(far.get_by_role("cell").nth(n)).to_have_text("te weinig jeugdigen")
    expect(far).not_to_contain_text("9")
    no_violations(page)
    shot("public-outcomes")

    page.get_by_role("button", name="EN (English)", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "periode=2026-03" in page.url  # the same page and period
    no_violations(page)
    shot("public-outcomes-en")
