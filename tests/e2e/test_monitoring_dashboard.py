"""A contract manager reads a provider's dashboard and follows a figure to its lines, in
Chromium."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.roles import Role
from monitoring.kpis import rollups
from monitoring.models import Declaration, Trajectory
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_provider_dashboard_figure_leads_to_its_lines(live_server, page, shot):
    w = build_world("m")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    contract = w.con.contract
    # October 2026: three declaration lines (one corrected away) and a trajectory
    for ref, amount, active in (("M1", "1200.00", True), ("M2", "34.56", True), ("M3", "9", False)):
        Declaration.objects.create(
            region=w.region,
            contract=contract,
            municipality=w.municipality,
            product=w.product,
            client_key=(ref * 32)[:64],
            reference=ref,
            month=date(2026, 10, 1),
            quantity=Decimal("1"),
            unit="04",
            amount=Decimal(amount),
            active=active,
        )
    Trajectory.objects.create(
        region=w.region,
        contract=contract,
        municipality=w.municipality,
        product=w.product,
        client_key="M1" * 32,
        reference="T1",
        started_on=date(2026, 9, 15),
    )
    rollups.refresh_region(w.region.pk)
    base = live_server.url
    login(page, base, "carla")

    page.goto(f"{base}/regios/{w.region.slug}/monitoring/aanbieders/{w.provider.pk}/")
    page.get_by_role("heading", name=w.provider.name, level=1).wait_for()
    assert page.get_by_label("Maand", exact=True).input_value() == "2026-10"
    tiles = page.locator(".tile")
    expect(tiles.nth(9)).to_be_attached()  # at least ten tiles
    wait_tile = page.locator("#kpi-wait_time")
    assert "Wachttijd (dagen)" in wait_tile.inner_text()
    # the definition is one click away
    wait_tile.get_by_text("Definitie").click()
    assert "verwijzing" in wait_tile.locator("details").inner_text()
    # the charts are inline SVG with an accessible name; one whose points link to their lines
    # is a group of links (an image holds no links), each point a named link
    spend_chart = page.get_by_role("group", name=re.compile("Besteding 2026"))
    expect(spend_chart).to_have_count(1)
    expect(spend_chart.get_by_role("link", name=re.compile("m januari 2026: €"))).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile("12 maanden")).first).to_be_visible()
    shot("monitoring-01-provider-dashboard")

    figure = page.locator(".key-figure").first.get_by_role("link")
    amount = re.match(r"€ [\d.]+,\d\d", figure.inner_text()).group()
    assert amount == "€ 1.234,56"
    figure.click()
    page.get_by_role("heading", name="Productieregels", level=1).wait_for()
    sentence = page.locator(".lines-sentence").inner_text()
    assert f"Declaraties van {w.provider.name} in oktober 2026" in sentence
    assert "2 regels" in sentence and amount in sentence
    rows = page.locator(".lines-table tbody tr")
    expect(rows).to_have_count(2)
    assert "M1M1M1M1…" in rows.first.inner_text()  # the pseudonym's first 8 characters only
    shot("monitoring-02-lines")
