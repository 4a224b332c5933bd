"""A brand-new region from nothing, in Chromium, without opening /beheer/ once: the installation
administrator creates it and invites its region administrator, who invites a procurement
officer; the officer adds 12 municipalities by CBS code, a segment tree, a screening instrument
of two kinds (one for every provider, one for one segment only), a strategy with was → wordt and
its own window conditions, and admits a provider that passes only the region's own kinds."""

import re
from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from procurement.models import Submission
from tests.e2e.test_sas_procedure import confirm

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Rijnland-Jeugd-2027!"
# Holland Rijnland: 12 of its municipalities (CBS 2025)
CODES = [
    "GM0484",  # Alphen aan den Rijn
    "GM0546",  # Leiden
    "GM0547",  # Leiderdorp
    "GM0626",  # Voorschoten
    "GM0627",  # Waddinxveen
    "GM0629",  # Wassenaar
    "GM0638",  # Zoeterwoude
    "GM0537",  # Katwijk
    "GM0553",  # Lisse
    "GM0575",  # Noordwijk
    "GM0579",  # Oegstgeest
    "GM0534",  # Hillegom
]


def menu(page, group: str, link: str) -> None:
    """Open a page from the region's menu: its groups open on a button."""
    nav = page.get_by_role("navigation", name=re.compile("^Navigatie"))
    nav.get_by_role("button", name=group).click()
    nav.get_by_role("link", name=link, exact=True).click()


