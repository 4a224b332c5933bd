"""Server-side SVG charts: the building blocks and the charts every app draws with them.

Every function is pure: figures in, an SVG string out (marked safe for templates; every text
and link that goes in is escaped). No JavaScript, no CSS classes or variables the chart depends
on: colours, fonts and sizes are presentation attributes, so WeasyPrint renders the same chart
as the browser. Output is deterministic, so it can be compared in tests.

Accessibility: ``role="img"`` (``role="group"`` when its points are links: an image holds no
links) with a ``<title>`` (the chart's name) and a ``<desc>`` that says the figures in words;
every data point has its own ``<title>`` tooltip. Meaning never rests on colour alone. The
page that shows a chart also offers its figures as a table.

The monitoring dashboards' charts (``monitoring.dashboards.charts``) are built from these
blocks; the contracts and procurement pages use them directly (they sit below monitoring).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.ui.formatting import format_date, format_value, month_label, short_month

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK = "#1b1b1b"
MUTED = "#505a66"  # 7.0:1 on white
GRID = "#c9d2dc"
SERIES = "#154273"  # 10.4:1
BENCHMARK = "#505a66"
NORM = "#a4161a"  # 7.6:1
BUDGET = "#8a4b00"  # 6.4:1
LEVEL_FILL = {"green": "#1e6b34", "amber": "#8a4b00", "red": "#a4161a"}

UNITS = ("aantal", "euro", "dagen", "procent", "cijfer")

# --- helpers -------------------------------------------------------------------------------------


def _f(x: float) -> str:
    """A coordinate with one decimal, no '-0.0'."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _uid(prefix: str, *parts) -> str:
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{prefix}{digest}"


def _num(value) -> float | None:
    return None if value is None else float(value)


def _nice_step(low: float, high: float, count: int) -> float:
    """The smallest round step (1, 2, 2.5, 5 × a power of ten) that covers low..high in at
    most ``count + 1`` intervals."""
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for scale in (magnitude / 10, magnitude, magnitude * 10):
        for multiple in (1, 2, 2.5, 5):
            step = multiple * scale
            intervals = math.ceil(high / step - 1e-9) - math.floor(low / step + 1e-9)
            if intervals <= count + 1:
                return step
    return 10 * magnitude  # pragma: no cover


def nice_scale(values: Sequence[float], count: int = 4) -> tuple[float, float, list[float]]:
    """(low, high, ticks): a range from 0 (or the lowest negative figure) over every value,
    on round steps."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    step = _nice_step(low, high, count)
    low = math.floor(low / step + 1e-9) * step
    high = math.ceil(high / step - 1e-9) * step
    ticks = []
    tick = low
    while tick <= high + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return low, high, ticks


def _svg_open(uid: str, width: int, height: int, title: str, desc: str, extra: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="11" '
        f'fill="{INK}"{extra}>'
        f'<title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>'
    )


def _safe(parts: list[str]) -> SafeString:
    # Every text and attribute value above went through escape() or is a number we formatted.
    svg = "".join(parts)
    if "<a href" in svg:
        # an image may hold no links (WCAG 4.1.2, axe "nested-interactive"): a chart whose
        # points link to their lines is a labelled group of links instead
        svg = svg.replace('role="img"', 'role="group"', 1)
    return mark_safe(svg)  # noqa: S308


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}" aria-label="{escape(label)}">{inner}</a>'


def _points_path(points: list[tuple[float, float] | None]) -> list[str]:
    """Polyline point lists, split where a value is missing."""
    runs, current = [], []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return [" ".join(f"{_f(x)},{_f(y)}" for x, y in run) for run in runs]


def _text_width(text: str, size: float = 11) -> float:
    """A rough width of a text in DejaVu Sans (for placing labels; no font metrics here)."""
    return len(text) * size * 0.6


def _label(x: float, y: float, text: str, colour: str, anchor: str = "start") -> str:
    """A bold label on a white backing so that lines behind it don't cross the letters."""
    w = _text_width(text) + 6
    left = {"start": x - 3, "middle": x - w / 2, "end": x - w + 3}[anchor]
    return (
        f'<rect x="{_f(left)}" y="{_f(y - 11)}" width="{_f(w)}" height="15" fill="#ffffff" '
        f'fill-opacity="0.85"/>'
        f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" fill="{colour}" '
        f'font-weight="bold">{escape(text)}</text>'
    )


