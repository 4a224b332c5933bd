"""Deliveries of production data through the API: the import service behind it, idempotency by
the client's key, the provider restriction, the status resource, asynchronous large ones."""

import json

import pytest
from django.test import override_settings

from api.models import ClientKind, ProductionSubmission
from monitoring.models import Declaration, ImportBatch
from tests.monitoring.test_import_service import declaration_csv

from .conftest import C, F, W, make_client

URL = "/api/v1/productie-aanleveringen"


def declaration_json(world, rows):
    lines = declaration_csv(world, rows).strip().split("\n")
    names = lines[0].split(";")
    records = [dict(zip(names, line.split(";"), strict=True)) for line in lines[1:]]
    return json.dumps({"soort": "declaraties", "regels": records}).encode()


@pytest.fixture
def regional(world_a):
    return make_client(world_a, ClientKind.REGIONAL, {F, C, W})


def test_json_delivery_is_imported_and_repeatable(api, world_a, regional):
    _client, token = regional
    body = declaration_json(world_a, [{}, {"referentie": "R2", "maand": "2026-05"}])
    caller = api(token)
    before = Declaration.objects.count()
    first = caller.post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "lev-2026-05"})
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "geimporteerd"
    assert data["regelsToegevoegd"] == 2 and data["aantalFouten"] == 0
    assert "2026-04" in data["maanden"] and "2026-05" in data["maanden"]
    assert first["Location"].endswith(f"{URL}/{data['id']}")
    assert Declaration.objects.count() == before + 2

    # the same key and content: the same delivery, nothing imported again
    again = caller.post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "lev-2026-05"})
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    assert Declaration.objects.count() == before + 2
    assert ImportBatch.objects.count() == 1

    # the same key with other content: a conflict, nothing stored
    other = declaration_json(world_a, [{"referentie": "R9"}])
    conflict = caller.post(f"{URL}?soort=declaraties", other, **{"Idempotency-Key": "lev-2026-05"})
    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    assert ImportBatch.objects.count() == 1

    # the status resource
    status = caller.get(f"{URL}/{data['id']}")
    assert status.status_code == 200 and status.json()["regelsToegevoegd"] == 2
    assert caller.get(URL).json()["aantal"] == 1


def test_csv_delivery_with_errors_is_rejected_whole(api, world_a, regional):
    _client, token = regional
    before = Declaration.objects.count()
    body = declaration_csv(world_a, [{}, {"referentie": "R2", "bsn": "123456789"}]).encode()
    response = api(token).post(
        f"{URL}?soort=declaraties", body, content_type="text/csv", **{"Idempotency-Key": "k1"}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "afgewezen"
    assert data["aantalFouten"] >= 1
    assert any(e["regel"] == 3 and e["kolom"] == "bsn" for e in data["fouten"]), data["fouten"]
    assert Declaration.objects.count() == before
    assert "123456789" not in response.content.decode()


def test_provider_may_deliver_only_for_its_own_contracts(api, world_a, world_b):
    from tests.providers.factories import ProviderFactory

    stranger = ProviderFactory(region=world_a.region, name="Andere aanbieder")
    client, token = make_client(world_a, ClientKind.PROVIDER, {W})
    client.provider = stranger
    client.save()
    before = Declaration.objects.count()
    body = declaration_json(world_a, [{}])
    response = api(token).post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "a"})
    assert response.status_code == 201
    assert response.json()["status"] == "afgewezen"
    assert any(e["kolom"] == "contract" for e in response.json()["fouten"])
    assert Declaration.objects.count() == before
    # its own provider's client may
    _own, own_token = make_client(world_a, ClientKind.PROVIDER, {W}, name="eigen")
    ok = api(own_token).post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "a"})
    assert ok.status_code == 201 and ok.json()["status"] == "geimporteerd"


def test_a_client_sees_only_its_own_deliveries(api, world_a, regional):
    _client, token = regional
    body = declaration_json(world_a, [{}])
    created = api(token).post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "x"})
    pk = created.json()["id"]
    _other, other_token = make_client(world_a, ClientKind.REGIONAL, {W}, name="ander systeem")
    assert api(other_token).get(f"{URL}/{pk}").status_code == 404
    assert api(other_token).get(URL).json()["aantal"] == 0


