"""The region administrator turns the public pages on (segments:public-page); no one else."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from segments.models import Region
from segments.services import region_public_page_set


def settings_url(region):
    return reverse("segments:public-page", kwargs={"region": region.slug})


@pytest.mark.django_db
def test_the_region_administrator_turns_the_public_page_on_with_audit(client, world_a, users):
    client.force_login(users.administrator)
    url = settings_url(world_a.region)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"public_page_enabled": "on", "public_min_cell": "12", "public_intro": " Welkom. "},
    )
    assert response.status_code == 302
    region = Region.objects.get(pk=world_a.region.pk)
    assert (region.public_page_enabled, region.public_min_cell, region.public_intro) == (
        True,
        12,
        "Welkom.",
    )
    entry = LogEntry.objects.get_for_object(region).first()
    assert entry.actor == users.administrator
    assert "public_page_enabled" in entry.changes_dict
    assert client.get(reverse("public:region", kwargs={"region": region.slug})).status_code == 200
    # the region page links the settings for the administrator
    detail = client.get(region.get_absolute_url()).content.decode()
    assert url in detail


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "contract_manager", "viewer", "municipal"])
def test_other_roles_cannot_change_it(client, world_a, users, role):
    client.force_login(getattr(users, role))
    url = settings_url(world_a.region)
    assert client.get(url).status_code == 403
    response = client.post(url, {"public_page_enabled": "on", "public_min_cell": "10"})
    assert response.status_code == 403
    assert not Region.objects.get(pk=world_a.region.pk).public_page_enabled
    assert url not in client.get(world_a.region.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_another_regions_officer_does_not_find_it(client, world_a, users):
    client.force_login(users.other_region_officer)
    assert client.get(settings_url(world_a.region)).status_code == 404


@pytest.mark.django_db
def test_a_threshold_below_five_is_refused_and_nothing_is_saved(client, world_a, users):
    client.force_login(users.administrator)
    response = client.post(
        settings_url(world_a.region), {"public_page_enabled": "on", "public_min_cell": "4"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["public_min_cell"]
    region = Region.objects.get(pk=world_a.region.pk)
    assert not region.public_page_enabled and region.public_min_cell == 10
    with pytest.raises(ValidationError) as refused:
        region_public_page_set(region=region, enabled=True, min_cell=4)
    assert "public_min_cell" in refused.value.message_dict
    assert not Region.objects.get(pk=world_a.region.pk).public_page_enabled
