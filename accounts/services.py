"""State-changing use cases of users and their roles: invite, change roles, deactivate,
reactivate and send an invitation again.

Every function is keyword-only and runs in one transaction; it validates first and writes
nothing when it refuses (a ``ValidationError`` keyed to the form field it is about).
django-auditlog records each save and delete of a user, a membership and a ``RegionUser``
with the acting user.

An invitation is a user without a usable password and an e-mail with a set-password link
(Django's ``default_token_generator`` and the ``password_reset_confirm`` view under
``/account/``). The mail is sent inside the transaction, as its last step: when it cannot be
sent the invitation is refused and nothing is left behind.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.roles import STAFF_ROLES, Role
from segments.models import Municipality, Region

from .models import MunicipalityMembership, RegionMembership, RegionUser, User

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- checks


def _check_assignment(*, region: Region, roles: Iterable[str], municipality) -> list[str]:
    """The roles as a sorted list, after checking them: staff roles of the region, or one
    municipality of the region (a municipal user), never both, never neither."""
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in STAFF_ROLES]
    if unknown:
        raise ValidationError({"roles": _("Onbekende rol: %(role)s.") % {"role": unknown[0]}})
    if municipality is not None and municipality.region_id != region.pk:
        raise ValidationError(
            {
                "municipality": _("Deze gemeente hoort niet bij de regio %(region)s.")
                % {"region": region.name}
            }
        )
    if roles and municipality is not None:
        raise ValidationError(
            {"roles": _("Kies rollen in de regio óf een gemeente, niet allebei.")}
        )
    if not roles and municipality is None:
        raise ValidationError(
            {
                "roles": _(
                    "Kies ten minste één rol, of een gemeente voor een gemeentelijke gebruiker."
                )
            }
        )
    return roles


def _check_keeps_an_administrator(*, region: Region, user: User, roles_after: Iterable[str]):
    """A region that has a region administrator keeps at least one: taking the last one's
    role away is refused."""
    if Role.ADMINISTRATOR in set(roles_after):
        return
    holds = RegionMembership.objects.filter(user=user, region=region, role=Role.ADMINISTRATOR)
    if not holds.exists():
        return
    others = (
        RegionMembership.objects.filter(
            region=region, role=Role.ADMINISTRATOR, user__is_active=True
        )
        .exclude(user=user)
        .exists()
    )
    if not others:
        raise ValidationError(
            {
                "roles": _(
                    "%(user)s is de laatste regiobeheerder van %(region)s. Geef eerst iemand "
                    "anders de rol regiobeheerder; een regio houdt er altijd minstens één."
                )
                % {"user": user.get_full_name() or user.email, "region": region.name}
            }
        )


def email_in_use(email: str) -> bool:
    """Any user, active or not, with this address (or user name), case-insensitive."""
    email = email.strip()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


# ---------------------------------------------------------------- memberships


def _region_memberships(user: User, region: Region):
    return RegionMembership.objects.filter(user=user, region=region)


def _municipal_memberships(user: User, region: Region):
    return MunicipalityMembership.objects.filter(user=user, municipality__region=region)


def _apply(*, user: User, region: Region, roles: list[str], municipality) -> None:
    """Make the user's roles in ``region`` exactly ``roles`` and ``municipality``; each
    membership is saved or deleted one by one, so the audit log records each."""
    for membership in _region_memberships(user, region):
        if membership.role not in roles:
            membership.delete()
    held = set(_region_memberships(user, region).values_list("role", flat=True))
    for role in roles:
        if role not in held:
            membership = RegionMembership(user=user, region=region, role=role)
            membership.full_clean()
            membership.save()
    for membership in _municipal_memberships(user, region):
        if municipality is None or membership.municipality_id != municipality.pk:
            membership.delete()
    if municipality is not None and not _municipal_memberships(user, region).exists():
        membership = MunicipalityMembership(user=user, municipality=municipality)
        membership.full_clean()
        membership.save()


def has_roles_in(user: User, region: Region) -> bool:
    return (
        _region_memberships(user, region).exists() or _municipal_memberships(user, region).exists()
    )


def _has_memberships_anywhere(user: User) -> bool:
    return user.region_memberships.exists() or user.municipality_memberships.exists()


# ---------------------------------------------------------------- the invitation mail


def _invitation_link(user: User, base_url: str | None) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base + path


def invitation_mail_send(
    *, user: User, invited_by, base_url: str | None, templates: str, **context
) -> None:
    """Mail the set-password link, from ``<templates>_subject.txt`` and ``_email.txt`` (with
    ``user``, ``invited_by``, ``link``, ``login_url``, ``valid_days`` and ``context``). A mail
    server that refuses is a refusal at the e-mail field: the caller's transaction rolls back.
    The provider portal's invitations use it too."""
    with translation.override(settings.LANGUAGE_CODE):
        context.update(
            user=user,
            invited_by=(invited_by.get_full_name() or invited_by.email) if invited_by else "",
            link=_invitation_link(user, base_url),
            login_url=(base_url or settings.SITE_URL).rstrip("/") + reverse("login"),
            valid_days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        )
        subject = render_to_string(f"{templates}_subject.txt", context)
        body = render_to_string(f"{templates}_email.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("invitation mail to user %s failed: %s", user.pk, exc)
        raise ValidationError(
            {
                "email": _(
                    "De uitnodiging kon niet worden verstuurd (de mailserver weigerde). "
                    "Probeer het later opnieuw."
                )
            }
        ) from exc


def _send_invitation(*, user: User, region: Region, invited_by, base_url: str | None) -> None:
    invitation_mail_send(
        user=user,
        invited_by=invited_by,
        base_url=base_url,
        templates="registration/invitation",
        region=region,
    )


# ---------------------------------------------------------------- use cases


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    region: Region,
    roles: Iterable[str] = (),
    municipality: Municipality | None = None,
    invited_by: User | None,
    base_url: str | None = None,
) -> User:
    """A new user of ``region`` with ``roles`` (staff roles) or tied to ``municipality`` (a
    municipal user), and an e-mail with a link to set their password. The user name is the
    e-mail address in lower case. An address already in use is refused at the e-mail field."""
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
    roles = _check_assignment(region=region, roles=roles, municipality=municipality)
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
    _apply(user=user, region=region, roles=roles, municipality=municipality)
    standing = RegionUser(
        user=user, region=region, invited_by=invited_by, invited_at=timezone.now()
    )
    standing.full_clean()
    standing.save()
    _send_invitation(user=user, region=region, invited_by=invited_by, base_url=base_url)
    return user


