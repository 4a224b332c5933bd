"""Every download the product offers, opened as a spreadsheet would: no cell may run as a
formula, a municipal user's download holds only its own rows (small cells suppressed), and the
page's filters apply.

The pages that offer a download are found in the URL conf (every django-tables2 list page and
every page with tables of its own), not in a hand list: a new list page without downloads fails
``test_every_list_page_offers_downloads``. And by what a page shows: every page of the scoping
matrix whose HTML holds a table of records offers the download links (which work), unless it is
in ``NO_DOWNLOAD`` with its reason (``test_every_staff_page_with_a_table_of_records_offers_``
``downloads``; the portal's and the public pages' in tests/portal and tests/public)."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.ui.views import ExportMixin, SheetExportMixin
from monitoring.imports.models import DatasetKind
from tests.monitoring.test_dashboards import declare
from tests.monitoring.test_selectors import fill
from tests.test_scoping_matrix import pages, world_a  # noqa: F401 - the matrix's world A

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
#: what a spreadsheet would read as a formula (independent of core.spreadsheet, on purpose)
FORMULA = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")
#: a negative number as the CSV writes it (decimal comma): a number, never a formula
NEGATIVE = re.compile(r"^-\d+(?:,\d+)?$")

EVIL_PROVIDER = '=HYPERLINK("http://x","y")'
EVIL = {
    "provider": EVIL_PROVIDER,
    "product": "+1",
    "product_code": "@SUM(A1)",
    "contract": "-2+3",
    "care_form": "  =1+1",
    "municipality": "\t=cmd",
}


# --- the inventory --------------------------------------------------------------------------------


def walk(patterns, namespace=""):
    """(url name, view class) of every named page in the URL conf."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", None)
            if view is not None:
                yield f"{namespace}{pattern.name}", view


def is_list_page(view) -> bool:
    return issubclass(view, SingleTableMixin | FilterView)


def missing_downloads(patterns) -> set[str]:
    """List pages (a django-tables2 table, a django-filter list) without downloads."""
    return {
        name
        for name, view in walk(patterns)
        if is_list_page(view) and not issubclass(view, ExportMixin)
    }


def exporting_pages(patterns=None) -> dict:
    patterns = patterns if patterns is not None else get_resolver().url_patterns
    return {
        name: view
        for name, view in walk(patterns)
        if issubclass(view, ExportMixin | SheetExportMixin)
    }


def test_every_list_page_offers_downloads():
    assert missing_downloads(get_resolver().url_patterns) == set()
    names = exporting_pages()
    # the pages the issue names are among them
    for name in (
        "providers:provider-list",
        "contracts:contract-list",
        "contracts:tariff-list",
        "monitoring:lines",
        "monitoring:region",
        "monitoring:municipality",
        "monitoring:coverage",
        "reports:report-list",
    ):
        assert name in names, name


def test_a_new_list_page_without_downloads_fails_the_inventory():
    from django.urls import path
    from django.views import generic

    from core.ui.views import RegionMixin

    class NewListView(RegionMixin, SingleTableMixin, FilterView):
        pass

    class NewReadyListView(ExportMixin, RegionMixin, SingleTableMixin, FilterView):
        pass

    patterns = [
        path("nieuw/", NewListView.as_view(), name="new-list"),
        path("klaar/", NewReadyListView.as_view(), name="ready-list"),
        path("pagina/", generic.TemplateView.as_view(), name="page"),
    ]
    assert missing_downloads(patterns) == {"new-list"}


# --- the world, with names a spreadsheet would run ----------------------------------------------


@pytest.fixture
def evil(world_a, world_b):  # noqa: F811 - the matrix's world A
    """World A with production (rollups) and names that are formulas."""
    from contracts.models import Contract
    from providers.models import Provider
    from segments.models import CareForm, Municipality, Product

    w = world_a
    fill(w, months=range(1, 11))
    Provider.objects.filter(pk=w.provider.pk).update(name=EVIL["provider"])
    Product.objects.filter(pk=w.product.pk).update(name=EVIL["product"], code=EVIL["product_code"])
    Contract.objects.filter(pk=w.con.contract.pk).update(reference=EVIL["contract"])
    CareForm.objects.filter(pk=w.care_form.pk).update(name=EVIL["care_form"])
    Municipality.objects.filter(pk=w.municipality.pk).update(name=EVIL["municipality"])
    for obj in (w.provider, w.product, w.con.contract, w.care_form, w.municipality):
        obj.refresh_from_db()
    declare(w, "-2+3", amount="-12.50", client_key="k-credit")  # a credit line
    return w


