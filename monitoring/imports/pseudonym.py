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
    # only 0-9: ``isdigit`` and ``int`` also take fullwidth and Arabic-Indic digits, and the
    # HMAC of those would be another client
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit() or bsn == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (total - int(bsn[8])) % 11 == 0


def normalise_bsn(raw: str) -> str:
    """Strip spaces and dots; restore a leading zero dropped by a spreadsheet (8 digits)."""
    bsn = raw.strip().replace(" ", "").replace(".", "")
    if len(bsn) == 8 and bsn.isascii() and bsn.isdigit():
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
    """The client keys of many (valid, normalised, distinct) BSNs, in order: the same
    HMAC-SHA256 under ``PSEUDONYM_KEY`` as :func:`pseudonymise` (RFC 2104, a test compares
    both), with the key's inner and outer hash states prepared once, so that each BSN costs
    two SHA-256 blocks and no HMAC object (the set-based import hashes each distinct BSN of a
    file once)."""
    key = _key()
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key)).copy
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key)).copy
    out = []
    append = out.append
    for bsn in bsns:
        first = inner()
        first.update(bsn.encode())
        second = outer()
        second.update(first.digest())
        append(second.hexdigest())
    return out
