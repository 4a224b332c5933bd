"""Template tags of the monitoring dashboards: figures with their drill-down link, traffic
lights with their word, norms in a sentence, and the SVG sparkline of a tile."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from contracts.codes import Direction
from core.templatetags import formats
from core.ui import formatting
from monitoring.dashboards import charts
from monitoring.steering.models import Level

register = template.Library()

LIGHT_MARK = {Level.GREEN: "●", Level.AMBER: "▲", Level.RED: "■"}


@register.simple_tag(takes_context=True)
def lines_url(context, query) -> str:
    """The drill-down list of the current region with the figure's query."""
    region = context["region"]
    url = reverse("monitoring:lines", kwargs={"region": region.slug})
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag(takes_context=True)
def figure(context, fig, label=""):
    """A figure as a link to the lines it is made of; suppressed figures say why, not a link.
    A page that sets ``no_drilldown`` (the provider portal: the lines page is staff-only)
    shows the figure without a link."""
    if fig is None:
        return "—"
    if fig.small == "count":
        return format_html(
            '<span class="small-cell" title="{}">&lt; 5</span>',
            _("Minder dan 5: klein aantal, niet getoond"),
        )
    if fig.small == "ratio":
        return format_html(
            '<span class="small-cell" title="{}">—<span class="visually-hidden"> {}</span></span>',
            _("Berekend uit minder dan 5: niet getoond"),
            _("niet getoond, berekend uit minder dan 5"),
        )
    if fig.value is None:
        return format_html('<span class="muted" title="{}">—</span>', _("Geen waarde"))
    if not fig.query or context.get("no_drilldown"):
        return fig.text
    extra = format_html('<span class="visually-hidden"> {}</span>', label) if label else ""
    return format_html(
        '<a class="figure-link" href="{}">{}{}</a>', lines_url(context, fig.query), fig.text, extra
    )


@register.filter
def light(level) -> str:
    """A traffic light with its word and shape (never colour alone)."""
    if not level:
        return ""
    return format_html(
        '<span class="light light--{}"><span aria-hidden="true">{}</span> {}</span>',
        level,
        LIGHT_MARK.get(level, ""),
        Level(level).label,
    )


@register.filter
def norm_text(norm, unit) -> str:
    """'28 dagen; oranje vanaf 35, rood vanaf 42 (contract)'."""
    if norm is None:
        return ""
    fmt = formatting.format_value
    if norm.direction == Direction.LOWER_IS_BETTER:
        text = _("%(norm)s of lager; oranje vanaf %(amber)s, rood vanaf %(red)s")
    else:
        text = _("%(norm)s of hoger; oranje bij %(amber)s of lager, rood bij %(red)s of lager")
    text %= {
        "norm": fmt(norm.norm, unit),
        "amber": fmt(norm.amber, unit),
        "red": fmt(norm.red, unit),
    }
    source = _("contractafspraak") if norm.source == "contract" else _("segmentnorm")
    return f"{text} ({source})"


@register.simple_tag
def tile_sparkline(tile):
    months = [m for m, _v in tile.trend]
    return charts.sparkline(
        [v for _m, v in tile.trend],
        months=months,
        unit=tile.unit,
        title=_("Trend %(kpi)s, 12 maanden") % {"kpi": tile.label},
        width=140,
        height=34,
    )


# the figures' filters of every page (core/templatetags/formats.py), under their old names here
register.filter("value", formats.value)
register.filter("month_name", formats.month_name)
register.filter("norm_value", formats.norm_value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
