"""How a report looks: a snapshot (``reports.content``) as a tagged PDF and as an HTML page.

Nothing here reads the database: the charts are drawn again from the snapshot's figures with
``monitoring.dashboards.charts``, so a stored snapshot renders to the same document. The PDF and
the page share the body template ``reports/document/_body.html``.

The PDF is written by WeasyPrint as a tagged PDF (``pdf_tags=True``) with its title, author
and language (``nl``) from the HTML; no resource is fetched from the network (only ``file:``
and ``data:`` URLs).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint.urls import URLFetcher

from monitoring.dashboards import charts

PDF_TEMPLATE = "reports/document/pdf.html"
#: chart sizes in the PDF (px at 96 dpi; the text column of A4 is about 620 px wide)
CHART_WIDTH = 620


def _dec(text):
    return None if text is None else Decimal(text)


def _date(text):
    return None if not text else date.fromisoformat(text)


def _pairs(series) -> list:
    return [(_date(m), _dec(v)) for m, v in series or []]


def _charts(doc: dict) -> dict:
    out = {"spend": None, "trends": [], "bar": None, "share": None}
    spend = doc.get("spend")
    if spend and spend.get("monthly"):
        out["spend"] = charts.spend_chart(
            _pairs(spend["monthly"]),
            budget=_dec(spend["budget"]),
            run_out=_date(spend["run_out"]),
            title=_("Besteding %(year)s van %(subject)s tegen het budget")
            % {"year": spend["year"], "subject": spend["subject_label"]},
            width=CHART_WIDTH,
            height=250,
        )
    for chart in doc.get("trend_charts") or []:
        out["trends"].append(
            {
                "label": chart["label"],
                "svg": charts.line_chart(
                    _pairs(chart["series"]),
                    title=_("%(kpi)s van %(subject)s, 12 maanden")
                    % {"kpi": chart["label"], "subject": chart["subject_label"]},
                    y_label=chart["label"],
                    series_label=chart["subject_label"],
                    unit=chart["unit"],
                    norm=_dec(chart["norm"]),
                    benchmark=_pairs(chart["benchmark"]) or None,
                    benchmark_label=chart["benchmark_label"] or None,
                    width=CHART_WIDTH,
                    height=240,
                ),
            }
        )
    share = doc.get("budget_share")
    if share and share.get("monthly") and share.get("spent") is not None:
        out["share"] = charts.spend_chart(
            _pairs(share["monthly"]),
            budget=_dec(share["budget"]),
            title=_("Besteding %(year)s van %(subject)s tegen het aandeel in het budget")
            % {"year": share["year"], "subject": doc["subject"]["name"]},
            width=CHART_WIDTH,
            height=230,
        )
    bar = doc.get("bar_chart")
    if bar and bar.get("bars"):
        out["bar"] = charts.bar_chart(
            [(label, _dec(value)) for label, value, _level in bar["bars"]],
            title=bar["title"],
            unit=bar["unit"],
            y_label=bar["label"],
            norm=_dec(bar["norm"]),
            levels=[level or None for _label, _value, level in bar["bars"]],
            width=CHART_WIDTH,
        )
    return out


def _has_figure(kpi: dict, doc: dict) -> bool:
    """In the board summary, a KPI with a value this month (or one hidden as a small count) is
    a row of the table; one without ("0 ÷ 0") is named once under the table instead. The other
    reports show every KPI with its dash, as their dashboards do."""
    if doc.get("kind") != "board":
        return True
    return kpi.get("value") is not None or bool(kpi.get("small"))


def _kpis(doc: dict) -> list[dict]:
    rows = []
    for kpi in doc.get("kpis") or []:
        if not _has_figure(kpi, doc):
            continue
        trend = _pairs(kpi["trend"])
        spark = None
        if any(v is not None for _m, v in trend):
            spark = charts.sparkline(
                [v for _m, v in trend],
                months=[m for m, _v in trend],
                unit=kpi["unit"],
                title=_("Trend %(kpi)s, 12 maanden") % {"kpi": kpi["label"]},
                width=96,
                height=24,
            )
        rows.append({**kpi, "spark": spark})
    return rows


def page_context(snapshot: dict) -> dict:
    """The context of the body template, from the snapshot alone."""
    with translation.override("nl"):
        generated = snapshot.get("generated_at")
        generated_at = datetime.fromisoformat(generated) if generated else None
        return {
            "doc": snapshot,
            "doc_kpis": _kpis(snapshot),
            "doc_kpis_empty": [
                k["label"] for k in snapshot.get("kpis") or [] if not _has_figure(k, snapshot)
            ],
            "doc_charts": _charts(snapshot),
            "doc_generated": generated_at,
            "document_title": snapshot.get("title", ""),
            "document_language": "nl",
        }


def render_html(snapshot: dict, template: str = PDF_TEMPLATE) -> str:
    with translation.override("nl"):
        return render_to_string(template, {**page_context(snapshot), "pdf": True})


def render_pdf(snapshot: dict) -> tuple[bytes, int]:
    """The report as a tagged A4 PDF; ``(pdf_bytes, page_count)``."""
    html = render_html(snapshot)
    document = weasyprint.HTML(
        string=html,
        base_url=str(settings.BASE_DIR / "static"),
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    ).render(pdf_tags=True)
    return document.write_pdf(pdf_tags=True), len(document.pages)
