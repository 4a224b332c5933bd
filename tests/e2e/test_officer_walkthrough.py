"""A procurement officer logs in and walks the landscape, as a user would, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("demo"),
]


def login(page, base, username, password="jeugdinkoop-demo"):
    page.goto(f"{base}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_officer_walks_tree_matrix_and_provider(live_server, demo_data, page, shot):
    base = live_server.url
    login(page, base, "inkoper")

    # Two regions: the start page lists both; the officer opens Zuid-Holland Zuid.
    page.get_by_role("link", name="Zuid-Holland Zuid").first.click()
    page.get_by_role("heading", level=1, name="Zuid-Holland Zuid").wait_for()
    shot("01-region-overview")

    # Segment tree: segment 3 has sub-segments 3a/3b/3c; open 3a by keyboard-reachable links.
    nav = page.get_by_role("navigation", name=re.compile("Navigatie"))
    nav.get_by_role("button", name="Landschap").click()  # the menu's groups open on a button
    nav.get_by_role("link", name="Segmenten").click()
    page.get_by_role("heading", name="Segmenten en deelsegmenten").wait_for()
    tree = page.locator("ul.tree--root")
    expect(tree.get_by_text("Hoog specialistisch")).to_be_visible()
    tree.locator(
        "summary", has_text="Dagbesteding en dagbehandeling"
    ).click()  # already open; toggles closed
    tree.locator("summary", has_text="Dagbesteding en dagbehandeling").click()  # and open again
    shot("02-segment-tree")
    tree.get_by_role("link", name=re.compile("MKD|KDC")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Deelsegment 3a"))
    expect(page.get_by_text("Onderdeel van")).to_be_visible()

    # Participation matrix: 10 municipalities × the regionally bought (sub-)segments.
    nav.get_by_role("button", name="Landschap").click()
    nav.get_by_role("link", name="Deelname", exact=True).click()
    matrix = page.locator("table.matrix")
    expect(matrix.locator("tbody tr")).to_have_count(10)
    expect(matrix.get_by_role("rowheader", name=re.compile("Dordrecht"))).to_be_visible()
    shot("03-participation-matrix")
    # Change one cell: Sliedrecht takes part in segment 2 only partly.
    matrix.get_by_role("link", name=re.compile(r"^Sliedrecht, 2 Wonen")).click()
    page.get_by_label("Gedeeltelijk").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Licht toe waarvoor de gemeente wel en niet deelneemt.").first
    ).to_be_visible()
    shot("04-participation-error")
    page.get_by_label("Toelichting").fill(
        "Alleen gezinshuizen; beschermd wonen koopt Sliedrecht zelf in."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").get_by_text("is opgeslagen")).to_be_visible()
    expect(page.locator("li", has_text="Alleen gezinshuizen; beschermd wonen")).to_be_visible()

    # Providers: filter to consortia, open one, see its members and admissibility; open a member.
    nav.get_by_role("button", name="Landschap").click()
    nav.get_by_role("link", name="Aanbieders", exact=True).click()
    page.get_by_label("Soort").select_option(label="Samenwerkingsverband")
    page.get_by_role("button", name="Toepassen").click()
    shot("05-provider-list")
    expect(page.locator(".result-count")).to_have_text("3 resultaten")
    page.locator("table.data-table tbody a").first.click()
    page.get_by_role("heading", name="Leden van het samenwerkingsverband").wait_for()
    expect(page.get_by_role("cell", name="Hoofdaannemer")).to_have_count(1)
    shot("06-consortium")
    page.locator("table.data-table tbody a").first.click()
    page.get_by_role("heading", name="Screenings").wait_for()
    expect(page.get_by_role("heading", name=re.compile("^(Niet )?[Tt]oelaatbaar$"))).to_be_visible()
    expect(page.get_by_role("heading", name="Lid van samenwerkingsverband")).to_be_visible()
    shot("07-provider")

    # The history of the provider is one click away.
    page.get_by_role("link", name="Geschiedenis").click()
    page.get_by_role("heading", name=re.compile("^Geschiedenis van")).wait_for()


def test_municipal_user_sees_only_its_own(live_server, demo_data, page):
    login(page, live_server.url, "gemeente")
    # One region only: straight to West-Brabant Oost.
    page.get_by_role("heading", level=1, name="West-Brabant Oost").wait_for()
    nav = page.get_by_role("navigation", name=re.compile("Navigatie"))
    nav.get_by_role("button", name="Landschap").click()  # the menu's groups open on a button
    nav.get_by_role("link", name="Gemeenten", exact=True).click()
    expect(page.locator("table.data-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Breda")).to_be_visible()
    page.goto(f"{live_server.url}/regios/zhz/")
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