def login(page, base, username, password):
    page.goto(f"{base}/account/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()


def submit(page):
    """The main form's submit button (not the header's logout and language buttons)."""
    page.locator("main form button[type=submit]").first.click()


def accept_invitation(page, address):
    """Follow the link in the last e-mail to ``address`` and choose a password."""
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    link = re.search(r"https?://\S+/account/reset/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("heading", name="Welkom bij Jeugdinkoop").wait_for()
    page.get_by_label(re.compile(r"^Nieuw wachtwoord\b(?! bevestigen)")).fill(PASSWORD)
    page.get_by_label(re.compile("Nieuw wachtwoord bevestigen")).fill(PASSWORD)
    submit(page)


def test_a_new_region_makes_the_product_its_own(live_server, page, shot):
    base = live_server.url
    User.objects.create_superuser("installatie", "installatie@example.nl", PASSWORD)
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # 1. The installation administrator creates the region and invites its administrator.
    login(page, base, "installatie", PASSWORD)
    page.get_by_role("link", name="Installatie").click()
    page.get_by_role("link", name="Nieuwe regio").click()
    page.get_by_label("Naam").fill("Holland Rijnland")
    page.get_by_label("Code").fill("holland-rijnland")
    page.get_by_label("Aanbestedende dienst").fill("Inkoopbureau Jeugd Holland Rijnland")
    submit(page)
    page.get_by_label("E-mailadres").fill("beheer@hollandrijnland.example")
    page.get_by_label("Voornaam").fill("Bea")
    page.get_by_label("Achternaam").fill("Heer")
    submit(page)
    expect(page.get_by_role("status").first).to_contain_text(
        "Bea Heer is uitgenodigd als regiobeheerder van Holland Rijnland"
    )
    shot("region-01-created")
    logout(page)

    # 2. The region administrator chooses a password and invites a procurement officer.
    accept_invitation(page, "beheer@hollandrijnland.example")
    login(page, base, "beheer@hollandrijnland.example", PASSWORD)
    page.get_by_role("heading", level=1, name="Holland Rijnland").wait_for()
    menu(page, "Beheer", "Gebruikers")
    page.get_by_role("link", name=re.compile("uitnodigen", re.I)).first.click()
    page.get_by_label("E-mailadres").fill("inkoop@hollandrijnland.example")
    page.get_by_label("Voornaam").fill("Ina")
    page.get_by_label("Achternaam").fill("Koper")
    page.get_by_label("Inkoper").check()
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ina Koper")
    expect(page.get_by_text("uitgenodigd", exact=True)).to_be_visible()
    shot("region-02-users")
    # Who signs the region's decision letters: without it no award or admission decision
    # can be taken (the letters would not go out), and the region page says it is missing.
    page.get_by_role("link", name="Holland Rijnland", exact=True).first.click()
    expect(page.get_by_text("ontbreekt", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ondertekening van brieven").click()
    page.get_by_label("Aanbestedende dienst").fill("Gemeente Leiden namens Holland Rijnland")
    page.get_by_label("Naam van de ondertekenaar").fill("mr. J. Bos")
    page.get_by_label("Functie van de ondertekenaar").fill("manager inkoop jeugdhulp")
    submit(page)
    page.locator(".message--success").wait_for()
    logout(page)

    # 3. The officer adds the region's municipalities by CBS code, twelve at once.
    accept_invitation(page, "inkoop@hollandrijnland.example")
    login(page, base, "inkoop@hollandrijnland.example", PASSWORD)
    menu(page, "Landschap", "Gemeenten")
    page.get_by_role("link", name="Toevoegen op CBS-code").click()
    page.get_by_role("textbox").first.fill("\n".join(CODES))
    submit(page)
    expect(page.locator("table.data-table tbody tr")).to_have_count(12)
    expect(page.get_by_role("link", name="Leiden", exact=True)).to_be_visible()
    shot("region-03-municipalities")

    # 4. A care form and a segment tree: 1 and 2, with 2a (family homes) under 2.
    r = f"{base}/regios/holland-rijnland"
    page.goto(f"{r}/jeugdhulpvormen/nieuw/")
    page.get_by_label("Code").fill("GH")
    page.get_by_label("Naam").fill("Gezinshuis")
    submit(page)
    for code, name, parent in (
        ("1", "Ambulante jeugdhulp", None),
        ("2", "Jeugdhulp met verblijf", None),
        ("2a", "Gezinshuizen", "2 Jeugdhulp met verblijf"),
    ):
        page.goto(f"{r}/segmenten/nieuw/")
        if parent:
            page.get_by_label("Bovenliggend segment").select_option(label=parent)
            page.get_by_label("Gezinshuis").check()
        page.get_by_label("Code").fill(code)
        page.get_by_label("Naam").fill(name)
        submit(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    menu(page, "Landschap", "Segmenten")
    expect(page.locator("ul.tree--root").get_by_text("Gezinshuizen")).to_be_visible()
    shot("region-04-segments")

    # 5. The region's screening instrument: Bibob for every provider, an on-site quality
    #    visit only for segment 2 (and so for 2a under it). No VOG, no financial check.
    page.goto(f"{r}/aanbieders/")
    page.get_by_role("link", name="Screeningsinstrument").click()
    for code, name, months, requirement, segment in (
        ("bibob", "Integriteit (Bibob)", "36", "every", None),
        ("bezoek", "Kwaliteitsbezoek op locatie", "24", "segments", "2 Jeugdhulp met verblijf"),
    ):
        page.get_by_role("link", name=re.compile("^Nieuw")).click()
        page.get_by_label("Naam").fill(name)
        page.get_by_label("Code").fill(code)
        page.get_by_label("Geldigheid (maanden)").fill(months)
        if requirement == "every":
            page.get_by_label("Vereist voor elke aanbieder").check()
        else:
            page.get_by_label("Alleen vereist voor gekozen segmenten").check()
            page.get_by_label(segment).check()
        submit(page)
        page.goto(f"{r}/aanbieders/screeningssoorten/")
    expect(page.locator("table.data-table tbody tr")).to_have_count(2)
    shot("region-05-screening-instrument")

    # 6. A provider with only the region's two kinds, passed: admissible here.
    page.goto(f"{r}/aanbieders/nieuw/")
    page.get_by_label("Naam").fill("Gezinshuis De Linde")
    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("Gezinshuis").check()
    submit(page)
    page.get_by_role("heading", level=1, name="Gezinshuis De Linde").wait_for()
    provider_url = page.url
    for kind in ("Integriteit (Bibob)", "Kwaliteitsbezoek op locatie"):
        page.get_by_role("link", name=re.compile("Screening (toevoegen|vastleggen)")).click()
        page.get_by_label("Soort screening").select_option(label=kind)
        page.get_by_label("Status").select_option(label="Voldoet")
        page.get_by_label(re.compile(r"^Datum")).fill(f"{date.today():%Y-%m-%d}")
        submit(page)
        page.goto(provider_url)
    expect(page.get_by_role("heading", name="Toelaatbaar", exact=True)).to_be_visible()
    shot("region-06-provider-admissible")

    # 7. A framework and a strategy for 2a that says what it replaces, with its own conditions.
    page.goto(f"{r}/inkoop/kaders/nieuw/")
    page.get_by_label("Titel").fill("Inkoopkader jeugdhulp 2027-2030")
    page.get_by_label("Periode").fill("2027-2030")
    submit(page)
    page.goto(f"{r}/inkoop/strategieen/nieuw/")
    page.get_by_label("Titel").fill("Gezinshuizen: toelating met voorwaarden")
    page.get_by_label("Inkoopkader").select_option(label="Inkoopkader jeugdhulp 2027-2030")
    page.get_by_label(re.compile(r"^Segment\b")).select_option(label="2a Gezinshuizen")
    page.get_by_label("Vorige procedure").select_option(label="Open house")
    page.get_by_label(re.compile(r"^Procedure\b")).select_option(
        label="Toelatingsprocedure met voorwaarden"
    )
    page.locator("fieldset", has_text="Vorige bekostiging").get_by_label("PxQ").check()
    page.locator("fieldset", has_text="Bekostiging").last.get_by_label("Taakgericht").check()
    page.get_by_label("Reden van de wijziging").fill("Minder aanbieders, vaste partners per kern.")
    page.get_by_label("Geplande start contracten").fill("2027-01-01")
    page.get_by_label("Initiële looptijd (jaren)").fill("4")
    page.get_by_label("Gezinshuis").check()
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gezinshuizen")
    expect(page.get_by_text("Open house")).to_be_visible()
    strategy_url = page.url
    for code, text in (
        ("WACHT", "De wachttijd voor een gezinshuisplek loopt boven 8 weken."),
        ("STOP", "Een gecontracteerd gezinshuis stopt."),
    ):
        page.goto(f"{strategy_url}voorwaarden/nieuw/")
        page.get_by_label("Code").fill(code)
        page.get_by_label("Voorwaarde").fill(text)
        submit(page)
    shot("region-07-strategy")

    # The overview of the framework: every (sub-)segment, was → wordt.
    page.goto(f"{r}/inkoop/kaders/")
    page.get_by_role("link", name=re.compile("Inkoopkader jeugdhulp")).click()
    page.get_by_role("link", name=re.compile("strategie.*overzicht|Overzicht", re.I)).first.click()
    overview = page.locator("table").first
    expect(overview.locator("tbody tr")).to_have_count(3)
    expect(overview).to_contain_text("nog geen strategie")
    shot("region-08-strategy-overview")

    # 8. The procedure from the strategy; published; a window opened by the region's own
    #    condition; the provider applies and is admitted on the region's two kinds alone.
    page.goto(strategy_url)
    page.get_by_label("Kenmerk van de procedure").fill("HR-2027-GH")
    page.get_by_role("button", name="Procedure starten vanuit deze strategie").click()
    page.get_by_role("heading", name="Opzet en planning").wait_for()
    page.locator('[name="req-0-text"]').fill("Erkend gezinshuis")
    page.locator('[name="req-0-kind"]').select_option("suitability")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".message--success").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Publiceren", exact=True).click()
    confirm(page)
    tender_url = page.url
    # the strategy's two conditions are the choices, as code and full text
    choices = page.locator("fieldset", has_text="Voorwaarde die zich voordoet")
    expect(choices.get_by_role("radio")).to_have_count(2)
    choices.get_by_label(re.compile("WACHT")).check()
    page.get_by_label("Besluit en onderbouwing").fill("DB 7 december: wachttijd 11 weken.")
    page.get_by_label(re.compile(r"^Open vanaf")).fill(f"{date.today():%Y-%m-%d}")
    page.get_by_role("button", name="Besluit vastleggen en venster openen").click()
    page.locator(".message--success").wait_for()
    expect(page.get_by_role("button", name="Venster sluiten")).to_be_visible()
    page.goto(f"{tender_url}inschrijvingen/nieuw/")
    page.get_by_label(re.compile("^Inschrijver")).select_option(label="Gezinshuis De Linde")
    page.get_by_label("Gezinshuis").check()
    submit(page)
    for fieldset in page.locator("fieldset.check").all():
        fieldset.get_by_label("Voldoet", exact=True).check()
        fieldset.get_by_label("Onderbouwing").fill("Erkenning getoond")
    page.get_by_role("button", name="Toets opslaan").click()
    page.locator(".message--success").wait_for()
    page.get_by_label("Toelaten").check()
    page.get_by_label("Motivering").fill("Voldoet aan de eisen en aan de screening van de regio.")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Beslissing|Besluit")).click()
    expect(page.locator("[data-confirm-summary]")).to_contain_text("wordt op")
    assert Submission.objects.get(provider__name="Gezinshuis De Linde").outcome == "pending"
    confirm(page)
    expect(page.locator(".lead .badge, .badge").first).to_be_visible()
    expect(page.get_by_text("Toegelaten").first).to_be_visible()
    shot("region-09-admitted")
    admitted = Submission.objects.get(provider__name="Gezinshuis De Linde")
    assert admitted.outcome == "admitted"
    assert admitted.tender.windows.get().condition.code == "WACHT"
    assert set(admitted.provider.screenings.values_list("kind__code", flat=True)) == {
        "bibob",
        "bezoek",
    }

    assert not [url for url in visited if "/beheer/" in url]
