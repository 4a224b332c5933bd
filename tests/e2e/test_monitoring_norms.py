"""A contract manager sets a segment norm and sees the signals of months already in the
database appear after the recalculation; the status box follows a running recalculation
without reloading the page, in Chromium.

World "n"'s contract gets contract rollups for Jan–Aug 2025; with the drop-out norm 10 / amber
from 15 / red from 20 %: January 2 of 8 = 25 % red (closed by February's 1 of 10 = 10 %),
June 3 of 18 = 16,7 % amber and open. 8 months, 1 signal amber or red."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from core.roles import Role
from core.ui.formatting import month_range
from monitoring.models import SignalRecalculation
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login
from tests.monitoring.test_alerts import rollup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENDED = {date(2025, 1, 1): (2, 8), date(2025, 2, 1): (1, 10), date(2025, 6, 1): (3, 18)}


def test_a_new_norm_judges_the_past_months(live_server, page, shot):
    w = build_world("n")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    for month in month_range(date(2025, 1, 1), date(2025, 8, 1)):
        dropouts, ended = ENDED.get(month, (0, 0))
        rollup(w, w.con.contract, month, dropouts=dropouts, trajectories_ended=ended)
    base = live_server.url
    monitoring = f"{base}/regios/{w.region.slug}/monitoring"
    login(page, base, "carla")

    page.goto(f"{monitoring}/normen/")
    page.get_by_role("heading", name="Normen", level=1).wait_for()
    form = page.locator("#normformulier")
    form.get_by_label("Segment").select_option(label=f"{w.segment.code} {w.segment.name}")
    form.get_by_label(re.compile(r"^KPI\b")).select_option(value="dropout")
    form.get_by_label("Richting").select_option(value="lower")
    form.get_by_label(re.compile(r"^Norm\b")).fill("10")
    form.get_by_label("Drempel oranje").fill("15")
    form.get_by_label("Drempel rood").fill("20")
    with page.expect_navigation():
        page.get_by_role("button", name="Norm opslaan").click()

    # Without a broker the recalculation ran within the request: the box says it is done.
    box = page.locator("[data-recalculation]")
    expect(page.locator(".message--success")).to_contain_text("worden herberekend")
    expect(box.get_by_role("status")).to_contain_text(
        "Klaar: 1 signaal rood of oranje over 8 maanden"
    )
    expect(box).to_contain_text(f"Norm Uitval (%) voor segment {w.segment.code} ingesteld")
    expect(box.locator("progress")).to_have_attribute("value", "8")
    shot("norms-01-recalculated")

    box.get_by_role("link", name="Bekijk de signalen").click()
    expect(page.get_by_role("heading", name="Signalen", level=1)).to_be_visible()
    june = page.locator("tbody tr", has_text="06-2025")
    expect(june).to_contain_text("Oranje")
    expect(june).to_contain_text("Uitval")
    expect(page.locator("tbody tr", has_text="01-2025")).to_contain_text("Afgehandeld")
    shot("norms-02-past-signals")

    # A recalculation still running (as with a worker): the box follows it without a reload.
    running = SignalRecalculation.objects.create(
        region=w.region, reason="Handmatig gestart", status="running", months_total=12
    )
    SignalRecalculation.objects.filter(pk=running.pk).update(months_done=6)
    page.goto(f"{monitoring}/normen/")
    status = page.locator("[data-recalculation]").get_by_role("status")
    expect(status).to_contain_text("Signalen worden herberekend: 6 van 12 maanden")
    SignalRecalculation.objects.filter(pk=running.pk).update(
        status="done", months_done=12, signals_amber_red=3
    )
    expect(status).to_contain_text(
        "Klaar: 3 signalen rood of oranje over 12 maanden", timeout=10_000
    )
    expect(status.get_by_role("link", name="Bekijk de signalen")).to_be_visible()
    shot("norms-03-followed")
