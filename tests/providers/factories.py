from datetime import date, timedelta

import factory

from providers.models import ConsortiumMembership, Provider, Screening
from tests.segments.factories import RegionFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Aanbieder {n}")
    kind = "institution"
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities_served.set(extracted)

    @factory.post_generation
    def forms(self, create, extracted, **kwargs):
        if create and extracted:
            self.care_forms.set(extracted)


class ConsortiumFactory(ProviderFactory):
    kind = "consortium"
    kvk_number = ""


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    provider = factory.SubFactory(ProviderFactory)
    kind = "bibob"
    status = "passed"
    date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=365))


def screen_fully(provider, **overrides):
    """Give a provider a current, passed screening of every required kind."""
    for kind in ("bibob", "vog", "quality", "financial"):
        ScreeningFactory(provider=provider, kind=kind, **overrides.get(kind, {}))
    return provider


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMembership

    consortium = factory.SubFactory(ConsortiumFactory)
    member = factory.SubFactory(
        ProviderFactory, region=factory.SelfAttribute("..consortium.region")
    )
