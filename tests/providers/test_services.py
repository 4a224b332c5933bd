"""The providers' write services: the model's and the consortium's checks before anything is
written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from providers import services
from providers.models import Provider, Screening
from tests.providers.factories import ProviderFactory, ScreeningFactory, kind_of
from tests.segments.factories import CareFormFactory, MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_provider_create_sets_its_care_forms_and_municipalities():
    region = RegionFactory()
    form, municipality = CareFormFactory(region=region), MunicipalityFactory(region=region)
    provider = services.provider_create(
        region=region,
        name="Kompas",
        kvk_number="12345678",
        care_forms=[form],
        municipalities_served=[municipality],
    )
    assert list(provider.care_forms.all()) == [form]
    assert list(provider.municipalities_served.all()) == [municipality]


def test_consortium_with_care_forms_and_institution_without_kvk_are_refused():
    region = RegionFactory()
    with pytest.raises(ValidationError) as error:
        services.provider_create(
            region=region,
            name="SWV",
            kind="consortium",
            care_forms=[CareFormFactory(region=region)],
        )
    assert "care_forms" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.provider_create(region=region, name="Zonder KvK")
    assert "kvk_number" in error.value.message_dict
    assert not Provider.objects.filter(region=region).exists()


def test_provider_update_and_delete():
    provider = ProviderFactory()
    services.provider_update(
        provider=provider,
        name="Nieuwe naam",
        kind=provider.kind,
        kvk_number=provider.kvk_number,
        reach=provider.reach,
    )
    provider.refresh_from_db()
    assert provider.name == "Nieuwe naam"
    services.provider_delete(provider=provider)
    assert not Provider.objects.filter(pk=provider.pk).exists()


def test_screening_valid_until_before_its_date_is_refused():
    provider = ProviderFactory()
    vog = kind_of(provider.region, "vog")
    with pytest.raises(ValidationError) as error:
        services.screening_create(
            provider=provider, kind=vog, date=date(2026, 5, 1), valid_until=date(2026, 4, 1)
        )
    assert "valid_until" in error.value.message_dict
    assert not provider.screenings.exists()


def test_screening_create_update_delete():
    provider = ProviderFactory()
    vog = kind_of(provider.region, "vog")
    screening = services.screening_create(provider=provider, kind=vog, date=date(2026, 5, 1))
    assert screening.status == "pending" and screening.valid_until is None
    services.screening_update(screening=screening, kind=vog, status="passed", date=date(2026, 5, 1))
    screening.refresh_from_db()
    # passed without an end date: valid as long as the kind says (VOG: 24 months)
    assert screening.status == "passed" and screening.valid_until == date(2028, 4, 30)
    services.screening_delete(screening=ScreeningFactory(provider=provider))
    assert Screening.objects.filter(provider=provider).count() == 1
