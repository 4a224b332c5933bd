import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from providers.models import ConsortiumMembership, Provider, Screening
from providers.services import consortium_set_members
from tests.providers.factories import ConsortiumFactory, ProviderFactory, ScreeningFactory
from tests.segments.factories import CareFormFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "12 34 56 78"])
def test_invalid_kvk_is_refused_at_the_field_and_in_the_database(kvk):
    provider = ProviderFactory.build(region=ProviderFactory().region, kvk_number=kvk)
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "kvk_number" in error.value.message_dict
    # Refused by the database too: by the format CHECK, or (PostgreSQL) by the column length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        provider.save()


def test_organisation_needs_kvk_consortium_may_do_without():
    region = ProviderFactory().region
    with pytest.raises(ValidationError) as error:
        Provider(region=region, name="Zonder", kind="institution", kvk_number="").full_clean()
    assert error.value.message_dict["kvk_number"] == ["Vul het KvK-nummer in (acht cijfers)."]
    Provider(region=region, name="Verband", kind="consortium", kvk_number="").full_clean()


def test_identity_bound_needs_denomination():
    provider = ProviderFactory.build(
        region=ProviderFactory().region, identity_bound=True, denomination=""
    )
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "denomination" in error.value.message_dict


def test_screening_valid_until_before_date_is_refused():
    screening = ScreeningFactory.build(provider=ProviderFactory())
    screening.valid_until = screening.date.replace(year=screening.date.year - 1)
    with pytest.raises(ValidationError) as error:
        screening.full_clean()
    assert error.value.message_dict["valid_until"] == [
        "'Geldig tot en met' ligt voor de datum van de screening."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        screening.save()


def test_consortium_composition_and_union_of_care_forms():
    region = ProviderFactory().region
    form_a, form_b, form_c = (CareFormFactory(region=region) for _ in range(3))
    lead = ProviderFactory(region=region, forms=[form_a, form_b])
    sub = ProviderFactory(region=region, forms=[form_b, form_c])
    consortium = ConsortiumFactory(region=region)
    consortium_set_members(consortium=consortium, lead=lead, members=[sub])
    assert set(consortium.effective_care_forms()) == {form_a, form_b, form_c}
    assert consortium.lead == lead
    # Swap roles: the constraint "one lead" holds throughout.
    consortium_set_members(consortium=consortium, lead=sub, members=[lead])
    assert consortium.lead == sub
    assert ConsortiumMembership.objects.filter(consortium=consortium).count() == 2


@pytest.mark.parametrize(
    "case, field, message",
    [
        ("no_lead", "lead", "Een samenwerkingsverband heeft een hoofdaannemer."),
        ("itself", "members", "Een samenwerkingsverband kan niet lid van zichzelf zijn."),
        ("twice", "members", "twee keer genoemd"),
        ("other_region", "members", "hoort bij een andere regio"),
        ("nested", "members", "zelf een samenwerkingsverband"),
    ],
)
def test_bad_consortium_compositions_are_refused_whole(case, field, message):
    region = ProviderFactory().region
    consortium = ConsortiumFactory(region=region)
    lead = ProviderFactory(region=region)
    other = ProviderFactory(region=region)
    consortium_set_members(consortium=consortium, lead=lead, members=[other])
    arguments = {
        "no_lead": (None, [other]),
        "itself": (lead, [consortium]),
        "twice": (lead, [other, lead]),
        "other_region": (lead, [ProviderFactory()]),
        "nested": (lead, [ConsortiumFactory(region=region)]),
    }[case]
    with pytest.raises(ValidationError) as error:
        consortium_set_members(consortium=consortium, lead=arguments[0], members=arguments[1])
    assert any(message in m for m in error.value.message_dict[field])
    # Nothing half-saved: the previous composition stands.
    assert consortium.lead == lead
    assert set(consortium.members.values_list("member", flat=True)) == {lead.pk, other.pk}


def test_database_refuses_two_leads_and_self_membership():
    consortium = ConsortiumFactory()
    a, b = ProviderFactory(region=consortium.region), ProviderFactory(region=consortium.region)
    ConsortiumMembership.objects.create(consortium=consortium, member=a, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsortiumMembership.objects.create(consortium=consortium, member=b, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsortiumMembership.objects.create(consortium=consortium, member=consortium)
    assert Screening.objects.count() == 0
