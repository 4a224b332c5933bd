"""iJw messages through the pages: the staff import page takes several .xml files at once (one
delivery, one batch) and explains the messages; the provider portal takes a .zip of the
provider's own messages and refuses another provider's AGB code."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import Declaration, ImportBatch, ImportStatus
from providers.models import Provider
from tests.monitoring import ijw_xml as x
from tests.monitoring.test_ijw_import import AGB, declaration_message
from tests.portal.conftest import portal_login, provider_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spool_dir(settings, tmp_path):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    return settings.IMPORT_SPOOL_DIR


@pytest.fixture
def employee(world):
    return provider_user(world.provider, "employee")


@pytest.fixture
def world(world_a):
    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    return world_a


def test_staff_upload_several_messages_at_once(
    client, world, users, spool_dir, django_capture_on_commit_callbacks
):
    client.force_login(users.contract_manager)
    p = world.product.code
    second = declaration_message(
        world, "2026-000200", [("111222333", [x.prestatie("R7", p, 7210, volume=1)])]
    ).replace("111222333", "100000009")  # 1·9+…: a valid BSN
    files = [
        SimpleUploadedFile("bericht-1.xml", declaration_message(world).encode()),
        SimpleUploadedFile("bericht-2.xml", second.encode()),
    ]
    url = reverse("monitoring:import-create", kwargs={"region": world.region.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "", "file": files})
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.file_format, batch.kind, batch.file_name) == (
        "ijw",
        "declaraties",
        "2 berichten.zip",
    )
    assert Declaration.objects.filter(batch=batch).count() == 4
    assert list(spool_dir.iterdir()) == []
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Geïmporteerd: 4 regels toegevoegd" in page


def test_several_files_only_for_ijw_messages(client, world, users):
    client.force_login(users.contract_manager)
    url = reverse("monitoring:import-create", kwargs={"region": world.region.slug})
    files = [SimpleUploadedFile("a.xml", b"<a/>"), SimpleUploadedFile("b.csv", b"x")]
    html = client.post(url, {"kind": "declaraties", "file": files}).content.decode()
    assert "Meerdere bestanden tegelijk kan alleen met iJw-berichten (.xml); niet: b.csv." in html
    assert not ImportBatch.objects.exists()


def test_the_form_explains_the_messages(client, world, users):
    client.force_login(users.contract_manager)
    url = reverse("monitoring:import-create", kwargs={"region": world.region.slug})
    html = client.get(url).content.decode()
    assert "iJw-berichten (release 3.2)" in html
    assert "ProductReferentie/ReferentieNummer" in html
    assert 'accept=".csv,.json,.xml,.zip' in html


def test_the_provider_delivers_a_zip_in_its_portal(
    client, world, employee, django_capture_on_commit_callbacks
):
    portal_login(client, employee)
    content = x.zip_of({"d.xml": declaration_message(world)})
    url = reverse("portal:production-upload", kwargs={"provider": world.provider.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("levering.zip", content)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.provider == world.provider
    assert Declaration.objects.filter(batch=batch).count() == 3


def test_the_portal_refuses_another_providers_messages(
    client, world, employee, django_capture_on_commit_callbacks
):
    Provider.objects.filter(pk=world.distant_provider.pk).update(agb_code="22223333")
    portal_login(client, employee)
    text = declaration_message(world).replace(f"<Afzender>{AGB}", "<Afzender>22223333")
    url = reverse("portal:production-upload", kwargs={"provider": world.provider.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": SimpleUploadedFile("d.xml", text.encode())})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED
    assert "AGB-code 22223333 is niet die van Zorg A Dichtbij" in batch.errors[0]["message"]
    assert not Declaration.objects.filter(batch=batch).exists()
