"""The region's screening instrument: its services, its pages and its refusals."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from providers import services
from providers.models import Screening, ScreeningKind
from tests.providers.factories import (
    ProviderFactory,
    ScreeningFactory,
    ScreeningKindFactory,
    kind_of,
)
from tests.segments.factories import RegionFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def test_a_kind_required_per_segment_names_segments_of_its_own_region():
    region, other = RegionFactory(), RegionFactory()
    own_segment = SegmentFactory(region=region)
    foreign_segment = SegmentFactory(region=other)
    with pytest.raises(ValidationError) as error:
        services.screening_kind_create(
            region=region, code="bezoek", name="Kwaliteitsbezoek", requirement="segments"
        )
    assert error.value.message_dict == {
        "segments": ["Kies de segmenten waarvoor deze screening vereist is."]
    }
    with pytest.raises(ValidationError) as error:
        services.screening_kind_create(
            region=region,
            code="bezoek",
            name="Kwaliteitsbezoek",
            requirement="segments",
            segments=[own_segment, foreign_segment],
        )
    assert error.value.message_dict["segments"] == ["Kies alleen segmenten van de eigen regio."]
    assert not ScreeningKind.objects.exists()
    kind = services.screening_kind_create(
        region=region,
        code="bezoek",
        name="Kwaliteitsbezoek",
        description="Een bezoek op locatie",
        validity_months=12,
        requirement="segments",
        segments=[own_segment],
    )
    assert list(kind.segments.all()) == [own_segment]
    # Required for every provider: the segments are dropped, not kept as a silent leftover.
    services.screening_kind_update(
        screening_kind=kind,
        code="bezoek",
        name="Kwaliteitsbezoek",
        requirement="all",
        segments=[own_segment],
    )
    assert kind.segments.count() == 0 and kind.requirement == "all"
    assert LogEntry.objects.get_for_object(kind).count() >= 2


def test_the_code_is_unique_per_region():
    region = RegionFactory()
    services.screening_kind_create(region=region, code="bibob", name="Bibob")
    services.screening_kind_create(region=RegionFactory(), code="bibob", name="Bibob")
    with pytest.raises(ValidationError) as error:
        services.screening_kind_create(region=region, code="bibob", name="Nog een Bibob")
    assert error.value.message_dict == {"code": ["Deze code is in de regio al in gebruik."]}
    assert ScreeningKind.objects.filter(region=region).count() == 1


def test_a_kind_with_screenings_is_not_deleted_but_can_be_retired():
    region = RegionFactory()
    vog = kind_of(region, "vog")
    first, second = ProviderFactory(region=region), ProviderFactory(region=region)
    ScreeningFactory(provider=first, kind=vog, date=date(2025, 1, 1))
    ScreeningFactory(provider=first, kind=vog, date=date(2026, 1, 1))
    ScreeningFactory(provider=second, kind=vog)
    with pytest.raises(ValidationError) as error:
        services.screening_kind_delete(screening_kind=vog)
    assert error.value.messages == [
        "Verklaring omtrent gedrag (VOG) wordt gebruikt door 3 screenings van 2 aanbieders; "
        "zet hem op 'niet meer in gebruik'."
    ]
    assert ScreeningKind.objects.filter(pk=vog.pk).exists()
    services.screening_kind_retire(screening_kind=vog)
    vog.refresh_from_db()
    assert not vog.active
    # a retired kind is no longer offered for a new screening ...
    with pytest.raises(ValidationError) as error:
        services.screening_create(provider=second, kind=vog, date=date(2026, 2, 1))
    assert list(error.value.message_dict) == ["kind"]
    # ... but a screening of it on record can still be corrected
    screening = Screening.objects.filter(provider=second).get()
    services.screening_update(screening=screening, kind=vog, status="failed", date=screening.date)
    services.screening_kind_retire(screening_kind=vog, retired=False)
    vog.refresh_from_db()
    assert vog.active
    unused = ScreeningKindFactory(region=region, code="ongebruikt")
    services.screening_kind_delete(screening_kind=unused)
    assert not ScreeningKind.objects.filter(pk=unused.pk).exists()


def test_a_kind_of_another_region_is_refused_for_a_screening():
    provider = ProviderFactory()
    foreign = kind_of(RegionFactory(), "bibob")
    with pytest.raises(ValidationError) as error:
        services.screening_create(
            provider=provider, kind=foreign, date=date(2026, 1, 1), status="passed"
        )
    assert error.value.message_dict["kind"] == ["Deze soort screening hoort bij een andere regio."]
    assert not Screening.objects.exists()


def test_a_passed_screening_left_without_end_date_gets_the_kinds_validity():
    provider = ProviderFactory()
    kind = ScreeningKindFactory(region=provider.region, code="bezoek", validity_months=12)
    endless = ScreeningKindFactory(region=provider.region, code="eenmalig", validity_months=None)
    passed = services.screening_create(
        provider=provider, kind=kind, date=date(2026, 3, 10), status="passed"
    )
    assert passed.valid_until == date(2027, 3, 9)
    given = services.screening_create(
        provider=provider,
        kind=kind,
        date=date(2026, 3, 11),
        status="passed",
        valid_until=date(2026, 6, 30),
    )
    assert given.valid_until == date(2026, 6, 30)
    forever = services.screening_create(
        provider=provider, kind=endless, date=date(2026, 3, 10), status="passed"
    )
    assert forever.valid_until is None


# ---------------------------------------------------------------- pages


def test_the_instrument_pages(client, world_a, users):
    """List with counts, create, edit, retire, and a refused delete that explains itself."""
    client.force_login(users.officer)
    r = world_a.region.slug
    listing = client.get(reverse("providers:provider-list", kwargs={"region": r}))
    instrument_url = reverse("providers:screeningkind-list", kwargs={"region": r})
    assert instrument_url in listing.content.decode()
    page = client.get(instrument_url)
    rows = {row.record.code: row.record for row in page.context["table"].rows}
    assert set(rows) == {"bibob", "vog", "quality", "financial"}
    assert (rows["bibob"].screening_count, rows["bibob"].provider_count) == (1, 1)

    response = client.post(
        reverse("providers:screeningkind-create", kwargs={"region": r}),
        {
            "name": "Kwaliteitsbezoek op locatie",
            "code": "bezoek",
            "description": "Een bezoek aan de locatie",
            "validity_months": "12",
            "requirement": "segments",
            "segments": [str(world_a.segment.pk)],
        },
    )
    visit = ScreeningKind.objects.get(region=world_a.region, code="bezoek")
    assert response.status_code == 302 and response.url == visit.get_absolute_url()
    assert list(visit.segments.all()) == [world_a.segment]
    # a segment of another region is no choice
    response = client.post(
        reverse("providers:screeningkind-update", kwargs={"region": r, "pk": visit.pk}),
        {"name": "Bezoek", "code": "bezoek", "requirement": "segments", "segments": ["999999"]},
    )
    assert response.status_code == 200 and response.context["form"].errors["segments"]
    # a code already in use in the region: the message at the field, nothing saved
    response = client.post(
        reverse("providers:screeningkind-update", kwargs={"region": r, "pk": visit.pk}),
        {"name": "Bezoek", "code": "bibob", "requirement": "all"},
    )
    assert response.context["form"].errors["code"] == ["Deze code is in de regio al in gebruik."]
    visit.refresh_from_db()
    assert (visit.code, visit.requirement) == ("bezoek", "segments")

    # the provider's page shows the verdict for the segment with the extra requirement
    detail = client.get(world_a.provider.get_absolute_url()).content.decode()
    assert "Kwaliteitsbezoek op locatie: geen screening vastgelegd" in detail

    history = client.get(
        reverse(
            "segments:history",
            kwargs={"region": r, "model": "providers.screeningkind", "pk": visit.pk},
        )
    )
    assert history.status_code == 200
    bibob = rows["bibob"]
    delete_url = reverse("providers:screeningkind-delete", kwargs={"region": r, "pk": bibob.pk})
    response = client.post(delete_url, follow=True)
    assert (
        "Integriteit (Bibob) wordt gebruikt door 1 screening van 1 aanbieder; "
        "zet hem op &#x27;niet meer in gebruik&#x27;." in response.content.decode()
    )
    assert ScreeningKind.objects.filter(pk=bibob.pk).exists()
    retire_url = reverse("providers:screeningkind-retire", kwargs={"region": r, "pk": bibob.pk})
    client.post(retire_url)
    bibob.refresh_from_db()
    assert not bibob.active
    client.post(retire_url, {"retired": "0"})
    bibob.refresh_from_db()
    assert bibob.active


def test_the_screening_form_offers_the_regions_kinds_in_use(client, world_a, world_b, users):
    client.force_login(users.contract_manager)
    r = world_a.region.slug
    vog = ScreeningKind.objects.get(region=world_a.region, code="vog")
    services.screening_kind_retire(screening_kind=vog)
    url = reverse(
        "providers:screening-create", kwargs={"region": r, "provider": world_a.provider.pk}
    )
    offered = set(client.get(url).context["form"].fields["kind"].queryset)
    assert (
        offered == set(ScreeningKind.objects.filter(region=world_a.region, active=True))
        and vog not in offered
    )
    foreign = ScreeningKind.objects.get(region=world_b.region, code="bibob")
    response = client.post(url, {"kind": foreign.pk, "status": "passed", "date": "2026-01-01"})
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    response = client.post(url, {"kind": vog.pk, "status": "passed", "date": "2026-01-01"})
    assert response.context["form"].errors["kind"]
    before = Screening.objects.count()
    bibob = ScreeningKind.objects.get(region=world_a.region, code="bibob")
    client.post(url, {"kind": bibob.pk, "status": "passed", "date": "2026-01-01"})
    assert Screening.objects.count() == before + 1
    assert Screening.objects.latest("pk").valid_until == date(2028, 12, 31)


def test_another_regions_kind_is_hidden_under_the_own_region(client, world_a, world_b, users):
    client.force_login(users.officer)
    foreign = ScreeningKind.objects.get(region=world_b.region, code="bibob")
    for name in ("screeningkind-detail", "screeningkind-update", "screeningkind-delete"):
        url = reverse(f"providers:{name}", kwargs={"region": world_a.region.slug, "pk": foreign.pk})
        assert client.get(url).status_code == 404, name
    url = reverse(
        "providers:screeningkind-retire",
        kwargs={"region": world_a.region.slug, "pk": foreign.pk},
    )
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.active


def test_a_region_that_requires_no_screening_says_so(client, users, world_a):
    from providers.models import ScreeningKind as Kind

    for kind in Kind.objects.filter(region=world_a.region):
        services.screening_kind_retire(screening_kind=kind)
    client.force_login(users.officer)
    page = client.get(world_a.distant_provider.get_absolute_url()).content.decode()
    assert "De regio vereist (nog) geen screenings voor toelating." in page
    assert ">Toelaatbaar<" in page


def test_the_instrument_list_query_count_is_flat(
    client, world_a, users, django_assert_max_num_queries
):
    for number in range(15):
        ScreeningKindFactory(
            region=world_a.region,
            code=f"extra{number}",
            requirement="segments",
            for_segments=[world_a.segment, world_a.sub_segment],
        )
    client.force_login(users.viewer)
    url = reverse("providers:screeningkind-list", kwargs={"region": world_a.region.slug})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and response.context["table"].paginator.count == 19


def test_the_region_overview_names_the_kind_of_an_expiring_screening(client, users, world_a):
    from datetime import timedelta

    from django.utils import timezone

    screening = world_a.screening
    Screening.objects.filter(pk=screening.pk).update(
        valid_until=timezone.localdate() + timedelta(days=10)
    )
    client.force_login(users.viewer)
    page = client.get(world_a.region.get_absolute_url()).content.decode()
    assert f"{world_a.provider.name}</a> – {screening.kind.name}, geldig t/m" in page
