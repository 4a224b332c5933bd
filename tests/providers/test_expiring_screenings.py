"""The region overview's "screenings that run out within 60 days" panel lists ten and links to
all of them: the provider list filtered on a screening that runs out soon."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.providers.factories import ProviderFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def test_panel_links_to_every_provider_with_an_expiring_screening(client, world_a, users):
    today = date.today()
    soon = [ProviderFactory(region=world_a.region, name=f"Binnenkort {i:02}") for i in range(12)]
    for i, provider in enumerate(soon):
        ScreeningFactory(provider=provider, kind="vog", valid_until=today + timedelta(days=5 + i))
    later = ProviderFactory(region=world_a.region, name="Later")
    ScreeningFactory(provider=later, kind="vog", valid_until=today + timedelta(days=80))
    client.force_login(users.officer)

    body = client.get(world_a.region.get_absolute_url()).content.decode()
    assert "Screenings die binnen 60 dagen verlopen (12)" in body
    link = re.search(r'<a href="([^"]*\?screening_expiring=60)">([^<]*)</a>', body)
    assert link, "the panel of ten links to the rest"
    assert "Alle 12 screenings die binnen 60 dagen verlopen" in link.group(2)
    assert link.group(1) == (
        reverse("providers:provider-list", kwargs={"region": world_a.region.slug})
        + "?screening_expiring=60"
    )

    listed = client.get(link.group(1))
    assert listed.context["result_count"] == 12
    names = {p.name for p in listed.context["table"].data}
    assert names == {p.name for p in soon}
    within_90 = client.get(link.group(1).replace("=60", "=90"))
    assert {p.name for p in within_90.context["table"].data} == {p.name for p in soon} | {"Later"}


def test_the_list_form_filters_on_expiring_screenings_only_when_chosen(client, world_a, users):
    # the form as the browser sends it (every field, the unchosen ones empty): no screening
    # filter, so providers without an expiring screening are listed too
    ScreeningFactory(
        provider=ProviderFactory(region=world_a.region, name="Binnenkort"),
        kind="vog",
        valid_until=date.today() + timedelta(days=5),
    )
    ProviderFactory(region=world_a.region, name="Zonder screening")
    client.force_login(users.officer)
    url = reverse("providers:provider-list", kwargs={"region": world_a.region.slug})

    page = client.get(url)
    select = re.search(
        r'<select name="screening_expiring"[^>]*>(.*?)</select>', page.content.decode(), re.S
    )
    first = re.search(r"<option ([^>]*)>([^<]*)</option>", select.group(1))
    assert first.group(1).startswith('value=""') and "selected" in first.group(1)

    listed = client.get(url, {"q": "", "kind": "", "screening_expiring": ""})
    names = {p.name for p in listed.context["table"].data}
    assert {"Binnenkort", "Zonder screening"} <= names
    soon = client.get(url, {"q": "", "kind": "", "screening_expiring": "30"})
    assert "Zonder screening" not in {p.name for p in soon.context["table"].data}
