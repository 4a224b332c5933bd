"""The user services: invite, roles, deactivate, reactivate, invitation again."""

import smtplib
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import MunicipalityMembership, RegionMembership, RegionUser, User
from core.roles import Role
from tests.accounts.factories import user_with_role
from tests.segments.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return RegionFactory(name="Regio Noord", slug="noord")


@pytest.fixture
def other_region():
    return RegionFactory(name="Regio Zuid", slug="zuid")


@pytest.fixture
def admin(region):
    return user_with_role(region, Role.ADMINISTRATOR, username="beheerder")


def invite(region, admin, email="Anna.de.Vries@Example.nl", **kwargs):
    kwargs.setdefault("roles", [Role.PROCUREMENT_OFFICER])
    return services.user_invite(
        email=email,
        first_name="Anna",
        last_name="de Vries",
        region=region,
        invited_by=admin,
        base_url="https://jeugdinkoop.example.nl/",
        **kwargs,
    )


def test_invite_makes_the_user_their_roles_and_sends_the_set_password_link(region, admin):
    user = invite(region, admin, roles=[Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER])
    assert user.username == user.email == "anna.de.vries@example.nl"
    assert user.is_active and not user.has_usable_password()
    assert set(user.region_memberships.values_list("role", flat=True)) == {
        Role.PROCUREMENT_OFFICER,
        Role.CONTRACT_MANAGER,
    }
    standing = RegionUser.objects.get(user=user, region=region)
    assert standing.invited_by == admin and standing.invited_at
    assert services.user_status(user, region) == "invited"
    [message] = mail.outbox
    assert message.to == ["anna.de.vries@example.nl"]
    assert message.subject == "Uitnodiging voor Jeugdinkoop – Regio Noord"
    assert "https://jeugdinkoop.example.nl/account/reset/" in message.body
    assert "anna.de.vries@example.nl" in message.body
    # the audit log has the user and each membership
    assert LogEntry.objects.get_for_object(user).exists()
    assert LogEntry.objects.filter(object_repr__startswith=f"{user} – Inkoper").exists()


def test_a_municipal_user_is_tied_to_one_of_the_regions_municipalities(region, admin, other_region):
    gemeente = MunicipalityFactory(region=region, name="Dordrecht")
    user = invite(region, admin, roles=[], municipality=gemeente)
    assert list(user.municipality_memberships.values_list("municipality", flat=True)) == [
        gemeente.pk
    ]
    elsewhere = MunicipalityFactory(region=other_region)
    with pytest.raises(ValidationError) as exc:
        invite(region, admin, email="b@example.nl", roles=[], municipality=elsewhere)
    assert "municipality" in exc.value.message_dict


@pytest.mark.parametrize("email", ["beheerder@example.nl", "BEHEERDER@example.NL"])
def test_an_address_in_use_is_refused_at_the_email_field_and_nothing_is_saved(region, admin, email):
    users_before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        invite(region, admin, email=email)
    assert "al in gebruik" in exc.value.message_dict["email"][0]
    assert User.objects.count() == users_before and not mail.outbox


def test_an_inactive_users_address_is_in_use_too(region, admin, other_region):
    old = user_with_role(other_region, Role.VIEWER, username="oud", email="oud@example.nl")
    old.is_active = False
    old.save()
    with pytest.raises(ValidationError):
        invite(region, admin, email="Oud@example.nl")


def test_roles_or_a_municipality_not_both_not_neither(region, admin):
    gemeente = MunicipalityFactory(region=region)
    with pytest.raises(ValidationError) as exc:
        invite(region, admin, roles=[Role.VIEWER], municipality=gemeente)
    assert "niet allebei" in exc.value.message_dict["roles"][0]
    with pytest.raises(ValidationError) as exc:
        invite(region, admin, roles=[])
    assert "ten minste één rol" in exc.value.message_dict["roles"][0]
    assert not User.objects.filter(email__iexact="anna.de.vries@example.nl").exists()


def test_a_mail_server_that_refuses_leaves_nothing_behind(region, admin):
    with (
        mock.patch("accounts.services.send_mail", side_effect=smtplib.SMTPException("down")),
        pytest.raises(ValidationError) as exc,
    ):
        invite(region, admin)
    assert "kon niet worden verstuurd" in exc.value.message_dict["email"][0]
    assert not User.objects.filter(email="anna.de.vries@example.nl").exists()
    assert not RegionUser.objects.filter(region=region).exclude(user=admin).exists()


