"""The onboarding pages end to end: the installation administrator makes a region and invites
its region administrator, who invites and manages the region's users. Region A's
administrator never reaches region B's users."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import RegionMembership, RegionUser, User
from core.roles import Role
from segments.models import Region

pytestmark = pytest.mark.django_db

PASSWORD = "Een-Sterk-Wachtwoord-2026"


def users_url(region, name="user-list", **kwargs):
    return reverse(f"users:{name}", kwargs={"region": region.slug, **kwargs})


def set_password_from_mail(client, message, password=PASSWORD):
    """Follow the invitation's link as the invitee would, and choose a password."""
    link = re.search(r"https?://\S+/account/reset/\S+", message.body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    assert "Welkom bij Jeugdinkoop" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    return path


def test_the_list_shows_the_regions_users_with_their_status(client, world_a, world_b, users):
    client.force_login(users.administrator)
    response = client.get(users_url(world_a.region))
    assert response.status_code == 200
    listed = {row.user for row in response.context["rows"]}
    assert {users.officer, users.viewer, users.municipal, users.administrator} <= listed
    assert users.other_region_officer not in listed and users.superuser not in listed
    body = response.content.decode()
    assert users.officer.email in body and users.other_region_officer.email not in body
    assert "Gebruiker uitnodigen" in body
    # the region navigation links the page for the administrator only
    assert f'href="{users_url(world_a.region)}"' in body
    client.force_login(users.officer)
    page = client.get(reverse("segments:region-detail", kwargs={"region": world_a.region.slug}))
    assert users_url(world_a.region) not in page.content.decode()


def test_region_a_administrator_cannot_reach_region_b_users(client, world_a, world_b, users):
    client.force_login(users.administrator)
    other = users.other_region_officer
    assert client.get(users_url(world_b.region)).status_code == 404
    assert client.get(users_url(world_b.region, "user-invite")).status_code == 404
    # B's user under A's URL is not found either, for every page and action
    for name in ("user-detail", "user-roles"):
        assert client.get(users_url(world_a.region, name, pk=other.pk)).status_code == 404
    for name in ("user-deactivate", "user-invitation-resend"):
        assert client.post(users_url(world_a.region, name, pk=other.pk)).status_code == 404
    response = client.post(
        users_url(world_a.region, "user-roles", pk=other.pk), {"roles": [Role.VIEWER]}
    )
    assert response.status_code == 404
    response = client.post(
        users_url(world_b.region, "user-invite"),
        {"email": "x@example.nl", "first_name": "X", "last_name": "Y", "roles": [Role.VIEWER]},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="x@example.nl").exists()
    other.refresh_from_db()
    assert other.is_active and other.region_memberships.filter(region=world_b.region).exists()


def test_invite_by_page_then_set_password_then_log_in(client, world_a, users):
    client.force_login(users.administrator)
    response = client.post(
        users_url(world_a.region, "user-invite"),
        {
            "email": "Nieuwe.Inkoper@Example.nl",
            "first_name": "Noor",
            "last_name": "Bakker",
            "roles": [Role.PROCUREMENT_OFFICER],
        },
        follow=True,
    )
    user = User.objects.get(email="nieuwe.inkoper@example.nl")
    assert response.redirect_chain[-1][0] == users_url(world_a.region, "user-detail", pk=user.pk)
    body = response.content.decode()
    assert "Noor Bakker is uitgenodigd" in body and "uitgenodigd" in body
    [message] = mail.outbox
    assert message.to == ["nieuwe.inkoper@example.nl"]
    assert "http://testserver/account/reset/" in message.body  # the request's host

    client.logout()
    path = set_password_from_mail(client, message)
    # the link works once
    assert not client.get(path, follow=True).context["validlink"]
    login = client.post(
        reverse("login"), {"username": "nieuwe.inkoper@example.nl", "password": PASSWORD}
    )
    assert login.status_code == 302
    home = client.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == world_a.region.get_absolute_url()
    user.refresh_from_db()
    assert user.has_usable_password() and user.last_login is not None

    client.force_login(users.administrator)
    detail = client.get(users_url(world_a.region, "user-detail", pk=user.pk))
    assert detail.context["row"].status == "active"


def test_an_address_in_use_is_shown_at_the_email_field(client, world_a, users):
    client.force_login(users.administrator)
    before = User.objects.count()
    response = client.post(
        users_url(world_a.region, "user-invite"),
        {
            "email": users.other_region_officer.email.upper(),
            "first_name": "Dubbel",
            "last_name": "Adres",
            "roles": [Role.VIEWER],
        },
    )
    assert response.status_code == 200
    assert "al in gebruik" in response.context["form"].errors["email"][0]
    assert User.objects.count() == before and not mail.outbox


def test_the_invite_form_offers_only_the_regions_municipalities(client, world_a, world_b, users):
    client.force_login(users.administrator)
    form = client.get(users_url(world_a.region, "user-invite")).context["form"]
    assert set(form.fields["municipality"].queryset) == {
        world_a.municipality,
        world_a.other_municipality,
    }
    response = client.post(
        users_url(world_a.region, "user-invite"),
        {
            "email": "gemeente@example.nl",
            "first_name": "Gem",
            "last_name": "Eente",
            "municipality": world_b.municipality.pk,
        },
    )
    assert response.context["form"].errors["municipality"]
    assert not User.objects.filter(email="gemeente@example.nl").exists()


def test_roles_change_and_the_last_administrator_is_refused(client, world_a, users):
    client.force_login(users.administrator)
    url = users_url(world_a.region, "user-roles", pk=users.viewer.pk)
    response = client.post(url, {"roles": [Role.VIEWER, Role.CONTRACT_MANAGER]}, follow=True)
    assert "De rollen van" in response.content.decode()
    assert set(users.viewer.region_memberships.values_list("role", flat=True)) == {
        Role.VIEWER,
        Role.CONTRACT_MANAGER,
    }

    own = users_url(world_a.region, "user-roles", pk=users.administrator.pk)
    response = client.post(own, {"roles": [Role.VIEWER]})
    assert response.status_code == 200
    assert "laatste regiobeheerder" in response.context["form"].errors["roles"][0]
    assert users.administrator.region_memberships.filter(role=Role.ADMINISTRATOR).exists()


def test_deactivate_and_reactivate_by_page(client, world_a, users):
    client.force_login(users.administrator)
    officer = users.officer
    response = client.post(users_url(world_a.region, "user-deactivate", pk=officer.pk), follow=True)
    assert "is gedeactiveerd" in response.content.decode()
    officer.refresh_from_db()
    assert not officer.is_active and not officer.region_memberships.exists()
    # still on the list, as deactivated, with the roles they had
    listing = client.get(users_url(world_a.region), {"status": "deactivated"})
    assert [r.user for r in listing.context["rows"]] == [officer]
    # the login is gone
    client.logout()
    assert (
        client.post(
            reverse("login"), {"username": officer.username, "password": "geheim-wachtwoord-123"}
        ).status_code
        == 200
    )
    client.force_login(users.administrator)
    roles_page = client.get(users_url(world_a.region, "user-roles", pk=officer.pk))
    assert roles_page.context["form"].initial["roles"] == [Role.PROCUREMENT_OFFICER]
    response = client.post(
        users_url(world_a.region, "user-roles", pk=officer.pk),
        {"roles": [Role.PROCUREMENT_OFFICER]},
        follow=True,
    )
    assert "is weer actief" in response.content.decode()
    officer.refresh_from_db()
    assert officer.is_active and officer.region_memberships.filter(region=world_a.region).exists()
    # the detail page shows the history of the changes
    detail = client.get(users_url(world_a.region, "user-detail", pk=officer.pk))
    assert len(detail.context["entries"]) >= 3


def test_the_administrator_cannot_deactivate_themselves(client, world_a, users):
    client.force_login(users.administrator)
    response = client.post(
        users_url(world_a.region, "user-deactivate", pk=users.administrator.pk), follow=True
    )
    assert "U kunt uzelf niet deactiveren." in response.content.decode()
    assert users.administrator.region_memberships.exists()


def test_resend_the_invitation(client, world_a, users):
    client.force_login(users.administrator)
    client.post(
        users_url(world_a.region, "user-invite"),
        {"email": "later@example.nl", "first_name": "La", "last_name": "Ter", "roles": ["viewer"]},
    )
    user = User.objects.get(email="later@example.nl")
    response = client.post(
        users_url(world_a.region, "user-invitation-resend", pk=user.pk), follow=True
    )
    assert "opnieuw verstuurd" in response.content.decode() and len(mail.outbox) == 2
    # an active user has no invitation to resend
    response = client.post(
        users_url(world_a.region, "user-invitation-resend", pk=users.viewer.pk), follow=True
    )
    assert "al gebruikt" in response.content.decode() and len(mail.outbox) == 2


# ---------------------------------------------------------------- installation


def test_a_new_region_from_nothing_to_its_first_administrator(client, users):
    client.force_login(users.superuser)
    assert client.get(reverse("installation:region-list")).status_code == 200
    response = client.post(
        reverse("installation:region-create"),
        {
            "name": "Regio Nieuwland",
            "slug": "nieuwland",
            "contracting_authority": "Gemeente Nieuwstad",
            "description": "Vier gemeenten",
        },
        follow=True,
    )
    region = Region.objects.get(slug="nieuwland")
    assert response.redirect_chain[-1][0] == reverse(
        "installation:administrator-invite", kwargs={"region": "nieuwland"}
    )
    assert "Regio Nieuwland is aangemaakt" in response.content.decode()
    response = client.post(
        reverse("installation:administrator-invite", kwargs={"region": "nieuwland"}),
        {"email": "beheer@nieuwland.nl", "first_name": "Bea", "last_name": "Heer"},
        follow=True,
    )
    assert "uitgenodigd als regiobeheerder van Regio Nieuwland" in response.content.decode()
    admin = User.objects.get(email="beheer@nieuwland.nl")
    assert RegionMembership.objects.filter(
        user=admin, region=region, role=Role.ADMINISTRATOR
    ).exists()
    assert RegionUser.objects.get(user=admin, region=region).invited_by == users.superuser

    # the new administrator sets a password, logs in and invites an officer of the region
    client.logout()
    set_password_from_mail(client, mail.outbox[0])
    client.post(reverse("login"), {"username": "beheer@nieuwland.nl", "password": PASSWORD})
    response = client.post(
        users_url(region, "user-invite"),
        {
            "email": "inkoper@nieuwland.nl",
            "first_name": "In",
            "last_name": "Koper",
            "roles": [Role.PROCUREMENT_OFFICER],
        },
    )
    assert response.status_code == 302
    # ... and adds the region's municipalities by code, without /beheer/
    response = client.post(
        reverse("segments:municipality-add", kwargs={"region": "nieuwland"}),
        {"codes": "GM0505\nGM0482"},
    )
    assert response.status_code == 302 and region.municipalities.count() == 2


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("slug", {"name": "Heel Nieuw", "slug": "REGIO-A"}),
        ("name", {"name": "regio a", "slug": "heel-nieuw"}),
    ],
)
def test_a_duplicate_region_code_or_name_is_refused_at_the_field(
    client, world_a, users, field, data
):
    client.force_login(users.superuser)
    before = Region.objects.count()
    response = client.post(
        reverse("installation:region-create"), {**data, "contracting_authority": "X"}
    )
    assert response.status_code == 200
    assert "Er is al een regio met" in response.context["form"].errors[field][0]
    assert Region.objects.count() == before


def test_the_installation_pages_are_for_superusers_only(client, world_a, users):
    client.force_login(users.administrator)
    assert client.get(reverse("installation:region-list")).status_code == 403
    response = client.post(
        reverse("installation:region-create"),
        {"name": "Stiekem", "slug": "stiekem", "contracting_authority": "X"},
    )
    assert response.status_code == 403 and not Region.objects.filter(slug="stiekem").exists()
