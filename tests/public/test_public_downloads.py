"""The public pages' tables download as CSV and Excel (a council reads the outcomes in a
spreadsheet): small cells suppressed exactly as on the page, no totals, no formula, and a
download never lands in the page cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.test_exports import check_download, csv_rows, record_tables, xlsx_cells

pytestmark = pytest.mark.django_db


def url(name, region):
    return reverse(name, kwargs={"region": region.slug})


def test_the_outcomes_download_suppresses_small_cells_as_the_page(client, public_world, world_a):
    page = url("public:outcomes", world_a.region)
    body = client.get(page, {"periode": "2026-03"}).content.decode()
    link = f"{page}?periode=2026-03&amp;export=csv&amp;tabel=aanbieders"
    assert link in body  # the link keeps the page's period
    rows = csv_rows(
        client.get(page, {"periode": "2026-03", "export": "csv", "tabel": "aanbieders"})
    )
    header, *lines = rows
    assert header[:2] == ["Aanbieder", "Jeugdigen"]
    by_name = {line[0]: line for line in lines}
    # 10 youths at threshold 10: shown, the mean goal realisation 70% as a number
    assert by_name["Zorg A Dichtbij"][1] == "10"
    assert by_name["Zorg A Dichtbij"][3] in ("70", "70,0", "70,00", "0,7", "0,70")
    # 9 youths: no figure at all, as on the page; no total row that gives the 9 away
    assert by_name["Zorg A Veraf"][1:] == ["te weinig jeugdigen"] * 4
    assert "19" not in [c for line in lines for c in line]
    assert len(lines) == len(by_name)
    cells = [
        c.value
        for c in xlsx_cells(
            client.get(page, {"periode": "2026-03", "export": "xlsx", "tabel": "aanbieders"})
        )
    ]
    assert 9 not in cells and "te weinig jeugdigen" in cells
    # the threshold lowered to 5: the 9 shows in the download too
    from segments.services import region_public_page_set

    region_public_page_set(region=world_a.region, enabled=True, min_cell=5)
    rows = csv_rows(
        client.get(page, {"periode": "2026-03", "export": "csv", "tabel": "aanbieders"})
    )
    assert {line[0]: line for line in rows[1:]}["Zorg A Veraf"][1] == "9"


def test_a_download_does_not_poison_the_page_cache(client, public_world, world_a):
    cache.clear()
    page = url("public:contracts", world_a.region)
    download = client.get(page, {"export": "csv", "tabel": "contracten", "x": '"><script>'})
    assert download["Content-Type"].startswith("text/csv")
    html = client.get(page)
    assert html["Content-Type"].startswith("text/html")
    body = html.content.decode()
    assert "<table" in body and f"{page}?export=csv&amp;tabel=contracten" in body
    # the links (part of the cached content) are built from the page's own parameters, never
    # from the request's: another visitor's query does not end up in everyone's links
    cache.clear()
    client.get(page, {"x": "gift"})
    body = client.get(page).content.decode()
    links = [part.split('"')[0] for part in body.split('href="')[1:] if "export=" in part]
    assert links and not [link for link in links if "gift" in link]


def test_every_public_page_with_a_table_offers_a_working_download(client, public_world, world_a):
    from tests.test_scoping_matrix import public_pages

    for name, kwargs in public_pages(world_a):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        if not response["Content-Type"].startswith("text/html"):
            continue
        body = response.content.decode()
        if not record_tables(body):
            continue
        links = [
            part.split('"')[0].replace("&amp;", "&")
            for part in body.split('href="')[1:]
            if "export=csv" in part.split('"')[0]
        ]
        assert links, name
        for link in links:
            check_download(client, link)


def test_an_unknown_table_is_a_404_and_a_closed_region_has_no_download(
    client, public_world, world_a, world_b
):
    page = url("public:outcomes", world_a.region)
    assert client.get(page, {"export": "csv", "tabel": "geheim"}).status_code == 404
    closed = url("public:contracts", world_b.region)
    assert client.get(closed, {"export": "csv", "tabel": "contracten"}).status_code == 404
