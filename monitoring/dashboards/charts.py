"""Server-side SVG charts for the monitoring dashboards (and the PDF reports that reuse them).

Every function is pure: figures in, an SVG string out (marked safe for templates; every text
and link that goes in is escaped). No JavaScript, no CSS classes or variables the chart depends
on: colours, fonts and sizes are presentation attributes, so WeasyPrint renders the same chart
as the browser. Output is deterministic, so it can be compared in tests.

Accessibility: ``role="img"`` (``role="group"`` when its points are links: an image holds no
links) with a ``<title>`` (the chart's name) and a ``<desc>`` that says
the figures in words; every data point has its own ``<title>`` tooltip and, when a link is given,
is a link to the lines the figure is made of. Meaning never rests on colour alone: the norm is a
labelled dashed line, the benchmark a dotted line with square markers, a forecast a dashed line
with open markers, and the legend names each of them.

Months are first-of-month ``date``s; values are ``Decimal`` (or anything ``float()`` takes) or
``None`` for "no figure" (a gap in the line).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.ui.charts import (  # noqa: F401 (building blocks used here, re-exported for callers)
    BENCHMARK,
    BUDGET,
    FONT,
    GRID,
    INK,
    LEVEL_FILL,
    MUTED,
    NORM,
    SERIES,
    UNITS,
    _background,
    _budget_line,
    _budget_words,
    _euro_grid,
    _f,
    _label,
    _legend,
    _link,
    _links_for,
    _month_tick,
    _nice_step,
    _num,
    _points_path,
    _safe,
    _sample_line,
    _svg_open,
    _text_width,
    _uid,
    nice_scale,
)
from core.ui.charts import bar_chart as _bar_chart
from core.ui.formatting import format_value, month_label, short_month


def _level_word(level: str) -> str:
    from monitoring.steering.models import Level

    return str(Level(level).label)


# --- line chart ----------------------------------------------------------------------------------


def line_chart(
    series: Sequence[tuple[date, object]],
    *,
    title: str,
    y_label: str,
    unit: str,
    width: int = 640,
    height: int = 260,
    norm=None,
    benchmark: Sequence[tuple[date, object]] | None = None,
    benchmark_label: str | None = None,
    forecast: Sequence[tuple[date, object]] | None = None,
    links: Mapping[date, str] | Sequence[str | None] | None = None,
    series_label: str | None = None,
    uid: str | None = None,
) -> SafeString:
    """Months on x, the figure on y: one line with a marker (and tooltip, and link) per month.

    ``norm``: a horizontal dashed line labelled "Norm …". ``benchmark``: a second, dotted line
    with square markers (e.g. the segment's value per month). ``forecast``: months after the
    series, drawn dashed with open markers, joined to the last actual figure. ``links``: per
    month (a mapping) or per point (a list) the URL of the lines behind the figure.
    """
    series = list(series)
    forecast = list(forecast or [])
    benchmark = list(benchmark or [])
    months = sorted(
        {m for m, _v in series} | {m for m, _v in forecast} | {m for m, _v in benchmark}
    )
    uid = uid or _uid("lc", title, series, forecast, benchmark, norm)
    series_label = series_label or y_label
    benchmark_label = benchmark_label or _("Vergelijking")

    values = [_num(v) for _m, v in series + forecast + benchmark if v is not None]
    if norm is not None:
        values.append(float(norm))
    low, high, ticks = nice_scale(values or [0.0])

    left, right, top, bottom = 64, 16, 14, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    index = {m: i for i, m in enumerate(months)}

    def x_of(month: date) -> float:
        if len(months) <= 1:
            return left + plot_w / 2
        return left + plot_w * index[month] / (len(months) - 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    desc = _line_desc(series, unit, y_label, norm, benchmark, benchmark_label, forecast)
    out = [_svg_open(uid, width, height, title, desc), _background(width, height)]
    # grid and y axis labels
    out.append('<g aria-hidden="true">')
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{escape(format_value(tick, unit, compact=True))}</text>"
        )
    out.append(
        f'<text x="12" y="{_f(top + plot_h / 2)}" text-anchor="middle" fill="{MUTED}" '
        f'transform="rotate(-90 12 {_f(top + plot_h / 2)})">{escape(y_label)}</text>'
    )
    # x axis labels: at most ~12, always the first and the last
    every = max(1, math.ceil(len(months) / 12))
    for i, month in enumerate(months):
        if i % every and i != len(months) - 1:
            continue
        with_year = i == 0 or month.month == 1
        out.append(_month_tick(x_of(month), top + plot_h + 16, month, with_year))
    out.append("</g>")

    legend = [(_sample_line(SERIES), series_label)]
    labels = []  # drawn last, on top of the lines
    # norm
    if norm is not None:
        y = y_of(float(norm))
        norm_text = _("Norm %(value)s") % {"value": format_value(norm, unit)}
        out.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" stroke="{NORM}" '
            f'stroke-width="1.5" stroke-dasharray="8 4"><title>{escape(norm_text)}</title></line>'
        )
        labels.append(_label(left + 4, y - 5, norm_text, NORM))
        legend.append((_sample_line(NORM, "8 4", marker=""), _("Norm")))
    # benchmark
    if benchmark:
        pts = [(x_of(m), y_of(_num(v))) if v is not None else None for m, v in benchmark]
        for run in _points_path(pts):
            out.append(
                f'<polyline points="{run}" fill="none" stroke="{BENCHMARK}" stroke-width="1.5" '
                f'stroke-dasharray="2 3"/>'
            )
        for month, value in benchmark:
            if value is None:
                continue
            x, y = x_of(month), y_of(_num(value))
            tip = f"{benchmark_label}, {month_label(month)}: {format_value(value, unit)}"
            out.append(
                f'<rect x="{_f(x - 3)}" y="{_f(y - 3)}" width="6" height="6" fill="#ffffff" '
                f'stroke="{BENCHMARK}" stroke-width="1.5"><title>{escape(tip)}</title></rect>'
            )
        legend.append((_sample_line(BENCHMARK, "2 3", "square", hollow=True), benchmark_label))
    # forecast: dashed, from the last actual figure on
    if forecast:
        last = next(((m, v) for m, v in reversed(series) if v is not None), None)
        chain = ([last] if last else []) + [(m, v) for m, v in forecast]
        pts = [(x_of(m), y_of(_num(v))) if v is not None else None for m, v in chain]
        for run in _points_path(pts):
            out.append(
                f'<polyline points="{run}" fill="none" stroke="{SERIES}" stroke-width="2" '
                f'stroke-dasharray="6 4"/>'
            )
        for month, value in forecast:
            if value is None:
                continue
            x, y = x_of(month), y_of(_num(value))
            tip = _("Prognose %(month)s: %(value)s") % {
                "month": month_label(month),
                "value": format_value(value, unit),
            }
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="#ffffff" stroke="{SERIES}" '
                f'stroke-width="1.5"><title>{escape(tip)}</title></circle>'
            )
        legend.append((_sample_line(SERIES, "6 4", hollow=True), _("Prognose")))
    # the series itself
    pts = [(x_of(m), y_of(_num(v))) if v is not None else None for m, v in series]
    for run in _points_path(pts):
        out.append(
            f'<polyline points="{run}" fill="none" stroke="{SERIES}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
    for (month, value), href in zip(
        series, _links_for(links, [m for m, _v in series]), strict=True
    ):
        if value is None:
            continue
        x, y = x_of(month), y_of(_num(value))
        tip = f"{month_label(month)}: {format_value(value, unit)}"
        circle = (
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4" fill="{SERIES}" stroke="#ffffff" '
            f'stroke-width="1"><title>{escape(tip)}</title></circle>'
        )
        out.append(_link(href, circle, tip))
    out.extend(labels)
    out.append(_legend(legend, left, height - 14))
    out.append("</svg>")
    return _safe(out)


def _line_desc(series, unit, y_label, norm, benchmark, benchmark_label, forecast) -> str:
    known = [(m, v) for m, v in series if v is not None]
    if not series:
        return _("Geen gegevens.")
    parts = [
        _("%(what)s per maand, %(first)s tot en met %(last)s.")
        % {"what": y_label, "first": month_label(series[0][0]), "last": month_label(series[-1][0])}
    ]
    if known:
        low = min(known, key=lambda p: p[1])
        high = max(known, key=lambda p: p[1])
        parts.append(
            _(
                "Laatste waarde %(month)s: %(value)s. Laagste %(low)s (%(low_month)s), hoogste "
                "%(high)s (%(high_month)s)."
            )
            % {
                "month": month_label(known[-1][0]),
                "value": format_value(known[-1][1], unit),
                "low": format_value(low[1], unit),
                "low_month": month_label(low[0]),
                "high": format_value(high[1], unit),
                "high_month": month_label(high[0]),
            }
        )
    else:
        parts.append(_("Geen waarden in deze periode."))
    if norm is not None:
        parts.append(_("Norm: %(value)s.") % {"value": format_value(norm, unit)})
    if benchmark:
        last = next(((m, v) for m, v in reversed(benchmark) if v is not None), None)
        if last:
            parts.append(
                _("%(label)s: %(value)s in %(month)s.")
                % {
                    "label": benchmark_label,
                    "value": format_value(last[1], unit),
                    "month": month_label(last[0]),
                }
            )
    if forecast:
        parts.append(
            _("Prognose: %(values)s.")
            % {
                "values": "; ".join(
                    f"{month_label(m)} {format_value(v, unit)}" for m, v in forecast
                )
            }
        )
    parts.append(
        _("Alle waarden: %(values)s.")
        % {"values": "; ".join(f"{month_label(m)} {format_value(v, unit)}" for m, v in series)}
    )
    return " ".join(parts)


# --- bar chart -----------------------------------------------------------------------------------


def bar_chart(bars, **kwargs) -> SafeString:
    """Horizontal bars (``core.ui.charts.bar_chart``), the levels named by their word."""
    return _bar_chart(bars, level_word=_level_word, **kwargs)


# --- sparkline -----------------------------------------------------------------------------------


def sparkline(
    values: Sequence[object],
    *,
    title: str,
    unit: str,
    months: Sequence[date] | None = None,
    width: int = 120,
    height: int = 32,
    uid: str | None = None,
    month_labels: bool = True,
) -> SafeString:
    """A small trend line; the last figure is marked. With ``month_labels`` (and months) a thin
    baseline under the line names the first and the last month (the chart grows by 12 px), so
    the reader sees which months the trend covers. The description names the first, lowest,
    highest and last figures."""
    values = list(values)
    months = list(months) if months is not None else [None] * len(values)
    uid = uid or _uid("sp", title, values, months)
    known = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]

    def when(month):
        return month_label(month) if month else ""

    if known:
        low = min(known, key=lambda p: p[1])
        high = max(known, key=lambda p: p[1])
        desc = _(
            "Trend over %(count)s maanden: eerst %(first)s%(first_when)s, laagste %(low)s, "
            "hoogste %(high)s, laatst %(last)s%(last_when)s."
        ) % {
            "count": len(values),
            "first": format_value(known[0][1], unit),
            "first_when": f" ({when(known[0][0])})" if known[0][0] else "",
            "low": format_value(low[1], unit),
            "high": format_value(high[1], unit),
            "last": format_value(known[-1][1], unit),
            "last_when": f" ({when(known[-1][0])})" if known[-1][0] else "",
        }
    else:
        desc = _("Geen waarden in deze periode.")
    axis = month_labels and bool(months) and months[0] is not None and months[-1] is not None
    plot_height = height
    if axis:
        height += 12
    out = [_svg_open(uid, width, height, title, desc)]
    if axis:
        first, last = months[0], months[-1]
        out.append(
            f'<g aria-hidden="true" font-size="9" fill="{MUTED}">'
            f'<line x1="2" y1="{plot_height}" x2="{width - 2}" y2="{plot_height}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="2" y="{height - 1}" text-anchor="start" class="sparkline__first">'
            f"{escape(short_month(first, True))}</text>"
            f'<text x="{width - 2}" y="{height - 1}" text-anchor="end" class="sparkline__last">'
            f"{escape(short_month(last, True))}</text></g>"
        )
    nums = [_num(v) for v in values if v is not None]
    if nums:
        low_v, high_v = min(nums), max(nums)
        if high_v == low_v:
            low_v, high_v = low_v - 1, high_v + 1
        pad = 4

        def x_of(i):
            return pad if len(values) <= 1 else pad + (width - 2 * pad) * i / (len(values) - 1)

        def y_of(v):
            return pad + (plot_height - 2 * pad) * (1 - (v - low_v) / (high_v - low_v))

        pts = [(x_of(i), y_of(_num(v))) if v is not None else None for i, v in enumerate(values)]
        for run in _points_path(pts):
            out.append(
                f'<polyline points="{run}" fill="none" stroke="{SERIES}" stroke-width="1.5" '
                f'stroke-linejoin="round"/>'
            )
        for i, value in enumerate(values):
            if value is None:
                continue
            x, y = pts[i]
            last = i == max(j for j, v in enumerate(values) if v is not None)
            tip = f"{when(months[i]) + ': ' if months[i] else ''}{format_value(value, unit)}"
            radius = "2.5" if last else "1.2"
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{radius}" fill="{SERIES}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append("</svg>")
    return _safe(out)


# --- spend against budget ------------------------------------------------------------------------


def cumulative(monthly: Sequence[tuple[date, object]]) -> list[tuple[date, Decimal]]:
    total, out = Decimal(0), []
    for month, amount in monthly:
        total += Decimal(str(amount or 0))
        out.append((month, total))
    return out


def spend_forecast(monthly: Sequence[tuple[date, object]]) -> list[tuple[date, Decimal]]:
    """Cumulative spending for the rest of the year at the average monthly rate so far."""
    if not monthly:
        return []
    through = monthly[-1][0]
    spent = cumulative(monthly)[-1][1]
    rate = spent / through.month
    return [
        (date(through.year, m, 1), (spent + rate * (m - through.month)).quantize(Decimal("0.01")))
        for m in range(through.month + 1, 13)
    ]


def spend_chart(
    monthly: Sequence[tuple[date, object]],
    *,
    budget=None,
    title: str,
    width: int = 640,
    height: int = 260,
    run_out: date | None = None,
    links: Mapping[date, str] | Sequence[str | None] | None = None,
    uid: str | None = None,
) -> SafeString:
    """Cumulative spending from January through the last month given, the forecast to December
    at the year's average monthly rate (dashed), the budget as a labelled horizontal line and,
    when the forecast passes it, the month the budget runs out.

    ``monthly``: the amount of each month, January first, in order."""
    from monitoring.kpis.definitions import run_out_month

    monthly = list(monthly)
    actual = cumulative(monthly)
    forecast = spend_forecast(monthly)
    if run_out is None and monthly and budget:
        run_out = run_out_month(Decimal(str(budget)), actual[-1][1], monthly[-1][0])
    year = monthly[0][0].year if monthly else date.today().year
    months = [date(year, m, 1) for m in range(1, 13)]
    uid = uid or _uid("sc", title, monthly, budget)
    values = [float(v) for _m, v in actual + forecast]
    if budget is not None:
        values.append(float(budget))
    low, high, ticks = nice_scale(values or [0.0])
    left, right, top, bottom = 80, 16, 14, 58
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(month: date) -> float:
        return left + plot_w * (month.month - 1) / 11

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = []
    if actual:
        spent = actual[-1][1]
        parts.append(
            _("Cumulatief gedeclareerd van januari tot en met %(month)s: %(spent)s.")
            % {"month": month_label(actual[-1][0]), "spent": format_value(spent, "euro")}
        )
        parts.append(_budget_words(spent, budget))
        if forecast:
            parts.append(
                _("Prognose eind december bij het huidige tempo: %(value)s.")
                % {"value": format_value(forecast[-1][1], "euro")}
            )
        if run_out:
            parts.append(
                _("Bij dit tempo is het budget op in %(month)s.") % {"month": month_label(run_out)}
            )
        elif budget:
            parts.append(_("Bij dit tempo is het budget toereikend voor het jaar."))
        parts.append(
            _("Per maand: %(values)s.")
            % {
                "values": "; ".join(
                    f"{month_label(m)} {format_value(a or 0, 'euro')}" for m, a in monthly
                )
            }
        )
    else:
        parts.append(_("Nog geen declaraties dit jaar."))
    out = [_svg_open(uid, width, height, title, " ".join(parts)), _background(width, height)]
    out.append('<g aria-hidden="true">')
    out.append(_euro_grid(ticks, y_of, left, width - right))
    for month in months:
        out.append(_month_tick(x_of(month), top + plot_h + 16, month, month.month == 1))
    out.append("</g>")
    legend = [(_sample_line(SERIES), _("Gedeclareerd (cumulatief)"))]
    labels = []
    if budget is not None:
        line, label, entry = _budget_line(budget, y_of(float(budget)), left, width - right)
        out.append(line)
        labels.append(label)
        legend.append(entry)
    if run_out is not None:
        x = x_of(run_out)
        text = _("Budget op: %(month)s") % {"month": month_label(run_out)}
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{top + plot_h}" stroke="{NORM}" '
            f'stroke-width="1.5" stroke-dasharray="3 3"><title>{escape(text)}</title></line>'
        )
        labels.append(_label(x - 4, top + 12, text, NORM, "end"))
    if forecast and actual:
        chain = [actual[-1], *forecast]
        run = " ".join(f"{_f(x_of(m))},{_f(y_of(float(v)))}" for m, v in chain)
        out.append(
            f'<polyline points="{run}" fill="none" stroke="{SERIES}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
        for month, value in forecast:
            tip = _("Prognose t/m %(month)s: %(value)s") % {
                "month": month_label(month),
                "value": format_value(value, "euro"),
            }
            out.append(
                f'<circle cx="{_f(x_of(month))}" cy="{_f(y_of(float(value)))}" r="3" '
                f'fill="#ffffff" stroke="{SERIES}" stroke-width="1.5">'
                f"<title>{escape(tip)}</title></circle>"
            )
        legend.append((_sample_line(SERIES, "6 4", hollow=True), _("Prognose")))
    if actual:
        run = " ".join(f"{_f(x_of(m))},{_f(y_of(float(v)))}" for m, v in actual)
        out.append(
            f'<polyline points="{run}" fill="none" stroke="{SERIES}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
        hrefs = _links_for(links, [m for m, _v in actual])
        for (month, value), (_m, amount), href in zip(actual, monthly, hrefs, strict=True):
            tip = _("T/m %(month)s: %(value)s (in de maand %(amount)s)") % {
                "month": month_label(month),
                "value": format_value(value, "euro"),
                "amount": format_value(amount or 0, "euro"),
            }
            circle = (
                f'<circle cx="{_f(x_of(month))}" cy="{_f(y_of(float(value)))}" r="4" '
                f'fill="{SERIES}" stroke="#ffffff"><title>{escape(tip)}</title></circle>'
            )
            out.append(_link(href, circle, tip))
    out.extend(labels)
    out.append(_legend(legend, left, height - 14))
    out.append("</svg>")
    return _safe(out)
