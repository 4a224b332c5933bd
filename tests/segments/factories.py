import factory

from segments.models import CareForm, Municipality, Participation, Product, Region, Segment


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")
    contracting_authority = factory.LazyAttribute(lambda o: f"Inkoopbureau {o.name}")
    letter_signatory_name = "mr. A.B. Ondertekenaar"
    letter_signatory_function = "manager inkoop en contractmanagement"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    cbs_code = factory.Sequence(lambda n: f"GM{9000 - n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class CareFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareForm

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"CF{n}")
    name = factory.Sequence(lambda n: f"Jeugdhulpvorm {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Segment {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    municipality = factory.SubFactory(MunicipalityFactory)
    segment = factory.SubFactory(
        SegmentFactory, region=factory.SelfAttribute("..municipality.region")
    )
    level = "none"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    region = factory.SubFactory(RegionFactory)
    care_form = factory.SubFactory(CareFormFactory, region=factory.SelfAttribute("..region"))
    code = factory.Sequence(lambda n: f"45A{n:02d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "45"
    unit = "04"
