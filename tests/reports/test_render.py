"""How a report looks: the PDF made by the task names the provider and the period and shows
every KPI value exactly as the provider dashboard does for that month; it is a tagged A4 PDF
with its title and language and "Pagina X van Y"; a stored snapshot renders again to the same
text; the municipal PDF hides small counts; the HTML page shows the same report."""

import io
import json
import re
from datetime import date

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from pypdf import PdfReader

from monitoring.models import Grain, KpiRollup
from reports import content, render, services
from reports.models import ReportKind, ReportStatus
from reports.periods import parse_period

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)


def pdf_text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), reader


def generate(w, kind, obj, code, django_capture_on_commit_callbacks):
    cadence = {"provider": "month", "segment": "quarter", "municipality": "quarter"}.get(
        kind, "year"
    )
    report = services.report_ensure(
        region=w.region, kind=kind, subject=obj, period=parse_period(cadence, code)
    )
    with django_capture_on_commit_callbacks(execute=True):
        version, created = services.report_version_request(report=report)
    assert created
    version.refresh_from_db()
    assert version.status == ReportStatus.READY, version.error
    return report, version


@pytest.fixture
def red_october(monitoring_data):
    w = monitoring_data
    KpiRollup.objects.filter(region=w.region, month=OCT).exclude(grain=Grain.REGION).update(
        wait_days=450
    )
    return w


def test_the_pdf_shows_the_provider_the_period_and_the_dashboards_kpi_values(
    client, users, red_october, django_capture_on_commit_callbacks
):
    w = red_october
    report, version = generate(
        w, ReportKind.PROVIDER, w.provider, "2026-10", django_capture_on_commit_callbacks
    )
    with version.file.open("rb") as f:
        text, reader = pdf_text(f.read())
    client.force_login(users.officer)
    url = reverse("monitoring:provider", args=[w.region.slug, w.provider.pk]) + "?maand=2026-10"
    tiles = client.get(url).context["tiles"]
    assert len(tiles) >= 10
    assert w.provider.name in text
    assert "oktober 2026" in text
    assert "Aanbiedersrapportage" in text
    for tile in tiles:
        # the row of each KPI: its label followed (after its parts) by the dashboard's value
        assert tile.figure.text in text, tile.kpi
        pattern = re.escape(tile.label) + r".{0,160}?" + re.escape(tile.figure.text)
        assert re.search(pattern, text), (tile.kpi, tile.figure.text)
        if tile.level:
            assert re.search(pattern + r" \W? ?" + tile.level_label, text), tile.kpi
    assert "45 dagen" in text and "Rood" in text  # the red wait time, in words
    assert version.pages == len(reader.pages) and 3 <= version.pages <= 8
    assert version.snapshot["kpis"][0]["text"] == tiles[0].figure.text


def test_the_pdf_is_tagged_a4_with_title_language_and_page_numbers(
    red_october, django_capture_on_commit_callbacks
):
    w = red_october
    report = services.report_ensure(
        region=w.region,
        kind=ReportKind.PROVIDER,
        subject=w.provider,
        period=parse_period("month", "2026-10"),
    )
    snapshot = content.build_snapshot(report)
    pdf, pages = render.render_pdf(snapshot)
    text, reader = pdf_text(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == snapshot["title"]
    assert reader.metadata.author == (w.region.contracting_authority or w.region.name)
    assert pages == len(reader.pages)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    for n in range(2, pages + 1):
        assert f"Pagina {n} van {pages}" in text
    assert f"Pagina 1 van {pages}" in text


def test_a_stored_snapshot_renders_again_to_the_same_text(red_october):
    w = red_october
    for kind, obj, code in (
        (ReportKind.PROVIDER, w.provider, "2026-10"),
        (ReportKind.SEGMENT, w.segment, "2026-K3"),
        (ReportKind.MUNICIPALITY, w.municipality, "2026-K3"),
        (ReportKind.BOARD, w.region, "2026"),
    ):
        cadence = {"provider": "month", "board": "year"}.get(kind, "quarter")
        report = services.report_ensure(
            region=w.region, kind=kind, subject=obj, period=parse_period(cadence, code)
        )
        snapshot = content.build_snapshot(report)
        stored = json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))
        first, pages = render.render_pdf(snapshot)
        # the figures change afterwards: the stored snapshot still renders the old document
        KpiRollup.objects.filter(region=w.region).update(amount=1)
        again, pages_again = render.render_pdf(stored)
        assert pdf_text(first)[0] == pdf_text(again)[0], kind
        assert pages == pages_again
        KpiRollup.objects.filter(region=w.region).update(amount=10000)


