"""Managing API clients and their keys, and recognising a key on a request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiClient, ApiKey

TOKEN_START = "jk_"
#: how long a new key is valid unless the administrator chooses otherwise
DEFAULT_VALIDITY = timedelta(days=365)
MAX_VALIDITY = timedelta(days=2 * 365)
#: after a rotation the old key keeps working this long, so a client can switch without downtime
ROTATION_OVERLAP = timedelta(days=7)
#: last_used_at is written at most this often per key (not on every request)
USE_RESOLUTION = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(*, client: ApiClient, user=None, expires_at=None) -> str:
    """A new key for the client; returns the token, which is shown once and never stored."""
    now = timezone.now()
    if expires_at is None:
        expires_at = now + DEFAULT_VALIDITY
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    ApiKey.objects.create(
        client=client,
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=expires_at,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return f"{TOKEN_START}{prefix}_{secret}"


@transaction.atomic
def api_key_rotate(
    *, client: ApiClient, user=None, expires_at=None, overlap=ROTATION_OVERLAP
) -> str:
    """A new key; the client's current keys stop working after ``overlap`` (now when zero)."""
    now = timezone.now()
    ends = now + overlap
    for key in client.keys.select_for_update().filter(revoked_at__isnull=True, expires_at__gt=now):
        if key.expires_at > ends:
            key.expires_at = ends
            key.save(update_fields=["expires_at"])
        if overlap <= timedelta(0):
            key.revoked_at = now
            key.save(update_fields=["revoked_at"])
    return api_key_issue(client=client, user=user, expires_at=expires_at)


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


# ---------------------------------------------------------------- clients


CLIENT_EDITABLE = ("name", "scopes", "contact_email")


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def api_client_create(
    *,
    region,
    name: str,
    kind: str,
    scopes: list[str],
    contact_email: str = "",
    municipality=None,
    provider=None,
    user=None,
    expires_at: datetime | None = None,
    token: str | None = None,
) -> tuple[ApiClient, str]:
    """A new client of ``region`` with its first key; ``(client, token)``. The token is shown
    once and never stored. ``token`` (tests, CI, the demo) gives the key a known value."""
    with transaction.atomic():
        client = ApiClient(
            region=region,
            name=name,
            kind=kind,
            scopes=list(scopes),
            contact_email=contact_email,
            municipality=municipality,
            provider=provider,
            created_by=_by(user),
        )
        client.full_clean()
        client.save()
        if token:
            api_key_set_token(client=client, token=token, expires_at=expires_at, user=user)
        else:
            token = api_key_issue(client=client, user=user, expires_at=expires_at)
    return client, token


def api_client_update(*, client: ApiClient, **fields) -> ApiClient:
    """Change the name, scopes or contact of a client (its kind and organisation stay)."""
    unknown = set(fields) - set(CLIENT_EDITABLE)
    if unknown:
        raise TypeError(f"api_client_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(client, name, value)
    with transaction.atomic():
        client.full_clean()
        client.save()
    return client


def api_client_set_active(*, client: ApiClient, active: bool) -> ApiClient:
    """Deactivate a client (none of its keys works) or activate it again."""
    if client.is_active != active:
        with transaction.atomic():
            client.is_active = active
            client.save(update_fields=["is_active"])
    return client


def api_key_set_token(
    *,
    client: ApiClient,
    token: str,
    expires_at: datetime | None = None,
    user=None,
    replace: bool = False,
) -> tuple[ApiKey, bool]:
    """The key with this known token for ``client`` (tests, CI and the demo); ``(key,
    changed)``. A key with the same id elsewhere is refused, or with ``replace`` taken over,
    made valid again and given this secret."""
    parsed = parse_token(token)
    if parsed is None:
        raise ValidationError(
            _("Een sleutel heeft de vorm jk_<sleutel-id>_<geheim> (sleutel-id ≤ 16 tekens).")
        )
    prefix, secret = parsed
    secret_hash = _hash(secret)
    expires_at = expires_at or timezone.now() + DEFAULT_VALIDITY
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
        if key is None:
            key = ApiKey.objects.create(
                client=client,
                prefix=prefix,
                secret_hash=secret_hash,
                expires_at=expires_at,
                created_by=_by(user),
            )
            return key, True
        if not replace:
            raise ValidationError(
                _("Er bestaat al een sleutel met sleutel-id %(prefix)s.") % {"prefix": prefix}
            )
        if key.client_id == client.pk and key.secret_hash == secret_hash and key.is_valid():
            return key, False
        key.client, key.secret_hash = client, secret_hash
        key.revoked_at, key.expires_at = None, expires_at
        key.save(update_fields=["client", "secret_hash", "revoked_at", "expires_at"])
    return key, True


def parse_token(token: str) -> tuple[str, str] | None:
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, secret = token[len(TOKEN_START) :].partition("_")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


def key_for_token(token: str) -> ApiKey | None:
    """The valid key of an active client that the token belongs to, else ``None``."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    prefix, secret = parsed
    key = ApiKey.objects.select_related("client", "client__region").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if not key.is_valid(now) or not key.client.is_active:
        return None
    if key.last_used_at is None or now - key.last_used_at > USE_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
