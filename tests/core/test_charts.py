"""The shared SVG charts (core.ui.charts): valid XML, an accessible name and description,
and marks whose sizes and texts follow the figures."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from core.ui import charts

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    return root


def title(root) -> str:
    return root.find(f"{SVG}title").text


def desc(root) -> str:
    return root.find(f"{SVG}desc").text


def test_budget_bars_are_cumulative_and_scaled_to_the_budget():
    monthly = [(date(2026, m, 1), D("4721.00")) for m in (1, 2, 3)]
    root = parse(charts.budget_bars_chart(monthly, title="Per maand", budget=D("100000")))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("data-value")]
    assert [D(b.get("data-value")) for b in bars] == [D("4721.00"), D("9442.00"), D("14163.00")]
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(3 * heights[0], abs=0.2)
    assert "maart 2026: € 4.721,00, t/m de maand € 14.163,00" in desc(root)
    assert "Budget € 100.000,00; besteed 14,2%." in desc(root)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Budget € 100.000,00" in texts and "jan '26" in texts and "mrt" in texts


def test_timeline_bars_end_at_their_dates():
    rows = [
        ("Publicatie", date(2026, 1, 1), date(2026, 1, 1)),
        ("Sluiting vragenronde", date(2026, 1, 21), date(2026, 1, 31)),
        ("Sluiting inschrijving", date(2026, 3, 1), None),
    ]
    root = parse(charts.timeline_chart(rows, title="Tijdlijn", today=date(2026, 2, 11)))
    bars = {
        (r.get("data-kind"), r.get("data-date")): float(r.get("width"))
        for r in root.iter(f"{SVG}rect")
        if r.get("data-kind")
    }
    # 01-01 to 01-03 (the last date) is 59 days over 640 - 190 - 24 = 426 px
    assert bars[("planned", "2026-01-21")] == pytest.approx(426 * 20 / 59, abs=0.1)
    assert bars[("actual", "2026-01-31")] == pytest.approx(426 * 30 / 59, abs=0.1)
    assert ("actual", "2026-03-01") not in bars and ("planned", "2026-03-01") in bars
    text = desc(root)
    assert "Sluiting vragenronde: gepland 21-01-2026, werkelijk 31-01-2026 (10 dagen later)" in text
    assert text.endswith("Sluiting inschrijving: gepland 01-03-2026.")
    assert "Vandaag 11-02-2026" in [t.text for t in root.iter(f"{SVG}title")]
    # a today long after the last date is left out: it would squash the bars
    late = parse(charts.timeline_chart(rows, title="Tijdlijn", today=date(2030, 1, 1)))
    assert "Vandaag" not in "".join(t.text or "" for t in late.iter(f"{SVG}text"))
    assert "(nog niet bereikt, later dan gepland)" in desc(late)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels.index("Publicatie") < labels.index("Sluiting vragenronde")


def test_strip_chart_places_each_score_and_the_median():
    rows = [("Kwaliteit", [D("8"), D("6"), D("8"), None]), ("Prijs", [])]
    root = parse(charts.strip_chart(rows, title="Spreiding", scale_max=10))
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("data-value")]
    assert sorted(D(c.get("data-value")) for c in dots) == [D("6"), D("8"), D("8")]
    # 0..10 over 640 - 190 - 24 = 426 px: score 8 at 190 + 340,8
    xs = sorted({float(c.get("cx")) for c in dots})
    assert xs == [pytest.approx(190 + 426 * 0.6, abs=0.1), pytest.approx(190 + 426 * 0.8, abs=0.1)]
    # two equal scores do not hide each other
    eights = [c for c in dots if c.get("data-value") == "8"]
    assert eights[0].get("cy") != eights[1].get("cy")
    text = desc(root)
    assert "Kwaliteit: 3 scores, laagste 6, mediaan 8, hoogste 8" in text
    assert "Prijs: nog geen scores" in text


def test_bar_chart_draws_negative_differences_left_of_zero():
    root = parse(
        charts.bar_chart([("A", D("-63.00")), ("B", D("216.30"))], title="Effect", unit="euro")
    )
    assert title(root) == "Effect"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    a, b = bars
    assert float(a.get("x")) + float(a.get("width")) == pytest.approx(float(b.get("x")), abs=0.1)
    assert "A: -€ 63,00; B: € 216,30" in desc(root)
