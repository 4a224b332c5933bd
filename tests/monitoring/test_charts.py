"""The SVG charts: valid XML, accessible (title, desc, a tooltip per point), the expected
number of points, norm and budget lines, forecasts, links, escaping and deterministic output."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from core.ui import formatting
from monitoring.dashboards import charts

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    # an image, or a labelled group when its points are links (an image holds no links)
    has_links = root.find(f".//{SVG}a") is not None
    assert root.get("role") == ("group" if has_links else "img")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert "var(" not in str(svg)  # no CSS variables: the PDF renders it the same
    assert root.get("font-family") and root.get("font-size") == "11"
    return root


def desc(root) -> str:
    return root.find(f"{SVG}desc").text


def point_tips(root, shape="circle") -> list[str]:
    return [
        el.find(f"{SVG}title").text
        for el in root.iter(f"{SVG}{shape}")
        if el.find(f"{SVG}title") is not None
    ]


def months(n, start=1):
    return [date(2026, m, 1) for m in range(start, start + n)]


def test_format_value_in_dutch():
    assert formatting.format_value(D("1234567.5"), "euro") == "€ 1.234.567,50"
    assert formatting.format_value(D("-12.345"), "euro") == "-€ 12,35"
    assert formatting.format_value(D("2500000"), "euro", compact=True) == "€ 2,5 mln"
    assert formatting.format_value(D("45600"), "euro", compact=True) == "€ 45.600"
    assert formatting.format_value(D("12.50"), "procent") == "12,5%"
    assert formatting.format_value(D("28.0"), "dagen") == "28 dagen"
    assert formatting.format_value(D("1"), "dagen") == "1 dag"
    assert formatting.format_value(D("7.25"), "cijfer") == "7,3"
    assert formatting.format_value(1234, "aantal") == "1.234"
    assert formatting.format_value(None, "aantal") == "geen waarde"
    assert formatting.month_label(date(2026, 3, 1)) == "maart 2026"


def test_nice_scale():
    low, high, ticks = charts.nice_scale([3.0, 47.0])
    assert low == 0 and high == 50 and ticks == [0, 10, 20, 30, 40, 50]
    low, high, ticks = charts.nice_scale([0.0])
    assert (low, high) == (0, 1)
    low, high, _ticks = charts.nice_scale([-5.0, 20.0])
    assert low < 0 < high


def test_line_chart_points_norm_benchmark_forecast_and_links():
    series = list(zip(months(10), [D(20 + m) for m in range(10)], strict=True))
    series[4] = (series[4][0], None)  # a month without a figure: a gap, no point
    links = {m: f"/productie/?maand=2026-{m.month:02d}&a=1" for m, _v in series}
    svg = charts.line_chart(
        series,
        title="Wachttijd van Zorg A",
        y_label="Wachttijd (dagen)",
        unit="dagen",
        norm=D("28"),
        benchmark=[(m, D("25")) for m, _v in series],
        benchmark_label="Segment 1",
        forecast=[(date(2026, 11, 1), D("31")), (date(2026, 12, 1), D("32"))],
        links=links,
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Wachttijd van Zorg A"
    text = desc(root)
    assert "januari 2026 tot en met oktober 2026" in text
    assert "Norm: 28 dagen" in text and "Segment 1: 25 dagen in oktober 2026" in text
    assert "Prognose: november 2026 31 dagen; december 2026 32 dagen" in text
    assert "mei 2026 geen waarde" in text
    tips = point_tips(root)
    actual = [t for t in tips if not t.startswith("Prognose")]
    assert len(actual) == 9  # ten months, one without a figure
    assert "januari 2026: 20 dagen" in actual
    assert [t for t in tips if t.startswith("Prognose")] == [
        "Prognose november 2026: 31 dagen",
        "Prognose december 2026: 32 dagen",
    ]
    assert len(point_tips(root, "rect")) == 10  # benchmark markers are squares
    # the series is split at the gap: two solid polylines, plus benchmark and forecast
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline")]
    assert dashes.count(None) == 2 and "6 4" in dashes and "2 3" in dashes
    norm = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "8 4"]
    assert norm and norm[0].find(f"{SVG}title").text == "Norm 28 dagen"
    assert "Norm 28 dagen" in [t.text for t in root.iter(f"{SVG}text")]
    # every actual point is a link to its lines, with the query escaped in the markup
    anchors = list(root.iter(f"{SVG}a"))
    assert len(anchors) == 9
    assert anchors[0].get("href") == "/productie/?maand=2026-01&a=1"
    assert "&amp;a=1" in str(svg)
    # legend names every line
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Wachttijd (dagen)", "Norm", "Segment 1", "Prognose"} <= set(legend)


def test_line_chart_is_deterministic_and_escapes_text():
    series = [(date(2026, 1, 1), D("1")), (date(2026, 2, 1), D("2"))]
    one = charts.line_chart(series, title="A <b> & B", y_label="x", unit="aantal")
    two = charts.line_chart(series, title="A <b> & B", y_label="x", unit="aantal")
    assert one == two
    assert "<b>" not in one and "A &lt;b&gt; &amp; B" in one
    parse(one)
    other = charts.line_chart(series, title="Ander", y_label="x", unit="aantal")
    assert ET.fromstring(one).get("aria-labelledby") != ET.fromstring(other).get("aria-labelledby")


def test_line_chart_without_data():
    root = parse(charts.line_chart([], title="Leeg", y_label="x", unit="aantal"))
    assert desc(root) == "Geen gegevens."
    root = parse(
        charts.line_chart([(date(2026, 1, 1), None)], title="Leeg", y_label="x", unit="aantal")
    )
    assert "Geen waarden" in desc(root)


def test_bar_chart_levels_norm_and_links():
    svg = charts.bar_chart(
        [
            ("Zorg A", D("30")),
            ("Een aanbieder met een heel erg lange naam BV", D("12")),
            ("Zorg C", None),
        ],
        title="Wachttijd per contract",
        unit="dagen",
        norm=D("28"),
        levels=["red", "green", None],
        links=["/a?x=1", None, None],
    )
    root = parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 2  # no bar without a figure
    assert bars[0].get("fill") == charts.LEVEL_FILL["red"]
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "30 dagen · Rood" in words and "12 dagen · Groen" in words  # never colour alone
    assert "geen waarde" in words
    assert any(w and w.endswith("…") for w in words)  # a long name is shortened ...
    assert "Een aanbieder met een heel erg lange naam BV: 12 dagen (Groen)" in desc(root)
    assert "Norm: 28 dagen" in desc(root)
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/a?x=1"]


def test_sparkline():
    values = [D("1"), D("3"), None, D("2")]
    root = parse(charts.sparkline(values, title="Trend", unit="aantal", months=months(4)))
    assert len(point_tips(root)) == 3
    assert "eerst 1 (januari 2026), laagste 1, hoogste 3, laatst 2 (april 2026)" in desc(root)
    root = parse(charts.sparkline([None, None], title="Trend", unit="aantal"))
    assert "Geen waarden" in desc(root)


def test_sparkline_names_its_first_and_last_month_under_a_baseline():
    values = [D("1"), D("3"), None, D("2")]
    root = parse(
        charts.sparkline(
            values,
            title="Trend",
            unit="aantal",
            months=[date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)],
            height=34,
        )
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["nov '26", "feb '27"]
    assert root.get("height") == "46"  # 34 for the line, 12 for the months
    baseline = root.find(f".//{SVG}line")
    assert baseline.get("y1") == baseline.get("y2") == "34"
    # every point stays above the baseline
    assert all(float(c.get("cy")) < 34 for c in root.iter(f"{SVG}circle"))
    # without months there is nothing to name: the line alone
    root = parse(charts.sparkline(values, title="Trend", unit="aantal", height=34))
    assert not list(root.iter(f"{SVG}text")) and root.get("height") == "34"


def test_spend_chart_forecast_budget_and_run_out():
    monthly = [(m, D("100000")) for m in months(10)]
    links = {m: f"/productie/?maand=2026-{m.month:02d}" for m, _a in monthly}
    svg = charts.spend_chart(monthly, budget=D("1100000"), title="Besteding", links=links)
    root = parse(svg)
    text = desc(root)
    assert "tot en met oktober 2026: € 1.000.000,00" in text
    assert "Budget € 1.100.000,00; besteed 90,9%" in text
    assert "Prognose eind december bij het huidige tempo: € 1.200.000,00" in text
    assert "budget op in november 2026" in text
    tips = point_tips(root)
    assert len([t for t in tips if t.startswith("T/m")]) == 10
    assert "T/m maart 2026: € 300.000,00 (in de maand € 100.000,00)" in tips
    forecast = [t for t in tips if t.startswith("Prognose")]
    assert forecast == [
        "Prognose t/m november 2026: € 1.100.000,00",
        "Prognose t/m december 2026: € 1.200.000,00",
    ]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Budget € 1.100.000,00" in labels and "Budget op: november 2026" in labels
    assert len(list(root.iter(f"{SVG}a"))) == 10
    assert len([t for t in labels if t in ("jan '26", "feb", "dec")]) == 3  # the whole year


def test_spend_chart_within_budget_and_without_budget():
    monthly = [(m, D("1000")) for m in months(3)]
    root = parse(charts.spend_chart(monthly, budget=D("100000"), title="Besteding"))
    assert "toereikend" in desc(root)
    assert not [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Budget op")]
    root = parse(charts.spend_chart(monthly, budget=None, title="Besteding"))
    assert "Geen budget of plafond" in desc(root)
    root = parse(charts.spend_chart([], budget=D("5"), title="Besteding"))
    assert "Nog geen declaraties" in desc(root)


def test_spend_forecast_and_cumulative():
    monthly = [(date(2026, 1, 1), D("10")), (date(2026, 2, 1), D("30"))]
    assert charts.cumulative(monthly) == [(date(2026, 1, 1), D("10")), (date(2026, 2, 1), D("40"))]
    forecast = charts.spend_forecast(monthly)
    assert forecast[0] == (date(2026, 3, 1), D("60.00"))
    assert forecast[-1] == (date(2026, 12, 1), D("240.00"))


def test_charts_render_in_weasyprint():
    """The PDF reports of the next issue embed the SVG inline."""
    weasyprint = pytest.importorskip("weasyprint")
    svg = charts.spend_chart([(m, D("100")) for m in months(4)], budget=D("1000"), title="B")
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
