"""The report PDF as it is read: each budget label on the line of its own value (a label that
wraps no longer shifts the values below it), and no KPI rows without data ("0 ÷ 0")."""

import io
import re

import pytest
from pypdf import PdfReader

from reports import content, render, services
from reports.models import ReportKind
from reports.periods import parse_period

pytestmark = pytest.mark.django_db


def layout_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


def municipal_snapshot(w) -> dict:
    """The municipal report of the third quarter of 2026, as stored."""
    report = services.report_ensure(
        region=w.region,
        kind=ReportKind.MUNICIPALITY,
        subject=w.municipality,
        period=parse_period("quarter", "2026-K3"),
    )
    return content.build_snapshot(report)


def test_each_budget_label_stands_next_to_its_own_value(monitoring_data):
    snapshot = municipal_snapshot(monitoring_data)
    # the municipal budget block with the labels of the demo (the second wraps in the PDF)
    snapshot["budget_share"] = {
        "year": 2026,
        "sentence": "Zin.",
        "through_label": "september 2026",
        "spent_text": "€ 14.566.693,91",
        "share": 46.5,
        "share_text": "46,5%",
        "region_budget": 56473473.02,
        "region_budget_text": "€ 56.473.473,02",
        "budget": 26286707.49,
        "budget_text": "€ 26.286.707,49",
        "pct": 55.4,
        "pct_text": "55,4%",
        "expected_pct_text": "75%",
    }
    lines = layout_lines(render.render_pdf(snapshot)[0])

    def line_of(label):
        [line] = [line for line in lines if line.startswith(label)]
        return line

    assert line_of("Gedeclareerd januari t/m september 2026").endswith("€ 14.566.693,91")
    assert line_of("Aandeel in het regionale budget").endswith("46,5%")
    assert line_of("Regionaal budget 2026").endswith("€ 56.473.473,02")
    assert line_of("Budget van de gemeente").endswith("€ 26.286.707,49")
    assert line_of("Besteed").startswith("Besteed 55,4%")


def test_the_board_summary_names_kpis_without_data_once(monitoring_data):
    # monitoring_data has no occupancy: the occupancy rate has no value (0 ÷ 0)
    w = monitoring_data
    report = services.report_ensure(
        region=w.region,
        kind=ReportKind.BOARD,
        subject=w.region,
        period=parse_period("year", "2026"),
    )
    snapshot = content.build_snapshot(report)
    empty = [k["label"] for k in snapshot["kpis"] if k["value"] is None and not k["small"]]
    assert "Bezettingsgraad (%)" in empty
    text = " ".join(layout_lines(render.render_pdf(snapshot)[0]))
    assert "0 bezette dagen ÷ 0 beschikbare" not in text
    assert f"Geen gegevens in deze maand: {', '.join(empty)}." in text


def test_the_municipal_report_shows_no_parts_of_a_kpi_without_data(monitoring_data):
    # every KPI is a row of the municipal report (with its dash), but a KPI without a value
    # this month shows no "0 ÷ 0" or "— ÷ —" parts under its label
    snapshot = municipal_snapshot(monitoring_data)
    empty = [k for k in snapshot["kpis"] if k["value"] is None and k["numerator_text"]]
    assert empty, [(k["label"], k["value"], k["numerator_text"]) for k in snapshot["kpis"]]
    with_value = [k for k in snapshot["kpis"] if k["value"] is not None and k["numerator_text"]]
    assert with_value
    text = " ".join(layout_lines(render.render_pdf(snapshot)[0]))
    for kpi in empty:
        assert kpi["label"] in text
        assert f"{kpi['numerator_text']} {kpi['numerator_label']} ÷" not in text
    assert f"{with_value[0]['numerator_text']} {with_value[0]['numerator_label']} ÷" in text
