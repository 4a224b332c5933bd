import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from segments.models import Municipality, Participation, Product, Segment
from segments.services import participation_set
from tests.segments.factories import (
    CareFormFactory,
    MunicipalityFactory,
    RegionFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["0505", "GM505", "gm0505", "GM05050", "GMabcd", ""])
def test_invalid_cbs_code_is_refused_at_the_field(code):
    municipality = Municipality(region=RegionFactory(), cbs_code=code, name="X")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "cbs_code" in error.value.message_dict


def test_invalid_cbs_code_is_refused_by_the_database():
    region = RegionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(region=region, cbs_code="GM12", name="X")


def test_sub_segment_under_another_regions_segment_is_refused():
    parent = SegmentFactory()
    child = Segment(region=RegionFactory(), parent=parent, code="1a", name="Deel")
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert error.value.message_dict["parent"] == [
        "Een deelsegment hoort bij een segment van dezelfde regio."
    ]


def test_segment_cannot_hang_under_its_own_descendant():
    root = SegmentFactory()
    child = SegmentFactory(region=root.region, parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as error:
        root.full_clean()
    assert "parent" in error.value.message_dict


def test_segment_code_unique_per_region_but_not_across_regions():
    first = SegmentFactory(code="3a")
    SegmentFactory(code="3a")  # another region: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Segment.objects.create(region=first.region, code="3a", name="Dubbel")


def test_participation_of_another_regions_municipality_is_refused():
    segment = SegmentFactory()
    outsider = MunicipalityFactory()
    with pytest.raises(ValidationError) as error:
        participation_set(municipality=outsider, segment=segment, level="none")
    assert error.value.message_dict["municipality"] == [
        "Deze gemeente hoort niet bij de regio van het segment."
    ]
    assert not Participation.objects.exists()


def test_partial_participation_needs_a_note_in_form_and_database():
    segment = SegmentFactory()
    municipality = MunicipalityFactory(region=segment.region)
    with pytest.raises(ValidationError) as error:
        participation_set(municipality=municipality, segment=segment, level="partial", note="  ")
    assert "note" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(municipality=municipality, segment=segment, level="partial")


def test_participation_set_updates_in_place():
    segment = SegmentFactory()
    municipality = MunicipalityFactory(region=segment.region)
    participation_set(municipality=municipality, segment=segment, level="none")
    participation_set(municipality=municipality, segment=segment, level="partial", note="Alleen 3a")
    row = Participation.objects.get()
    assert (row.level, row.note) == ("partial", "Alleen 3a")


def test_product_with_care_form_of_another_region_is_refused():
    care_form = CareFormFactory()
    product = Product(
        region=RegionFactory(), care_form=care_form, code="X1", name="X", category="45", unit="04"
    )
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "care_form" in error.value.message_dict


def test_product_codes_must_come_from_the_ijw_lists():
    care_form = CareFormFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            region=care_form.region,
            care_form=care_form,
            code="X",
            name="X",
            category="99",
            unit="04",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            region=care_form.region,
            care_form=care_form,
            code="X",
            name="X",
            category="45",
            unit="77",
        )
