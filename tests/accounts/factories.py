import factory

from accounts.models import MunicipalityMembership, RegionMembership, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nl")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord-123")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_with_role(region, role, **kwargs):
    user = UserFactory(**kwargs)
    RegionMembership.objects.create(user=user, region=region, role=role)
    return user


def municipal_user(municipality, **kwargs):
    user = UserFactory(**kwargs)
    MunicipalityMembership.objects.create(user=user, municipality=municipality)
    return user


def provider_user(provider, role="employee", *, with_device=True, **kwargs):
    """A portal user of ``provider`` (with a confirmed TOTP device unless told otherwise)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from providers.models import ProviderUser

    user = UserFactory(**kwargs)
    ProviderUser.objects.create(user=user, provider=provider, role=role)
    if with_device:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user
