"""The provider portal's use cases on its users: invite, change role, remove, and enrol the
second factor.

A provider's portal users are invited by the region's procurement officer or administrator
(from the provider's page) or by the provider's own administrator (from the portal). Every
function is keyword-only and runs in one transaction; django-auditlog records each save and
delete of a ``ProviderUser`` and a ``User`` with the acting user. The invitation e-mail is
sent last, inside the transaction: a mail server that refuses leaves nothing behind.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import email_in_use, invitation_mail_send
from core.roles import Role
from core.scoping import scope_for
from providers.models import Provider, ProviderRole, ProviderUser

log = logging.getLogger(__name__)

#: region roles that invite a provider's portal users from the provider's page
STAFF_INVITERS = frozenset({Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR})


def may_manage_users(user, provider: Provider) -> bool:
    """The region's officer or administrator, or the provider's own administrator."""
    scope = scope_for(user)
    return scope.has_role(provider.region_id, STAFF_INVITERS) or (
        provider.pk in scope.provider_admin_ids
    )


def _check_manager(user, provider: Provider) -> None:
    if user is None or not may_manage_users(user, provider):
        raise ValidationError(
            _("U kunt geen gebruikers van %(provider)s beheren.") % {"provider": provider}
        )


def _send_invitation(*, user: User, provider: Provider, invited_by, base_url: str | None):
    invitation_mail_send(
        user=user,
        invited_by=invited_by,
        base_url=base_url,
        templates="portal/email/invitation",
        provider=provider,
        region=provider.region,
    )


@transaction.atomic
def provider_user_invite(
    *,
    provider: Provider,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by: User | None,
    base_url: str | None = None,
) -> ProviderUser:
    """A new portal user of ``provider`` and an e-mail with a link to set a password. A
    consortium has no users of its own (its lead acts for it)."""
    if invited_by is not None:
        _check_manager(invited_by, provider)
    if provider.is_consortium:
        raise ValidationError(
            _(
                "Een samenwerkingsverband heeft geen eigen portaalgebruikers: de gebruikers van "
                "de hoofdaannemer handelen namens het verband."
            )
        )
    if role not in ProviderRole.values:
        raise ValidationError({"role": _("Kies een rol.")})
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": _("Vul een e-mailadres in.")})
    if email_in_use(email):
        raise ValidationError(
            {
                "email": _(
                    "Dit e-mailadres is al in gebruik voor een account in Jeugdinkoop; een "
                    "tweede account met hetzelfde adres kan niet."
                )
            }
        )
    if not first_name.strip() or not last_name.strip():
        raise ValidationError({"last_name": _("Vul de voor- en achternaam in.")})
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = ProviderUser(
        user=user, provider=provider, role=role, invited_by=invited_by, invited_at=timezone.now()
    )
    membership.full_clean()
    membership.save()
    _send_invitation(user=user, provider=provider, invited_by=invited_by, base_url=base_url)
    return membership


@transaction.atomic
def provider_user_invitation_resend(
    *, provider_user: ProviderUser, sent_by: User | None, base_url: str | None = None
) -> None:
    if sent_by is not None:
        _check_manager(sent_by, provider_user.provider)
    user = provider_user.user
    if user.has_usable_password() or user.last_login is not None or not user.is_active:
        raise ValidationError(
            _("%(user)s heeft de uitnodiging al gebruikt.")
            % {"user": user.get_full_name() or user.email}
        )
    provider_user.invited_at, provider_user.invited_by = timezone.now(), sent_by
    provider_user.save(update_fields=["invited_at", "invited_by"])
    _send_invitation(
        user=user, provider=provider_user.provider, invited_by=sent_by, base_url=base_url
    )


def _other_admins(provider_user: ProviderUser):
    return ProviderUser.objects.filter(
        provider=provider_user.provider, role=ProviderRole.ADMINISTRATOR, user__is_active=True
    ).exclude(pk=provider_user.pk)


@transaction.atomic
def provider_user_role_set(*, provider_user: ProviderUser, role: str, changed_by: User | None):
    if changed_by is not None:
        _check_manager(changed_by, provider_user.provider)
    if role not in ProviderRole.values:
        raise ValidationError({"role": _("Kies een rol.")})
    if (
        provider_user.role == ProviderRole.ADMINISTRATOR
        and role != ProviderRole.ADMINISTRATOR
        and not _other_admins(provider_user).exists()
    ):
        raise ValidationError(
            {
                "role": _("%(provider)s houdt ten minste één beheerder.")
                % {"provider": provider_user.provider}
            }
        )
    provider_user.role = role
    provider_user.save(update_fields=["role"])
    return provider_user


@transaction.atomic
def provider_user_remove(*, provider_user: ProviderUser, removed_by: User | None) -> None:
    """Take a user out of the portal: the membership goes, the account is switched off and
    its authenticator devices are removed. A provider keeps at least one administrator
    unless the region removes it; no one removes themselves."""
    provider = provider_user.provider
    if removed_by is not None:
        _check_manager(removed_by, provider)
        if removed_by.pk == provider_user.user_id:
            raise ValidationError(_("U kunt uzelf niet verwijderen."))
        staff = scope_for(removed_by).has_role(provider.region_id, STAFF_INVITERS)
        if (
            not staff
            and provider_user.role == ProviderRole.ADMINISTRATOR
            and not _other_admins(provider_user).exists()
        ):
            raise ValidationError(
                _("%(provider)s houdt ten minste één beheerder.") % {"provider": provider}
            )
    user = provider_user.user
    provider_user.delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


# ---------------------------------------------------------------- the second factor


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for ``user`` to enrol in an authenticator app (a new secret
    each time enrolment starts; an earlier unconfirmed one is replaced)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("Authenticator-app"), confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm enrolment with a code from the app; the user's older devices are removed."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(
            {"token": _("Te veel onjuiste codes; wacht even en probeer opnieuw.")}
        )
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise ValidationError({"token": _("Deze code klopt niet. Probeer de volgende code.")})
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device
