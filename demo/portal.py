"""Provider portal users for a few providers of each region (named in the README). They log in
with the demo password and enrol an authenticator app at their first login, as every provider
user does."""

from django.db import transaction

from accounts.models import User
from demo.users import DEMO_PASSWORD
from providers.models import Provider, ProviderRole, ProviderUser

# username, full name, region, provider organisation, role
PORTAL_USERS = [
    # an open-house provider with contracts and production in Zuid-Holland Zuid
    ("aanbieder", ("Anouk", "Leven"), "zhz", "Jeugdzorg Jong Leven", ProviderRole.ADMINISTRATOR),
    (
        "aanbieder-medewerker",
        ("Mo", "Leven"),
        "zhz",
        "Jeugdzorg Jong Leven",
        ProviderRole.EMPLOYEE,
    ),
    # the lead of a consortium contracted under the WBO SAS procedure: acts for the consortium
    (
        "aanbieder-wbo",
        ("Vera", "Toren"),
        "wbo",
        "Stichting De Vuurtoren Vaktherapie",
        ProviderRole.ADMINISTRATOR,
    ),
    # the lead of an Amsterdam consortium
    (
        "aanbieder-ams",
        ("Bram", "Brug"),
        "ams",
        "Kwadraad De Brug Jeugdhulp",
        ProviderRole.ADMINISTRATOR,
    ),
]


@transaction.atomic
def load_portal_users() -> list[ProviderUser]:
    memberships = []
    for username, (first, last), slug, name, role in PORTAL_USERS:
        provider = Provider.objects.filter(region__slug=slug, name=name).first()
        if provider is None:
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@jeugdinkoop.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership, _created = ProviderUser.objects.get_or_create(
            user=user, defaults={"provider": provider, "role": role}
        )
        memberships.append(membership)
    return memberships
