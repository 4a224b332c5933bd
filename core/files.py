"""Uploaded files that are not public: where they are stored, what is accepted, how they are
served.

Files a provider uploads (tender documents, evidence, production) and the letters the region
sends are stored under ``PRIVATE_MEDIA_ROOT``, which no URL maps to: the storage has no
``base_url``, so ``file.url`` raises. A file reaches a browser only through a view that first
found its owning object through the user's scope and then calls :func:`serve`.

:func:`check_upload` refuses a file over the size limit or of a type the product does not
take. The type is decided from the file's first bytes, not from its name or the browser's
content type (both are whatever the sender says).
"""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext as _


@deconstructible
class UnservedStorage(FileSystemStorage):
    """The default storage (``MEDIA_ROOT``: tender documents, report PDFs) without a URL.

    No URL maps to ``MEDIA_ROOT`` in any mode (``config/urls.py`` has no ``/media/`` route), and
    ``file.url`` raises, so no page can link a file past the scoped view that serves it."""

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Stored files have no URL; serve them through a scoped view.")


@deconstructible
class PrivateStorage(UnservedStorage):
    """A file system storage outside MEDIA_ROOT with no URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)


class _LazyPrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateStorage()


private_storage = _LazyPrivateStorage()


def get_private_storage():
    """The storage callable for ``FileField(storage=...)`` (keeps migrations stable)."""
    return private_storage


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    extensions: tuple[str, ...]


PDF = Kind("pdf", "PDF", (".pdf",))
DOCX = Kind("docx", "Word (.docx)", (".docx",))
XLSX = Kind("xlsx", "Excel (.xlsx)", (".xlsx",))
ODT = Kind("odt", "OpenDocument-tekst (.odt)", (".odt",))
ODS = Kind("ods", "OpenDocument-rekenblad (.ods)", (".ods",))
PNG = Kind("png", "PNG", (".png",))
JPEG = Kind("jpeg", "JPEG", (".jpg", ".jpeg"))
#: what a provider may attach to a submission, a question or a dialogue
DOCUMENT_KINDS = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)

_ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
}
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def sniff(upload) -> str | None:
    """The kind of an uploaded file from its content, or ``None`` if it is none we know."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").strip()
                    return _OPENDOCUMENT.get(mimetype)
                for code, member in _ZIP_MEMBERS.items():
                    if member in names:
                        return code
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            upload.seek(0)
    return None


def max_upload_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_BYTES


def human_size(size: int) -> str:
    if size >= 1 << 20:
        return _("%(n)s MB") % {"n": f"{size / (1 << 20):.0f}"}
    return _("%(n)s kB") % {"n": f"{max(1, size // 1024)}"}


def check_upload(
    upload, *, kinds: tuple[Kind, ...] = DOCUMENT_KINDS, max_bytes: int | None = None
) -> str:
    """Refuse a file that is empty, too large, or not one of ``kinds`` (by content and name).

    Returns the kind's code. Raises ``ValidationError`` with the reason the user sees."""
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    name = os.path.basename(getattr(upload, "name", "") or "")
    if not upload.size:
        raise ValidationError(_("Het bestand %(name)s is leeg.") % {"name": name})
    if upload.size > limit:
        raise ValidationError(
            _("Het bestand %(name)s is %(size)s; het maximum is %(max)s.")
            % {"name": name, "size": human_size(upload.size), "max": human_size(limit)}
        )
    allowed = ", ".join(k.label for k in kinds)
    code = sniff(upload)
    kind = next((k for k in kinds if k.code == code), None)
    if kind is None:
        raise ValidationError(
            _("Het bestand %(name)s is geen toegestaan bestandstype (toegestaan: %(allowed)s).")
            % {"name": name, "allowed": allowed}
        )
    if not name.lower().endswith(kind.extensions):
        raise ValidationError(
            _(
                "De naam van %(name)s past niet bij de inhoud (%(kind)s); "
                "geef het bestand de extensie %(ext)s."
            )
            % {"name": name, "kind": kind.label, "ext": kind.extensions[0]}
        )
    return kind.code


def private_path(folder: str, filename: str) -> str:
    """A storage name under ``folder`` that no one can guess: a random directory per file."""
    base = os.path.basename(filename).replace("\x00", "")[:120] or "bestand"
    return f"{folder}/{uuid.uuid4().hex}/{base}"


def serve(field_file, *, filename: str | None = None, inline: bool = False) -> FileResponse:
    """A private file as a download, after the caller found its owner through the scope."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename or os.path.basename(field_file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
