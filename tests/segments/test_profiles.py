"""Support profiles and intensities as the region's own data: create, edit, retire, delete,
with one product per profile × intensity, and the region's rule for running alongside."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.selectors import contract_terms
from segments import services
from segments.codes import ParallelRule
from segments.models import Intensity, Product, SupportProfile
from tests.segments.factories import CareFormFactory, RegionFactory

pytestmark = pytest.mark.django_db


def make_profile_product(region, profile, intensity, code):
    return services.product_create(
        region=region,
        code=code,
        name=f"{profile.name} – {intensity.name}",
        care_form=CareFormFactory(region=region),
        category="50",
        unit="82",
        support_profile=profile,
        intensity=intensity,
    )


def test_intensity_with_a_limit_needs_its_number_of_days():
    region = RegionFactory()
    with pytest.raises(ValidationError) as error:
        services.intensity_create(
            region=region, code="crisis", name="Crisis", parallel=ParallelRule.LIMITED
        )
    assert "parallel_max_days" in error.value.message_dict
    assert not Intensity.objects.filter(region=region).exists()
    crisis = services.intensity_create(
        region=region,
        code="crisis",
        name="Crisis",
        parallel=ParallelRule.LIMITED,
        parallel_max_days=7,
    )
    # A limit without the limited rule is dropped, not kept as a stray number.
    services.intensity_update(intensity=crisis, code="crisis", name="Crisis", parallel_max_days=7)
    crisis.refresh_from_db()
    assert crisis.parallel == ParallelRule.EXCLUSIVE and crisis.parallel_max_days is None


def test_duplicate_intensity_code_in_one_region_is_refused_but_fine_in_another():
    region, other = RegionFactory(), RegionFactory()
    services.intensity_create(region=region, code="licht", name="Licht")
    with pytest.raises(ValidationError) as error:
        services.intensity_create(region=region, code="licht", name="Licht 2")
    assert "__all__" in error.value.message_dict or "code" in error.value.message_dict
    services.intensity_create(region=other, code="licht", name="Licht")
    assert Intensity.objects.filter(code="licht").count() == 2


def test_one_product_per_profile_and_intensity_and_both_of_the_same_region():
    region, other = RegionFactory(), RegionFactory()
    profile = services.support_profile_create(region=region, number=1, name="Opvoeden")
    light = services.intensity_create(region=region, code="licht", name="Licht")
    foreign = services.intensity_create(region=other, code="licht", name="Licht")
    make_profile_product(region, profile, light, "P01-L")
    with pytest.raises(ValidationError):
        make_profile_product(region, profile, light, "P01-L2")
    with pytest.raises(ValidationError) as error:
        make_profile_product(region, profile, foreign, "P01-X")
    assert "intensity" in error.value.message_dict
    assert Product.objects.filter(region=region).count() == 1


def test_profile_or_intensity_with_products_cannot_be_deleted_only_retired():
    region = RegionFactory()
    profile = services.support_profile_create(region=region, number=1, name="Opvoeden")
    light = services.intensity_create(region=region, code="licht", name="Licht")
    make_profile_product(region, profile, light, "P01-L")
    with pytest.raises(ValidationError, match="1 product"):
        services.support_profile_delete(support_profile=profile)
    with pytest.raises(ValidationError, match="1 product"):
        services.intensity_delete(intensity=light)
    services.support_profile_retire(support_profile=profile)
    services.intensity_retire(intensity=light)
    profile.refresh_from_db(), light.refresh_from_db()
    assert profile.retired and light.retired
    assert Product.objects.filter(support_profile=profile, intensity=light).exists()
    empty = services.support_profile_create(region=region, number=2, name="Leeg")
    services.support_profile_delete(support_profile=empty)
    assert not SupportProfile.objects.filter(pk=empty.pk).exists()


def test_settlement_terms_carry_the_regions_rule_for_the_intensity(world_a):
    from contracts import services as contract_services

    region = world_a.region
    profile = services.support_profile_create(region=region, number=1, name="Opvoeden")
    crisis = services.intensity_create(
        region=region, code="crisis", name="Crisis", parallel="limited", parallel_max_days=7
    )
    product = make_profile_product(region, profile, crisis, "P01-C")
    contract = world_a.con.contract
    contract_services.arrangement_create(
        contract=contract,
        model="output",
        valid_from=contract.start_date,
        products=[product],
        output_payment="start",
        name="Resultaat",
    )
    terms = contract_terms(contract).products["P01-C"]
    assert (terms.intensity, terms.parallel, terms.parallel_max_days) == ("Crisis", "limited", 7)


# ------------------------------------------------------------------------------ pages


def test_officer_creates_a_profile_and_adds_its_products_from_the_profile_page(client, users):
    world = users.officer.region_memberships.get().region
    client.force_login(users.officer)
    r = world.slug
    response = client.post(
        reverse("segments:intensity-create", kwargs={"region": r}),
        {"code": "acuut", "name": "Acuut", "position": 1, "parallel": "limited"},
    )
    assert response.status_code == 200  # the limit is missing
    assert "Noem hoeveel dagen" in response.content.decode()
    client.post(
        reverse("segments:intensity-create", kwargs={"region": r}),
        {
            "code": "acuut",
            "name": "Acuut",
            "position": 1,
            "parallel": "limited",
            "parallel_max_days": 14,
        },
    )
    acute = Intensity.objects.get(region=world, code="acuut")
    client.post(
        reverse("segments:supportprofile-create", kwargs={"region": r}),
        {"number": 4, "name": "Gezin", "description": "Opvoedproblemen"},
    )
    profile = SupportProfile.objects.get(region=world, number=4)
    page = client.get(profile.get_absolute_url()).content.decode()
    add = (
        reverse("segments:product-create", kwargs={"region": r})
        + f"?support_profile={profile.pk}&amp;intensity={acute.pk}"
    )
    assert add in page and "Product voor Acuut toevoegen" in page
    form = client.get(add.replace("&amp;", "&")).context["form"]
    assert form.initial["support_profile"] == profile.pk
    assert form.initial["intensity"] == acute.pk


def test_retired_profile_and_intensity_are_not_offered_for_new_products(client, users):
    world = users.officer.region_memberships.get().region
    profile = services.support_profile_create(region=world, number=1, name="Oud")
    light = services.intensity_create(region=world, code="licht", name="Licht")
    client.force_login(users.officer)
    client.post(
        reverse("segments:supportprofile-retire", kwargs={"region": world.slug, "pk": profile.pk}),
        {"retired": "1"},
    )
    client.post(
        reverse("segments:intensity-retire", kwargs={"region": world.slug, "pk": light.pk}),
        {"retired": "1"},
    )
    form = client.get(reverse("segments:product-create", kwargs={"region": world.slug})).context[
        "form"
    ]
    assert profile not in form.fields["support_profile"].queryset
    assert light not in form.fields["intensity"].queryset
    # and back in use
    client.post(
        reverse("segments:intensity-retire", kwargs={"region": world.slug, "pk": light.pk}),
        {"retired": "0"},
    )
    light.refresh_from_db()
    assert not light.retired


def test_delete_page_shows_the_refusal_with_the_count(client, users):
    world = users.officer.region_memberships.get().region
    profile = services.support_profile_create(region=world, number=1, name="Opvoeden")
    light = services.intensity_create(region=world, code="licht", name="Licht")
    make_profile_product(world, profile, light, "P01-L")
    client.force_login(users.officer)
    response = client.post(
        reverse("segments:intensity-delete", kwargs={"region": world.slug, "pk": light.pk}),
        {},
        follow=True,
    )
    assert "Deze intensiteit heeft 1 product" in response.content.decode()
    assert Intensity.objects.filter(pk=light.pk).exists()


def test_viewer_cannot_change_profiles(client, users):
    world = users.viewer.region_memberships.get().region
    profile = services.support_profile_create(region=world, number=1, name="Opvoeden")
    client.force_login(users.viewer)
    response = client.post(
        reverse("segments:supportprofile-retire", kwargs={"region": world.slug, "pk": profile.pk}),
        {"retired": "1"},
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert not profile.retired