def _legend(items: list[tuple[str, str]], x: float, y: float) -> str:
    """items: (sample svg at origin, label)."""
    out, cursor = [], x
    for sample, label in items:
        out.append(f'<g transform="translate({_f(cursor)},{_f(y)})">{sample}')
        out.append(f'<text x="26" y="4" fill="{INK}">{escape(label)}</text></g>')
        cursor += 44 + _text_width(label)
    return "".join(out)


def _sample_line(colour: str, dash: str = "", marker: str = "circle", hollow=False) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    fill = "#ffffff" if hollow else colour
    if marker == "square":
        mark = f'<rect x="8" y="-3" width="6" height="6" fill="{fill}" stroke="{colour}"/>'
    elif marker == "circle":
        mark = f'<circle cx="11" cy="0" r="3" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>'
    else:
        mark = ""
    return (
        f'<line x1="0" y1="0" x2="22" y2="0" stroke="{colour}" stroke-width="2"{dash_attr}/>{mark}'
    )


def _links_for(links, months: Sequence[date]) -> list[str | None]:
    if links is None:
        return [None] * len(months)
    if isinstance(links, Mapping):
        return [links.get(m) for m in months]
    links = list(links)
    return [links[i] if i < len(links) else None for i in range(len(months))]


def _background(width: int, height: int) -> str:
    return f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'


def _x_grid(ticks: Sequence[float], x_of: Callable[[float], float], top, bottom, unit: str) -> str:
    """Vertical grid lines from ``top`` to ``bottom``, each tick's value under its line."""
    return "".join(
        f'<line x1="{_f(x_of(tick))}" y1="{top}" x2="{_f(x_of(tick))}" y2="{bottom}" '
        f'stroke="{GRID}"/>'
        f'<text x="{_f(x_of(tick))}" y="{bottom + 14}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(format_value(tick, unit, compact=True))}</text>"
        for tick in ticks
    )


def _euro_grid(ticks: Sequence[float], y_of: Callable[[float], float], left, right) -> str:
    """Horizontal grid lines from ``left`` to ``right``, each tick's amount left of its line."""
    return "".join(
        f'<line x1="{left}" y1="{_f(y_of(tick))}" x2="{right}" y2="{_f(y_of(tick))}" '
        f'stroke="{GRID}"/>'
        f'<text x="{left - 6}" y="{_f(y_of(tick) + 4)}" text-anchor="end" fill="{MUTED}">'
        f"{escape(format_value(tick, 'euro', compact=True))}</text>"
        for tick in ticks
    )


def _month_tick(x: float, y: float, month: date, with_year: bool) -> str:
    """A month's short name (with its year) centred under ``x``."""
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(short_month(month, with_year))}</text>"
    )


def _budget_words(spent: Decimal, budget) -> str:
    """The budget and the share of it spent, or that there is none."""
    if not budget:
        return _("Geen budget of plafond voor dit jaar.")
    return _("Budget %(budget)s; besteed %(pct)s.") % {
        "budget": format_value(budget, "euro"),
        "pct": format_value(spent * 100 / Decimal(str(budget)), "procent"),
    }


