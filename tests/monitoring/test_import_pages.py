"""The import pages: upload, progress, errors per row and column, the error CSV, permissions."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.imports.services import batch_create
from monitoring.models import Declaration, ImportBatch, ImportStatus
from tests.monitoring.test_import_service import (
    BAD_BSN,
    declaration_csv,
    line_counts,
    run,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spool_dir(settings, tmp_path):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    return settings.IMPORT_SPOOL_DIR


def url(name, world, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"region": world.region.slug, **kwargs})


def upload(client, world, text: str | bytes, *, kind="declaraties", name="prod.csv", **extra):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        url("import-create", world),
        {"kind": kind, "file": SimpleUploadedFile(name, content), **extra},
    )


def test_a_contract_manager_uploads_a_file(
    client, world_a, users, spool_dir, django_capture_on_commit_callbacks
):
    client.force_login(users.contract_manager)
    text = declaration_csv(world_a, [{}, {"maand": "2026-05"}])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world_a, text)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("import-detail", world_a, pk=batch.pk)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.created_by == users.contract_manager and batch.file_name == "prod.csv"
    assert Declaration.objects.filter(batch=batch).count() == 2
    assert list(spool_dir.iterdir()) == []  # the spooled file (with BSNs) is gone

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Geïmporteerd" in html and "2 regels toegevoegd" in html
    assert 'http-equiv="refresh"' not in html  # finished: no refreshing
    assert "mei 2026" in html  # the months whose KPIs were refreshed

    listing = client.get(url("import-list", world_a)).content.decode()
    assert "prod.csv" in listing and "Geïmporteerd" in listing
    assert url("import-create", world_a) in listing
    # the page's title, and each batch links to its page
    assert "<h1>Imports van productiegegevens</h1>" in listing
    assert f'href="{url("import-detail", world_a, pk=batch.pk)}"' in listing


def test_errors_are_shown_per_row_and_column_and_downloadable(
    client, world_a, users, django_capture_on_commit_callbacks
):
    client.force_login(users.officer)
    text = declaration_csv(world_a, [{}, {"eenheid": "01"}, {"bsn": BAD_BSN}])
    before = line_counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world_a, text)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED
    assert line_counts() == before
    html = client.get(response["Location"]).content.decode()
    assert "Afgewezen" in html and "Fouten per regel en kolom" in html
    assert '<td class="num">3</td>' in html and "<code>eenheid</code>" in html
    assert "wordt geleverd in eenheid 04 uur, niet in 01 minuut." in html
    assert "BSN ****6789 voldoet niet aan de elfproef." in html
    assert BAD_BSN not in html

    download = client.get(url("import-errors-csv", world_a, pk=batch.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert f"importfouten-{batch.pk}.csv" in download["Content-Disposition"]
    body = download.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0] == ["regel", "kolom", "melding"]
    assert rows[1][:2] == ["3", "eenheid"] and rows[2][:2] == ["4", "bsn"]
    assert BAD_BSN not in body


def test_the_error_csv_never_holds_a_live_formula(client, world_a, users):
    """Error cells that would start with a formula character (a column name or value taken from
    the uploaded file, a provider's too) are text in the downloaded error report."""
    batch = ImportBatch.objects.create(
        region=world_a.region,
        kind="declaraties",
        file_format="csv",
        file_name="x.csv",
        status="rejected",
        errors=[
            {"row": 2, "column": '=HYPERLINK("http://x.example")', "message": "-2+3"},
            {"row": 3, "column": "product", "message": "Onbekende productcode =X."},
        ],
        error_count=2,
    )
    client.force_login(users.officer)
    body = client.get(url("import-errors-csv", world_a, pk=batch.pk)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1] == ["2", '\'=HYPERLINK("http://x.example")', "'-2+3"]
    assert rows[2] == ["3", "product", "Onbekende productcode =X."]  # unchanged


def test_error_table_is_paginated(client, world_a, users, tmp_path):
    batch = run(
        world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{"product": "X"}] * 250))
    )
    client.force_login(users.viewer)
    page1 = client.get(url("import-detail", world_a, pk=batch.pk)).content.decode()
    assert "1 / 3" in page1 and "?pagina=2" in page1
    page3 = client.get(url("import-detail", world_a, pk=batch.pk) + "?pagina=3").content.decode()
    assert '<td class="num">251</td>' in page3


