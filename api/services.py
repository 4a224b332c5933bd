"""Managing API clients and their keys, and recognising a key on a request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

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


def issue_key(client: ApiClient, *, user=None, expires_at=None) -> str:
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
def rotate_key(client: ApiClient, *, user=None, expires_at=None, overlap=ROTATION_OVERLAP) -> str:
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
    return issue_key(client, user=user, expires_at=expires_at)


def revoke_key(key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


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