def _budget_line(budget, y: float, left, right) -> tuple[str, str, tuple[str, str]]:
    """The budget as a labelled dash-dotted line at ``y``: (the line, its label, its legend
    entry)."""
    text = _("Budget %(value)s") % {"value": format_value(budget, "euro")}
    line = (
        f'<line x1="{left}" y1="{_f(y)}" x2="{right}" y2="{_f(y)}" stroke="{BUDGET}" '
        f'stroke-width="2" stroke-dasharray="10 3 2 3"><title>{escape(text)}</title></line>'
    )
    legend = (_sample_line(BUDGET, "10 3 2 3", marker=""), _("Budget"))
    return line, _label(left + 6, y - 5, text, BUDGET), legend


def _row_label(label: str, left, y: float) -> str:
    """A row's label right-aligned left of the plot at baseline ``y``, cut short to fit."""
    room = int((left - 14) / (11 * 0.62))  # characters that fit left of the plot
    short = label if len(label) <= room else label[: room - 1] + "…"
    return f'<text x="{left - 8}" y="{_f(y)}" text-anchor="end">{escape(short)}</text>'


# --- bar chart -----------------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[tuple[str, object]],
    *,
    title: str,
    unit: str,
    y_label: str | None = None,
    width: int = 640,
    height: int | None = None,
    norm=None,
    levels: Sequence[str | None] | None = None,
    links: Sequence[str | None] | None = None,
    uid: str | None = None,
    level_word: Callable[[str], str] = str,
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written next to each bar.

    ``levels`` (green/amber/red per bar) colours the bars and adds the level's word to the
    value; ``norm`` is a labelled dashed vertical line; ``links`` makes each bar a link."""
    bars = list(bars)
    levels = list(levels or [None] * len(bars))
    links = list(links or [None] * len(bars))
    uid = uid or _uid("bc", title, bars, norm, levels)
    row, top, bottom = 26, 8, 30
    height = height or top + bottom + row * max(len(bars), 1)
    label_w, value_w = 190, 120
    left, right = label_w, value_w
    plot_w = width - left - right
    values = [_num(v) for _l, v in bars if v is not None]
    if norm is not None:
        values.append(float(norm))
    low, high, ticks = nice_scale(values or [0.0])

    def x_of(value: float) -> float:
        return left + plot_w * (value - low) / (high - low)

    words = []
    for (label, value), level in zip(bars, levels, strict=True):
        text = f"{label}: {format_value(value, unit)}"
        if level:
            text += f" ({level_word(level)})"
        words.append(text)
    desc = (y_label or title) + ". " + "; ".join(words) + "."
    if norm is not None:
        desc += " " + _("Norm: %(value)s.") % {"value": format_value(norm, unit)}
    out = [_svg_open(uid, width, height, title, desc), _background(width, height)]
    plot_bottom = top + row * max(len(bars), 1)
    out.append(f'<g aria-hidden="true">{_x_grid(ticks, x_of, top, plot_bottom, unit)}</g>')
    zero = x_of(max(low, 0.0))
    for i, ((label, value), level, href) in enumerate(zip(bars, levels, links, strict=True)):
        y = top + i * row
        out.append(_row_label(label, left, y + row / 2 + 4))
        text = format_value(value, unit)
        if level:
            text += f" · {level_word(level)}"
        if value is not None:
            end = x_of(_num(value))
            colour = LEVEL_FILL.get(level, SERIES)
            bar = (
                f'<rect x="{_f(min(zero, end))}" y="{_f(y + 5)}" width="{_f(abs(end - zero))}" '
                f'height="{row - 10}" fill="{colour}"><title>{escape(words[i])}</title></rect>'
            )
            out.append(_link(href, bar, words[i]))
            out.append(f'<text x="{_f(max(zero, end) + 6)}" y="{_f(y + row / 2 + 4)}">')
            out.append(f"{escape(text)}</text>")
        else:
            out.append(
                f'<text x="{_f(zero + 6)}" y="{_f(y + row / 2 + 4)}" fill="{MUTED}">'
                f"{escape(text)}</text>"
            )
    if norm is not None:
        x = x_of(float(norm))
        norm_text = _("Norm %(value)s") % {"value": format_value(norm, unit)}
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{plot_bottom}" stroke="{NORM}" '
            f'stroke-width="1.5" stroke-dasharray="8 4"><title>{escape(norm_text)}</title></line>'
            f'<text x="{_f(x)}" y="{height - 4}" text-anchor="middle" fill="{NORM}" '
            f'font-weight="bold">{escape(norm_text)}</text>'
        )
    out.append("</svg>")
    return _safe(out)


# --- amounts per month against a budget ----------------------------------------------------------


def budget_bars_chart(
    monthly: Sequence[tuple[date, object]],
    *,
    title: str,
    budget=None,
    width: int = 640,
    height: int = 260,
    uid: str | None = None,
) -> SafeString:
    """A bar per month with the amount up to and including that month (cumulative from the
    first month given), the budget as a labelled dashed horizontal line. ``monthly``: the amount
    of each month, in order; its tooltip names the month's own amount too."""
    monthly = list(monthly)
    uid = uid or _uid("bb", title, monthly, budget)
    running, totals = Decimal(0), []
    for _month, amount in monthly:
        running += Decimal(str(amount or 0))
        totals.append(running)
    values = [float(v) for v in totals]
    if budget is not None:
        values.append(float(budget))
    low, high, ticks = nice_scale(values or [0.0])
    left, right, top, bottom = 80, 16, 14, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(monthly), 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    words = []
    for (month, amount), total in zip(monthly, totals, strict=True):
        words.append(
            _("%(month)s: %(amount)s, t/m de maand %(total)s")
            % {
                "month": month_label(month),
                "amount": format_value(amount or 0, "euro"),
                "total": format_value(total, "euro"),
            }
        )
    if monthly:
        parts = [
            _("Afgerekend per maand, opgeteld, %(first)s tot en met %(last)s: %(total)s.")
            % {
                "first": month_label(monthly[0][0]),
                "last": month_label(monthly[-1][0]),
                "total": format_value(totals[-1], "euro"),
            }
        ]
        parts.append(_budget_words(totals[-1], budget))
        parts.append(_("Per maand: %(values)s.") % {"values": "; ".join(words)})
    else:
        parts = [_("Geen gegevens.")]
    out = [_svg_open(uid, width, height, title, " ".join(parts)), _background(width, height)]
    out.append('<g aria-hidden="true">')
    out.append(_euro_grid(ticks, y_of, left, width - right))
    for i, (month, _amount) in enumerate(monthly):
        with_year = i == 0 or month.month == 1
        out.append(_month_tick(left + slot * (i + 0.5), top + plot_h + 16, month, with_year))
    out.append("</g>")
    zero = y_of(max(low, 0.0))
    bar_w = max(slot * 0.6, 2)
    for i, total in enumerate(totals):
        y = y_of(float(total))
        out.append(
            f'<rect x="{_f(left + slot * i + (slot - bar_w) / 2)}" y="{_f(min(y, zero))}" '
            f'width="{_f(bar_w)}" height="{_f(abs(zero - y))}" fill="{SERIES}" '
            f'data-value="{total}"><title>{escape(words[i])}</title></rect>'
        )
    legend = [(_sample_bar(SERIES), _("Afgerekend t/m de maand"))]
    if budget is not None:
        line, label, entry = _budget_line(budget, y_of(float(budget)), left, width - right)
        out.extend((line, label))
        legend.append(entry)
    out.append(_legend(legend, left, height - 14))
    out.append("</svg>")
    return _safe(out)


