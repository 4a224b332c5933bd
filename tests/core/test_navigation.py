"""The page frame at the HTTP level: the region menu grouped by the work with the same
visibility rules per role as the pages themselves, the region switch as a plain form, and
buttons only to pages the user may open (core/navigation.py, templates/base.html)."""

import re

import pytest
from django.urls import reverse

from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def menu(client, url):
    """{group label: [link labels]} of the region menu, and the current group and link."""
    body = client.get(url).content.decode()
    nav = re.search(r'<nav class="region-nav".*?</nav>', body, re.S).group(0)
    groups, current_group, current_link = {}, None, None
    for group in re.findall(r'<li class="nav-group.*?</ul>\s*</li>', nav, re.S):
        label = re.search(r'<span class="nav-group__label"[^>]*>([^<]+)</span>', group).group(1)
        groups[label] = re.findall(r"<a [^>]*>([^<]+)</a>", group)
        if 'class="nav-group__toggle"' in group and 'aria-current="true"' in group:
            current_group = label
        link = re.search(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', group)
        if link:
            current_link = link.group(1)
    return groups, current_group, current_link


def test_menu_is_grouped_by_the_work(client, world_a, users):
    client.force_login(users.officer)
    groups, _group, _link = menu(client, world_a.region.get_absolute_url())
    assert list(groups) == ["Landschap", "Inkoop", "Contracten", "Monitoring", "Rapportages"]
    assert groups["Landschap"] == [
        "Segmenten",
        "Deelname",
        "Gemeenten",
        "Aanbieders",
        "Jeugdhulpvormen",
        "Producten",
        "Profielen",
    ]
    assert groups["Inkoop"] == ["Strategieën", "Inkoopkaders", "Aanbestedingen"]
    assert groups["Contracten"] == ["Contracten", "Tarieven", "Inkoopeffect", "Budget per segment"]


def test_each_group_is_a_disclosure_button_over_its_list(client, world_a, users):
    client.force_login(users.officer)
    body = client.get(world_a.region.get_absolute_url()).content.decode()
    for key in ("landschap", "inkoop", "contracten", "monitoring", "rapportages"):
        assert (
            f'<button type="button" class="nav-group__toggle" aria-expanded="false" '
            f'aria-controls="nav-group-{key}"'
        ) in body
        assert f'<ul class="nav-group__list" id="nav-group-{key}">' in body
    assert 'aria-controls="region-nav-groups"' in body and 'id="region-nav-groups"' in body


def test_menu_marks_the_current_page_and_its_group(client, world_a, users):
    client.force_login(users.officer)
    slug = world_a.region.slug
    url = reverse("contracts:tariff-list", kwargs={"region": slug})
    assert menu(client, url)[1:] == ("Contracten", "Tarieven")
    url = reverse("contracts:contract-list", kwargs={"region": slug})
    assert menu(client, url)[1:] == ("Contracten", "Contracten")
    url = reverse("monitoring:signals", kwargs={"region": slug})
    assert menu(client, url)[1:] == ("Monitoring", "Signalen")
    assert menu(client, world_a.region.get_absolute_url())[1:] == (None, None)


def test_menu_shows_each_role_only_what_it_may_open(client, world_a, users):
    """The links of each role's menu answer 200 to that role (the same rules as before:
    nav_region_role, nav_municipality_pk, nav_api_clients, nav_users)."""
    region = world_a.region
    expected = {
        "officer": {"Monitoring", "Rapportages"},
        "municipal": {"Monitoring", "Rapportages"},
        "administrator": {"Monitoring", "Rapportages", "Beheer"},
    }
    for role, extra in expected.items():
        user = getattr(users, role)
        client.force_login(user)
        groups, _g, _l = menu(client, region.get_absolute_url())
        assert set(groups) == {"Landschap", "Inkoop", "Contracten"} | extra, role
        body = client.get(region.get_absolute_url()).content.decode()
        nav = re.search(r'<nav class="region-nav".*?</nav>', body, re.S).group(0)
        for href in re.findall(r'<a href="([^"]+)"', nav):
            assert client.get(href).status_code == 200, f"{role}: {href}"
    client.force_login(users.municipal)
    groups, _g, _l = menu(client, region.get_absolute_url())
    assert "Inkoopeffect" not in groups["Contracten"]
    assert groups["Monitoring"] == ["Overzicht gemeente", "Productieregels"]
    client.force_login(users.administrator)
    groups, _g, _l = menu(client, region.get_absolute_url())
    assert groups["Beheer"] == ["API-clients", "Gebruikers", "Openbare pagina", "Ondertekening"]


def test_region_switch_is_a_plain_form_with_a_button(client, world_a, world_b, users):
    client.force_login(users.superuser)
    body = client.get(world_a.region.get_absolute_url()).content.decode()
    form = re.search(r'<form class="region-switch".*?</form>', body, re.S).group(0)
    assert "data-region-switch" not in form  # app.js navigated on change (WCAG 3.2.2)
    assert '<select id="region-switch" name="regio">' in form
    assert re.search(r'<button type="submit"[^>]*>Wissel</button>', form)
    assert "<noscript>" not in form
    response = client.get(reverse("home"), {"regio": world_b.region.slug})
    assert response.status_code == 302 and response.url == world_b.region.get_absolute_url()


def test_region_switch_goes_only_to_a_region_the_user_sees(client, world_a, world_b, users):
    client.force_login(users.officer)
    ProviderFactory(region=world_b.region)
    response = client.get(reverse("home"), {"regio": world_b.region.slug})
    # one region: home sends the officer to their own, never to the one asked for
    assert response.url == world_a.region.get_absolute_url()
    client.force_login(users.superuser)
    assert client.get(reverse("home"), {"regio": "http://evil.example"}).status_code == 200


def test_imports_page_sits_under_monitoring_with_its_tabs(client, world_a, users):
    client.force_login(users.officer)
    slug = world_a.region.slug
    body = client.get(reverse("monitoring:import-list", kwargs={"region": slug})).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', body, re.S).group(0)
    monitoring = reverse("monitoring:region", kwargs={"region": slug})
    assert re.findall(r"<li>(?:<(?:a|span) [^>]*>)?([^<]+)", crumbs) == [
        "Start",
        world_a.region.name,
        "Monitoring",
        "Imports van productiegegevens",
    ]
    assert f'href="{monitoring}"' in crumbs
    tabs = re.search(r'<nav class="tabs monitoring-nav".*?</nav>', body, re.S).group(0)
    imports = reverse("monitoring:import-list", kwargs={"region": slug})
    assert f'<a href="{imports}" aria-current="page">Imports</a>' in tabs
