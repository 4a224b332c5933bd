"""The provider portal end to end, in Chromium with a Dutch browser: the officer invites a
provider; its user sets a password and enrols TOTP, asks a question and tenders with evidence;
the officer publishes the nota (the asker anonymised), closes, scores and awards; the provider
reads its letter in its inbox, uploads production and sees its figures on its own dashboard.

Officer and provider each have their own browser (two sessions side by side). Time passing
(the deadline, the objection period) is simulated by moving the recorded dates back."""

import base64
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts.models import Contract
from core.roles import Role
from core.ui.formatting import month_label
from procurement import services
from procurement.codes import ProcedureType
from procurement.models import Submission, Tender
from providers.models import ProviderUser
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_sas_procedure import login, step
from tests.procurement.factories import tender as make_tender
from tests.providers.factories import ProviderFactory, screen_fully

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROVIDER_PASSWORD = "Kompas-portaal-2027!"


def menu(page, name):
    """A link of the portal's navigation."""
    return page.get_by_role("navigation", name="Aanbiedersportaal").get_by_role("link", name=name)


def code_for(secret: str) -> str:
    """The TOTP code an authenticator app shows now for the key the portal displayed."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_provider_portal_from_invitation_to_its_own_dashboard(
    live_server, browser, page, shot, tmp_path, settings
):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    w = build_world("p")
    officer = user_with_role(w.region, Role.PROCUREMENT_OFFICER, username="inge", is_staff=True)
    kompas = ProviderFactory(
        region=w.region,
        name="Kompas Jeugdhulp",
        forms=[w.care_form],
        municipalities=[w.municipality],
    )
    screen_fully(kompas)
    tender = make_tender(w, ProcedureType.TENDER, title="Ambulante jeugdhulp 2027")
    services.tender_setup_save(
        tender=tender,
        milestones=[],
        document_requests=[
            {"order": 1, "title": "Plan van aanpak", "description": "", "required": True}
        ],
    )
    services.tender_transition(tender=tender, name="publish", user=officer)
    services.tender_transition(tender=tender, name="open_qna", user=officer)
    base = live_server.url

    # 1. The officer invites Kompas's first portal user from the provider's page.
    login(page, base, "inge")
    page.goto(f"{base}{kompas.get_absolute_url()}")
    page.get_by_role("link", name="Portaalgebruikers").click()
    page.get_by_label("E-mailadres").fill("planning@kompas.example")
    page.get_by_label("Voornaam").fill("Pien")
    page.get_by_label("Achternaam").fill("Planner")
    page.get_by_label("Beheerder van de aanbieder").check()
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.locator(".message--success")).to_contain_text("planning@kompas.example")
    shot("portal-01-invited")
    (invitation,) = [m for m in mail.outbox if "planning@kompas.example" in m.to]
    link = re.search(r"https?://\S+/account/reset/\S+", invitation.body).group(0)

    # 2. The provider user sets a password and enrols an authenticator app (own browser).
    provider_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    portal = provider_context.new_page()
    portal.goto(base + "/account/" + link.split("/account/", 1)[1])
    portal.locator('[name="new_password1"]').fill(PROVIDER_PASSWORD)
    portal.locator('[name="new_password2"]').fill(PROVIDER_PASSWORD)
    portal.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(portal.locator("main")).to_contain_text("wachtwoord")
    portal.goto(f"{base}/")
    portal.get_by_label("Gebruikersnaam").fill("planning@kompas.example")
    portal.get_by_label("Wachtwoord").fill(PROVIDER_PASSWORD)
    portal.get_by_role("button", name="Inloggen").click()
    expect(portal.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    assert portal.locator(".qr-code svg").count() == 1
    secret = portal.get_by_test_id("totp-secret").inner_text().strip()
    portal.get_by_label("Code uit de authenticator-app").fill("000000")
    portal.get_by_role("button", name="Instellen").click()
    expect(portal.locator(".error-text, .error-summary").first).to_contain_text("klopt niet")
    device = ProviderUser.objects.get(user__email="planning@kompas.example").user.totpdevice_set
    device.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    portal.get_by_label("Code uit de authenticator-app").fill(code_for(secret))
    portal.get_by_role("button", name="Instellen").click()
    expect(portal.get_by_role("heading", name="Kompas Jeugdhulp", level=1)).to_be_visible()

    def shot_portal(name):
        ARTIFACTS.mkdir(exist_ok=True)
        portal.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    shot_portal("portal-02-overview")
    # the staff pages are closed to the provider
    response = portal.goto(f"{base}/regios/{w.region.slug}/")
    assert response.status == 403
    portal.goto(f"{base}/portaal/")

    # 3. It asks a question about the procedure.
    menu(portal, "Procedures").click()
    portal.get_by_role("link", name=re.compile("Ambulante jeugdhulp 2027")).click()
    portal.get_by_role("link", name="Vraag stellen").click()
    portal.get_by_label("Uw vraag").fill("Mag een deel van de begeleiding via beeldbellen?")
    portal.get_by_role("button", name="Vraag versturen").click()
    expect(portal.locator(".message--success")).to_be_visible()

    # 4. It tenders: care form (coverage checked as it ticks), declarations, evidence, plan.
    portal.get_by_role("link", name="Inschrijven").click()
    portal.get_by_label(w.care_form.name).check()
    expect(portal.locator("#coverage-result")).to_contain_text("voldoen aan de dekkingsregel")
    for fieldset in portal.locator("fieldset.check").all():
        fieldset.get_by_label("Ja, wij voldoen hieraan").check()
        fieldset.get_by_label("Bewijs (bestand)").set_input_files(
            {"name": "referenties.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    portal.get_by_label("Plan van aanpak").set_input_files(
        {"name": "plan.exe", "mimeType": "application/pdf", "buffer": PDF}
    )
    portal.get_by_role("button", name="Versturen").click()
    expect(portal.locator(".error-summary")).to_contain_text("past niet bij de inhoud")
    assert not Submission.objects.filter(tender=tender).exists()
    portal.get_by_label("Ja, wij voldoen hieraan").first.check()
    for fieldset in portal.locator("fieldset.check").all():
        fieldset.get_by_label("Ja, wij voldoen hieraan").check()
        fieldset.get_by_label("Bewijs (bestand)").set_input_files(
            {"name": "referenties.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    portal.get_by_label("Plan van aanpak").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    portal.get_by_role("button", name="Versturen").click()
    expect(portal.locator(".message--success")).to_be_visible()
    shot_portal("portal-03-submitted")
    submission = Submission.objects.get(tender=tender, provider=kompas)
    assert submission.channel == "portal" and submission.files.count() == 3

    # 5. The officer cannot read it before the deadline; answers and publishes the nota.
    page.goto(f"{base}/regios/{w.region.slug}/inkoop/aanbestedingen/{tender.pk}/inschrijvingen/")
    expect(page.get_by_text("1 inschrijving ontvangen, verzegeld tot")).to_be_visible()
    assert "Kompas" not in page.locator("main").inner_text()
    assert page.goto(f"{base}{submission.get_absolute_url()}").status == 404
    question = tender.questions.get()
    page.goto(
        f"{base}/regios/{w.region.slug}/inkoop/aanbestedingen/{tender.pk}/vragen/"
        f"{question.pk}/antwoord/"
    )
    page.get_by_label("Antwoord").fill("Ja, tot de helft van de contacten.")
    page.get_by_role("button", name="Opslaan").click()
    page.goto(f"{base}/regios/{w.region.slug}/inkoop/aanbestedingen/{tender.pk}/vragen/")
    page.get_by_role("button", name=re.compile("publiceren", re.I)).click()
    expect(page.locator(".message--success")).to_be_visible()

    # the provider reads the nota: its question, not its name
    portal.goto(f"{base}/portaal/{kompas.pk}/procedures/{tender.pk}/")
    with portal.expect_download() as nota:
        portal.get_by_role("link", name="nr. 1 (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(nota.value.path()).pages)
    assert "beeldbellen" in text and "Kompas" not in text

    # 6. The deadline passes: the officer closes, judges, scores and awards.
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=timezone.now())
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Inschrijving sluiten")
    step(page, "Toets geschiktheid starten")
    page.goto(f"{base}{submission.get_absolute_url()}")
    expect(page.get_by_text("Eigen verklaring en bestanden van de inschrijver")).to_be_visible()
    for fieldset in page.locator("fieldset.check").all():
        fieldset.get_by_label("Voldoet", exact=True).check()
        fieldset.get_by_label("Onderbouwing").fill("Aangetoond met referenties")
    page.get_by_role("button", name="Toets opslaan").click()
    page.locator(".message--success").wait_for()
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Beoordeling starten")
    page.goto(f"{base}{submission.get_absolute_url()}consensus/")
    for fieldset, value in zip(page.locator("fieldset.check").all(), ("8", "7"), strict=True):
        fieldset.get_by_label("Score").fill(value)
        fieldset.get_by_label("Motivering").fill("Sterk onderbouwd plan")
    page.get_by_role("button", name="Scores opslaan").click()
    page.locator(".message--success").wait_for()
    page.goto(f"{base}{tender.get_absolute_url()}")
    step(page, "Rangschikken en voorlopig gunnen")
    step(page, "Gunningsbeslissing versturen, bezwaartermijn start")
    Tender.objects.filter(pk=tender.pk).update(
        objection_started_on=timezone.localdate() - timedelta(days=30)
    )
    page.reload()
    step(page, "Definitief gunnen")
    expect(page.locator(".lead .badge")).to_have_text("Definitieve gunning")
    contract = Contract.objects.get(provider=kompas)

    # 7. The provider reads its letter in its inbox (the read is recorded).
    portal.goto(f"{base}/portaal/{kompas.pk}/")
    menu(portal, re.compile("Postvak")).click()
    portal.get_by_role("link", name=re.compile("Definitieve gunning")).first.click()
    with portal.expect_download() as letter:
        portal.get_by_role("link", name="Brief downloaden").click()
    text = " ".join(p.extract_text() for p in PdfReader(letter.value.path()).pages)
    assert "Kompas Jeugdhulp" in text and "definitief" in text.lower()
    shot_portal("portal-04-letter")
    page.goto(f"{base}{submission.get_absolute_url()}")
    expect(page.get_by_text("Pien Planner").first).to_be_visible()  # who read it

    # 8. It delivers production and sees its figures on its own dashboard.
    portal.goto(f"{base}/portaal/{kompas.pk}/dashboard/")
    before = portal.locator("main").inner_text()
    month = timezone.localdate().replace(day=1)
    csv = tmp_path / "declaraties.csv"
    csv.write_text(
        "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;bedrag\n"
        f"K1;;{contract.reference};{w.municipality.cbs_code};999990019;{w.product.code};"
        f"{month:%Y-%m};10;04;721,00\n",
        encoding="utf-8",
    )
    menu(portal, "Productie").click()
    portal.get_by_role("link", name="Productie aanleveren").click()
    portal.get_by_role("combobox", name=re.compile("Soort gegevens")).select_option("declaraties")
    portal.locator('input[name="file"]').set_input_files(str(csv))
    portal.get_by_role("button", name="Aanleveren").click()
    expect(portal.locator("main")).to_contain_text("Geïmporteerd")
    menu(portal, "Dashboard").click()
    main = portal.locator("main")
    expect(main).to_contain_text(f"€ 721,00 gedeclareerd in {month_label(month)}")
    expect(main).to_contain_text("1 unieke jeugdigen")
    assert "gedeclareerd" not in before
    shot_portal("portal-05-dashboard")
    provider_context.close()
