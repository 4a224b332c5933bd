"""The malformed-file corpus (issue 20): every file of ``tests/monitoring/corpus/`` goes
through the one door (``import_offer(..., run="now")``) and is rejected — not failed, not left
running — with its reason at its row and column, and not one line written; and no BSN of the
corpus, in any digit script, is anywhere afterwards: not in any text or JSON column of any table,
not on the batch page, not in ``fouten.csv``, not in the API's answer, not in the log.

The files are made by ``corpus/make_corpus.py`` (and must be what it makes); placeholders in them
are filled with world A's contract, municipality and product, so that the one fault of a line is
what gets reported.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.urls import reverse

from api.models import ClientKind
from monitoring.imports.formats import CONTROL, format_for
from monitoring.imports.models import IjwMessage
from monitoring.imports.services import import_offer
from monitoring.models import LINE_MODELS, ImportBatch, ImportStatus
from providers.models import Provider
from tests.api.conftest import Api, W, make_client
from tests.monitoring.corpus.make_corpus import (
    AGB,
    ARABIC_INDIC,
    BSNS,
    CASES,
    FULLWIDTH,
    HERE,
    Case,
)

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"csv": "text/csv", "json": "application/json", "ijw": "application/xml"}


def test_the_corpus_is_what_the_script_makes():
    assert len(CASES) >= 40
    on_disk = {p.name for p in HERE.iterdir() if p.suffix in (".csv", ".json", ".xml")}
    assert on_disk == {c.name for c in CASES}
    for case in CASES:
        assert (HERE / case.name).read_bytes() == case.content, case.name


@pytest.fixture
def world(world_a):
    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    world_a.provider.refresh_from_db()
    return world_a


def filled(case: Case, world) -> bytes:
    content = (HERE / case.name).read_bytes()
    for placeholder, value in (
        (b"@CONTRACT@", world.con.contract.reference),
        (b"@GM4@", world.municipality.cbs_code[2:]),
        (b"@GM@", world.municipality.cbs_code),
        (b"@PRODUCT@", world.product.code),
    ):
        content = content.replace(placeholder, value.encode())
    return content


def counts() -> dict[str, int]:
    return {
        **{kind: model.objects.count() for kind, model in LINE_MODELS.items()},
        "ijw-berichten": IjwMessage.objects.count(),
    }


def offer(world, case: Case, tmp_path: Path) -> ImportBatch:
    path = tmp_path / case.name
    path.write_bytes(filled(case, world))
    batch = import_offer(
        region=world.region,
        kind=case.kind,
        file_format=format_for(case.name),
        path=path,
        file_name=case.name,
        run="now",
    )
    batch.refresh_from_db()
    assert not path.exists()  # the door removes what it was given
    return batch


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_malformed_file_is_rejected_with_its_reason(world, tmp_path, case):
    before = counts()
    batch = offer(world, case, tmp_path)
    assert batch.status == ImportStatus.REJECTED, (batch.status, batch.message, batch.errors)
    assert batch.rows_added == batch.rows_corrected == 0
    assert counts() == before  # not one line in any line table, no message recorded
    hits = [
        e
        for e in batch.errors
        if e["row"] == case.row
        and (
            case.column in e["column"] if case.name.endswith(".xml") else e["column"] == case.column
        )
        and case.phrase in e["message"]
    ]
    assert hits, batch.errors
    for error in batch.errors:  # what is stored can be stored, shown and downloaded
        assert not CONTROL.search(error["message"] + error["column"]), error


def needles() -> list[str]:
    found = []
    for bsn in BSNS:
        found += [bsn, bsn.translate(FULLWIDTH), bsn.translate(ARABIC_INDIC)]
        found.append(f"{bsn[:3]}.{bsn[3:6]}.{bsn[6:]}")
    return found


def _text(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def tables_holding(wanted: list[str]) -> list[str]:
    """``table.column`` of every text or JSON column, of every model, holding one of
    ``wanted``."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            for value in model._base_manager.values_list(field.attname, flat=True).iterator():
                if value is None:
                    continue
                text = _text(value)
                if any(w in text for w in wanted):
                    hits.append(f"{model._meta.db_table}.{field.column}")
                    break
    return hits


def test_no_bsn_of_the_corpus_anywhere(
    world, tmp_path, client, users, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    wanted = needles()
    batches = [offer(world, case, tmp_path) for case in CASES]
    assert {b.status for b in batches} == {ImportStatus.REJECTED}

    # the same files through the API: a regional system (CSV, JSON), the provider (iJw)
    regional = Api(make_client(world, ClientKind.REGIONAL, {W})[1])
    provider = Api(make_client(world, ClientKind.PROVIDER, {W}, name="aanbieder")[1])
    answers = []
    for case in CASES:
        cache.clear()  # no throttling in this test
        file_format = format_for(case.name)
        caller = provider if file_format == "ijw" else regional
        query = "" if file_format == "ijw" else f"?soort={case.kind}"
        with django_capture_on_commit_callbacks(execute=True):
            response = caller.post(
                f"/api/v1/productie-aanleveringen{query}",
                filled(case, world),
                content_type=CONTENT_TYPES[file_format],
                **{"Idempotency-Key": case.name},
            )
        # 201: imported at once; 202: a large file, queued (the task runs at once in tests)
        assert response.status_code in (201, 202), (case.name, response.content)
        answers.append(response.content.decode())
        status = caller.get(f"/api/v1/productie-aanleveringen/{response.json()['id']}")
        assert status.status_code == 200
        assert status.json()["status"] == "afgewezen", (case.name, status.json())
        answers.append(status.content.decode())
    assert [a for a in answers if any(w in a for w in wanted)] == []

    # the pages and the download
    client.force_login(users.contract_manager)
    for batch in ImportBatch.objects.all():
        kwargs = {"region": world.region.slug, "pk": batch.pk}
        page = client.get(reverse("monitoring:import-detail", kwargs=kwargs))
        download = client.get(reverse("monitoring:import-errors-csv", kwargs=kwargs))
        assert page.status_code == download.status_code == 200
        for body in (page.content.decode(), download.content.decode("utf-8-sig")):
            assert not any(w in body for w in wanted), batch.file_name

    # every table, and the log
    assert tables_holding(wanted) == []
    assert not any(w in caplog.text for w in wanted)

    # and the scan finds what is there: a BSN in fullwidth digits planted in one message
    ImportBatch.objects.filter(pk=batches[0].pk).update(message=BSNS[0].translate(FULLWIDTH))
    assert tables_holding(wanted) == ["monitoring_importbatch.message"]
