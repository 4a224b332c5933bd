"""The progress an import records as it goes (rows read, checked, written, errors, phase), on
both paths (per row and set-based); the background thread of the embedded mode; and no page
that refreshes itself (issue 22)."""

import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from core import tasks as core_tasks
from monitoring.imports import services
from monitoring.imports.models import ImportBatch, ImportStatus
from tests.monitoring.test_import_service import declaration_csv, run, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(monkeypatch):
    """Every progress record, as the database has it right after (what the page would see)."""
    seen = []
    record = services.import_progress_record

    def spy(*, batch, **fields):
        record(batch=batch, **fields)
        seen.append(
            ImportBatch.objects.filter(pk=batch.pk)
            .values("rows_total", "rows_read", "rows_done", "rows_written", "error_count", "phase")
            .get()
        )

    monkeypatch.setattr(services, "import_progress_record", spy)
    return seen


def test_the_per_row_path_records_rows_read_checked_and_written(
    world_a, tmp_path, settings, monkeypatch, recorded
):
    settings.IMPORT_VECTORISED = False
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, [{}] * 5)))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    checking = [r for r in recorded if r["phase"] == "check"]
    assert [(r["rows_read"], r["rows_done"]) for r in checking] == [(2, 2), (4, 4)]
    assert all(r["rows_total"] == 5 and r["rows_written"] == 0 for r in checking)
    writing, refreshing = recorded[-2:]
    assert (writing["phase"], writing["rows_done"], writing["rows_read"]) == ("write", 5, 5)
    assert (refreshing["phase"], refreshing["rows_written"]) == ("refresh", 5)
    batch.refresh_from_db()
    assert (batch.rows_read, batch.rows_done, batch.rows_written, batch.phase) == (5, 5, 5, "")
    assert batch.progress == 100


def test_the_set_based_path_records_the_rows_read_then_checked_per_chunk(
    world_a, tmp_path, settings, monkeypatch, recorded
):
    settings.IMPORT_VECTORISED = True
    monkeypatch.setattr(services, "FRAME_PROGRESS_EVERY", 2)
    rows = [{}] * 4 + [{"eenheid": "01"}]  # the last row is wrong: the file is refused
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    assert batch.status == ImportStatus.REJECTED
    first = recorded[0]
    assert (first["rows_read"], first["rows_total"], first["rows_done"]) == (5, 5, 0)
    checked = [r["rows_done"] for r in recorded if r["phase"] == "check"]
    assert checked == sorted(checked) and checked[-1] == 4 and 2 in checked
    assert recorded[-1]["rows_done"] == 5 and recorded[-1]["error_count"] == 1
    batch.refresh_from_db()
    assert (batch.rows_read, batch.rows_done, batch.rows_written) == (5, 5, 0)


def test_without_a_broker_a_task_runs_in_the_background_thread(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.TASKS_EAGER_IN_THREAD = True
    where = []

    class Task:
        name = "test.task"

        def apply(self, args, kwargs, throw):
            where.append((threading.current_thread().name, args))

        def delay(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("sent to a broker")

    future = core_tasks.start(Task(), 7)
    core_tasks.wait_for_background()
    assert future.done() and where[0][1] == (7,)
    assert where[0][0].startswith("jeugdinkoop-task")
    assert where[0][0] != threading.current_thread().name

    settings.TASKS_EAGER_IN_THREAD = False  # the tests' setting: here and now
    sent = []
    monkeypatch.setattr(Task, "delay", lambda self, *args: sent.append(args))
    core_tasks.start(Task(), 8)
    assert sent == [(8,)]


def test_the_tests_run_tasks_where_they_are_started():
    assert django_settings.TASKS_EAGER_IN_THREAD is False


def test_no_template_refreshes_itself():
    """A <meta http-equiv="refresh"> is an axe violation (critical) and reloads the page under
    a screen reader's feet: long work is polled (static/js/progress.js)."""
    root = Path(django_settings.BASE_DIR) / "templates"
    found = [
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if 'http-equiv="refresh"' in p.read_text(encoding="utf-8").lower().replace("'", '"')
    ]
    assert found == []
