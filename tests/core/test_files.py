"""Private files: no URL, uploads checked by content and size."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core import files

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
XLSX = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("plan.pdf", PDF, "pdf"),
        ("scan.PNG", PNG, "png"),
        ("foto.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        ("plan.docx", DOCX, "docx"),
        ("begroting.xlsx", XLSX, "xlsx"),
        ("plan.odt", ODT, "odt"),
    ],
    # ids by file name: the zips carry their creation time, and pytest-xdist needs every
    # worker to collect the same ids
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_accepted_kinds_are_recognised_by_content(name, content, kind):
    assert files.check_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("leeg.pdf", b"", "is leeg"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "geen toegestaan bestandstype"),
        ("page.html", b"<html><script>alert(1)</script></html>", "geen toegestaan bestandstype"),
        ("archief.zip", _zip({"a.txt": b"x"}), "geen toegestaan bestandstype"),
        ("kapot.docx", b"PK\x03\x04 not really a zip", "geen toegestaan bestandstype"),
        ("plan.exe", PDF, "past niet bij de inhoud"),
        ("plan.docx", PDF, "past niet bij de inhoud"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_refused_files_get_a_reason(name, content, reason):
    with pytest.raises(ValidationError, match=reason):
        files.check_upload(SimpleUploadedFile(name, content))


@override_settings(PORTAL_UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused_with_both_sizes():
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match=r"groot\.pdf is 2 kB; het maximum is 1 kB"):
        files.check_upload(big)
    assert files.check_upload(SimpleUploadedFile("klein.pdf", PDF)) == "pdf"


def test_private_storage_has_no_url_and_lives_outside_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = files.PrivateStorage()
    name = storage.save(files.private_path("bewijs", "../../etc/passwd"), io.BytesIO(b"x"))
    assert name.startswith("bewijs/") and name.endswith("/passwd") and ".." not in name
    assert (tmp_path / "private" / name).exists()
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


def test_two_uploads_with_the_same_name_get_different_unguessable_paths():
    first = files.private_path("bewijs", "plan.pdf")
    second = files.private_path("bewijs", "plan.pdf")
    assert first != second and len(first.split("/")[1]) == 32


def test_spreadsheet_cells_that_would_run_as_a_formula_become_text():
    from core.spreadsheet import safe_row

    assert safe_row(["=1+1", "+31", "-5", "@SUM(A1)", "\tx", "tekst", 3, None, ""]) == [
        "'=1+1",
        "'+31",
        "'-5",
        "'@SUM(A1)",
        "'\tx",
        "tekst",
        3,
        None,
        "",
    ]
