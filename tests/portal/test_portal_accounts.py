"""Provider accounts: invitation by the region or the provider's administrator, the second
factor, the portal boundary, the provider scope kind."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.scoping import scope_for
from portal import services
from providers.models import ProviderRole, ProviderUser
from tests.accounts.factories import provider_user

from .conftest import portal_login

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_scope_of_a_portal_user_is_its_provider_and_the_consortia_it_leads(world_a, portal):
    scope = scope_for(portal.admin)
    assert scope.provider_ids == {world_a.provider.pk, world_a.consortium.pk}
    assert scope.provider_region_ids == {world_a.region.pk}
    assert scope.provider_admin_ids == {world_a.provider.pk}
    assert not scope.region_roles and not scope.is_municipal
    # a member that does not lead the consortium acts for itself only
    assert scope_for(portal.distant_admin).provider_ids == {world_a.distant_provider.pk}
    assert scope_for(portal.employee).provider_admin_ids == frozenset()


def test_officer_invites_from_the_provider_page_and_the_user_enrols_totp(client, world_a, users):
    client.force_login(users.officer)
    url = reverse(
        "portal-staff:users",
        kwargs={"region": world_a.region.slug, "provider": world_a.provider.pk},
    )
    response = client.post(
        url,
        {"email": "Planner@Zorg.nl", "first_name": "Pien", "last_name": "Planner", "role": "admin"},
    )
    assert response.status_code == 302
    membership = ProviderUser.objects.get(user__email="planner@zorg.nl")
    assert membership.provider == world_a.provider and membership.role == ProviderRole.ADMINISTRATOR
    assert membership.invited_by == users.officer
    assert len(mail.outbox) == 1 and "aanbiedersportaal" in mail.outbox[0].subject
    link = re.search(r"http\S+/account/reset/\S+", mail.outbox[0].body).group(0)
    # the detail page shows the provider's portal users
    page = client.get(url)
    assert "planner@zorg.nl" in page.content.decode()

    client.logout()
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Een-lang-wachtwoord-42", "new_password2": "Een-lang-wachtwoord-42"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("login"), {"username": "planner@zorg.nl", "password": "Een-lang-wachtwoord-42"}
    )
    assert response.status_code == 302

    # the portal sends them to enrol a second factor first
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and reverse("portal:otp-verify") in response.url
    response = client.get(response.url, follow=True)
    assert reverse("portal:otp-setup") in response.redirect_chain[-1][0]
    assert "<svg" in response.content.decode()
    device = TOTPDevice.objects.get(user__email="planner@zorg.nl", confirmed=False)
    response = client.post(reverse("portal:otp-setup"), {"token": "000000"})
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("portal:otp-setup"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    response = client.get(reverse("portal:home"), follow=True)
    assert response.status_code == 200
    assert world_a.provider.name in response.content.decode()


def test_a_new_session_asks_the_code_again_and_a_wrong_code_is_refused(client, world_a, portal):
    client.force_login(portal.admin)
    overview = reverse("portal:overview", kwargs={"provider": world_a.provider.pk})
    response = client.get(overview)
    assert response.status_code == 302 and reverse("portal:otp-verify") in response.url
    # with a confirmed app, enrolling another one needs the code first
    response = client.get(reverse("portal:otp-setup"))
    assert response.status_code == 302 and reverse("portal:otp-verify") in response.url
    device = TOTPDevice.objects.get(user=portal.admin)
    response = client.post(reverse("portal:otp-verify"), {"token": "123", "next": overview})
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttling_failure_count = 0
    device.save()
    response = client.post(reverse("portal:otp-verify"), {"token": _code(device), "next": overview})
    assert response.status_code == 302 and response.url == overview
    assert client.get(overview).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, world_a, portal):
    client.force_login(portal.admin)
    device = TOTPDevice.objects.get(user=portal.admin)
    client.post(reverse("portal:otp-verify"), {"token": "111111"})
    # the next attempt, even with the right code, waits for the throttle
    response = client.post(reverse("portal:otp-verify"), {"token": _code(device)})
    assert "Te veel onjuiste codes" in response.content.decode()
    assert (
        client.get(reverse("portal:overview", kwargs={"provider": world_a.provider.pk})).status_code
        == 302
    )


def test_portal_users_are_kept_out_of_every_staff_page(client, world_a, portal):
    portal_login(client, portal.admin)
    for url in (
        world_a.region.get_absolute_url(),
        reverse(
            "providers:provider-detail",
            kwargs={"region": world_a.region.slug, "pk": world_a.provider.pk},
        ),
        reverse("contracts:contract-list", kwargs={"region": world_a.region.slug}),
        "/beheer/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/").url == reverse("portal:home")


def test_a_portal_user_only_reaches_the_providers_it_acts_for(client, world_a, world_b, portal):
    portal_login(client, portal.admin)
    for provider, status in (
        (world_a.provider, 200),
        (world_a.consortium, 200),
        (world_a.distant_provider, 404),
        (world_b.provider, 404),
    ):
        url = reverse("portal:overview", kwargs={"provider": provider.pk})
        assert client.get(url).status_code == status, provider


def test_staff_cannot_open_the_portal(client, world_a, users):
    client.force_login(users.officer)
    url = reverse("portal:overview", kwargs={"provider": world_a.provider.pk})
    assert client.get(url).status_code == 404


def test_provider_admin_invites_and_removes_colleagues(client, world_a, portal):
    portal_login(client, portal.admin)
    url = reverse("portal:colleagues", kwargs={"provider": world_a.provider.pk})
    response = client.post(
        url,
        {"email": "nieuw@zorg.nl", "first_name": "Nina", "last_name": "Nieuw", "role": "employee"},
    )
    assert response.status_code == 302
    new = ProviderUser.objects.get(user__email="nieuw@zorg.nl")
    assert new.provider == world_a.provider and new.invited_by == portal.admin
    remove = reverse(
        "portal:colleague-remove", kwargs={"provider": world_a.provider.pk, "pk": new.pk}
    )
    client.post(remove)
    assert not ProviderUser.objects.filter(pk=new.pk).exists()
    assert not User.objects.get(email="nieuw@zorg.nl").is_active


def test_employee_cannot_invite_and_no_one_manages_another_providers_users(client, world_a, portal):
    portal_login(client, portal.employee)
    url = reverse("portal:colleagues", kwargs={"provider": world_a.provider.pk})
    response = client.post(
        url, {"email": "x@zorg.nl", "first_name": "X", "last_name": "Y", "role": "admin"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@zorg.nl").exists()
    # another provider's user, through this provider's URL, is not found
    other = ProviderUser.objects.get(user=portal.distant_admin)
    portal_login(client, portal.admin)
    remove = reverse(
        "portal:colleague-remove", kwargs={"provider": world_a.provider.pk, "pk": other.pk}
    )
    assert client.post(remove).status_code == 404
    assert ProviderUser.objects.filter(pk=other.pk).exists()
    # ... nor through the service
    with pytest.raises(ValidationError, match="geen gebruikers"):
        services.provider_user_remove(provider_user=other, removed_by=portal.admin)
    with pytest.raises(ValidationError, match="geen gebruikers"):
        services.provider_user_invite(
            provider=world_a.distant_provider,
            email="y@zorg.nl",
            first_name="Y",
            last_name="Z",
            role="employee",
            invited_by=portal.admin,
        )


def test_bad_invitations_are_refused_with_a_reason(world_a, users, portal):
    with pytest.raises(ValidationError, match="samenwerkingsverband heeft geen eigen"):
        services.provider_user_invite(
            provider=world_a.consortium,
            email="c@zorg.nl",
            first_name="C",
            last_name="D",
            role="admin",
            invited_by=users.officer,
        )
    with pytest.raises(ValidationError, match="al in gebruik"):
        services.provider_user_invite(
            provider=world_a.provider,
            email=portal.employee.email.upper(),
            first_name="C",
            last_name="D",
            role="admin",
            invited_by=users.officer,
        )
    # a contract manager reads the list but does not invite
    with pytest.raises(ValidationError, match="geen gebruikers"):
        services.provider_user_invite(
            provider=world_a.provider,
            email="e@zorg.nl",
            first_name="E",
            last_name="F",
            role="admin",
            invited_by=users.contract_manager,
        )
    assert not User.objects.filter(email__in=["c@zorg.nl", "e@zorg.nl"]).exists()


def test_the_last_administrator_stays(world_a, portal):
    admin = ProviderUser.objects.get(user=portal.admin)
    second = provider_user(world_a.provider, "admin")
    services.provider_user_remove(
        provider_user=ProviderUser.objects.get(user=second), removed_by=portal.admin
    )
    employee_admin = ProviderUser.objects.get(user=portal.employee)
    with pytest.raises(ValidationError, match="ten minste één beheerder"):
        services.provider_user_role_set(
            provider_user=admin, role="employee", changed_by=portal.admin
        )
    with pytest.raises(ValidationError, match="uzelf"):
        services.provider_user_remove(provider_user=admin, removed_by=portal.admin)
    assert employee_admin.role == "employee"


def test_a_failing_mail_server_leaves_no_user(world_a, users, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("nee")

    monkeypatch.setattr("accounts.services.send_mail", refuse)
    with pytest.raises(ValidationError, match="mailserver"):
        services.provider_user_invite(
            provider=world_a.provider,
            email="m@zorg.nl",
            first_name="M",
            last_name="N",
            role="admin",
            invited_by=users.officer,
        )
    assert not User.objects.filter(email="m@zorg.nl").exists()
