"""An officer has a provider report made on demand, sees it ready, reads it as a web page and
downloads the PDF; the region administrator sees the schedule. In Chromium."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import Role
from monitoring.kpis import rollups
from reports.models import Report, ReportStatus
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/reports_shots")


def snap(page, shot, name):
    """A screenshot in test-artifacts and in /tmp/reports_shots."""
    shot(name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_officer_generates_a_provider_report_on_demand(live_server, page, shot, browser):
    w = build_world("r")
    rollups.refresh_region(w.region.pk)
    user_with_role(w.region, Role.PROCUREMENT_OFFICER, username="olga")
    user_with_role(w.region, Role.ADMINISTRATOR, username="bram")
    base = live_server.url
    login(page, base, "olga")

    # the archive is empty; the region menu leads there
    page.goto(f"{base}/regios/{w.region.slug}/")
    nav = page.get_by_role("navigation", name=re.compile("^Navigatie"))
    nav.get_by_role("button", name="Rapportages").click()  # the menu's groups open on a button
    nav.get_by_role("link", name="Rapportages").click()
    page.get_by_role("heading", name="Rapportages", level=1).wait_for()
    assert "0 rapportages" in page.locator(".result-count").inner_text()
    page.get_by_role("link", name="Nieuwe rapportage maken").click()
    page.get_by_role("heading", name="Nieuwe rapportage maken", level=1).wait_for()

    # only the fields of the chosen kind are shown
    page.get_by_label("Soort rapportage").select_option("provider")
    expect(page.get_by_label("Aanbieder", exact=True)).to_be_visible()
    expect(page.get_by_label("Segment", exact=True)).to_be_hidden()
    expect(page.get_by_label("Kwartaal")).to_be_hidden()
    page.get_by_label("Aanbieder", exact=True).select_option(label=w.provider.name)
    page.get_by_label("Maand").select_option("2026-03")
    snap(page, shot, "reports-01-create")
    with page.expect_navigation():
        page.get_by_role("button", name="Rapportage maken").click()

    # the task ran in the request (no broker): the report is ready
    page.get_by_role("heading", name=w.provider.name, level=1).wait_for()
    # the message says what is true now, never "in de wachtrij gezet" next to "Klaar"
    said = page.locator(".messages").inner_text()
    assert "is gemaakt" in said and "wachtrij" not in said
    status = page.get_by_role("heading", name=re.compile("^Status"))
    assert "Klaar" in status.inner_text()
    report = Report.objects.get()
    assert report.status == ReportStatus.READY and report.current.number == 1
    facts = page.locator(".report-facts").inner_text()
    assert "maart 2026" in facts and "op verzoek" in facts
    assert report.current.sha256[:12] in facts
    snap(page, shot, "reports-02-detail")

    # the same report as a web page
    page.get_by_role("link", name="Bekijken als webpagina").click()
    page.wait_for_load_state()
    text = page.locator("body").inner_text()
    assert w.provider.name in text and "maart 2026" in text
    snap(page, shot, "reports-03-html")
    page.go_back()

    # the PDF
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF downloaden").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename == report.current.filename

    # the archive lists it, ready, with its downloads
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name="Rapportages"
    ).click()
    row = page.locator("table.reports-table tbody tr").first
    assert w.provider.name in row.inner_text() and "Klaar" in row.inner_text()
    expect(row.get_by_role("link", name=re.compile("^PDF"))).to_have_count(1)
    snap(page, shot, "reports-04-archive")

    # a subscription to this provider's reports
    page.get_by_role("link", name="Mijn abonnementen").click()
    page.get_by_label("Soort rapportage").select_option("provider")
    page.get_by_label("Aanbieder", exact=True).select_option(label=w.provider.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Abonneren").click()
    assert "Uw abonnement is toegevoegd" in page.locator(".messages").inner_text()
    assert w.provider.name in page.locator("table.subscriptions-table").inner_text()
    snap(page, shot, "reports-06-subscriptions")

    # the verdeelsleutel: more than 100% is refused
    page.get_by_role("link", name="Verdeelsleutel").click()
    page.get_by_label(w.municipality.name).fill("70")
    page.get_by_label(w.other_municipality.name).fill("40")
    with page.expect_navigation():
        page.get_by_role("button", name="Verdeelsleutel opslaan").click()
    assert "Samen is dat 110%" in page.get_by_role("alert").inner_text()
    snap(page, shot, "reports-07-shares-error")
    page.get_by_label(w.other_municipality.name).fill("30")
    with page.expect_navigation():
        page.get_by_role("button", name="Verdeelsleutel opslaan").click()
    assert "Samen verdeeld: 100%" in page.locator(".stat-line").inner_text()

    # the schedule, as the region administrator sees it
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    admin = context.new_page()
    login(admin, base, "bram")
    admin.goto(f"{base}/regios/{w.region.slug}/rapportages/schema/")
    admin.get_by_role("heading", name="Schema van de rapportages", level=1).wait_for()
    rows = admin.locator("table.schedule-table tbody tr")
    expect(rows).to_have_count(4)
    assert "0 6 10 * *" in rows.first.inner_text()
    expect(rows.first.get_by_role("button", name=re.compile("^Nu uitvoeren"))).to_have_count(1)
    snap(admin, shot, "reports-05-schedule")
    context.close()
