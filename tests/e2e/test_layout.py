"""The page frame in Chromium (nl-NL): wide tables keep their key columns in view at 1366 px and
the page is never wider than the window; the grouped region menu works with the keyboard and
folds behind a "Menu" button at 390 px; the region switch waits for its button (WCAG 3.2.2);
axe-core finds no WCAG 2.1 A/AA violation on these pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_officer_walkthrough import login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("demo"),
]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # the passes of a long page are megabytes of JSON
}


def no_violations(page):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def page_fits(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: page {width[0]} px wide in a {width[1]} px window"


def in_view(page, locator, what):
    """Every cell of ``locator`` lies inside the window (not scrolled off to the right)."""
    inner = page.evaluate("window.innerWidth")
    assert locator.count() > 0, what
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, (
            f"{what} #{i} at {box} outside a {inner} px window"
        )


def head_cells(page, table, *names):
    """The header cells of ``table`` whose text starts with one of ``names``."""
    pattern = re.compile(r"^\s*(" + "|".join(re.escape(n) for n in names) + ")")
    return page.locator(f"{table} thead th").filter(has_text=pattern)


def test_key_columns_stay_in_view_at_1366(live_server, demo_data, page):
    base = live_server.url
    login(page, base, "inkoper")

    # The ranking: rank, tenderer, total, outcome and tie note before the criteria.
    page.goto(f"{base}/regios/wbo/inkoop/aanbestedingen/")
    page.get_by_role("link", name="WBO-2022-SAS-01").click()
    page.get_by_role("link", name="Rangschikking").click()
    page.locator("table.ranking").wait_for()
    keys = head_cells(page, "table.ranking", "Rang", "Inschrijver", "Totaal", "Gelijke", "Uitkomst")
    expect(keys).to_have_count(5)
    in_view(page, keys, "ranking header")
    in_view(page, page.locator("table.ranking tbody tr td:nth-child(-n+5)"), "ranking cell")
    page_fits(page)
    no_violations(page)

    # The provider list: the verdict ("Toelaatbaar") next to the name.
    page.goto(f"{base}/regios/zhz/aanbieders/")
    keys = head_cells(page, ".list-results table", "Naam", "Toelaatbaar")
    expect(keys).to_have_count(2)
    in_view(page, keys, "provider list header")
    in_view(page, page.locator(".list-results tbody tr td:nth-child(-n+2)"), "provider cell")
    page_fits(page)
    no_violations(page)

    # The participation matrix: scrolls in its own box, the municipality column stays.
    page.goto(f"{base}/regios/zhz/deelname/")
    box = page.get_by_role("region", name=re.compile("^Deelnamematrix"))
    expect(box).to_be_visible()
    page_fits(page)
    in_view(page, page.locator("table.matrix tbody th"), "municipality")
    box.focus()
    page.keyboard.press("End")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    in_view(page, page.locator("table.matrix tbody th"), "municipality after scrolling")
    no_violations(page)


def test_grouped_menu_with_the_keyboard_and_the_region_switch(live_server, demo_data, page):
    base = live_server.url
    login(page, base, "inkoper")
    page.goto(f"{base}/regios/zhz/contracten/tarieven/")
    nav = page.get_by_role("navigation", name=re.compile("^Navigatie"))

    # The current page's group is marked; its links are behind the group's button.
    contracts = nav.get_by_role("button", name="Contracten")
    expect(contracts).to_have_attribute("aria-current", "true")
    expect(contracts).to_have_attribute("aria-expanded", "false")
    landscape = nav.get_by_role("button", name="Landschap")
    expect(nav.get_by_role("link", name="Deelname")).to_be_hidden()
    landscape.focus()
    page.keyboard.press("Enter")
    expect(landscape).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Deelname")).to_be_visible()
    no_violations(page)
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Segmenten")).to_be_focused()
    page.keyboard.press("Escape")
    expect(landscape).to_have_attribute("aria-expanded", "false")
    expect(landscape).to_be_focused()
    expect(nav.get_by_role("link", name="Deelname")).to_be_hidden()

    # Opening another group closes the first; the link leads to the page and marks it.
    contracts.click()
    expect(nav.get_by_role("link", name="Tarieven")).to_have_attribute("aria-current", "page")
    nav.get_by_role("button", name="Inkoop").click()
    expect(contracts).to_have_attribute("aria-expanded", "false")
    nav.get_by_role("link", name="Aanbestedingen").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.url.endswith("/regios/zhz/inkoop/aanbestedingen/")
    expect(nav.get_by_role("button", name="Inkoop")).to_have_attribute("aria-current", "true")

    # The region switch does nothing on change; its button goes.
    switch = page.get_by_label("Regio", exact=True)
    switch.select_option(label="West-Brabant Oost")
    page.wait_for_timeout(300)  # a change handler would have navigated by now
    assert page.url.endswith("/regios/zhz/inkoop/aanbestedingen/")
    page.get_by_role("button", name="Wissel").click()
    page.wait_for_url(re.compile(r"/regios/wbo/$"))


@pytest.mark.parametrize(
    "username, region",
    [
        ("inkoper", "zhz"),
        ("contractmanager", "wbo"),
        ("gemeente", "wbo"),
        ("regiobeheerder", "wbo"),
    ],
)
def test_the_menu_at_390_px_and_at_1366_for_each_role(
    live_server, demo_data, browser, username, region
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, base, username)
        # (the region overview is not used: its segment tree nests links in <summary>, an axe
        # violation of its own)
        page.goto(f"{base}/regios/{region}/aanbieders/")
        nav = page.get_by_role("navigation", name=re.compile("^Navigatie"))
        menu = nav.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_have_attribute("aria-controls", "region-nav-groups")
        expect(nav.get_by_role("button", name="Landschap")).to_be_hidden()
        # the page's heading is on the first screen, under the header
        heading = page.get_by_role("heading", level=1)
        assert heading.bounding_box()["y"] + heading.bounding_box()["height"] < 844
        page_fits(page)
        no_violations(page)
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(nav.get_by_role("button", name="Landschap")).to_be_visible()
        page_fits(page)
        no_violations(page)
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")

        # A group shows only to a role that may open its pages (counted in the folded menu too).
        management = nav.get_by_role("button", name="Beheer", include_hidden=True)
        expect(management).to_have_count(1 if username == "regiobeheerder" else 0)
        effect = nav.get_by_role("link", name="Inkoopeffect", include_hidden=True)
        expect(effect).to_have_count(0 if username == "gemeente" else 1)

        page.set_viewport_size({"width": 1366, "height": 900})
        expect(menu).to_be_hidden()
        expect(nav.get_by_role("button", name="Landschap")).to_be_visible()
        page_fits(page)
        no_violations(page)
    finally:
        context.close()
    assert errors == []