def _sample_bar(colour: str, hollow: bool = False) -> str:
    fill = "#ffffff" if hollow else colour
    return f'<rect x="2" y="-5" width="18" height="10" fill="{fill}" stroke="{colour}"/>'


# --- planned against actual dates ----------------------------------------------------------------


def timeline_chart(
    rows: Sequence[tuple[str, date | None, date | None]],
    *,
    title: str,
    today: date | None = None,
    width: int = 640,
    uid: str | None = None,
) -> SafeString:
    """Per milestone two bars from the first date of the chart: the planned date (open bar) and
    the actual date (solid bar); a dotted line marks today. ``rows``: (label, planned, actual)
    in the order to draw them."""
    rows = list(rows)
    uid = uid or _uid("tl", title, rows, today)
    dates = [d for _l, p, a in rows for d in (p, a) if d is not None]
    row, top, bottom = 34, 8, 46
    height = top + bottom + row * max(len(rows), 1)
    left, right = 190, 24
    plot_w = width - left - right
    words = []
    for label, planned, actual in rows:
        text = _("%(label)s: gepland %(planned)s") % {
            "label": label,
            "planned": format_date(planned),
        }
        if actual is not None:
            text += ", " + _("werkelijk %(actual)s") % {"actual": format_date(actual)}
            if planned is not None and actual != planned:
                days = (actual - planned).days
                text += " " + (
                    _("(%(n)s dagen later)") % {"n": days}
                    if days > 0
                    else _("(%(n)s dagen eerder)") % {"n": -days}
                )
        elif today is not None and planned is not None and planned < today:
            text += " " + _("(nog niet bereikt, later dan gepland)")
        words.append(text)
    desc = "; ".join(words) + "." if rows else _("Geen gegevens.")
    out = [_svg_open(uid, width, height, title, desc), _background(width, height)]
    if not dates:
        out.append("</svg>")
        return _safe(out)
    start = min(dates)
    end = max(dates)  # today is marked only when it falls within the milestones' dates
    span = max((end - start).days, 1)
    plot_bottom = top + row * len(rows)

    def x_of(day: date) -> float:
        return left + plot_w * (day - start).days / span

    out.append('<g aria-hidden="true">')
    first = date(start.year, start.month, 1)
    ticks, month = [], first
    while month <= end:
        if month >= start:
            ticks.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    every = max(1, math.ceil(len(ticks) / 8))
    for i, tick in enumerate(ticks):
        x = x_of(tick)
        if i % every == 0:
            out.append(
                f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{plot_bottom}" stroke="{GRID}"/>'
            )
            out.append(
                f'<text x="{_f(x)}" y="{plot_bottom + 14}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(short_month(tick, i == 0 or tick.month == 1))}</text>'
            )
    out.append("</g>")
    for i, (label, planned, actual) in enumerate(rows):
        y = top + i * row
        out.append(_row_label(label, left, y + row / 2 + 4))
        for day, offset, hollow, kind in (
            (planned, 5, True, "planned"),
            (actual, 18, False, "actual"),
        ):
            if day is None:
                continue
            w = max(x_of(day) - left, 2)
            fill = "#ffffff" if hollow else SERIES
            out.append(
                f'<rect x="{left}" y="{_f(y + offset)}" width="{_f(w)}" height="11" '
                f'fill="{fill}" stroke="{SERIES}" stroke-width="1.2" data-kind="{kind}" '
                f'data-date="{day.isoformat()}"><title>{escape(words[i])}</title></rect>'
            )
    if today is not None and start <= today <= end:
        x = x_of(today)
        text = _("Vandaag %(day)s") % {"day": format_date(today)}
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{plot_bottom}" stroke="{NORM}" '
            f'stroke-width="1.5" stroke-dasharray="3 3"><title>{escape(text)}</title></line>'
        )
    legend = [
        (_sample_bar(SERIES, hollow=True), _("Gepland")),
        (_sample_bar(SERIES), _("Werkelijk")),
    ]
    if today is not None and start <= today <= end:
        legend.append((_sample_line(NORM, "3 3", marker=""), _("Vandaag")))
    out.append(_legend(legend, left, height - 10))
    out.append("</svg>")
    return _safe(out)


