"""The landscape's write services: the model's checks before anything is written, and a
delete that something still refers to is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from segments import selectors, services
from segments.models import CareForm, Municipality, Product, Segment
from tests.segments.factories import (
    CareFormFactory,
    MunicipalityFactory,
    ProductFactory,
    RegionFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


def test_municipality_create_and_update():
    region = RegionFactory()
    municipality = services.municipality_create(region=region, cbs_code="GM0505", name="Dordt")
    assert municipality.pk and municipality.region == region
    services.municipality_update(municipality=municipality, cbs_code="GM0505", name="Dordrecht")
    municipality.refresh_from_db()
    assert municipality.name == "Dordrecht"


def test_municipality_with_an_invalid_code_is_refused_before_anything_is_written():
    region = RegionFactory()
    with pytest.raises(ValidationError) as error:
        services.municipality_create(region=region, cbs_code="0505", name="X")
    assert "cbs_code" in error.value.message_dict
    assert not Municipality.objects.filter(region=region).exists()


def test_segment_create_sets_its_care_forms_and_update_replaces_them():
    region = RegionFactory()
    first, second = CareFormFactory(region=region), CareFormFactory(region=region)
    segment = services.segment_create(region=region, code="1", name="Jeugd", care_forms=[first])
    assert list(segment.care_forms.all()) == [first]
    services.segment_update(segment=segment, code="1", name="Jeugd", care_forms=[second])
    assert list(segment.care_forms.all()) == [second]


def test_sub_segment_of_another_region_is_refused():
    parent = SegmentFactory()
    region = RegionFactory()
    with pytest.raises(ValidationError) as error:
        services.segment_create(region=region, code="1a", name="Deel", parent=parent)
    assert "parent" in error.value.message_dict
    assert not Segment.objects.filter(region=region).exists()


def test_subtree_ids_hold_the_segment_and_everything_below_it():
    root = SegmentFactory()
    child = SegmentFactory(region=root.region, parent=root)
    grandchild = SegmentFactory(region=root.region, parent=child)
    SegmentFactory(region=root.region)  # a sibling tree
    assert selectors.segment_subtree_ids(root) == {root.pk, child.pk, grandchild.pk}
    assert selectors.segment_subtree_ids(grandchild) == {grandchild.pk}


def test_care_form_in_use_is_not_deleted():
    product = ProductFactory()
    with pytest.raises(ProtectedError):
        services.care_form_delete(care_form=product.care_form)
    assert CareForm.objects.filter(pk=product.care_form.pk).exists()


def test_product_code_is_unique_per_region():
    product = ProductFactory()
    with pytest.raises(ValidationError):
        services.product_create(
            region=product.region,
            code=product.code,
            name="Nog een",
            care_form=product.care_form,
            category=product.category,
            unit=product.unit,
        )
    assert Product.objects.filter(region=product.region).count() == 1


def test_delete_services_delete():
    municipality = MunicipalityFactory()
    services.municipality_delete(municipality=municipality)
    assert not Municipality.objects.filter(pk=municipality.pk).exists()
