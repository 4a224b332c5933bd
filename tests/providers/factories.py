from datetime import date, timedelta

import factory

from providers.models import ConsortiumMembership, Provider, Screening, ScreeningKind
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


# The instrument the tests' regions use unless a test builds its own: the four original kinds,
# each required for every provider.
STANDARD_KINDS = {
    "bibob": ("Integriteit (Bibob)", 36),
    "vog": ("Verklaring omtrent gedrag (VOG)", 24),
    "quality": ("Kwaliteit", 36),
    "financial": ("Financiële gezondheid", 24),
}


class ScreeningKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScreeningKind
        django_get_or_create = ("region", "code")
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"soort{n}")
    name = factory.LazyAttribute(lambda o: STANDARD_KINDS.get(o.code, (o.code.title(),))[0])
    validity_months = 24
    requirement = "all"

    @factory.post_generation
    def for_segments(self, create, extracted, **kwargs):
        if create and extracted:
            self.segments.set(extracted)


def standard_instrument(region) -> dict[str, ScreeningKind]:
    """The region's four standard kinds (made once)."""
    return {
        code: ScreeningKindFactory(region=region, code=code, name=name, validity_months=months)
        for code, (name, months) in STANDARD_KINDS.items()
    }


def kind_of(region, code: str) -> ScreeningKind:
    """The region's kind with this code; a standard code makes the region's standard
    instrument first."""
    if code in STANDARD_KINDS:
        return standard_instrument(region)[code]
    return ScreeningKind.objects.get(region=region, code=code)


class ScreeningFactory(factory.django.DjangoModelFactory):
    """``kind`` may be given as a code ("vog"): the provider's region's kind of that code."""

    class Meta:
        model = Screening

    provider = factory.SubFactory(ProviderFactory)
    kind = "bibob"
    status = "passed"
    date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=365))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("kind"), str):
            kwargs["kind"] = kind_of(kwargs["provider"].region, kwargs["kind"])
        return kwargs


def screen_fully(provider, **overrides):
    """Give a provider a current, passed screening of every standard kind (the region gets
    the standard instrument if it has none of it yet)."""
    for kind in STANDARD_KINDS:
        ScreeningFactory(provider=provider, kind=kind, **overrides.get(kind, {}))
    return provider


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMembership

    consortium = factory.SubFactory(ConsortiumFactory)
    member = factory.SubFactory(
        ProviderFactory, region=factory.SelfAttribute("..consortium.region")
    )