def test_a_running_import_shows_its_counts_and_polls_its_status(client, world_a, users):
    """No meta refresh (axe: critical): the page shows the counts of the moment, a
    "Vernieuwen" link, and static/js/progress.js polls the status endpoint."""
    batch = batch_create(
        region=world_a.region, kind="declaraties", file_format="csv", file_name="a.csv", file_size=9
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING, rows_total=20_000, rows_read=20_000, rows_done=5_000
    )
    client.force_login(users.viewer)
    html = client.get(url("import-detail", world_a, pk=batch.pk)).content.decode()
    assert "http-equiv" not in html
    assert '<progress id="import-progress" max="100" value="22">22%</progress>' in html
    assert "20.000 van 20.000 regels gelezen, 5.000 gecontroleerd, 0 fouten." in html
    status = url("import-status", world_a, pk=batch.pk)
    assert f'data-status-url="{status}"' in html and "js/progress.js" in html
    assert ">Vernieuwen</a>" in html


def test_the_status_endpoint_answers_state_counts_percentage_and_a_message(client, world_a, users):
    batch = batch_create(
        region=world_a.region, kind="declaraties", file_format="csv", file_name="a.csv", file_size=9
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING,
        rows_total=1_000,
        rows_read=1_000,
        rows_done=500,
        error_count=2,
        phase="check",
    )
    client.force_login(users.viewer)
    response = client.get(url("import-status", world_a, pk=batch.pk))
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "id": batch.pk,
        "state": "running",
        "stateLabel": "Bezig",
        "phase": "check",
        "finished": False,
        "percentage": 45,
        "counts": {"total": 1000, "read": 1000, "checked": 500, "written": 0, "errors": 2},
        "message": "1.000 van 1.000 regels gelezen, 500 gecontroleerd, 2 fouten.",
        "url": url("import-detail", world_a, pk=batch.pk),
    }
    ImportBatch.objects.filter(pk=batch.pk).update(phase="write", rows_done=1_000)
    assert client.get(url("import-status", world_a, pk=batch.pk)).json()["percentage"] == 90


def test_a_finished_import_says_its_counts_in_the_status_endpoint(client, world_a, users, tmp_path):
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{}, {}, {}])))
    client.force_login(users.viewer)
    data = client.get(url("import-status", world_a, pk=batch.pk)).json()
    assert data["finished"] is True and data["state"] == "succeeded"
    assert data["percentage"] == 100
    assert data["counts"] == {"total": 3, "read": 3, "checked": 3, "written": 3, "errors": 0}
    assert data["message"] == "Klaar: 3 van 3 regels gelezen, 3 gecontroleerd, 3 weggeschreven."
    html = client.get(url("import-detail", world_a, pk=batch.pk)).content.decode()
    assert data["message"] in html and 'data-finished="1"' in html


def test_the_form_refuses_an_empty_or_too_large_file(client, world_a, users, settings):
    client.force_login(users.contract_manager)
    response = upload(client, world_a, b"")
    assert response.status_code == 200
    assert "Het bestand is leeg." in response.content.decode()
    settings.IMPORT_MAX_BYTES = 1 << 20
    response = upload(client, world_a, b"x" * ((1 << 20) + 1))
    assert "het maximum is 1,0 MB per bestand. Splits het bestand op." in response.content.decode()
    response = upload(client, world_a, b"a;b\n", name="prod.txt")
    assert "gebruik de extensie .csv of .json, of kies het formaat" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_format_can_be_chosen(client, world_a, users, django_capture_on_commit_callbacks):
    client.force_login(users.contract_manager)
    text = declaration_csv(world_a, [{}])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a, text, name="export.txt", file_format="csv")
    assert ImportBatch.objects.get().status == ImportStatus.SUCCEEDED