def test_roles_change_in_this_region_only(region, other_region, admin):
    user = invite(region, admin)
    RegionMembership.objects.create(user=user, region=other_region, role=Role.VIEWER)
    services.user_roles_set(
        user=user, region=region, roles=[Role.VIEWER, Role.CONTRACT_MANAGER], changed_by=admin
    )
    assert set(user.region_memberships.filter(region=region).values_list("role", flat=True)) == {
        Role.VIEWER,
        Role.CONTRACT_MANAGER,
    }
    assert user.region_memberships.filter(region=other_region, role=Role.VIEWER).exists()
    # a municipal user instead: the staff roles go
    gemeente = MunicipalityFactory(region=region)
    services.user_roles_set(user=user, region=region, municipality=gemeente, changed_by=admin)
    assert not user.region_memberships.filter(region=region).exists()
    assert MunicipalityMembership.objects.filter(user=user, municipality=gemeente).exists()
    # every change is in the audit log
    assert LogEntry.objects.filter(
        object_repr=f"{user} – Inkoper (Regio Noord)", action=LogEntry.Action.DELETE
    ).exists()


def test_the_last_region_administrator_keeps_the_role(region, admin):
    with pytest.raises(ValidationError) as exc:
        services.user_roles_set(user=admin, region=region, roles=[Role.VIEWER], changed_by=admin)
    assert "laatste regiobeheerder" in exc.value.message_dict["roles"][0]
    with pytest.raises(ValidationError):
        services.user_deactivate(user=admin, region=region, deactivated_by=None)
    assert admin.region_memberships.filter(role=Role.ADMINISTRATOR).exists()
    # with a second administrator the first may step down
    second = invite(region, admin, email="tweede@example.nl", roles=[Role.ADMINISTRATOR])
    services.user_roles_set(user=admin, region=region, roles=[Role.VIEWER], changed_by=second)
    assert not admin.region_memberships.filter(role=Role.ADMINISTRATOR).exists()


def test_deactivate_takes_this_regions_roles_and_the_login_when_none_are_left(
    region, other_region, admin
):
    user = invite(region, admin, roles=[Role.CONTRACT_MANAGER, Role.VIEWER])
    both = invite(region, admin, email="beide@example.nl")
    RegionMembership.objects.create(user=both, region=other_region, role=Role.VIEWER)

    services.user_deactivate(user=user, region=region, deactivated_by=admin)
    user.refresh_from_db()
    assert not user.is_active and not user.region_memberships.exists()
    standing = RegionUser.objects.get(user=user, region=region)
    assert standing.deactivated_by == admin and standing.previous_roles == [
        Role.CONTRACT_MANAGER,
        Role.VIEWER,
    ]
    assert services.user_status(user, region) == "deactivated"

    services.user_deactivate(user=both, region=region, deactivated_by=admin)
    both.refresh_from_db()
    assert both.is_active  # still a viewer of the other region
    assert list(both.region_memberships.values_list("region", flat=True)) == [other_region.pk]

    with pytest.raises(ValidationError):
        services.user_deactivate(user=user, region=region, deactivated_by=admin)  # already


def test_nobody_deactivates_themselves(region, admin):
    invite(region, admin, email="tweede@example.nl", roles=[Role.ADMINISTRATOR])
    with pytest.raises(ValidationError) as exc:
        services.user_deactivate(user=admin, region=region, deactivated_by=admin)
    assert "uzelf" in exc.value.messages[0]


def test_reactivate_gives_roles_back_and_invites_again_who_never_set_a_password(region, admin):
    user = invite(region, admin)
    services.user_deactivate(user=user, region=region, deactivated_by=admin)
    mail.outbox.clear()
    services.user_reactivate(
        user=user, region=region, roles=[Role.VIEWER], reactivated_by=admin, base_url="http://x/"
    )
    user.refresh_from_db()
    assert user.is_active and services.user_status(user, region) == "invited"
    assert RegionUser.objects.get(user=user, region=region).deactivated_at is None
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        services.user_reactivate(user=user, region=region, roles=[Role.VIEWER])


def test_the_invitation_goes_again_only_while_it_is_unused(region, admin):
    user = invite(region, admin)
    services.user_invitation_resend(user=user, region=region, sent_by=admin)
    assert len(mail.outbox) == 2
    user.set_password("Een-Goed-Wachtwoord-2026")
    user.save()
    with pytest.raises(ValidationError):
        services.user_invitation_resend(user=user, region=region, sent_by=admin)


@pytest.mark.parametrize(("email", "says"), [("", "Vul een e-mailadres in"), ("geen-adres", "")])
def test_an_invitation_needs_a_valid_address(region, admin, email, says):
    with pytest.raises(ValidationError) as exc:
        invite(region, admin, email=email)
    assert says in exc.value.message_dict["email"][0]
    assert not mail.outbox