# --- reading downloads ---------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(BOM), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def xlsx_cells(response) -> list:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def csv_formulas(rows) -> list[str]:
    return [c for row in rows for c in row if FORMULA.match(c) and not NEGATIVE.match(c)]


def xlsx_formulas(cells) -> list:
    return [
        cell.value
        for cell in cells
        if cell.data_type == "f" or (isinstance(cell.value, str) and FORMULA.match(cell.value))
    ]


def download_links(response) -> list[str]:
    context = response.context
    links = list(context.get("export_links") or [])
    for table_links in (context.get("exports") or {}).values():
        links += table_links
    return [link["url"] for link in links]


def check_download(client, url) -> list[list[str]]:
    """Fetch ``url`` (a CSV link) as CSV and as Excel; no cell is a formula. The CSV rows."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = csv_rows(response)
    assert csv_formulas(rows) == [], url
    xlsx = client.get(url.replace("export=csv", "export=xlsx"))
    assert xlsx.status_code == 200, url
    assert "attachment" in xlsx["Content-Disposition"]
    cells = xlsx_cells(xlsx)
    assert xlsx_formulas(cells) == [], url
    assert len([c for c in cells if c.value is not None]) >= len([c for r in rows for c in r if c])
    return rows


def test_no_download_holds_a_formula(client, evil, users):
    from tests.test_scoping_matrix import EXPECT, OK, ROLES

    w = evil
    kwargs, officer_reads = {}, set()
    for name, page_kwargs, kind in pages(w):
        kwargs.setdefault(name, page_kwargs)
        if EXPECT[kind][ROLES.index("officer")] == OK:
            officer_reads.add(name)
    fetched, cells = set(), []
    staff_pages = {n: v for n, v in exporting_pages().items() if not n.startswith("portal:")}
    for name in staff_pages:  # the portal's: tests/portal/test_portal_exports.py
        assert name in kwargs, f"{name} offers downloads but is not in the scoping matrix"
        url = reverse(name, kwargs=kwargs[name])
        # the procurement officer, or (pages of the region administrator) the superuser
        client.force_login(users.officer if name in officer_reads else users.superuser)
        queries = [""]
        if name == "monitoring:lines":
            queries = [f"soort={kind}" for kind in DatasetKind]
        for query in queries:
            page = client.get(f"{url}?{query}" if query else url)
            assert page.status_code == 200, url
            links = [link for link in download_links(page) if "export=csv" in link]
            for link in links:
                assert link.replace("&", "&amp;") in page.content.decode(), f"no button: {link}"
                cells += [c for row in check_download(client, link) for c in row]
                fetched.add(name)
    # every page that offers downloads gives at least one
    assert set(staff_pages) - fetched == set()
    # the evil names are in the downloads, neutralised
    assert "'" + EVIL["provider"] in cells
    assert "'" + EVIL["product_code"] in cells
    assert "'" + EVIL["contract"] in cells
    assert "'" + EVIL["care_form"] in cells


def test_lines_download_typed_cells_filters_and_the_credit_line(client, evil, users):
    w = evil
    client.force_login(users.officer)
    url = reverse("monitoring:lines", kwargs={"region": w.region.slug})
    query = {"soort": "declaraties", "maand": "2026-10", "export": "csv"}
    rows = csv_rows(client.get(url, query))
    header, *lines = rows
    assert header[:2] == ["Referentie", "Maand"]
    credit = next(line for line in lines if line[0] == "'-2+3")
    assert "-12,50" in credit  # a negative amount stays a number (decimal comma)
    assert credit[1] == "2026-10-01"  # ISO date: a date in every Excel
    assert all(line[1] == "2026-10-01" for line in lines)  # the month filter applies
    everything = csv_rows(client.get(url, {"soort": "declaraties", "export": "csv"}))
    assert len(everything) > len(rows)
    # Excel: typed cells
    response = client.get(url, {**query, "export": "xlsx"})
    assert response["Content-Disposition"].endswith(
        f'productieregels-declaraties-{w.region.slug}-{date.today().isoformat()}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    credit = next(row for row in values if row[0] == "'-2+3")
    assert Decimal("-12.5") in [Decimal(str(v)) for v in credit if isinstance(v, float | int)]
    assert credit[1].date() == date(2026, 10, 1)


def test_a_municipal_users_download_holds_only_its_own_rows(client, evil, users):
    w = evil
    declare(w, "ELDERS", municipality=w.other_municipality, amount="50.00")
    declare(w, "HIER", amount="60.00")
    client.force_login(users.municipal)
    url = reverse("monitoring:lines", kwargs={"region": w.region.slug})
    rows = csv_rows(client.get(url, {"soort": "declaraties", "export": "csv"}))
    references = {row[0] for row in rows[1:]}
    assert "HIER" in references and "ELDERS" not in references
    municipality_column = rows[0].index("Gemeente")
    assert {row[municipality_column] for row in rows[1:]} == {"'" + EVIL["municipality"]}
    # another municipality's dashboard is hidden, its download too
    other = reverse(
        "monitoring:municipality", kwargs={"region": w.region.slug, "pk": w.other_municipality.pk}
    )
    assert client.get(other, {"export": "csv", "tabel": "aanbieders"}).status_code == 404
    # the list of providers: only those delivering in the own municipality
    providers = reverse("providers:provider-list", kwargs={"region": w.region.slug})
    names = {row[0] for row in csv_rows(client.get(providers, {"export": "csv"}))[1:]}
    assert "'" + EVIL["provider"] in names and w.distant_provider.name not in names


def test_small_cells_stay_suppressed_in_a_download(client, evil, users):
    from monitoring.models import Grain, KpiRollup

    w = evil
    KpiRollup.objects.filter(region=w.region, grain=Grain.SEGMENT_MUNICIPALITY).update(youths=3)
    url = reverse(
        "monitoring:municipality", kwargs={"region": w.region.slug, "pk": w.municipality.pk}
    )
    client.force_login(users.municipal)
    page = client.get(url)
    shown = page.context["by_segment"][0]
    rows = csv_rows(client.get(url, {"export": "csv", "tabel": "segmenten"}))
    header, *lines = rows
    youths = header.index("Unieke jeugdigen")
    assert lines[0][0] == str(shown.extra["name"])
    assert lines[0][youths] == "< 5"  # as on the page
    assert lines[0][1] == "—"  # the amount of fewer than 5 youths: not shown
    cells = xlsx_cells(client.get(url, {"export": "xlsx", "tabel": "segmenten"}))
    assert "< 5" in [c.value for c in cells] and 3 not in [c.value for c in cells]
    # region staff download the figure itself
    client.force_login(users.viewer)
    rows = csv_rows(client.get(url, {"export": "csv", "tabel": "segmenten"}))
    assert rows[1][youths] == "3"


def test_filters_and_sorting_of_a_list_apply_to_its_download(client, evil, users):
    w = evil
    client.force_login(users.officer)
    url = reverse("providers:provider-list", kwargs={"region": w.region.slug})
    names = [row[0] for row in csv_rows(client.get(url, {"q": "Veraf", "export": "csv"}))[1:]]
    assert names == [w.distant_provider.name]
    page = client.get(url, {"q": "Veraf", "page": "1"})
    link = download_links(page)[0]
    assert "q=Veraf" in link and "page=" not in link
    everything = [row[0] for row in csv_rows(client.get(url, {"export": "csv"}))[1:]]
    assert len(everything) > 1
    backwards = [
        row[0] for row in csv_rows(client.get(url, {"export": "csv", "sort": "-name"}))[1:]
    ]
    assert backwards == sorted(everything, reverse=True)


def test_excel_refuses_more_rows_than_it_holds(client, evil, users, monkeypatch):
    from core import export

    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 1)
    w = evil
    client.force_login(users.officer)
    url = reverse("monitoring:lines", kwargs={"region": w.region.slug})
    response = client.get(url, {"soort": "declaraties", "export": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?soort=declaraties"
    page = client.get(response["Location"])
    assert "Download CSV" in [str(m) for m in page.context["messages"]][0]
    # CSV has no limit
    assert client.get(url, {"soort": "declaraties", "export": "csv"}).status_code == 200


# --- the other writers ---------------------------------------------------------------------------


def test_settlement_csv_neutralises_texts_and_keeps_numbers(client, evil, users):
    from contracts.models import FundingArrangement

    w = evil
    FundingArrangement.objects.filter(contract=w.con.contract).update(name="@SUM(A1)")
    client.force_login(users.officer)
    url = reverse(
        "contracts:contract-settlement-csv",
        kwargs={"region": w.region.slug, "pk": w.con.contract.pk},
    )
    response = client.get(url, {"year": 2026, "first_month": 10, "last_month": 10})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert csv_formulas(rows) == []
    assert rows[1][0] == "'" + EVIL["contract"]
    assert "'@SUM(A1)" in {row[2] for row in rows[1:]}
    amounts = [row[9] for row in rows[1:]]
    assert all(re.fullmatch(r"-?\d+,\d\d", a) for a in amounts), amounts


def test_import_error_csv_has_no_formula(client, evil, users):
    from monitoring.models import ImportBatch

    w = evil
    batch = ImportBatch.objects.create(
        region=w.region,
        kind="declaraties",
        file_format="csv",
        file_name="d.csv",
        status="rejected",
        errors=[{"row": 2, "column": "=1+1", "message": '@SUM(A1) is geen "-2+3"'}],
        error_count=1,
    )
    client.force_login(users.officer)
    url = reverse("monitoring:import-errors-csv", kwargs={"region": w.region.slug, "pk": batch.pk})
    rows = csv_rows(client.get(url))
    assert csv_formulas(rows) == [] and rows[1][1] == "'=1+1"


def test_api_csv_has_no_formula(evil):
    from api.models import ClientKind
    from tests.api.conftest import Api, C, F, make_client

    w = evil
    _client, token = make_client(w, ClientKind.REGIONAL, {F, C}, name="export-test")
    api = Api(token)
    for path in ("/api/v1/aanbieders", "/api/v1/contracten", "/api/v1/producten"):
        response = api.get(path, {"formaat": "csv"})
        assert response.status_code == 200, path
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        # the API's serializers write numbers as texts, so the API's CSV keeps a text that
        # is just a number (a number, never a formula: tests/api/test_configuration.py)
        formulas = [
            c
            for row in rows
            for c in row
            if FORMULA.match(c) and not re.fullmatch(r"[+-]?\d+(?:\.\d+)?", c)
        ]
        assert formulas == [], path
        assert any(c.startswith("'") for row in rows for c in row), path


# --- the inventory by what a page shows -----------------------------------------------------------

#: pages whose HTML holds a table of records but that offer no download, each with its reason
#: (keep it short: a list of records gets its CSV and Excel)
ONE_RECORD = "one record's page: its tables are parts of that record, not a list of records"
FORM = "a form laid out as a table (the cells are inputs), not a list of records"
NO_DOWNLOAD = {
    # pages of one record
    "apiclients:client-detail": ONE_RECORD + " (and its keys: key material stays off files)",
    "contracts:contract-detail": ONE_RECORD,
    "contracts:effect-scenario-detail": ONE_RECORD,
    "contracts:tariff-detail": ONE_RECORD + " (its versions)",
    "monitoring:dialogue-detail": ONE_RECORD,
    "monitoring:regionkpi-detail": ONE_RECORD,
    "procurement:framework-detail": ONE_RECORD,
    "procurement:framework-strategies": ONE_RECORD + " (the framework's strategies)",
    "procurement:strategy-detail": ONE_RECORD,
    "procurement:strategy-conditions": ONE_RECORD + " (the strategy's conditions)",
    "procurement:tender-detail": ONE_RECORD,
    "procurement:tender-conditions": ONE_RECORD + " (the procedure's conditions)",
    "procurement:tender-setup": ONE_RECORD + " (the procedure's lots and criteria)",
    "procurement:submission-detail": ONE_RECORD,
    "procurement:qna": ONE_RECORD + " (the procedure's questions; published as a PDF nota)",
    "providers:provider-detail": ONE_RECORD,
    "reports:report-detail": ONE_RECORD + " (its versions; the report itself is a PDF)",
    "reports:report-html": "the report itself (its tables are in its PDF)",
    "segments:careform-detail": ONE_RECORD,
    "segments:municipality-detail": ONE_RECORD,
    "segments:supportprofile-detail": ONE_RECORD,
    "segments:region-detail": ONE_RECORD + " (the region's overview)",
    "segments:history": ONE_RECORD + " (its audit trail)",
    "users:user-detail": ONE_RECORD,
    "contracts:contract-settlement": "downloads as CSV through contracts:contract-settlement-csv",
    "monitoring:import-detail": "one batch; its errors download through import-errors-csv",
    "portal:dialogue": ONE_RECORD,
    "portal:procedure-detail": ONE_RECORD,
    "portal:procedure-submission": ONE_RECORD,
    # forms and matrices
    "contracts:effect-scenario-create": FORM,
    "contracts:effect-scenario-update": FORM,
    "procurement:submission-negotiation-outcome": FORM + " (the negotiated budgets and agreements)",
    "monitoring:norms": FORM + " (the norms per KPI and segment)",
    "monitoring:recalculations": FORM + " (recalculation requests)",
    "segments:participation-matrix": "a matrix of municipality × segment that is the page's "
    "picture (and its editor), not rows of records",
    "monitoring:import-create": "an upload form; its tables describe the file's columns (help)",
    "providers:screening-batch": FORM + " (the providers to choose for a batch of screenings)",
    "monitoring:signals-bulk": FORM + " (the confirmation of the signals chosen on the list, "
    "which downloads)",
    "notifications:list": "the user's own notifications, links to the records, not records",
    "search:results": "search hits are links to records whose lists download",
    "portal:production-upload": "an upload form; its tables describe the file's columns (help)",
}


def record_tables(html: str) -> int:
    """The tables of ``html`` with at least one row of records (two or more data cells; an
    empty table's "nothing yet" row is one cell across)."""
    from lxml import html as lxml_html

    if "<table" not in html:
        return 0
    tree = lxml_html.fromstring(html)
    return sum(
        1
        for table in tree.iter("table")
        if any(len(row.findall("td")) >= 2 for row in table.iter("tr"))
    )


def csv_links(html: str) -> list[str]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return [
        a.get("href") for a in tree.iter("a") if a.get("href") and "export=csv" in a.get("href")
    ]


def tables_without_downloads(client, urls) -> dict:
    """{page: why} for pages of ``urls`` ((name, url)) with a table of records and no working
    download; every download found is fetched (CSV and Excel, no formula)."""
    missing = {}
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a file (PDF, CSV, a document), not a page
        html = response.content.decode()
        if not record_tables(html):
            continue
        links = csv_links(html)
        if not links:
            missing.setdefault(name, url)
            continue
        if name in NO_DOWNLOAD:
            raise AssertionError(f"{name} offers downloads: take it off NO_DOWNLOAD")
        for link in links:
            check_download(client, link)
    return {name: url for name, url in missing.items() if name not in NO_DOWNLOAD}


def staff_urls(w):
    from tests.test_scoping_matrix import EXPECT, OK, ROLES

    superuser = ROLES.index("superuser")
    for name, kwargs, kind in pages(w):
        if EXPECT[kind][superuser] == OK:
            yield name, reverse(name, kwargs=kwargs)


def test_every_staff_page_with_a_table_of_records_offers_downloads(client, evil, users):
    client.force_login(users.superuser)
    missing = tables_without_downloads(client, staff_urls(evil))
    assert missing == {}, "\n".join(sorted(missing))


def test_a_page_that_loses_its_download_fails_the_inventory(client, evil, users, monkeypatch):
    from monitoring.imports.services import batch_create
    from monitoring.imports.views import ImportListView

    w = evil
    batch_create(
        region=w.region, kind="declaraties", file_format="csv", file_name="d.csv", file_size=1
    )
    client.force_login(users.superuser)
    url = reverse("monitoring:import-list", kwargs={"region": w.region.slug})
    assert tables_without_downloads(client, [("monitoring:import-list", url)]) == {}
    monkeypatch.setattr(ImportListView, "export_sheets", lambda self, context: {})
    assert tables_without_downloads(client, [("monitoring:import-list", url)]) == {
        "monitoring:import-list": url
    }
