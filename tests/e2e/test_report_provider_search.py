"""The report form's provider list has a type-ahead (issue 22: 275 providers and no way to
search): typing narrows the list, the count is read out, and the form still submits the
provider's id. In Chromium."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login
from tests.providers.factories import ProviderFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_finds_a_provider_by_typing_part_of_its_name(live_server, page):
    w = build_world("t")
    for n in range(30):
        ProviderFactory(region=w.region, name=f"Zorgaanbieder {n:02d}")
    wanted = ProviderFactory(region=w.region, name="Stichting Jeugdhulp Zuidoost")
    user_with_role(w.region, Role.PROCUREMENT_OFFICER, username="olga")
    login(page, live_server.url, "olga")
    page.goto(f"{live_server.url}/regios/{w.region.slug}/rapportages/nieuw/")
    page.get_by_label("Soort rapportage").select_option("provider")

    search = page.get_by_label("Zoek op naam")
    expect(search).to_be_visible()
    select = page.get_by_label("Aanbieder", exact=True)
    assert select.locator("option").count() > 30
    search.fill("jeugdhulp zuid")
    expect(page.locator(".select-filter__status")).to_have_text("Gevonden: 1")
    # the only match is chosen; the empty choice stays
    assert select.locator("option").count() == 2
    expect(select).to_have_value(str(wanted.pk))
    search.fill("")
    assert select.locator("option").count() > 30
    expect(select).to_have_value(str(wanted.pk))  # clearing the search keeps the choice
