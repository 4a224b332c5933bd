"""A contract manager uploads declarations in the embedded mode (no broker: the import runs in
the background thread) and watches the row counts rise in the page's aria-live region, to the
total; no page refreshes itself. axe-core finds no WCAG 2.1 A/AA violation on a pending import
page nor on a pending report page (issue 22).

The import is slowed by a test-only hook (each recorded chunk of progress waits a moment in the
import's own thread), so that the polling page sees it run; the test waits on the page, never on
the clock."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.roles import Role
from core.tasks import wait_for_background
from monitoring.imports import services as import_services
from monitoring.imports.models import ImportBatch, ImportStatus
from monitoring.imports.services import batch_create
from reports import services as report_services
from reports.models import ReportKind
from reports.periods import parse_period
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login
from tests.monitoring.test_import_service import declaration_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # the passes of a long page are megabytes of JSON
}
ROWS = 1200
CHUNK = 100

#: every text the live region shows, reported by the page (it survives the reload at the end)
WATCH = """
window.addEventListener("DOMContentLoaded", function () {
  var live = document.querySelector("[data-progress-text]");
  if (!live) { return; }
  window.reportProgress(live.textContent.trim());
  new MutationObserver(function () { window.reportProgress(live.textContent.trim()); })
    .observe(live, { childList: true, characterData: true, subtree: true });
});
"""


def no_violations(page):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def slow_chunks(monkeypatch):
    """Test-only: the import checks ``CHUNK`` rows at a time and pauses after each chunk's
    progress is recorded (in the import's thread, not the test's)."""
    monkeypatch.setattr(import_services, "FRAME_PROGRESS_EVERY", CHUNK)
    record = import_services.import_progress_record

    def slowly(**fields):
        record(**fields)
        if fields.get("checked") is not None and fields.get("phase") is None:
            time.sleep(0.4)

    monkeypatch.setattr(import_services, "import_progress_record", slowly)


def test_pending_import_and_report_pages_have_no_axe_violation(live_server, page, settings):
    w = build_world("x")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="xena")
    batch = batch_create(
        region=w.region, kind="declaraties", file_format="csv", file_name="x.csv", file_size=9
    )  # queued, never run: its page polls and waits
    report = report_services.report_ensure(
        region=w.region,
        kind=ReportKind.PROVIDER,
        subject=w.provider,
        period=parse_period("month", "2026-03"),
    )
    report_services.report_version_request(report=report, dispatch=False)
    base = live_server.url
    login(page, base, "xena")

    page.goto(f"{base}{batch.get_absolute_url()}")
    expect(page.locator("[data-progress-text]")).to_contain_text("In de wachtrij")
    expect(page.locator("meta[http-equiv]")).to_have_count(0)
    no_violations(page)

    page.goto(f"{base}{report.get_absolute_url()}")
    expect(page.locator("[data-progress-text]")).to_have_text("Versie 1 staat in de wachtrij.")
    expect(page.locator("meta[http-equiv]")).to_have_count(0)
    no_violations(page)


def test_the_row_counts_rise_to_the_total(live_server, page, shot, tmp_path, settings, slow_chunks):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    settings.IMPORT_VECTORISED = True
    settings.TASKS_EAGER_IN_THREAD = True  # the embedded mode: the request answers at once
    w = build_world("g")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="gerda")
    rows = [{"maand": f"2026-{1 + i % 6:02d}"} for i in range(ROWS)]
    path = tmp_path / "declaraties-h1.csv"
    path.write_text(declaration_csv(w, rows), encoding="utf-8")
    seen: list[str] = []
    page.expose_function("reportProgress", lambda text: seen.append(text))
    page.add_init_script(WATCH)
    base = live_server.url
    login(page, base, "gerda")

    page.goto(f"{base}/regios/{w.region.slug}/monitoring/imports/nieuw/")
    page.get_by_role("combobox", name=re.compile("^Soort gegevens")).select_option("declaraties")
    page.get_by_label("Bestand").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Importeren").click()

    live = page.locator("[role=status] [data-progress-text]")
    total = "1.200"
    expect(live).to_contain_text(f"van {total} regels gelezen", timeout=30_000)
    shot("import-progress-01-running")
    expect(live).to_have_text(
        f"Klaar: {total} van {total} regels gelezen, {total} gecontroleerd, {total} weggeschreven.",
        timeout=60_000,
    )
    shot("import-progress-02-done")
    wait_for_background()

    checked = [
        int(m.group(1).replace(".", ""))
        for text in seen
        if (m := re.search(r"regels gelezen, ([\d.]+) gecontroleerd", text))
    ]
    # the page saw the import run: several counts on the way, rising, to the total
    assert len(set(checked)) >= 3, seen
    assert checked == sorted(checked), seen
    assert checked[-1] == ROWS
    # the page reloads itself half a second after the job is done and then shows the outcome
    expect(page.locator(".import-status")).to_contain_text("Geïmporteerd", timeout=15_000)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.SUCCEEDED
    assert (batch.rows_read, batch.rows_done, batch.rows_written) == (ROWS, ROWS, ROWS)
