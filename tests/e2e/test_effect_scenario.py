"""A contract manager prices last quarter's production of a segment under output funding (a
fixed price per trajectory) against its PxQ declarations, and compares two scenarios, in
Chromium."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from contracts import services
from contracts.models import EffectScenario
from core.roles import Role
from monitoring.models import Trajectory
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contract_manager_runs_a_pxq_versus_output_scenario(live_server, page, shot):
    w = build_world("s")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    # Q1 2026: 30 hours × € 72,10 = € 2.163,00 PxQ plus € 12.000,00 availability now; 20
    # trajectories of the same product start in the quarter.
    for i in range(20):
        Trajectory.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=f"{i:02d}" * 32,
            reference=f"T{i}",
            started_on=date(2026, 1, 5) + timedelta(days=4 * i),
        )
    base = live_server.url
    login(page, base, "carla")

    page.goto(f"{base}/regios/{w.region.slug}/contracten/inkoopeffect/")
    page.get_by_role(
        "link", name=re.compile("Scenario's onder een andere bekostigingsvorm")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scenario's")
    page.get_by_role("link", name="Nieuw scenario").click()
    expect(page.get_by_role("heading", name="Nieuw scenario", level=1)).to_be_visible()

    page.locator("#id_name").fill("Output € 100 per traject")
    page.locator("#id_year").select_option("2026")
    page.locator("#id_first_month").select_option(label="Januari")
    page.locator("#id_last_month").select_option(label="Maart")
    page.locator("#id_segment").select_option(str(w.segment.pk))
    page.get_by_label("Outputgericht").check()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Vul de producten")).click()
    # The rows hold the products of the segment's contracts; the name is kept.
    expect(page.locator("#id_name")).to_have_value("Output € 100 per traject")
    row = page.locator("#scenario-price-rows tbody tr").filter(
        has=page.locator("option:checked", has_text=w.product.code)
    )
    expect(row).to_have_count(1)
    row.get_by_label(re.compile("Bedrag")).fill("100")
    # (no full-page screenshot here: it leaves Chromium's click on the button below unsent)
    with page.expect_navigation():
        page.get_by_role("button", name="Bewaar het scenario").click()

    # Now € 14.163,00; under output 20 × € 100,00 = € 2.000,00: − € 12.163,00 (−85,9%).
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator("#total-current")).to_have_text("€ 14.163,00")
    expect(page.locator("#total-alternative")).to_have_text("€ 2.000,00")
    expect(page.locator("#total-difference")).to_contain_text("-€ 12.163,00")
    expect(page.locator("main")).to_contain_text("20 trajecten gestart × € 100,00 = € 2.000,00")
    shot("effect-scenario-02-result")
    scenario = EffectScenario.objects.get()
    assert scenario.created_by.username == "carla"

    # A second scenario (other PxQ tariffs), then both side by side.
    services.effect_scenario_create(
        region=w.region,
        name="PxQ € 75 per uur",
        model="pxq",
        year=2026,
        first_month=1,
        last_month=3,
        segment=w.segment,
        prices=[{"product": w.product, "amount": Decimal("75")}],
    )
    page.goto(f"{base}/regios/{w.region.slug}/contracten/inkoopeffect/scenarios/")
    page.get_by_label("Output € 100 per traject").check()
    page.get_by_label("PxQ € 75 per uur").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vergelijk").click()
    totals = page.locator("#compare-totals")
    # PxQ: 30 × € 75,00 = € 2.250,00 (the availability fee goes too)
    expect(totals.locator("tr", has_text="PxQ € 75 per uur")).to_contain_text("€ 2.250,00")
    expect(totals.locator("tr", has_text="Output € 100 per traject")).to_contain_text("€ 2.000,00")
    expect(page.locator("#compare-providers")).to_contain_text(w.provider.name)
    shot("effect-scenario-03-compare")
