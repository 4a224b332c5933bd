"""Every page of the scoping matrix, walked as a region role and as a municipal user: each has
a breadcrumb trail (Start › region › … › the current page), and every "Geschiedenis" link it
shows answers 200 to that user (a municipal user was shown 13 that answered 404)."""

import re

import pytest
from django.urls import reverse

from tests.test_scoping_matrix import pages
from tests.test_scoping_matrix import world_a as world_a  # noqa: F401  (the matrix's world)

pytestmark = pytest.mark.django_db

HISTORY_LINK = re.compile(r'href="([^"]*/geschiedenis/[^"]*)"')


def trail(body):
    match = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', body, re.S)
    return match.group(1) if match else None


def walk(client, w):
    """(url, body) of every page of region A that answers this user with HTML."""
    for name, kwargs, _kind in pages(w):
        if "region" not in kwargs:
            continue  # the installation's own pages are above every region
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield f"{name} {url}", response.content.decode()


@pytest.mark.parametrize("role", ["superuser", "municipal"])
def test_every_region_page_has_breadcrumbs_and_no_dead_history_link(
    client,
    world_a,  # noqa: F811
    users,
    role,
):
    client.force_login(getattr(users, role))
    region_link = f'href="{world_a.region.get_absolute_url()}"'
    without_trail, history = [], set()
    for where, body in walk(client, world_a):
        crumbs = trail(body)
        if crumbs is None or region_link not in crumbs or 'aria-current="page"' not in crumbs:
            without_trail.append(where)
        history |= set(HISTORY_LINK.findall(body))
    assert without_trail == [], "\n".join(without_trail)
    dead = [href for href in sorted(history) if client.get(href).status_code != 200]
    assert dead == []
    # the audit trail names officers: region roles see the buttons, a municipal user none
    assert bool(history) is (role == "superuser")
