"""Stored files reach a browser only through scoped views, in every mode (docs/security.md).

Before: ``config/urls.py`` served ``MEDIA_ROOT`` at ``/media/`` when DEBUG was on (the demo runs
with DEBUG), so a report PDF of another region or municipality was one guessable path away.
"""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from django.utils import timezone

from reports import content, services
from reports.models import CADENCE, ReportKind, ReportVersion
from reports.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls():
    """The URLconf as it is built with DEBUG on (``config.urls`` is read at import)."""
    import config.urls

    with override_settings(DEBUG=True):
        importlib.reload(config.urls)
        clear_url_caches()
        try:
            yield config.urls
        finally:
            importlib.reload(config.urls)
            clear_url_caches()


def ready_report(region, kind, subject, code):
    """A ready report with a stand-in PDF under MEDIA_ROOT (where the real ones are stored)."""
    report = services.report_ensure(
        region=region, kind=kind, subject=subject, period=parse_period(CADENCE[kind], code)
    )
    version = ReportVersion(
        report=report,
        number=1,
        status="ready",
        trigger="demand",
        generated_at=timezone.now(),
        snapshot=content.build_snapshot(report),
        pages=1,
    )
    version.file.save("x.pdf", ContentFile(b"%PDF-1.7 media test"), save=False)
    version.save()
    report.current = version
    report.status = "ready"
    report.save()
    return report, version


def test_no_media_route_with_debug_on(client, world_a, users, debug_urls):
    report, version = ready_report(
        world_a.region, ReportKind.MUNICIPALITY, world_a.other_municipality, "2026-K1"
    )
    document = world_a.proc.document
    for stored in (version.file, document.file):
        assert stored.storage.exists(stored.name)  # the file is there, on disk
        path = f"/media/{stored.name}"
        with pytest.raises(Resolver404):
            resolve(path, urlconf=debug_urls)
        # not to anyone: not a superuser, not another region, not another municipality
        for role in ("superuser", "officer", "other_region_officer", "municipal"):
            client.force_login(getattr(users, role))
            assert client.get(path).status_code == 404, (role, path)


def test_no_url_pattern_of_the_media_folder(debug_urls):
    # nothing at all under /media/: no static() helper, no catch-all
    for pattern in debug_urls.urlpatterns:
        assert "media" not in str(pattern.pattern), pattern


def test_every_file_field_has_no_url():
    """Every FileField of every model is stored where no URL points: ``.url`` raises, so no
    template or serializer can link a file past the scoped view that serves it."""
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    # tender documents, report PDFs, submission files, evidence, letters, progress files
    assert len(fields) >= 6
    for field in fields:
        with pytest.raises(ValueError, match="scoped view"):
            field.storage.url("any/name.pdf")


def test_report_pdf_only_through_its_scoped_view(client, world_a, world_b, users):
    own, _ = ready_report(world_a.region, ReportKind.MUNICIPALITY, world_a.municipality, "2026-K1")
    other, _ = ready_report(
        world_a.region, ReportKind.MUNICIPALITY, world_a.other_municipality, "2026-K1"
    )

    def pdf(report, region):
        return client.get(
            reverse("reports:report-pdf", kwargs={"region": region.slug, "pk": report.pk})
        )

    client.force_login(users.municipal)  # a user of world_a.municipality
    response = pdf(own, world_a.region)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 media test"
    assert response["Cache-Control"] == "private, no-store"
    assert pdf(other, world_a.region).status_code == 404  # another municipality's

    client.force_login(users.other_region_officer)  # world_b
    assert pdf(own, world_a.region).status_code == 404
    assert pdf(own, world_b.region).status_code == 404


def test_tender_document_only_through_its_scoped_view(client, world_a, world_b, users):
    document = world_a.proc.document
    kwargs = {"region": world_a.region.slug, "tender": document.tender_id, "pk": document.pk}
    url = reverse("procurement:document-download", kwargs=kwargs)
    client.force_login(users.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Leidraad"
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(users.other_region_officer)
    assert client.get(url).status_code == 404
    mine = {**kwargs, "region": world_b.region.slug}
    assert client.get(reverse("procurement:document-download", kwargs=mine)).status_code == 404
