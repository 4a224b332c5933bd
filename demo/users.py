"""One demo user per role. Their shared local password is named in the README."""

from django.db import transaction

from accounts.models import MunicipalityMembership, RegionMembership, User
from core.roles import Role
from segments.models import Municipality, Region

DEMO_PASSWORD = "jeugdinkoop-demo"

DEMO_USERS = [
    # username, full name, staff, superuser, region roles, municipal CBS codes
    (
        "inkoper",
        ("Inge", "Koper"),
        True,
        False,
        [("zhz", Role.PROCUREMENT_OFFICER), ("wbo", Role.PROCUREMENT_OFFICER)],
        [],
    ),
    ("contractmanager", ("Carla", "Manders"), True, False, [("wbo", Role.CONTRACT_MANAGER)], []),
    ("meelezer", ("Mees", "Lezer"), False, False, [("ams", Role.VIEWER)], []),
    ("gemeente", ("Gijs", "Breda"), False, False, [], ["GM0758"]),
    (
        "regiobeheerder",
        ("Rob", "Beheer"),
        False,
        False,
        [("wbo", Role.ADMINISTRATOR), ("zhz", Role.ADMINISTRATOR)],
        [],
    ),
    ("beheerder", ("Bea", "Heerder"), True, True, [], []),
]


@transaction.atomic
def load_users() -> list[User]:
    users = []
    for username, (first, last), staff, superuser, roles, municipalities in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@jeugdinkoop.example",
                "is_staff": staff,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in roles:
            RegionMembership.objects.get_or_create(
                user=user, region=Region.objects.get(slug=slug), role=role
            )
        for code in municipalities:
            MunicipalityMembership.objects.get_or_create(
                user=user, municipality=Municipality.objects.get(cbs_code=code)
            )
        users.append(user)
    return users
