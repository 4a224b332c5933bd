"""Pseudonymisation at the door: a BSN becomes a keyed hash before anything else sees it.

``client_key = HMAC-SHA256(PSEUDONYM_KEY, bsn)`` as 64 hex characters. The same BSN always
gives the same key (so a youth is one client across files, providers and years), nobody without
the key can go back or test a guess, and no BSN is ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def is_valid_bsn(bsn: str) -> bool:
    """The eleven-test (elfproef) of a citizen service number: nine digits d1..d9 with
    9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, and not all zeros."""
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (total - int(bsn[8])) % 11 == 0


def normalise_bsn(raw: str) -> str:
    """Strip spaces and dots; restore a leading zero dropped by a spreadsheet (8 digits)."""
    bsn = raw.strip().replace(" ", "").replace(".", "")
    if len(bsn) == 8 and bsn.isdigit():
        bsn = "0" + bsn
    return bsn


def _key() -> bytes:
    key = getattr(settings, "PSEUDONYM_KEY", "")
    if not key:
        raise ImproperlyConfigured("PSEUDONYM_KEY is not set; production data cannot be imported.")
    return key.encode()


@lru_cache(maxsize=1)
def _keyed(key: bytes):
    return hmac.new(key, digestmod=hashlib.sha256)


def pseudonymise(bsn: str) -> str:
    """The client key of a (valid, normalised) BSN."""
    mac = _keyed(_key()).copy()
    mac.update(bsn.encode())
    return mac.hexdigest()


def pseudonymise_many(bsns: list[str]) -> list[str]:
    """The client keys of many (valid, normalised, distinct) BSNs, in order: the same keyed
    HMAC as :func:`pseudonymise`, the key prepared once (the set-based import hashes each
    distinct BSN of a file once)."""
    keyed = _keyed(_key())
    copy = keyed.copy
    out = []
    append = out.append
    for bsn in bsns:
        mac = copy()
        mac.update(bsn.encode())
        append(mac.hexdigest())
    return out