def test_the_create_page_lists_the_columns_of_every_kind(client, world_a, users):
    client.force_login(users.contract_manager)
    html = client.get(url("import-create", world_a)).content.decode()
    for column in ("bezette_dagen", "reden_einde", "verwijzer", "clientervaring", "corrigeert"):
        assert f"<code>{column}</code>" in html
    assert url("import-help", world_a) in html
    assert 'enctype="multipart/form-data"' in html


def test_the_manual(client, world_a, users):
    client.force_login(users.viewer)
    response = client.get(url("import-help", world_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"corrigeert" in b"".join(response.streaming_content)


def test_a_broker_that_is_down_fails_the_batch(
    client, world_a, users, spool_dir, monkeypatch, django_capture_on_commit_callbacks
):
    from monitoring import tasks

    def down(*args, **kwargs):
        raise ConnectionError("redis weg")

    monkeypatch.setattr(tasks.import_batch, "delay", down)
    client.force_login(users.contract_manager)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a, declaration_csv(world_a, [{}]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and "ingepland" in batch.message
    assert list(spool_dir.iterdir()) == []


# --- who may do what ----------------------------------------------------------------------------


@pytest.fixture
def batch_a(world_a):
    return batch_create(
        region=world_a.region, kind="declaraties", file_format="csv", file_name="a.csv", file_size=1
    )


def test_a_viewer_reads_but_does_not_upload(client, world_a, users, batch_a):
    client.force_login(users.viewer)
    listing = client.get(url("import-list", world_a))
    assert listing.status_code == 200
    assert url("import-create", world_a) not in listing.content.decode()
    assert client.get(url("import-detail", world_a, pk=batch_a.pk)).status_code == 200
    assert client.get(url("import-create", world_a)).status_code == 403
    assert upload(client, world_a, "x").status_code == 403
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("name", ["import-list", "import-create", "import-help"])
def test_municipal_users_get_404(client, world_a, users, name):
    client.force_login(users.municipal)
    assert client.get(url(name, world_a)).status_code == 404


@pytest.mark.parametrize("name", ["import-detail", "import-errors-csv"])
def test_municipal_users_get_404_on_a_batch(client, world_a, users, batch_a, name):
    client.force_login(users.municipal)
    assert client.get(url(name, world_a, pk=batch_a.pk)).status_code == 404


def test_other_regions_get_404(client, world_a, world_b, users, batch_a):
    client.force_login(users.other_region_officer)
    assert client.get(url("import-list", world_a)).status_code == 404
    assert client.get(url("import-create", world_a)).status_code == 404
    # a batch of region A under region B's address
    assert client.get(url("import-detail", world_b, pk=batch_a.pk)).status_code == 404
    assert client.get(url("import-errors-csv", world_b, pk=batch_a.pk)).status_code == 404
    assert upload(client, world_a, "x").status_code == 404


def test_anonymous_users_log_in_first(client, world_a):
    response = client.get(url("import-list", world_a))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_with_a_worker_the_upload_is_queued_first(
    client, world_a, users, spool_dir, django_capture_on_commit_callbacks
):
    client.force_login(users.contract_manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, world_a, declaration_csv(world_a, [{}]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.QUEUED and len(callbacks) == 1
    [spooled] = spool_dir.iterdir()
    assert oct(spooled.stat().st_mode & 0o777) == "0o600"
    html = client.get(response["Location"]).content.decode()
    assert "wordt geïmporteerd" in html and "In de wachtrij" in html
    assert "http-equiv" not in html and "In de wachtrij: de import start" in html
    callbacks[0]()  # the worker picks it up
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED
    assert list(spool_dir.iterdir()) == []


def test_the_upload_button_shows_a_busy_state(client, world_a, users):
    """static/js/progress.js disables the button of a form[data-busy] after submit, with
    aria-busy and the attribute's text."""
    client.force_login(users.contract_manager)
    html = client.get(url("import-create", world_a)).content.decode()
    assert 'data-busy="Bezig…"' in html and "js/progress.js" in html
