"""The header search: scoped like every list, accent- and case-insensitive, grouped by kind."""

from datetime import date

import pytest
from django.urls import reverse

from core import search
from tests.segments.factories import ParticipationFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def found(client, query, kind):
    response = client.get(reverse("search:results"), {"q": query})
    assert response.status_code == 200
    group = next(g for g in response.context["groups"] if g.kind.key == kind)
    return {hit.title for hit in group.hits}, group.count


def test_pattern_ignores_accents_and_case():
    assert search.fold("Súdwest-Fryslân") == "sudwest-fryslan"
    import re

    assert re.search(search.pattern("sudwest fryslan"), "Gemeente Súdwest Fryslân", re.I)
    assert re.search(search.pattern("CRÈCHE"), "de creche", re.I)
    assert re.search(search.pattern("a.b"), "axb") is None  # the query is no pattern


def test_finds_each_kind_and_links_to_its_page(client, world_a, users):
    client.force_login(users.officer)
    titles, count = found(client, "zorg a dichtbij", "providers")
    assert titles == {world_a.provider.name} and count == 1
    assert found(client, world_a.con.contract.reference.upper(), "contracts")[1] == 1
    assert str(world_a.proc.tender) in found(client, world_a.proc.tender.title[:6], "tenders")[0]
    assert str(world_a.municipality) in found(client, "gemeente a1", "municipalities")[0]
    assert str(world_a.segment) in found(client, "HOOG specialistisch a", "segments")[0]
    page = client.get(reverse("search:results"), {"q": "Zorg A Dichtbij"}).content.decode()
    assert f'href="{world_a.provider.get_absolute_url()}"' in page


def test_accents_in_the_data_are_found_without_them(client, world_a, users):
    from segments.services import municipality_update

    municipality_update(
        municipality=world_a.other_municipality,
        cbs_code=world_a.other_municipality.cbs_code,
        name="Súdwest-Fryslân A",
    )
    client.force_login(users.officer)
    name = str(world_a.other_municipality.__class__.objects.get(pk=world_a.other_municipality.pk))
    assert name.startswith("Súdwest-Fryslân A")
    assert name in found(client, "sudwest-fryslan", "municipalities")[0]
    assert name in found(client, "SÚDWEST", "municipalities")[0]


def test_a_user_of_region_a_never_finds_region_b(client, world_a, world_b, users):
    client.force_login(users.officer)
    for kind, query in [
        ("providers", "Zorg B"),
        ("contracts", world_b.con.contract.reference),
        ("tenders", world_b.proc.tender.title),
        ("municipalities", "Gemeente B"),
        ("segments", "specialistisch B"),
    ]:
        assert found(client, query, kind) == (set(), 0), kind
    client.force_login(users.other_region_officer)
    assert found(client, "Zorg B", "providers")[1] >= 1
    assert found(client, "Zorg A", "providers") == (set(), 0)


def test_a_municipal_user_never_finds_contracts_outside_its_scope(client, world_a, users):
    from contracts.services import contract_create

    secret = SegmentFactory(region=world_a.region, code="9", name="Segment zonder A1")
    ParticipationFactory(municipality=world_a.municipality, segment=secret, level="none")
    contract_create(
        region=world_a.region,
        reference="C-GEHEIM-1",
        provider=world_a.provider,
        segment=secret,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )
    client.force_login(users.officer)
    assert found(client, "c-geheim", "contracts")[1] == 1
    client.force_login(users.municipal)
    assert found(client, "c-geheim", "contracts") == (set(), 0)
    # the draft procedure is hidden from municipal users, on its list and in the search
    assert found(client, world_a.proc.draft.title, "tenders") == (set(), 0)
    # and a suggestion never names it either
    data = client.get(reverse("search:suggest"), {"q": "c-geheim"}).json()
    assert data["results"] == []


def test_every_hit_is_in_the_users_scope(client, world_a, world_b, users):
    """Whatever the role: every hit of every kind is a record the user's list page shows."""
    from django.apps import apps

    for role in ("officer", "viewer", "municipal", "other_region_officer", "administrator"):
        user = getattr(users, role)
        for kind in search.KINDS:
            visible = set(apps.get_model(kind.model).objects.visible_to(user))
            hits = set(search.matches(kind, user, "e"))
            assert hits <= visible, (role, kind.key)


def test_suggest_is_json_and_scoped(client, world_a, world_b, users):
    client.force_login(users.officer)
    data = client.get(reverse("search:suggest"), {"q": "zorg"}).json()
    assert data["query"] == "zorg"
    names = {r["title"] for r in data["results"] if r["kind"] == "providers"}
    assert names == {world_a.provider.name, world_a.distant_provider.name}
    assert all(r["url"].startswith("/regios/regio-a/") for r in data["results"])


def test_too_short_a_query_searches_nothing(client, users):
    client.force_login(users.officer)
    response = client.get(reverse("search:results"), {"q": "z"})
    assert response.context["groups"] == [] and response.context["too_short"]
    assert "ten minste twee tekens" in response.content.decode()


def test_the_header_has_a_labelled_search_box(client, users):
    client.force_login(users.viewer)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert 'role="search"' in page and 'for="header-search-q"' in page
    assert f'action="{reverse("search:results")}"' in page


def test_provider_portal_users_have_no_staff_search(client, world_a):
    from tests.accounts.factories import provider_user

    user = provider_user(world_a.provider, "admin")
    client.force_login(user)
    assert client.get(reverse("search:results"), {"q": "zorg"}).status_code == 403
    assert client.get(reverse("search:suggest"), {"q": "zorg"}).status_code == 403
