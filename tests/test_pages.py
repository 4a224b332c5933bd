"""Pages at the HTTP level: forms show errors at the field, edits are audited, counts stay flat."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from providers.models import ConsortiumMembership, Provider, Screening
from segments.models import Municipality, Participation, Segment
from tests.providers.factories import ProviderFactory, screen_fully

pytestmark = pytest.mark.django_db


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_invalid_cbs_code_in_the_ui(client, world_a, users):
    client.force_login(users.officer)
    url = reverse("segments:municipality-create", kwargs={"region": world_a.region.slug})
    response = client.post(url, {"cbs_code": "0505", "name": "Dordrecht"})
    assert response.status_code == 200
    assert field_errors(response, "cbs_code") == [
        "Een CBS-gemeentecode bestaat uit 'GM' gevolgd door vier cijfers, bijvoorbeeld GM0505."
    ]
    assert "Controleer de invoer" in response.content.decode()
    assert not Municipality.objects.filter(name="Dordrecht").exists()


def test_create_municipality_and_segment_and_see_history(client, world_a, users):
    client.force_login(users.officer)
    r = world_a.region.slug
    response = client.post(
        reverse("segments:municipality-create", kwargs={"region": r}),
        {"cbs_code": "GM0505", "name": "Dordrecht"},
    )
    municipality = Municipality.objects.get(cbs_code="GM0505")
    assert response.url == municipality.get_absolute_url() and municipality.region == world_a.region
    response = client.post(
        reverse("segments:segment-create", kwargs={"region": r}),
        {
            "parent": world_a.segment.pk,
            "code": "1b",
            "name": "Nieuw deelsegment",
            "care_forms": [world_a.care_form.pk],
            "bought_regionally": "on",
        },
    )
    segment = Segment.objects.get(code="1b", region=world_a.region)
    assert segment.parent == world_a.segment
    client.post(
        reverse("segments:segment-update", kwargs={"region": r, "pk": segment.pk}),
        {
            "parent": world_a.segment.pk,
            "code": "1b",
            "name": "Hernoemd deelsegment",
            "care_forms": [world_a.care_form.pk],
            "bought_regionally": "on",
        },
    )
    entries = LogEntry.objects.get_for_object(segment)
    assert {e.actor for e in entries} == {users.officer}
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 1
    renames = [e for e in entries if "name" in (e.changes_dict or {})]
    assert [e.changes_dict["name"] for e in renames if e.action == LogEntry.Action.UPDATE] == [
        ["Nieuw deelsegment", "Hernoemd deelsegment"]
    ]
    history = client.get(
        reverse(
            "segments:history", kwargs={"region": r, "model": "segments.segment", "pk": segment.pk}
        )
    )
    body = history.content.decode()
    assert "Hernoemd deelsegment" in body and users.officer.username in body
    # auditlog's own action names, in Dutch from our catalog (core/audit_labels.py)
    assert "<td>aangemaakt</td>" in body and "<td>gewijzigd</td>" in body
    assert "<td>create</td>" not in body


def test_duplicate_segment_code_is_a_field_error_not_a_crash(client, world_a, users):
    client.force_login(users.officer)
    response = client.post(
        reverse("segments:segment-create", kwargs={"region": world_a.region.slug}),
        {"code": world_a.segment.code, "name": "Dubbel", "bought_regionally": "on"},
    )
    assert response.status_code == 200
    assert "Segment met deze Regio en Code bestaat al." in str(response.context["form"].errors)


def test_other_regions_segment_cannot_be_chosen_as_parent(client, world_a, world_b, users):
    client.force_login(users.officer)
    response = client.post(
        reverse("segments:segment-create", kwargs={"region": world_a.region.slug}),
        {"parent": world_b.segment.pk, "code": "9", "name": "Onder B"},
    )
    assert field_errors(response, "parent")
    assert not Segment.objects.filter(code="9").exists()


def test_admin_refuses_cross_region_sub_segment_and_participation(client, world_a, world_b, users):
    client.force_login(users.superuser)
    response = client.post(
        "/beheer/segments/segment/add/",
        {
            "region": world_a.region.pk,
            "parent": world_b.segment.pk,
            "code": "9",
            "name": "Fout",
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "Een deelsegment hoort bij een segment van dezelfde regio."
    ]
    response = client.post(
        "/beheer/segments/participation/add/",
        {
            "municipality": world_b.municipality.pk,
            "segment": world_a.segment.pk,
            "level": "none",
            "note": "",
        },
    )
    assert response.context["adminform"].form.errors["municipality"] == [
        "Deze gemeente hoort niet bij de regio van het segment."
    ]


def test_participation_cell_edit(client, world_a, users):
    client.force_login(users.officer)
    url = reverse(
        "segments:participation-edit",
        kwargs={
            "region": world_a.region.slug,
            "municipality": world_a.municipality.pk,
            "segment": world_a.segment.pk,
        },
    )
    response = client.post(url, {"level": "partial", "note": ""})
    assert field_errors(response, "note") or response.context["form"].non_field_errors()
    client.post(url, {"level": "partial", "note": "Alleen voor 12-18 jaar"})
    row = Participation.objects.get(municipality=world_a.municipality, segment=world_a.segment)
    assert row.level == "partial"
    matrix = client.get(
        reverse("segments:participation-matrix", kwargs={"region": world_a.region.slug})
    )
    assert "Alleen voor 12-18 jaar" in matrix.content.decode()


def test_provider_form_errors_at_the_field(client, world_a, users):
    client.force_login(users.contract_manager)
    url = reverse("providers:provider-create", kwargs={"region": world_a.region.slug})
    response = client.post(
        url,
        {
            "name": "Nieuw",
            "kind": "institution",
            "kvk_number": "123",
            "reach": "regional",
            "identity_bound": "on",
        },
    )
    assert field_errors(response, "kvk_number") == [
        "Een KvK-nummer bestaat uit precies acht cijfers, bijvoorbeeld 41118572."
    ]
    assert field_errors(response, "denomination") == [
        "Noem de denominatie van een identiteitsgebonden aanbieder."
    ]
    assert not Provider.objects.filter(name="Nieuw").exists()


def test_screening_dates_error_and_admissibility_on_the_page(client, world_a, users):
    client.force_login(users.contract_manager)
    provider = ProviderFactory(region=world_a.region, name="Nog te screenen")
    detail = client.get(provider.get_absolute_url()).content.decode()
    assert (
        "Niet toelaatbaar" in detail and "Integriteit (Bibob): geen screening vastgelegd" in detail
    )
    url = reverse(
        "providers:screening-create",
        kwargs={"region": world_a.region.slug, "provider": provider.pk},
    )
    response = client.post(
        url,
        {"kind": "bibob", "status": "passed", "date": "2026-05-01", "valid_until": "2026-04-01"},
    )
    assert field_errors(response, "valid_until") == [
        "'Geldig tot en met' ligt voor de datum van de screening."
    ]
    assert not Screening.objects.filter(provider=provider).exists()
    screen_fully(provider)
    assert (
        "Alle vereiste screenings zijn voldoende en geldig."
        in client.get(provider.get_absolute_url()).content.decode()
    )


def test_consortium_members_form(client, world_a, users):
    client.force_login(users.officer)
    url = reverse(
        "providers:consortium-members",
        kwargs={"region": world_a.region.slug, "pk": world_a.consortium.pk},
    )
    response = client.post(url, {"members": [world_a.distant_provider.pk]})
    assert field_errors(response, "lead") == ["Een samenwerkingsverband heeft een hoofdaannemer."]
    response = client.post(url, {"lead": world_a.provider.pk, "members": [world_a.provider.pk]})
    assert "twee keer genoemd" in " ".join(field_errors(response, "members"))
    response = client.post(
        url, {"lead": world_a.distant_provider.pk, "members": [world_a.provider.pk]}
    )
    assert response.status_code == 302
    assert (
        ConsortiumMembership.objects.get(consortium=world_a.consortium, is_lead=True).member
        == world_a.distant_provider
    )


def test_delete_protected_object_explains_why(client, world_a, users):
    client.force_login(users.officer)
    url = reverse(
        "segments:careform-delete",
        kwargs={"region": world_a.region.slug, "pk": world_a.care_form.pk},
    )
    response = client.post(url, follow=True)
    assert "kan niet worden verwijderd" in response.content.decode()


def test_provider_list_query_count_is_flat(client, world_a, users, django_assert_max_num_queries):
    for _ in range(30):
        screen_fully(ProviderFactory(region=world_a.region, municipalities=[world_a.municipality]))
    client.force_login(users.officer)
    url = reverse("providers:provider-list", kwargs={"region": world_a.region.slug})
    # 13: the segment choices of the "toelaatbaar voor segment" filter are one of them
    with django_assert_max_num_queries(13):
        response = client.get(url, {"admissible": "true"})
    assert response.status_code == 200
    assert response.context["table"].paginator.count >= 30
    # per segment: plus the chosen segment and the region's segment tree (its lineage)
    with django_assert_max_num_queries(15):
        response = client.get(url, {"admissible_for": world_a.sub_segment.pk})
    assert response.context["table"].paginator.count >= 30


def test_english_is_available(client, world_a, users):
    client.force_login(users.officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(
        reverse("segments:participation-matrix", kwargs={"region": world_a.region.slug})
    ).content.decode()
    assert 'lang="en"' in body and "Participation" in body and "Deelname van gemeenten" not in body


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_notification_and_bulk_pages_render(client, world_a, users, language):
    """The header search, the notifications, their preferences and both bulk pages (issue 22)."""
    client.force_login(users.officer)
    r = {"region": world_a.region.slug}
    for url in [
        reverse("search:results") + "?q=zorg",
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("monitoring:signals-bulk", kwargs=r),
        reverse("providers:screening-batch", kwargs=r),
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        main = response.content.decode().split('<main id="main"', 1)[1]
        assert ">None<" not in main and "None " not in main, url
