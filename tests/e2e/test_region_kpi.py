"""A contract manager defines a KPI of the region's own, sees its figures, sets its norm and sees
the signals of months already in the database appear after the recalculation; the segment's
dashboard then leads with it, in Chromium (issue 17).

World "k"'s contract has trajectories that ended in June–September 2026, five a month, each
started 60 days before its end:

- June: 4 × reason 01, 1 × 03 → 80 % ended as planned within a year (green against 75);
- July: 2 × 01, 3 × 03 → 40 % (red: at or below 55);
- August: 5 × 01 → 100 % (green: closes July's signal);
- September: 3 × 01, 2 × 04 → 60 % (amber: at or below 65, above 55), open.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from core.roles import Role
from monitoring.kpis import rollups
from monitoring.models import Trajectory
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENDINGS = {
    date(2026, 6, 20): ["01", "01", "01", "01", "03"],
    date(2026, 7, 20): ["01", "01", "03", "03", "03"],
    date(2026, 8, 20): ["01", "01", "01", "01", "01"],
    date(2026, 9, 20): ["01", "01", "01", "04", "04"],
}


def test_contract_manager_defines_a_kpi_sets_its_norm_and_sees_past_signals(
    live_server, page, shot
):
    w = build_world("k")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    n = 0
    for ended_on, reasons in ENDINGS.items():
        for reason in reasons:
            n += 1
            Trajectory.objects.create(
                region=w.region,
                contract=w.con.contract,
                municipality=w.municipality,
                product=w.product,
                client_key=f"{n:064d}",
                reference=f"T{n}",
                started_on=ended_on - timedelta(days=60),
                ended_on=ended_on,
                end_reason=reason,
            )
    rollups.refresh_region(w.region.pk)
    base = live_server.url
    monitoring = f"{base}/regios/{w.region.slug}/monitoring"
    login(page, base, "carla")

    # define the KPI
    page.goto(f"{monitoring}/")
    page.get_by_role("navigation", name="Monitoring").get_by_role(
        "link", name="Eigen KPI's"
    ).click()
    page.get_by_role("heading", name="Eigen KPI's", level=1).wait_for()
    page.get_by_role("link", name="Nieuwe eigen KPI").click()
    page.get_by_role("heading", name="Nieuwe eigen KPI", level=1).wait_for()
    form = page.locator("main form")
    ratio_part = form.locator("[data-show-computation=ratio]")
    expect(ratio_part).to_be_hidden()  # only the chosen computation's part is shown
    form.get_by_label(re.compile(r"^Naam")).fill("Volgens plan binnen een jaar")
    form.get_by_label(re.compile(r"^Code")).fill("volgens-plan")
    form.get_by_label(re.compile(r"^Definitie")).fill(
        "Aandeel van de beëindigde trajecten dat volgens plan eindigde, binnen een jaar."
    )
    form.get_by_label(re.compile(r"^Eenheid")).select_option(value="procent")
    form.get_by_label("Hoger is beter").check()
    form.get_by_label("Aandeel trajecten dat aan voorwaarden voldoet").check()
    share_part = form.locator("[data-show-computation=trajectory_share]")
    expect(share_part).to_be_visible()
    share_part.get_by_label("beëindigd in de maand").check()
    share_part.get_by_label("01 Volgens plan").check()
    share_part.get_by_label(re.compile(r"duur hoogstens", re.IGNORECASE)).fill("365")
    # (no full-page screenshot here: taken right before a click, Chromium can drop the click)
    with page.expect_navigation():
        form.get_by_role("button", name="Opslaan en berekenen").click()

    # its figures, month by month, straight from the data already there
    page.get_by_role("heading", name=re.compile("Volgens plan binnen een jaar"), level=1).wait_for()
    figures = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("12 maanden"))
    )
    expect(figures.locator("tr", has_text="juli 2026")).to_contain_text("40%")
    expect(figures.locator("tr", has_text="juni 2026")).to_contain_text("80%")
    expect(page.get_by_text("reden einde 01; duur hoogstens 365 dagen")).to_be_visible()
    shot("region-kpi-02-detail")

    # its norm: the recalculation judges the months already in the database
    page.get_by_role("link", name="Norm instellen").click()
    page.get_by_role("heading", name="Normen", level=1).wait_for()
    norm_form = page.locator("#normformulier")
    expect(norm_form.get_by_label(re.compile(r"^KPI\b"))).to_have_value(re.compile(r"^rk\d+$"))
    norm_form.get_by_label("Segment").select_option(label=f"{w.segment.code} {w.segment.name}")
    expect(norm_form.get_by_label("Richting")).to_have_value("higher")
    norm_form.get_by_label(re.compile(r"^Norm\b")).fill("75")
    norm_form.get_by_label("Drempel oranje").fill("65")
    norm_form.get_by_label("Drempel rood").fill("55")
    with page.expect_navigation():
        page.get_by_role("button", name="Norm opslaan").click()
    box = page.locator("[data-recalculation]")
    expect(box.get_by_role("status")).to_contain_text("Klaar: 1 signaal rood of oranje")
    shot("region-kpi-03-recalculated")

    box.get_by_role("link", name="Bekijk de signalen").click()
    expect(page.get_by_role("heading", name="Signalen", level=1)).to_be_visible()
    september = page.locator("tbody tr", has_text="09-2026")
    expect(september).to_contain_text("Oranje")
    expect(september).to_contain_text("Volgens plan binnen een jaar")
    july = page.locator("tbody tr", has_text="07-2026")
    expect(july).to_contain_text("Rood")
    expect(july).to_contain_text("Afgehandeld")  # closed by August's green month
    shot("region-kpi-04-signals")

    # the segment steers on it: its dashboard leads with it
    page.goto(f"{monitoring}/segmenten/{w.segment.pk}/sturing/")
    page.get_by_label("Volgens plan binnen een jaar").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name=re.compile(w.segment.name), level=1).wait_for()
    first_tile = page.locator(".tile").first
    expect(first_tile).to_contain_text("Volgens plan binnen een jaar")
    expect(first_tile).to_contain_text("Sturingsdoel")
    expect(first_tile).to_contain_text("60%")
    shot("region-kpi-05-segment-dashboard")
