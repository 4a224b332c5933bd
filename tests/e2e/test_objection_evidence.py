"""The procurement officer in Chromium, in the objection period of an SAS procedure: records an
objection, sees the definitive award held by it, decides it, asks the provisional winners for
their evidence and approves each item, awards definitively, and downloads the standstill letter
(voorlopige gunningsbeslissing) that an unsuccessful bidder received. Time passing (the
objection period) is simulated by moving the recorded date back, as a clock would."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from core.roles import Role
from procurement import services
from procurement.codes import Outcome, TenderState
from procurement.models import DecisionLetter, EvidenceItem, Objection, Tender
from reports.periods import MONTH_NAMES
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import confirm
from tests.procurement.factories import sas_to_provisional_award

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"


def login(page, base, username):
    page.goto(f"{base}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def submit(page, button):
    with page.expect_navigation():
        button.click()
    page.locator(".message--success").wait_for()


def test_objection_holds_the_award_until_decided_then_evidence_and_award(live_server, page, shot):
    w = build_world("bz")
    officer = user_with_role(w.region, Role.PROCUREMENT_OFFICER, username="inge")
    tender, subs, now = sas_to_provisional_award(
        w, officer, names=("Kompas Jeugdhulp", "De Brug Zorg", "Horizon Gezin")
    )
    services.tender_transition(tender=tender, name="start_objection", user=officer, now=now)
    # the deadline passed weeks ago and the award decision went out three weeks ago: the
    # objection period is over
    today = timezone.localdate()
    Tender.objects.filter(pk=tender.pk).update(
        submission_deadline=timezone.now() - timedelta(days=40),
        objection_started_on=today - timedelta(days=21),
    )
    loser = next(s for s in subs if s.outcome == Outcome.NOT_PRESELECTED)
    winners = [s for s in subs if s.outcome == Outcome.AWARDED]
    base = live_server.url
    login(page, base, officer.username)

    # The register: record an objection of the unsuccessful bidder against the lot.
    page.goto(f"{base}{tender.get_absolute_url()}")
    page.get_by_role("link", name="Bezwaar en bewijsstukken").click()
    page.get_by_role("heading", name="Bezwaarregister").wait_for()
    page.locator('[name="record-kind"]').select_option("bezwaar")
    page.locator('[name="record-lot"]').select_option(str(tender.lots.get().pk))
    page.locator('[name="record-provider"]').select_option(str(loser.provider.pk))
    page.locator('[name="record-received_on"]').fill(f"{today:%Y-%m-%d}")
    page.locator('[name="record-grounds"]').fill("Ons plan van aanpak is te laag gescoord.")
    submit(page, page.get_by_role("button", name="Bezwaar vastleggen"))
    register = page.locator("#objection-register")
    expect(register).to_contain_text("Kompas Jeugdhulp")
    expect(register).to_contain_text("Open")

    # The definitive award is held, with the reason, here and on the procedure's page.
    expect(page.locator("#award-held")).to_contain_text(
        "De definitieve gunning is opgeschort zolang een bezwaar open is: Bezwaar nr. 1 van "
        "Kompas Jeugdhulp"
    )
    page.goto(f"{base}{tender.get_absolute_url()}")
    expect(page.get_by_role("button", name="Definitief gunnen", exact=True)).to_be_disabled()
    expect(page.locator("#why-award")).to_contain_text("opgeschort zolang een bezwaar open is")
    shot("objection-held")

    # Decide the objection: ongegrond, with the decision's text.
    page.get_by_role("link", name="Bezwaar en bewijsstukken").click()
    page.get_by_text("Beslissen op bezwaar 1").click()
    obj = Objection.objects.get(tender=tender)
    page.locator(f'[name="decide-{obj.pk}-outcome"]').select_option("ongegrond")
    page.locator(f'[name="decide-{obj.pk}-decided_on"]').fill(f"{today:%Y-%m-%d}")
    page.locator(f'[name="decide-{obj.pk}-decision"]').fill(
        "Ongegrond: de score is juist gemotiveerd."
    )
    submit(page, page.get_by_role("button", name="Beslissing vastleggen"))
    expect(register).to_contain_text("Ongegrond")
    expect(page.locator("#award-held")).not_to_contain_text("bezwaar open")

    # Ask each provisional winner for its evidence (the default list of three items).
    for sub in winners:
        page.get_by_text(f"Bewijsstukken opvragen bij {sub.provider}").click()
        page.locator(f'[name="evidence-{sub.pk}-due_on"]').fill(
            f"{today + timedelta(days=7):%Y-%m-%d}"
        )
        submit(page, page.locator(f'form:has([name="evidence-{sub.pk}-due_on"]) button'))
    assert EvidenceItem.objects.filter(request__submission__tender=tender).count() == 6
    expect(page.locator("#award-held")).to_contain_text(
        "Nog niet alle bewijsstukken van de voorlopige winnaars zijn goedgekeurd"
    )

    # Approve every item, one by one.
    for _ in range(6):
        submit(page, page.get_by_role("button", name="Goedkeuren").first)
    expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)
    expect(page.locator("#award-held")).to_contain_text(
        "Niets houdt de definitieve gunning nog tegen."
    )
    shot("evidence-approved")

    # Award definitively.
    with page.expect_navigation():
        page.get_by_role("button", name="Definitief gunnen", exact=True).click()
    confirm(page)
    expect(page.get_by_text("Definitieve gunning").first).to_be_visible()
    tender.refresh_from_db()
    assert tender.state == TenderState.DEFINITIVE_AWARD

    # The standstill letter the unsuccessful bidder received, from its submission page.
    page.goto(f"{base}{loser.get_absolute_url()}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Voorlopige gunningsbeslissing", exact=True).click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(content)).pages
    )
    assert "Kompas Jeugdhulp" in text
    # the standstill letter's content: the winners, the relative advantages and the end date
    for winner in winners:
        assert str(winner.provider) in text
    assert "Relatieve voordelen van" in text
    kept = DecisionLetter.objects.get(submission=loser, kind="provisional")
    end = kept.standstill_ends_on
    assert "De opschortende termijn loopt tot en met" in text
    assert f"{end.day} {MONTH_NAMES[end.month - 1]} {end.year}" in text