# --- spread of scores ----------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def strip_chart(
    rows: Sequence[tuple[str, Sequence[object]]],
    *,
    title: str,
    scale_max,
    unit: str = "cijfer",
    dot_label: str | None = None,
    width: int = 640,
    uid: str | None = None,
) -> SafeString:
    """Per row (e.g. an award criterion) a dot per value on a scale from 0 to ``scale_max``, equal
    values stacked, and the median as a labelled tick: how far the values lie apart."""
    rows = [(label, [v for v in values if v is not None]) for label, values in rows]
    uid = uid or _uid("st", title, rows, scale_max)
    row, top, bottom = 40, 8, 44
    height = top + bottom + row * max(len(rows), 1)
    left, right = 190, 24
    plot_w = width - left - right
    high = float(scale_max) or 1.0
    low, high, ticks = nice_scale([high])
    plot_bottom = top + row * max(len(rows), 1)

    def x_of(value: float) -> float:
        return left + plot_w * (value - low) / (high - low)

    words = []
    for label, values in rows:
        if not values:
            words.append(_("%(label)s: nog geen scores") % {"label": label})
            continue
        nums = [float(v) for v in values]
        words.append(
            _("%(label)s: %(count)s scores, laagste %(low)s, mediaan %(median)s, hoogste %(high)s")
            % {
                "label": label,
                "count": len(nums),
                "low": format_value(min(nums), unit),
                "median": format_value(_median(nums), unit),
                "high": format_value(max(nums), unit),
            }
        )
    desc = (
        _("Schaal 0 tot %(max)s.") % {"max": format_value(scale_max, unit)}
        + " "
        + ("; ".join(words) + "." if rows else _("Geen gegevens."))
    )
    out = [_svg_open(uid, width, height, title, desc), _background(width, height)]
    out.append(f'<g aria-hidden="true">{_x_grid(ticks, x_of, top, plot_bottom, unit)}</g>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row
        middle = y + row / 2
        out.append(_row_label(label, left, middle + 4))
        if not values:
            out.append(
                f'<text x="{left + 6}" y="{_f(middle + 4)}" fill="{MUTED}">'
                f"{escape(_('nog geen scores'))}</text>"
            )
            continue
        nums = [float(v) for v in values]
        out.append(
            f'<line x1="{_f(x_of(min(nums)))}" y1="{_f(middle)}" x2="{_f(x_of(max(nums)))}" '
            f'y2="{_f(middle)}" stroke="{GRID}" stroke-width="2"/>'
        )
        counts: dict[float, int] = {}
        for num in nums:
            counts[num] = counts.get(num, 0) + 1
        # equal values stack vertically, centred on the row, squeezed to stay inside it
        step = min(7.0, (row - 14) / max(max(counts.values()) - 1, 1))
        seen: dict[float, int] = {}
        for value, num in zip(values, nums, strict=True):
            n = seen.get(num, 0)
            seen[num] = n + 1
            dy = (n - (counts[num] - 1) / 2) * step
            tip = f"{label}: {format_value(value, unit)}"
            radius = "3.5" if step < 7 else "4"
            out.append(
                f'<circle cx="{_f(x_of(num))}" cy="{_f(middle + dy)}" r="{radius}" '
                f'fill="{SERIES}" fill-opacity="0.8" stroke="#ffffff" data-value="{value}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        median = _median(nums)
        text = _("mediaan %(value)s") % {"value": format_value(median, unit)}
        x = x_of(median)
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(middle - 12)}" x2="{_f(x)}" y2="{_f(middle + 12)}" '
            f'stroke="{NORM}" stroke-width="2"><title>{escape(text)}</title></line>'
        )
    legend = [
        (f'<circle cx="11" cy="0" r="4" fill="{SERIES}"/>', dot_label or _("Waarde")),
        (f'<line x1="11" y1="-6" x2="11" y2="6" stroke="{NORM}" stroke-width="2"/>', _("Mediaan")),
    ]
    out.append(_legend(legend, left, height - 10))
    out.append("</svg>")
    return _safe(out)
