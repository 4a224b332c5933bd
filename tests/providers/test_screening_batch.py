"""Recording screenings in batch: one screening of one kind per chosen provider, through the
screening service, all or nothing."""

from datetime import date

import pytest
from django.urls import reverse

from providers.models import Screening, ScreeningKind
from providers.services import screening_kind_retire, screenings_record
from tests.providers.factories import kind_of

pytestmark = pytest.mark.django_db


def url(w):
    return reverse("providers:screening-batch", kwargs={"region": w.region.slug})


def test_the_page_lists_providers_with_labelled_checkboxes_and_select_all(
    client, world_a, world_b, users
):
    client.force_login(users.officer)
    response = client.get(url(world_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'for="kies-aanbieder-{world_a.provider.pk}"' in page
    assert 'for="screening-batch-all"' in page and "data-bulk-count" in page
    assert world_b.provider.name not in page
    assert 'value="' + date.today().isoformat() + '"' in page  # ISO in a date input
    # and the provider list links to it for editors
    listing = client.get(reverse("providers:provider-list", kwargs={"region": world_a.region.slug}))
    assert url(world_a) in listing.content.decode()


def test_one_screening_per_chosen_provider(client, world_a, users):
    vog = kind_of(world_a.region, "vog")
    before = Screening.objects.count()
    client.force_login(users.contract_manager)
    response = client.post(
        url(world_a),
        {
            "providers": [world_a.provider.pk, world_a.distant_provider.pk],
            "kind": vog.pk,
            "status": "passed",
            "date": "2026-11-02",
            "valid_until": "",
            "outcome_note": "Jaarlijkse controle",
        },
    )
    assert response.status_code == 302
    made = Screening.objects.filter(date=date(2026, 11, 2), kind=vog)
    assert Screening.objects.count() == before + 2
    assert {s.provider_id for s in made} == {world_a.provider.pk, world_a.distant_provider.pk}
    # through the service: a passed screening without an end gets its kind's validity
    assert all(s.valid_until is not None for s in made)


def test_a_refusal_for_one_saves_nothing(world_a):
    retired = kind_of(world_a.region, "vog")
    screening_kind_retire(screening_kind=retired)
    before = Screening.objects.count()
    with pytest.raises(Exception, match="niet meer in gebruik"):
        screenings_record(
            providers=[world_a.provider, world_a.distant_provider],
            kind=ScreeningKind.objects.get(pk=retired.pk),
            date=date(2026, 11, 2),
            status="passed",
        )
    assert Screening.objects.count() == before


def test_an_invalid_end_for_one_names_it_and_saves_nothing(client, world_a, users):
    vog = kind_of(world_a.region, "vog")
    before = Screening.objects.count()
    client.force_login(users.officer)
    response = client.post(
        url(world_a),
        {
            "providers": [world_a.provider.pk, world_a.distant_provider.pk],
            "kind": vog.pk,
            "status": "passed",
            "date": "2026-11-02",
            "valid_until": "2026-01-01",  # before the date: the model refuses it
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert world_a.provider.name in errors and "Er is niets opgeslagen." in errors
    assert Screening.objects.count() == before


def test_providers_of_another_region_cannot_be_chosen(client, world_a, world_b, users):
    vog = kind_of(world_a.region, "vog")
    client.force_login(users.officer)
    response = client.post(
        url(world_a),
        {
            "providers": [world_b.provider.pk],
            "kind": vog.pk,
            "status": "passed",
            "date": "2026-11-02",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["providers"]
    assert not Screening.objects.filter(provider=world_b.provider, date=date(2026, 11, 2)).exists()


def test_viewers_may_not(client, world_a, users):
    client.force_login(users.viewer)
    assert client.get(url(world_a)).status_code == 403
