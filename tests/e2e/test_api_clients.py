"""The region administrator makes an API client for a municipality in Chromium, reads its key
off the page (shown once) and calls the API with it: the client sees only its municipality."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from api.models import ApiClient
from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path("/tmp/api_clients.png")


def test_administrator_creates_a_municipality_client_and_uses_its_key(live_server, page, shot):
    w = build_world("k")
    user_with_role(w.region, Role.ADMINISTRATOR, username="bea")
    base = live_server.url
    login(page, base, "bea")

    # the region menu leads to the API clients
    page.goto(f"{base}/regios/{w.region.slug}/")
    nav = page.get_by_role("navigation", name=re.compile("^Navigatie"))
    nav.get_by_role("button", name="Beheer").click()  # the menu's groups open on a button
    nav.get_by_role("link", name="API-clients").click()
    page.get_by_role("heading", name="API-clients", level=1).wait_for()
    page.get_by_role("link", name="Nieuwe API-client").click()
    page.get_by_role("heading", name="Nieuwe API-client", level=1).wait_for()

    # only the organisation of the chosen kind is shown
    page.get_by_label("Naam").fill("Gemeente K1 – BI")
    page.get_by_label("Soort organisatie").select_option("gemeente")
    expect(page.get_by_label("Gemeente", exact=True)).to_be_visible()
    expect(page.get_by_label("Aanbieder", exact=True)).to_be_hidden()
    page.get_by_label("Gemeente", exact=True).select_option(str(w.municipality.pk))
    page.get_by_label("Cijfers lezen").check()
    page.get_by_label("E-mailadres technisch contact").fill("bi@k1.example.nl")
    shot("api-clients-00-create")
    with page.expect_navigation():
        page.get_by_role("button", name="API-client aanmaken").click()

    # the detail page shows the token once
    page.get_by_role("heading", name="Gemeente K1 – BI", level=1).wait_for()
    assert "niet nog eens getoond" in page.locator(".new-token").inner_text()
    token = page.get_by_label("Sleutel", exact=True).input_value()
    api_client = ApiClient.objects.get()
    key = api_client.keys.get()
    assert token.startswith(f"jk_{key.prefix}_")
    keys_table = page.locator("table.api-keys-table").inner_text()
    assert f"jk_{key.prefix}_…" in keys_table and "geldig" in keys_table
    shot("api-clients-01-new-token")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # the API answers with that key: only the client's own municipality
    response = page.request.get(
        f"{base}/api/v1/gemeenten", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200, response.text()
    body = response.json()
    assert [m["naam"] for m in body["resultaten"]] == [w.municipality.name]

    # shown once: after a reload the token is gone from the page
    page.reload()
    page.get_by_role("heading", name="Gemeente K1 – BI", level=1).wait_for()
    expect(page.locator(".new-token")).to_have_count(0)
    assert token not in page.content()

    # the list shows the client with one valid key, used just now
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name="API-clients"
    ).click()
    row = page.locator("table.api-clients-table tbody tr").first
    text = row.inner_text()
    assert "Gemeente K1 – BI" in text and w.municipality.name in text and "Cijfers lezen" in text
    assert "nooit" not in text  # last used is set
    shot("api-clients-02-list")

    # revoking the key: the API refuses it
    page.get_by_role("link", name="Gemeente K1 – BI").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Intrekken")).click()
    assert "ingetrokken" in page.locator("table.api-keys-table").inner_text()
    refused = page.request.get(
        f"{base}/api/v1/gemeenten", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401