@pytest.mark.parametrize(
    ("query", "headers", "content_type", "field"),
    [
        ("", {"Idempotency-Key": "k"}, "application/json", "soort"),
        ("?soort=onzin", {"Idempotency-Key": "k"}, "application/json", "soort"),
        ("?soort=declaraties", {}, "application/json", "Idempotency-Key"),
        (
            "?soort=declaraties",
            {"Idempotency-Key": "met spatie"},
            "application/json",
            "Idempotency-Key",
        ),
    ],
)
def test_bad_requests_are_400_problems(api, world_a, regional, query, headers, content_type, field):
    _client, token = regional
    response = api(token).post(URL + query, b"{}", content_type=content_type, **headers)
    assert response.status_code == 400
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["status"] == 400
    assert [p["name"] for p in problem["invalidParams"]] == [field]
    assert ProductionSubmission.objects.count() == 0


def test_other_media_type_is_415(api, world_a, regional):
    _client, token = regional
    response = api(token).post(
        f"{URL}?soort=declaraties", b"x", content_type="application/pdf", **{"Idempotency-Key": "k"}
    )
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


def test_without_write_scope_is_403(api, world_a):
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F, C})
    body = declaration_json(world_a, [{}])
    response = api(token).post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "k"})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


@override_settings(API_SYNC_IMPORT_BYTES=10)
def test_large_delivery_is_queued_with_202(
    api, world_a, regional, django_capture_on_commit_callbacks
):
    """Above the limit the import goes to the worker (here: eager Celery after the commit)."""
    _client, token = regional
    body = declaration_json(world_a, [{}, {"referentie": "R2"}])
    from unittest import mock

    with (
        mock.patch("monitoring.imports.services.queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api(token).post(f"{URL}?soort=declaraties", body, **{"Idempotency-Key": "big"})
    assert response.status_code == 202
    assert response.json()["status"] == "in-wachtrij"
    assert queue.call_count == 1
    batch_id, path = queue.call_args.args
    # the worker's task imports it and deletes the spooled file
    from monitoring.tasks import import_batch

    import_batch(batch_id, path)
    status = api(token).get(response["Location"].replace("http://testserver", ""))
    assert status.json()["status"] == "geimporteerd"
    assert status.json()["regelsToegevoegd"] == 2
    import os

    assert not os.path.exists(path)


# --- iJw messages as they are --------------------------------------------------------------------


@pytest.fixture
def ijw_world(world_a):
    from providers.models import Provider
    from tests.monitoring.test_ijw_import import AGB

    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    return world_a


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml", "application/zip"])
def test_ijw_messages_are_delivered_as_they_are(api, ijw_world, content_type):
    from tests.monitoring import ijw_xml as x
    from tests.monitoring.test_ijw_import import declaration_message

    _client, token = make_client(ijw_world, ClientKind.PROVIDER, {W})
    message = declaration_message(ijw_world)
    body = x.zip_of({"bericht.xml": message}) if content_type.endswith("zip") else message.encode()
    before = Declaration.objects.count()
    # no soort: the messages say they are declarations
    response = api(token).post(URL, body, content_type=content_type, **{"Idempotency-Key": "jw1"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["soort"], data["regelsToegevoegd"]) == (
        "geimporteerd",
        "declaraties",
        3,
    )
    assert Declaration.objects.count() == before + 3
    batch = ImportBatch.objects.get()
    assert batch.file_format == "ijw"
    assert batch.file_name.endswith(".zip" if content_type.endswith("zip") else ".xml")
    # the same messages under another key: the message ids make it add nothing
    again = api(token).post(URL, body, content_type=content_type, **{"Idempotency-Key": "jw2"})
    assert again.status_code == 201
    assert again.json()["regelsToegevoegd"] == 0
    assert Declaration.objects.count() == before + 3


def test_a_broken_ijw_message_is_refused_whole_and_named(api, ijw_world):
    from tests.monitoring.test_ijw_import import declaration_message

    _client, token = make_client(ijw_world, ClientKind.PROVIDER, {W})
    body = declaration_message(ijw_world).replace("</Bericht>", "").encode()
    before = Declaration.objects.count()
    response = api(token).post(
        URL, body, content_type="application/xml", **{"Idempotency-Key": "kapot"}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "afgewezen"
    error = data["fouten"][0]
    assert error["kolom"].endswith("-kapot.xml · bericht 2026-000123 · regel 2")
    assert "is geen goedgevormde XML" in error["melding"]
    assert Declaration.objects.count() == before
