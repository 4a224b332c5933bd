"""A contract manager records a case director's consent from a stacking signal on the
settlement page, in Chromium: the signal becomes a paid note and the contract lists it."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import ProfileConsent
from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.contracts.test_profile_consent import FAMILY, build_ams
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_record_a_consent_from_the_settlement_signal(live_server, page, shot):
    w = build_ams(build_world("i"))
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    base = live_server.url
    login(page, base, "carla")

    settlement = (
        f"{base}/regios/{w.region.slug}/contracten/{w.ams_contract.pk}/afrekening/"
        "?year=2026&first_month=1&last_month=3"
    )
    page.goto(settlement)
    signal = page.locator(".notice--stacking")
    expect(signal).to_contain_text(f"Gezin {FAMILY}: P03-PER (vanaf 10-01-2026)")
    # 3.100,00 + 8.500,00, paid whether or not there is a consent
    expect(page.locator(".settlement-totals")).to_contain_text("€ 11.600,00")
    with page.expect_navigation():
        signal.get_by_role("link", name=re.compile("Instemming vastleggen")).click()

    # prefilled from the signal: the family, the kind, both profiles and the overlap's days
    assert page.get_by_label("Gezin (pseudoniem)").input_value() == FAMILY
    assert page.get_by_label("Geldt vanaf").input_value() == "2026-03-01"
    assert page.get_by_label("Geldt tot en met").input_value() == "2026-03-31"
    expect(page.get_by_role("checkbox", name=re.compile("^P03-PER"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("^P06-INT"))).to_be_checked()
    page.get_by_label("Datum instemming").fill("2026-02-20")
    page.get_by_label("Regisseur (naam en functie)").fill("J. de Vries, regisseur lokaal team")
    shot("consent-01-form")
    # without a reason: refused at the field, nothing saved
    with page.expect_navigation():
        page.get_by_role("button", name="Instemming vastleggen").click()
    expect(page.locator("main")).to_contain_text("Geef de reden van de instemming (verplicht).")
    assert not ProfileConsent.objects.exists()
    page.get_by_label("Reden (verplicht)").fill("Afgestemd en vastgelegd in het perspectiefplan.")
    with page.expect_navigation():
        page.get_by_role("button", name="Instemming vastleggen").click()
    page.locator(".message--success").wait_for()
    expect(page.locator("#instemmingen")).to_contain_text("Afgestemd en vastgelegd")
    shot("consent-02-contract")

    page.goto(settlement)
    expect(page.locator(".notice--stacking")).to_have_count(0)
    expect(page.locator(".notice--stacking_consented")).to_contain_text(
        "met instemming regisseur d.d. 20-02-2026 (J. de Vries, regisseur lokaal team); betaald."
    )
    expect(page.locator(".settlement-totals")).to_contain_text("€ 11.600,00")
    shot("consent-03-settlement")
