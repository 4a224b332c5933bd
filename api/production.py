"""Production data delivered through the API: one delivery is one import batch of the
monitoring import service, made idempotent by the client's key.

``submit`` spools the body, and either finds the delivery made earlier with the same key (same
content: that delivery again; other content: :class:`KeyConflict`) or offers the file to the
import door (``monitoring.imports.services.import_offer``), recording the
:class:`ProductionSubmission` in the batch's transaction. Small deliveries are imported during
the request, larger ones by the worker (``monitoring.import_batch``); the status resource tells
how far it is."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError

from monitoring.imports.formats import human_size
from monitoring.imports.services import import_offer
from monitoring.models import ImportFormat, ImportStatus

from .models import ApiClient, ClientKind, ProductionSubmission

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{1,100}$")
CHUNK = 1 << 16


class SubmissionError(Exception):
    """Refused before anything was stored: ``status`` and ``field`` for the problem answer."""

    def __init__(self, status: int, message: str, field: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


class KeyConflict(SubmissionError):
    def __init__(self, submission: ProductionSubmission):
        super().__init__(
            409,
            "Deze Idempotency-Key is al gebruikt voor een aanlevering met andere inhoud "
            f"(aanlevering {submission.pk}). Gebruik een nieuwe sleutel voor nieuwe gegevens.",
            "Idempotency-Key",
        )
        self.submission = submission


@dataclass
class Outcome:
    submission: ProductionSubmission
    created: bool  # False: the same delivery was made before with this key


def spool_stream(stream, suffix: str, limit: int) -> tuple[Path, int, str]:
    """The request body in the spool directory (owner-only), its size and SHA-256."""
    directory = Path(settings.IMPORT_SPOOL_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{secrets.token_hex(16)}.{suffix}"
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise SubmissionError(
                        413,
                        f"De aanlevering is groter dan {human_size(limit)}; splits haar op.",
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise
    return path, size, digest.hexdigest()


def _existing(client: ApiClient, key: str, sha256: str) -> ProductionSubmission | None:
    found = (
        ProductionSubmission.objects.select_related("batch")
        .filter(client=client, idempotency_key=key)
        .first()
    )
    if found is not None and found.payload_sha256 != sha256:
        raise KeyConflict(found)
    return found


def submit(
    *, client: ApiClient, key: str, kind: str, file_format: str, stream, suffix: str | None = None
) -> Outcome:
    """Store one delivery (see the module's docstring). The spooled file is always removed:
    by the import, by the task, or here when nothing is imported."""
    if not KEY_PATTERN.match(key or ""):
        raise SubmissionError(
            400,
            "Geef een Idempotency-Key van 1 tot 100 tekens (letters, cijfers, . _ : -).",
            "Idempotency-Key",
        )
    if client.kind not in (ClientKind.PROVIDER, ClientKind.REGIONAL):
        raise SubmissionError(403, "Alleen aanbieders en regionale systemen leveren productie aan.")
    if suffix is None:
        suffix = {ImportFormat.JSON: "json", ImportFormat.IJW: "xml"}.get(file_format, "csv")
    path, size, sha256 = spool_stream(stream, suffix, settings.IMPORT_MAX_BYTES)
    keep_file = False
    try:
        if size == 0:
            raise SubmissionError(400, "De aanlevering is leeg.", "body")
        found = _existing(client, key, sha256)
        if found is not None:
            return Outcome(found, created=False)
        created = {}

        def record(batch):
            created["submission"] = ProductionSubmission.objects.create(
                client=client,
                idempotency_key=key,
                payload_sha256=sha256,
                kind=kind,
                batch=batch,
            )

        keep_file = True  # import_offer owns the file from here: it (or the task) removes it
        try:
            import_offer(
                region=client.region,
                kind=kind,
                file_format=file_format,
                path=path,
                file_name=f"api-{client.pk}-{key}.{suffix}",
                file_size=size,
                provider=client.provider,
                run="now" if size <= settings.API_SYNC_IMPORT_BYTES else "queue",
                on_created=record,
            )
        except IntegrityError:
            # the same key at the same moment from another request: that one won
            found = _existing(client, key, sha256)
            if found is None:
                raise
            return Outcome(found, created=False)
        submission = created["submission"]
        submission.batch.refresh_from_db()
        return Outcome(submission, created=True)
    finally:
        if not keep_file:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def is_finished(submission: ProductionSubmission) -> bool:
    return submission.batch.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)