def test_every_kind_renders_with_its_sections(red_october):
    w = red_october
    expected = {
        ReportKind.PROVIDER: (
            w.provider,
            "2026-10",
            [
                "Kengetallen in oktober 2026",
                "Contracten",
                "Open signalen",
                "Afspraken en escalatie",
            ],
        ),
        ReportKind.SEGMENT: (
            w.segment,
            "2026-K3",
            ["3e kwartaal 2026", "Per maand", "Cijfers per contract in september 2026"],
        ),
        ReportKind.MUNICIPALITY: (
            w.municipality,
            "2026-K3",
            ["Per segment in het kwartaal", "Per aanbieder in het kwartaal"],
        ),
        ReportKind.BOARD: (
            w.region,
            "2026",
            [
                "Bestuurlijke samenvatting",
                "Per segment",
                "Aanbieders met het hoogste risico",
                "Escalaties in 2026",
            ],
        ),
    }
    for kind, (obj, code, phrases) in expected.items():
        cadence = {"provider": "month", "board": "year"}.get(kind, "quarter")
        report = services.report_ensure(
            region=w.region, kind=kind, subject=obj, period=parse_period(cadence, code)
        )
        snapshot = content.build_snapshot(report)
        pdf, pages = render.render_pdf(snapshot)
        text, _reader = pdf_text(pdf)
        for phrase in [*phrases, "Samenvatting", "Definities en verantwoording"]:
            assert phrase in text, (kind, phrase)
        assert pages <= 8, kind


def test_the_municipal_pdf_hides_small_counts(monitoring_data):
    w = monitoring_data
    KpiRollup.objects.filter(
        region=w.region,
        grain__in=[Grain.MUNICIPALITY, Grain.SEGMENT_MUNICIPALITY, Grain.PROVIDER_MUNICIPALITY],
    ).update(youths=3, trajectories_active=2)
    report = services.report_ensure(
        region=w.region,
        kind=ReportKind.MUNICIPALITY,
        subject=w.municipality,
        period=parse_period("quarter", "2026-K3"),
    )
    text, _reader = pdf_text(render.render_pdf(content.build_snapshot(report))[0])
    assert "< 5" in text
    assert "Kleine aantallen zijn afgeschermd" in text
    assert "€ 3.333" not in text and "€ 30.000,00" not in text


def test_no_data_gives_an_honest_pdf(monitoring_data):
    w = monitoring_data
    report = services.report_ensure(
        region=w.region,
        kind=ReportKind.PROVIDER,
        subject=w.provider,
        period=parse_period("month", "2024-05"),
    )
    text, _reader = pdf_text(render.render_pdf(content.build_snapshot(report))[0])
    assert "Er zijn geen productiegegevens van" in text and "mei 2024" in text
    assert "Kengetallen in" not in text
    assert "€ 10.000,00" not in text


def test_the_html_page_shows_the_same_report(
    client, users, red_october, django_capture_on_commit_callbacks
):
    w = red_october
    report, version = generate(
        w, ReportKind.PROVIDER, w.provider, "2026-10", django_capture_on_commit_callbacks
    )
    client.force_login(users.officer)
    response = client.get(reverse("reports:report-html", args=[w.region.slug, report.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>" + w.provider.name in body.replace("\n", "")
    for kpi in version.snapshot["kpis"]:
        assert f'<td class="num rpt-value">{kpi["text"]}</td>' in body.replace("&lt;", "<")
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in body  # the charts
    assert 'scope="col"' in body and 'scope="row"' in body
    assert "light--red" in body and "Rood" in body
