"""A procurement officer runs an SAS procedure in Chromium: from publication to definitive
award, and downloads the award letter. Time passing (the deadline, the objection period) is
simulated by moving the recorded dates back, as a clock would."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from core.roles import Role
from procurement.models import Strategy, Tender
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.providers.factories import ProviderFactory, screen_fully

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"


def login(page, base, username):
    page.goto(f"{base}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


#: the steps that first show what will be recorded (procurement.views.CONFIRMED_STEPS)
CONFIRMED = {
    "Publiceren",
    "Voorlopig gunnen",
    "Rangschikken en voorlopig gunnen",
    "Gunningsbeslissing versturen, bezwaartermijn start",
    "Definitief gunnen",
}


def confirm(page):
    """On a confirmation page: it states what will be recorded; press "Bevestigen"."""
    page.locator("[data-confirm-summary]").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Bevestigen")).click()


def step(page, label):
    """Press a transition button on the tender dashboard (and, for a legal step, confirm it)
    and wait for the new phase."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()
    if label in CONFIRMED:
        confirm(page)
    page.locator(".message--success").wait_for()


def test_sas_from_publication_to_definitive_award(live_server, page, shot):
    w = build_world("e")
    officer = user_with_role(w.region, Role.PROCUREMENT_OFFICER, username="inge")
    strategy = Strategy.objects.create(
        region=w.region,
        segment=w.segment,
        title="Strategische partners",
        procedure_type="sas",
        funding_models=["task"],
        contract_term_years=5,
        extension_options=[1, 1],
        max_providers=2,
    )
    w.segment.care_forms.add(w.care_form)
    names = ["Kompas Jeugdhulp", "De Brug Zorg", "Horizon Gezin"]
    for name in names:
        screen_fully(ProviderFactory(region=w.region, name=name, forms=[w.care_form]))
    base = live_server.url
    region = w.region.slug
    login(page, base, officer.username)

    # From the strategy: start the procedure, set it up, publish.
    page.goto(f"{base}{strategy.get_absolute_url()}")
    page.get_by_label("Kenmerk van de procedure").fill("SAS-2027-01")
    page.get_by_role("button", name="Procedure starten vanuit deze strategie").click()
    page.get_by_role("heading", name="Opzet en planning").wait_for()
    page.locator('[name="req-0-text"]').fill("Minimaal drie jaar ervaring met jeugdhulp")
    page.locator('[name="req-0-kind"]').select_option("suitability")
    page.locator('[name="req-1-text"]').fill("Geen veroordeling voor fraude")
    page.locator('[name="req-1-kind"]').select_option("exclusion")
    page.locator('[name="crit-0-name"]').fill("Visie op transformatie")
    page.locator('[name="crit-0-weight"]').fill("60")
    page.locator('[name="crit-1-name"]').fill("Samenwerking in de regio")
    page.locator('[name="crit-1-weight"]').fill("30")
    page.locator('[name="ms-0-kind"]').select_option("publication")
    page.locator('[name="ms-0-planned_on"]').fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("telt op tot 90").wait_for()  # weights must make 100%
    page.locator('[name="crit-1-weight"]').fill("40")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".message--success").wait_for()
    tender = Tender.objects.get(reference="SAS-2027-01")

    # Publishing needs a deadline in the future: the button says so.
    why = page.locator("#why-publish")
    assert "sluitingstermijn" in why.inner_text()
    page.get_by_role("link", name="Gegevens wijzigen").click()
    deadline = timezone.localtime() + timedelta(days=14)
    page.get_by_label("Sluitingstermijn inschrijving").fill(f"{deadline:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Opslaan").click()
    step(page, "Publiceren")
    expect(page.locator(".lead .badge")).to_have_text("Gepubliceerd")
    shot("sas-01-published")

    # Three submissions arrive.
    for name in names:
        page.goto(f"{base}/regios/{region}/inkoop/aanbestedingen/{tender.pk}/inschrijvingen/nieuw/")
        page.get_by_label("Inschrijver").select_option(label=name)
        page.get_by_label(w.care_form.name).check()
        page.get_by_role("button", name="Opslaan").click()
        # sealed until the deadline: the officer sees that it arrived, not what it holds
        expect(page.locator(".message--success")).to_contain_text("is ontvangen en verzegeld tot")
    expect(page.get_by_text("3 inschrijvingen ontvangen, verzegeld tot")).to_be_visible()
    assert name not in page.locator("main").inner_text()

    # The deadline passes.
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=timezone.now())
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Inschrijving sluiten")
    step(page, "Toets geschiktheid starten")
    assert "nog niet af" in page.locator("#why-start_scoring").inner_text()
    shot("sas-02-eligibility-blocked")

    # Eligibility: every requirement judged, with evidence.
    for sub in tender.submissions.order_by("number"):
        page.goto(f"{base}{sub.get_absolute_url()}")
        for fieldset in page.locator("fieldset.check").all():
            fieldset.get_by_label("Voldoet", exact=True).check()
            fieldset.get_by_label("Onderbouwing").fill("Aangetoond met referenties")
        page.get_by_role("button", name="Toets opslaan").click()
        page.locator(".message--success").wait_for()
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Beoordeling starten")

    # Scoring: consensus per criterion with a reason (ranking waits until all are scored).
    scores = {
        "Kompas Jeugdhulp": ("8", "7"),
        "De Brug Zorg": ("9", "6"),
        "Horizon Gezin": ("6", "9"),
    }
    for i, sub in enumerate(tender.submissions.select_related("provider").order_by("number")):
        page.goto(f"{base}{sub.get_absolute_url()}consensus/")
        for fieldset, value in zip(
            page.locator("fieldset.check").all(), scores[sub.provider.name], strict=True
        ):
            fieldset.get_by_label("Score").fill(value)
            fieldset.get_by_label("Motivering").fill("Sterk onderbouwd plan met meetbare doelen")
        page.get_by_role("button", name="Scores opslaan").click()
        page.locator(".message--success").wait_for()
        if i == 0:
            page.goto(f"{base}{tender.get_absolute_url()}")
            assert "consensusscore" in page.locator("#why-preselect").inner_text()
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Rangschikken en preselecteren")

    # Ranking: De Brug 78, Kompas 76, Horizon 72 — the best two go through.
    page.get_by_role("link", name="Rangschikking").click()
    rows = page.locator("table.ranking tbody tr")
    assert rows.nth(0).inner_text().startswith("1\tDe Brug Zorg")
    assert "78,00" in rows.nth(0).inner_text() or "78.00" in rows.nth(0).inner_text()
    assert rows.nth(2).inner_text().startswith("3\tHorizon Gezin")
    shot("sas-03-ranking")

    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Onderhandelingen starten")
    step(page, "Voorlopig gunnen")
    step(page, "Gunningsbeslissing versturen, bezwaartermijn start")
    assert "bezwaartermijn loopt tot en met" in page.locator("#why-award").inner_text()
    shot("sas-04-objection-period")

    # The objection period of 20 days passes.
    Tender.objects.filter(pk=tender.pk).update(
        objection_started_on=timezone.localdate() - timedelta(days=21)
    )
    page.reload()
    step(page, "Definitief gunnen")
    expect(page.locator(".lead .badge")).to_have_text("Definitieve gunning")
    shot("sas-05-definitive")

    # The winner's definitive award letter.
    winner = tender.submissions.get(provider__name="De Brug Zorg")
    page.goto(f"{base}{winner.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Definitieve gunning (PDF)").click()
    pdf = download_info.value
    text = "\n".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert "De Brug Zorg" in text
    assert "SAS-2027-01" in text
    assert "gegund" in text.lower()
    winner.refresh_from_db()
    assert winner.contract.start_date is not None  # the award created the contract