def user_status(user: User, region: Region) -> str:
    """``active``, ``invited`` (no password set yet) or ``deactivated`` (no roles left in the
    region, or the account is off)."""
    if not user.is_active or not has_roles_in(user, region):
        return "deactivated"
    if not user.has_usable_password() and user.last_login is None:
        return "invited"
    return "active"


@transaction.atomic
def user_invitation_resend(
    *, user: User, region: Region, sent_by: User | None, base_url: str | None = None
) -> None:
    """Send the set-password link again to a user who has not set a password yet."""
    if user_status(user, region) != "invited":
        raise ValidationError(
            _("%(user)s heeft de uitnodiging al gebruikt of is gedeactiveerd.")
            % {"user": user.get_full_name() or user.email}
        )
    standing, _created = RegionUser.objects.get_or_create(user=user, region=region)
    standing.invited_at = timezone.now()
    standing.invited_by = sent_by
    standing.save()
    _send_invitation(user=user, region=region, invited_by=sent_by, base_url=base_url)


@transaction.atomic
def user_roles_set(
    *,
    user: User,
    region: Region,
    roles: Iterable[str] = (),
    municipality: Municipality | None = None,
    changed_by: User | None = None,
) -> User:
    """Give and take the user's roles in ``region`` (the other regions' stay as they are). The
    last region administrator of a region keeps that role."""
    if not has_roles_in(user, region):
        raise ValidationError(
            {
                "roles": _(
                    "Deze gebruiker is in deze regio gedeactiveerd: activeer de gebruiker eerst "
                    "opnieuw."
                )
            }
        )
    roles = _check_assignment(region=region, roles=roles, municipality=municipality)
    _check_keeps_an_administrator(region=region, user=user, roles_after=roles)
    _apply(user=user, region=region, roles=roles, municipality=municipality)
    return user


@transaction.atomic
def user_deactivate(*, user: User, region: Region, deactivated_by: User | None) -> User:
    """Take all the user's roles in ``region`` away (their roles in other regions stay). A user
    left without a role anywhere can no longer log in (``is_active`` off). The roles they had
    are kept on their ``RegionUser`` for a reactivation. Refused for oneself and for the last
    region administrator."""
    if deactivated_by is not None and deactivated_by.pk == user.pk:
        raise ValidationError(_("U kunt uzelf niet deactiveren."))
    if not has_roles_in(user, region):
        raise ValidationError(
            _("%(user)s is in deze regio al gedeactiveerd.")
            % {"user": user.get_full_name() or user.email}
        )
    _check_keeps_an_administrator(region=region, user=user, roles_after=())
    standing, _created = RegionUser.objects.get_or_create(user=user, region=region)
    standing.previous_roles = sorted(
        _region_memberships(user, region).values_list("role", flat=True)
    )
    municipal = _municipal_memberships(user, region).first()
    standing.previous_municipality = municipal.municipality if municipal else None
    standing.deactivated_at = timezone.now()
    standing.deactivated_by = deactivated_by
    standing.full_clean()
    standing.save()
    _apply(user=user, region=region, roles=[], municipality=None)
    if not _has_memberships_anywhere(user) and not user.is_superuser and user.is_active:
        user.is_active = False
        user.save()
    return user


@transaction.atomic
def user_reactivate(
    *,
    user: User,
    region: Region,
    roles: Iterable[str] = (),
    municipality: Municipality | None = None,
    reactivated_by: User | None = None,
    base_url: str | None = None,
) -> User:
    """Give a deactivated user roles in ``region`` again and let them log in. A user who never
    set a password gets a new invitation mail."""
    if user_status(user, region) != "deactivated":
        raise ValidationError({"roles": _("Deze gebruiker is niet gedeactiveerd.")})
    roles = _check_assignment(region=region, roles=roles, municipality=municipality)
    _apply(user=user, region=region, roles=roles, municipality=municipality)
    standing, _created = RegionUser.objects.get_or_create(user=user, region=region)
    standing.deactivated_at = None
    standing.deactivated_by = None
    standing.save()
    if not user.is_active:
        user.is_active = True
        user.save()
    if not user.has_usable_password() and user.last_login is None:
        _send_invitation(user=user, region=region, invited_by=reactivated_by, base_url=base_url)
    return user
