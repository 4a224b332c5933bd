"""Read queries of the monitoring dashboards (and of the PDF reports that reuse them).

Dashboards read ``KpiRollup`` rows only (plus budgets, norms and signals), never production
lines: a page sums a few hundred rollup rows in the database, whatever the number of lines.
Only the drill-down list (``lines_queryset``) reads the lines themselves.

Every function takes an optional ``rollups`` queryset: the rows the reader may see
(``KpiRollup.objects.visible_to(user)``); without it, all rows of the region. A figure is a
:class:`Figure`: its value, its unit, whether it is suppressed as a small cell, and the query
of the drill-down list that shows the lines it is made of (``?soort=…&maand=…&aanbieder=…``).

Rules the pages state next to the figures:

- **Month**: the figures of one month (default: the latest month with data); the trend shows the
  12 months through that month.
- **Benchmark**: a provider is compared with its segment when all its contracts in force are in
  one segment; a provider in several segments is compared with the region. A segment and a
  municipality are compared with the region.
- **Norm of a provider**: the contract's norm (KPI agreement, else the segment's norm) when the
  provider has one contract in force; with several contracts in one segment the segment's norm;
  in several segments no norm on the provider's tiles (see the figures per contract).
- **Spend against budget**: declarations from 1 January through the month against the current
  amounts (after revisions) of the year's budgets and ceilings of the same contracts: per
  contract the budget without a support profile, or, when it has none, the sum of its profile
  ceilings. Contracts without a budget count in the spending and are named.
- **Benchmark for a provider itself** (the provider portal): the segment's (or region's)
  figure of a month only when at least ``BENCHMARK_MIN_PROVIDERS`` providers have figures in it
  that month (the benchmark less the provider's own figure is then never one other provider's
  figure), with small cells suppressed (it counts other providers' clients);
  :func:`benchmark_rollups`. The provider's own figures are never suppressed: its own clients.
- **Small cells** (municipal users): a count of 1-4 shows as "< 5"; a ratio over fewer than 5
  (jeugdigen, trajecten, metingen, ...), a share of a count of 1-4 and an amount of fewer than 5
  youths are not shown (:func:`small_cell`, :func:`suppress`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.codes import Kpi
from contracts.models import Budget, Contract
from core.ui.formatting import add_months, format_value, month_label
from monitoring.imports.models import DatasetKind, Occupancy
from monitoring.kpis import definitions as kpis
from monitoring.kpis import regional
from monitoring.kpis.definitions import DEFINITIONS, Measures
from monitoring.kpis.models import Grain, KpiRollup, SteeringKpi
from monitoring.steering.facilities import facility_months, occupancy_pct
from monitoring.steering.models import Level, Signal, SignalStatus
from monitoring.steering.norms import Norm, contract_norms, judge, segment_norms
from providers.models import Provider
from segments.models import Municipality, Segment

ZERO = Decimal(0)
SMALL_CELL = 5
#: a provider sees its benchmark of a month only when this many providers make it up
BENCHMARK_MIN_PROVIDERS = 3
TREND_MONTHS = 12
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
OPEN_SIGNAL_STATUSES = (SignalStatus.OPEN, SignalStatus.ON_AGENDA)
LEVEL_RANK = {Level.GREEN: 0, Level.AMBER: 1, Level.RED: 2}

#: which lines a KPI's figure is made of (KpiDefinition.source → the drill-down's ``soort``)
SOURCE_KIND = {
    "declarations": DatasetKind.DECLARATIONS,
    "trajectories": DatasetKind.TRAJECTORIES,
    "outcomes": DatasetKind.OUTCOMES,
    "occupancy": DatasetKind.OCCUPANCY,
}
#: which trajectories: running in the month, started in it or ended in it
TRAJECTORY_COUNT = {
    Kpi.TRAJECTORIES: "lopend",
    Kpi.DURATION: "beeindigd",
    Kpi.DROPOUT: "beeindigd",
    Kpi.WAIT_TIME: "gestart",
    Kpi.STEP_UP: "gestart",
    Kpi.STEP_DOWN: "gestart",
    Kpi.REENTRY: "gestart",
}
#: KPIs shown as tiles, in this order (spend against budget only where there is a budget)
TILE_KPIS = [
    Kpi.UNIQUE_YOUTHS,
    Kpi.TRAJECTORIES,
    Kpi.SPEND_VS_BUDGET,
    Kpi.COST_PER_CLIENT,
    Kpi.WAIT_TIME,
    Kpi.DURATION,
    Kpi.DROPOUT,
    Kpi.STEP_UP,
    Kpi.STEP_DOWN,
    Kpi.REENTRY,
    Kpi.GOAL_REALISATION,
    Kpi.CLIENT_EXPERIENCE,
    Kpi.AMBULANT_SHARE,
    Kpi.OCCUPANCY,
]
#: the KPIs of the tables (per provider, contract, segment, municipality)
TABLE_KPIS = [
    Kpi.UNIQUE_YOUTHS,
    Kpi.COST_PER_CLIENT,
    Kpi.WAIT_TIME,
    Kpi.DURATION,
    Kpi.DROPOUT,
    Kpi.REENTRY,
    Kpi.CLIENT_EXPERIENCE,
    Kpi.OCCUPANCY,
]

SMALL_COUNT = "count"  # 1-4: shown as "< 5"
SMALL_RATIO = "ratio"  # over fewer than 5: not shown


# --- months --------------------------------------------------------------------------------------


def month_window(month: date, count: int = TREND_MONTHS) -> list[date]:
    """``count`` months through ``month``, oldest first."""
    return [add_months(month, -i) for i in range(count - 1, -1, -1)]


def parse_month(text: str | None) -> date | None:
    """'2026-10' → date(2026, 10, 1); ``None`` for anything else."""
    match = MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


def month_param(month: date) -> str:
    return f"{month:%Y-%m}"


# --- what a figure is about ----------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A grain and its key, and the drill-down filters that select the same lines."""

    grain: str
    key: str
    filters: tuple[tuple[str, int], ...] = ()
    label: str = ""

    @classmethod
    def region(cls, region) -> Subject:
        return cls(Grain.REGION, "r", (), str(region.name))

    @classmethod
    def provider(cls, provider) -> Subject:
        return cls(Grain.PROVIDER, f"p{provider.pk}", (("aanbieder", provider.pk),), provider.name)

    @classmethod
    def segment(cls, segment) -> Subject:
        return cls(Grain.SEGMENT, f"s{segment.pk}", (("segment", segment.pk),), str(segment))

    @classmethod
    def contract(cls, contract) -> Subject:
        return cls(
            Grain.CONTRACT, f"c{contract.pk}", (("contract", contract.pk),), contract.reference
        )

    @classmethod
    def municipality(cls, municipality) -> Subject:
        return cls(
            Grain.MUNICIPALITY,
            f"m{municipality.pk}",
            (("gemeente", municipality.pk),),
            municipality.name,
        )

    @classmethod
    def segment_municipality(cls, segment_id: int, municipality_id: int, label="") -> Subject:
        return cls(
            Grain.SEGMENT_MUNICIPALITY,
            f"s{segment_id}-m{municipality_id}",
            (("segment", segment_id), ("gemeente", municipality_id)),
            label,
        )

    @classmethod
    def provider_municipality(cls, provider_id: int, municipality_id: int, label="") -> Subject:
        return cls(
            Grain.PROVIDER_MUNICIPALITY,
            f"p{provider_id}-m{municipality_id}",
            (("aanbieder", provider_id), ("gemeente", municipality_id)),
            label,
        )


def drill_query(
    subject: Subject | None,
    *,
    kind: str = DatasetKind.DECLARATIONS,
    month: date | None = None,
    first: date | None = None,
    last: date | None = None,
    kpi: str | None = None,
) -> dict:
    """The query of the lines page that lists the lines behind a figure: the lines of the
    KPI's source (``KpiDefinition.source``) of the subject in the month (or from ``first``
    through ``last``)."""
    query: dict = {}
    definition = kpis.definition(kpi) if kpi is not None else None
    if definition is not None:
        kind = SOURCE_KIND[definition.source]
    query["soort"] = str(kind)
    if month is not None:
        query["maand"] = month_param(month)
    else:
        if first is not None:
            query["van"] = month_param(first)
        if last is not None:
            query["tot"] = month_param(last)
    if kind == DatasetKind.TRAJECTORIES:
        query["telling"] = (
            definition.trajectory_count
            if definition is not None and definition.regional
            else TRAJECTORY_COUNT.get(kpi, "lopend")
        )
    if kind == DatasetKind.OUTCOMES:
        if definition is not None and definition.regional:
            if definition.moment:
                query["moment"] = definition.moment
            if definition.measurement_code:
                query["meting"] = definition.measurement_code
        else:
            query["moment"] = "einde"
    for name, value in subject.filters if subject else ():
        query[name] = value
    return query


# --- figures and small cells ---------------------------------------------------------------------


@dataclass
class Figure:
    """One figure on a page: value, unit, small-cell state and its drill-down query."""

    value: Decimal | None
    unit: str
    small: str = ""
    query: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        if self.small == SMALL_COUNT:
            return "< 5"
        if self.small == SMALL_RATIO or self.value is None:
            return "—"
        return format_value(self.value, self.unit)

    @property
    def shown(self) -> bool:
        return not self.small and self.value is not None


#: numerators that count youths or trajectories: a share of 1-4 of them identifies youths
COUNT_NUMERATORS = frozenset({"dropouts", "step_ups", "step_downs", "reentries"})


def _small(count) -> bool:
    return 0 < count < SMALL_CELL


def small_cell(kpi: str | None, measures) -> str:
    """'' when the figure of ``kpi`` (``None``: the declared amount) may be shown to a
    municipal user, else why not: SMALL_COUNT (a count of 1-4, shown as "< 5") or SMALL_RATIO
    (computed from fewer than 5: not shown). A ratio is computed from fewer than 5 when its
    denominator is 1-4, or when it is a share of a count of 1-4 (3 drop-outs of 34 ended
    trajectories: the percentage and the denominator would give the 3 away). The one place
    the small-cell rule lives."""
    if kpi is None:  # an amount: identifies a youth when there are fewer than 5
        return SMALL_RATIO if _small(measures.youths) else ""
    definition = kpis.definition(kpi)
    if kpi == Kpi.SPEND_VS_BUDGET:
        return ""
    if definition.regional and definition.denominator is None:
        numbers = definition.small_counts(measures)
        if _small(numbers[0]):
            return SMALL_RATIO
        return SMALL_RATIO if any(_small(c) for c in numbers[1:]) else ""
    if definition.denominator is None:
        return SMALL_COUNT if _small(getattr(measures, definition.numerator)) else ""
    if _small(getattr(measures, definition.denominator)):
        return SMALL_RATIO
    if kpi == Kpi.AMBULANT_SHARE:
        counts = [measures.youths_residential, measures.youths - measures.youths_residential]
    elif definition.numerator in COUNT_NUMERATORS:
        counts = [getattr(measures, definition.numerator)]
    else:
        counts = []
    return SMALL_RATIO if any(_small(c) for c in counts) else ""


def suppress(figure: Figure, kpi: str | None, measures, enabled: bool = True) -> Figure:
    """The figure, with ``small`` set and the value dropped when the small-cell rule hides it."""
    if not enabled:
        return figure
    reason = small_cell(kpi, measures)
    if reason:
        figure.small = reason
        figure.value = None
    return figure


def kpi_figure(
    kpi: str,
    measures,
    *,
    subject: Subject | None = None,
    month: date | None = None,
    suppressed: bool = False,
) -> Figure:
    """A KPI's figure from the measures, with the drill-down to its source lines."""
    definition = kpis.definition(kpi)
    figure = Figure(
        definition.value(measures),
        definition.unit,
        query=drill_query(subject, month=month, kpi=kpi) if subject is not None else {},
    )
    return suppress(figure, kpi, measures, suppressed)


def amount_figure(measures, *, subject=None, month=None, first=None, last=None, suppressed=False):
    figure = Figure(
        Decimal(measures.amount),
        "euro",
        query=drill_query(subject, month=month, first=first, last=last)
        if subject is not None
        else {},
    )
    return suppress(figure, None, measures, suppressed)


# --- reading rollups -----------------------------------------------------------------------------


def _attach(region, grain, measures_by, **kwargs) -> None:
    """The region KPIs' counts onto the measures (``regional.attach``), when it has any."""
    if measures_by and regional.rolled_up(region):
        regional.attach(region.pk, grain, measures_by, **kwargs)


def region_rollups(region, rollups=None):
    base = rollups if rollups is not None else KpiRollup.objects.all()
    return base.filter(region=region)


def data_months(region, subject: Subject | None = None, *, rollups=None) -> list[date]:
    """The months with rollup rows for the subject (default: the region), latest first."""
    subject = subject or Subject.region(region)
    return list(
        region_rollups(region, rollups)
        .filter(grain=subject.grain, key=subject.key)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def benchmark_rollups(region, subject: Subject, *, min_providers: int = BENCHMARK_MIN_PROVIDERS):
    """The rollup rows of a benchmark (a segment or the region) that a provider may compare
    itself with: the benchmark's rows of the months in which at least ``min_providers``
    providers have contract figures in it. Never another provider's own rows."""
    if subject.grain not in (Grain.SEGMENT, Grain.REGION):
        raise ValueError(f"no provider benchmark at grain {subject.grain}")
    contract_rows = KpiRollup.objects.filter(region=region, grain=Grain.CONTRACT)
    if subject.grain == Grain.SEGMENT:
        contract_rows = contract_rows.filter(segment_id=dict(subject.filters)["segment"])
    months = (
        contract_rows.order_by()
        .values("month")
        .annotate(providers=Count("provider", distinct=True))
        .filter(providers__gte=min_providers)
        .values("month")
    )
    return KpiRollup.objects.filter(
        region=region, grain=subject.grain, key=subject.key, month__in=months
    )


def latest_month(region, subject: Subject | None = None, *, rollups=None) -> date | None:
    """The latest month with data for the subject (default: the region), or ``None``."""
    subject = subject or Subject.region(region)
    return (
        region_rollups(region, rollups)
        .filter(grain=subject.grain, key=subject.key)
        .aggregate(latest=Max("month"))["latest"]
    )


def measures_by_month(region, subject: Subject, months, *, rollups=None) -> dict[date, Measures]:
    """{month: Measures} of the subject for the months (one query)."""
    rows = (
        region_rollups(region, rollups)
        .filter(grain=subject.grain, key=subject.key, month__in=list(months))
        .values("month", *kpis.MEASURES)
    )
    result = {row["month"]: Measures(row) for row in rows}
    _attach(region, subject.grain, result, key=subject.key, months=list(result))
    return result


def measures_total(region, subject: Subject, first: date, last: date, *, rollups=None) -> Measures:
    """The measures of the subject summed over ``first`` .. ``last`` in the database."""
    row = (
        region_rollups(region, rollups)
        .filter(grain=subject.grain, key=subject.key, month__gte=first, month__lte=last)
        .aggregate(**{name: Sum(name) for name in kpis.MEASURES})
    )
    measures = Measures(row)
    if regional.rolled_up(region):
        regional.attach_total(
            region.pk, subject.grain, subject.key, measures, first=first, last=last
        )
    return measures


def kpi_series(
    region, grain: str, key: str, kpi: str, months, *, rollups=None, suppressed=False
) -> list[tuple[date, Decimal | None]]:
    """[(month, value)] of one KPI of one grain member over the months (one query); months
    without data have ``None``."""
    months = list(months)
    by_month = measures_by_month(region, Subject(grain, key), months, rollups=rollups)
    series = []
    for month in months:
        measures = by_month.get(month)
        if measures is None:
            series.append((month, None))
            continue
        figure = kpi_figure(kpi, measures, suppressed=suppressed)
        series.append((month, figure.value))
    return series


# --- norms and benchmarks ------------------------------------------------------------------------


def _segments_with_parents(ids) -> list[Segment]:
    return list(Segment.objects.filter(pk__in=ids).select_related("parent__parent__parent"))


def contracts_in_force(contracts, month: date):
    """Contracts running on some day of the month."""
    last_day = add_months(month, 1)
    return (
        contracts.filter(start_date__lt=last_day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=month))
    )


@dataclass
class Basis:
    """What a provider's figures are compared with, and the norms they are judged by."""

    contracts: list
    segments: list
    norms: dict  # {kpi: Norm}
    norm_rule: str
    benchmark: Subject | None
    benchmark_label: str


def provider_basis(region, provider, month: date, *, contracts=None) -> Basis:
    """The provider's contracts in force in the month (all its contracts when none is), its
    segment benchmark and its norms, by the rule in this module's docstring."""
    base = (contracts if contracts is not None else Contract.objects.all()).filter(
        region=region, provider=provider
    )
    base = base.select_related("segment__parent__parent__parent")
    running = list(contracts_in_force(base, month))
    chosen = running or list(base)
    segments = sorted({c.segment for c in chosen}, key=lambda s: s.code)
    if len(segments) == 1:
        segment = segments[0]
        benchmark = Subject.segment(segment)
        benchmark_label = _("Segment %(segment)s") % {"segment": segment}
        if len(chosen) == 1:
            by_contract = contract_norms(chosen)
            norms = {k: n for (cid, k), n in by_contract.items() if cid == chosen[0].pk}
            rule = _(
                "Norm: die van contract %(contract)s (de KPI-afspraak, anders de norm van het "
                "segment)."
            ) % {"contract": chosen[0].reference}
        else:
            norms = {k: n for (sid, k), n in segment_norms([segment]).items()}
            rule = _(
                "Norm: die van segment %(segment)s (de aanbieder heeft daar %(count)s "
                "contracten; zie de cijfers per contract)."
            ) % {"segment": segment, "count": len(chosen)}
    elif segments:
        norms = {}
        benchmark = Subject.region(region)
        benchmark_label = _("Regio (aanbieder in meer segmenten)")
        rule = _(
            "Geen norm op aanbiederniveau: de aanbieder werkt in %(count)s segmenten met elk "
            "een eigen norm. Zie de cijfers per contract."
        ) % {"count": len(segments)}
    else:
        norms, benchmark, benchmark_label = {}, Subject.region(region), _("Regio")
        rule = _("Geen norm: de aanbieder heeft geen contract in de regio.")
    return Basis(chosen, segments, norms, rule, benchmark, benchmark_label)


# --- tiles ---------------------------------------------------------------------------------------


@dataclass
class Tile:
    kpi: str
    label: str
    unit: str
    direction: str | None
    definition: str
    formula: str
    figure: Figure
    month: date
    trend: list  # [(month, value)] through the month
    numerator: Figure | None = None
    denominator: Figure | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    norm: Norm | None = None
    level: str | None = None
    benchmark: Figure | None = None
    benchmark_label: str = ""
    benchmark_trend: list = field(default_factory=list)
    #: one of the KPIs the segment steers on (its tactical goals): shown first, marked
    lead: bool = False

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""


def _field_label(name: str) -> str:
    return str(KpiRollup._meta.get_field(name).verbose_name)


def formula(kpi: str) -> str:
    """The KPI's formula in words, from the names of the rollup measures."""
    d = kpis.definition(kpi)
    if d.regional and d.denominator is None:
        return d.formula
    if kpi == Kpi.SPEND_VS_BUDGET:
        return _(
            "gedeclareerd (€) van 1 januari t/m de maand ÷ budget of plafond van het jaar × 100"
        )
    if kpi == Kpi.AMBULANT_SHARE:
        return _("(%(youths)s − %(residential)s) ÷ %(youths)s × 100") % {
            "youths": _field_label("youths"),
            "residential": _field_label("youths_residential"),
        }
    if d.denominator is None:
        return _field_label(d.numerator)
    text = f"{_field_label(d.numerator)} ÷ {_field_label(d.denominator)}"
    return f"{text} × {d.scale}" if d.scale != 1 else text


def _measure_figure(name: str, measures, unit: str, query: dict, suppressed: bool) -> Figure:
    value = getattr(measures, name)
    figure = Figure(Decimal(value), unit, query=query)
    if suppressed and 0 < value < SMALL_CELL and unit == "aantal":
        figure.small, figure.value = SMALL_COUNT, None
    return figure


def _measure_unit(name: str) -> str:
    """How a measure is written next to its KPI: money in euros, the rest as a number (its
    name already says what it counts)."""
    if name == "amount":
        return "euro"
    if name.endswith("_days") or name.endswith("_sum"):
        return "cijfer"
    return "aantal"


def build_tiles(
    region,
    subject: Subject,
    month: date,
    *,
    rollups=None,
    norms: dict | None = None,
    benchmark: Subject | None = None,
    benchmark_label: str = "",
    spend: Spend | None = None,
    suppressed: bool = False,
    benchmark_suppressed: bool = False,
    kpi_codes=None,
    lead=None,
) -> list[Tile]:
    """A tile per KPI: the month's value, the 12-month trend, the benchmark, the norm and the
    traffic light, the definition, and the numerator and denominator with their drill-downs.
    Two queries (the subject's and the benchmark's 12 months), whatever the number of KPIs."""
    window = month_window(month)
    rows = measures_by_month(region, subject, window, rollups=rollups)
    bench_rows = measures_by_month(region, benchmark, window, rollups=rollups) if benchmark else {}
    norms = norms or {}
    empty = Measures()
    current = rows.get(month, empty)
    tiles = []
    lead = set(lead or ())
    for code in kpi_codes or TILE_KPIS:
        d = kpis.definition(code)
        if code == Kpi.SPEND_VS_BUDGET:
            if spend is None or spend.budget is None:
                continue
            tile = _spend_tile(d, spend, subject, month, norms.get(code))
            tiles.append(tile)
            continue
        figure = kpi_figure(code, current, subject=subject, month=month, suppressed=suppressed)
        trend = [
            (m, kpi_figure(code, rows[m], suppressed=suppressed).value if m in rows else None)
            for m in window
        ]
        tile = Tile(
            kpi=code,
            label=str(d.label),
            unit=d.unit,
            direction=d.direction,
            definition=str(d.definition),
            formula=formula(code),
            figure=figure,
            month=month,
            trend=trend,
            lead=code in lead,
        )
        if d.regional and d.denominator is None:
            num, den = d.counts(current)
            tile.numerator = Figure(num, d.numerator_unit, query=figure.query)
            tile.denominator = Figure(den, "aantal", query=figure.query)
            if suppressed and figure.small:
                tile.numerator.small = tile.denominator.small = SMALL_RATIO
                tile.numerator.value = tile.denominator.value = None
            tile.numerator_label = d.numerator_label
            tile.denominator_label = d.denominator_label
        elif d.denominator is not None and code != Kpi.AMBULANT_SHARE:
            hide = suppressed and bool(figure.small)
            tile.numerator = _measure_figure(
                d.numerator, current, _measure_unit(d.numerator), figure.query, suppressed
            )
            tile.denominator = _measure_figure(
                d.denominator, current, "aantal", figure.query, suppressed
            )
            if hide:
                tile.numerator.small = tile.denominator.small = SMALL_RATIO
                tile.numerator.value = tile.denominator.value = None
            tile.numerator_label = _field_label(d.numerator)
            tile.denominator_label = _field_label(d.denominator)
        norm = norms.get(code)
        if norm is not None:
            tile.norm = norm
            tile.level = judge(figure.value, norm) if figure.shown else None
        if benchmark is not None and month in bench_rows:
            tile.benchmark = kpi_figure(
                code,
                bench_rows[month],
                subject=benchmark,
                month=month,
                suppressed=benchmark_suppressed,
            )
            tile.benchmark_label = benchmark_label
            tile.benchmark_trend = [
                (
                    m,
                    kpi_figure(code, bench_rows[m], suppressed=benchmark_suppressed).value
                    if m in bench_rows
                    else None,
                )
                for m in window
            ]
        tiles.append(tile)
    return tiles


def _spend_tile(d, spend: Spend, subject: Subject, month: date, norm: Norm | None) -> Tile:
    figure = Figure(spend.pct, "procent", query=spend.query)
    tile = Tile(
        kpi=d.code,
        label=str(d.label),
        unit=d.unit,
        direction=d.direction,
        definition=str(d.definition),
        formula=formula(d.code),
        figure=figure,
        month=month,
        trend=spend.pct_series,
        numerator=Figure(spend.spent, "euro", query=spend.query),
        denominator=Figure(spend.budget, "euro"),
        numerator_label=_("gedeclareerd t/m %(month)s") % {"month": month_label(month)},
        denominator_label=_("budget %(year)s") % {"year": spend.year},
    )
    if norm is not None:
        tile.norm = norm
        tile.level = judge(figure.value, norm)
    return tile


# --- spend against budget ------------------------------------------------------------------------


@dataclass
class ContractSpend:
    contract: Contract
    budget: Decimal | None
    spent: Decimal
    pct: Decimal | None
    run_out: date | None
    level: str | None
    query: dict


@dataclass
class Spend:
    year: int
    through: date
    monthly: list  # [(month, amount)] January .. through
    spent: Decimal
    budget: Decimal | None
    pct: Decimal | None
    forecast: Decimal  # at the year's average monthly rate, on 31 December
    run_out: date | None
    pct_series: list  # [(month, cumulative % of the budget)]
    contracts: list  # [ContractSpend]
    without_budget: list  # contracts that have spending but no budget
    query: dict  # the declarations behind ``spent``
    month_queries: dict  # {month: drill query of that month}


def _contract_budget(budgets: list[Budget]) -> Decimal | None:
    whole = [b for b in budgets if b.support_profile_id is None]
    chosen = whole or budgets
    if not chosen:
        return None
    return sum((b.current_amount for b in chosen), ZERO)


def spend_against_budget(
    region,
    subject: Subject,
    month: date,
    *,
    contracts=None,
    rollups=None,
) -> Spend:
    """Declared from 1 January through ``month`` against the year's budgets of the subject's
    contracts, with the forecast to 31 December and ``kpis.run_out_month``; per contract too.
    Each contract is judged against its spend norm (KPI agreement, else the segment's norm).
    Seven queries (months, contracts' sums, budgets, their revisions, contracts, norms)."""
    year_start = date(month.year, 1, 1)
    months = [date(month.year, m, 1) for m in range(1, month.month + 1)]
    base = region_rollups(region, rollups)
    by_month = dict(
        base.filter(grain=subject.grain, key=subject.key, month__gte=year_start, month__lte=month)
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    monthly = [(m, by_month.get(m) or ZERO) for m in months]
    spent = sum((a for _m, a in monthly), ZERO)

    contract_rows = base.filter(grain=Grain.CONTRACT, month__gte=year_start, month__lte=month)
    contract_qs = (contracts if contracts is not None else Contract.objects.all()).filter(
        region=region
    )
    filters = dict(subject.filters)
    if subject.grain == Grain.PROVIDER:
        contract_rows = contract_rows.filter(provider_id=filters["aanbieder"])
        contract_qs = contract_qs.filter(provider_id=filters["aanbieder"])
    elif subject.grain == Grain.SEGMENT:
        contract_rows = contract_rows.filter(segment_id=filters["segment"])
        contract_qs = contract_qs.filter(segment_id=filters["segment"])
    elif subject.grain == Grain.CONTRACT:
        contract_rows = contract_rows.filter(contract_id=filters["contract"])
        contract_qs = contract_qs.filter(pk=filters["contract"])
    elif subject.grain != Grain.REGION:
        raise ValueError(f"no budgets at grain {subject.grain}")
    spent_by_contract = dict(
        contract_rows.order_by()
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values_list("contract_id", "total")
    )
    budgets = defaultdict(list)
    for budget in (
        Budget.objects.filter(contract__in=contract_qs, year=month.year)
        .prefetch_related("revisions")
        .order_by("pk")
    ):
        budgets[budget.contract_id].append(budget)
    wanted = set(budgets) | set(spent_by_contract)
    contract_objs = {
        c.pk: c
        for c in contract_qs.filter(pk__in=wanted).select_related(
            "region", "provider", "segment__parent__parent__parent"
        )
    }
    rows, without = [], []
    norms_by_contract = contract_norms(contract_objs.values()) if contract_objs else {}
    for cid, contract in sorted(contract_objs.items(), key=lambda i: i[1].reference):
        amount = Decimal(spent_by_contract.get(cid) or 0)
        budget = _contract_budget(budgets.get(cid, []))
        pct = kpis.spend_vs_budget(amount, budget)
        norm = norms_by_contract.get((cid, Kpi.SPEND_VS_BUDGET))
        rows.append(
            ContractSpend(
                contract,
                budget,
                amount,
                pct,
                kpis.run_out_month(budget, amount, month),
                judge(pct, norm),
                drill_query(Subject.contract(contract), first=year_start, last=month),
            )
        )
        if budget is None and amount:
            without.append(contract)
    budget_total = None
    if budgets:
        budget_total = sum((r.budget for r in rows if r.budget is not None), ZERO)
    pct = kpis.spend_vs_budget(spent, budget_total)
    cumulative, pct_series = ZERO, []
    for m, amount in monthly:
        cumulative += amount
        pct_series.append((m, kpis.spend_vs_budget(cumulative, budget_total)))
    forecast = (spent / month.month * 12).quantize(Decimal("0.01")) if spent else ZERO
    return Spend(
        year=month.year,
        through=month,
        monthly=monthly,
        spent=spent,
        budget=budget_total,
        pct=pct,
        forecast=forecast,
        run_out=kpis.run_out_month(budget_total, spent, month),
        pct_series=pct_series,
        contracts=rows,
        without_budget=without,
        query=drill_query(subject, first=year_start, last=month),
        month_queries={m: drill_query(subject, month=m) for m in months},
    )


# --- tables --------------------------------------------------------------------------------------


@dataclass
class Row:
    """A row of a table of figures: one grain member in one month."""

    subject: Subject
    obj: object
    measures: Measures
    figures: dict  # {kpi: Figure}
    amount: Figure
    levels: dict = field(default_factory=dict)  # {kpi: level}
    extra: dict = field(default_factory=dict)


def _row(subject, obj, measures, month, *, suppressed=False, norms=None) -> Row:
    figures = {
        k: kpi_figure(k, measures, subject=subject, month=month, suppressed=suppressed)
        for k in TABLE_KPIS
    }
    levels = {}
    for k, figure in figures.items():
        norm = (norms or {}).get(k)
        if norm is not None and figure.shown:
            levels[k] = judge(figure.value, norm)
    amount = amount_figure(measures, subject=subject, month=month, suppressed=suppressed)
    return Row(subject, obj, measures, figures, amount, levels)


def risk_scores(region) -> dict:
    from monitoring.steering.alerts import risk_scores as scores

    return scores(region.pk)


def signal_counts(region, *, provider=None) -> dict[int, dict]:
    """{provider_id: {"open": n, "red": n, "amber": n, "level": worst}} of open signals."""
    qs = Signal.objects.filter(region=region, status__in=OPEN_SIGNAL_STATUSES)
    if provider is not None:
        qs = qs.filter(provider=provider)
    result = {}
    for row in (
        qs.order_by()
        .values("provider_id")
        .annotate(
            total=Count("pk"),
            red=Count("pk", filter=Q(level=Level.RED)),
            amber=Count("pk", filter=Q(level=Level.AMBER)),
        )
    ):
        level = Level.RED if row["red"] else Level.AMBER if row["amber"] else None
        result[row["provider_id"]] = {
            "open": row["total"],
            "red": row["red"],
            "amber": row["amber"],
            "level": level,
        }
    return result


def provider_rows(region, month: date, *, rollups=None, providers=None) -> list[Row]:
    """Every provider with figures in the month, open signals or a risk score: the month's
    figures, open signals and the risk score, highest risk first."""
    rows = {
        r["provider_id"]: Measures(r)
        for r in region_rollups(region, rollups)
        .filter(grain=Grain.PROVIDER, month=month)
        .values("provider_id", *kpis.MEASURES)
    }
    _attach(region, Grain.PROVIDER, rows, months=[month], group="provider_id")
    signals = signal_counts(region)
    scores = risk_scores(region)
    ids = set(rows) | set(signals) | {pid for pid, risk in scores.items() if risk.score > 0}
    provider_qs = providers if providers is not None else Provider.objects.all()
    objs = {p.pk: p for p in provider_qs.filter(region=region, pk__in=ids)}
    result = []
    for pid, provider in objs.items():
        row = _row(Subject.provider(provider), provider, rows.get(pid, Measures()), month)
        row.extra = {"signals": signals.get(pid), "risk": scores.get(pid)}
        result.append(row)

    def order(row):
        risk = row.extra["risk"]
        return (-(risk.score if risk else -1), -row.measures.amount, row.obj.name)

    return sorted(result, key=order)


def segment_rows(region, month: date, *, rollups=None) -> list[Row]:
    """The region's segments with their figures of the month (segments without any too)."""
    rows = {
        r["segment_id"]: Measures(r)
        for r in region_rollups(region, rollups)
        .filter(grain=Grain.SEGMENT, month=month)
        .values("segment_id", *kpis.MEASURES)
    }
    _attach(region, Grain.SEGMENT, rows, months=[month], group="segment_id")
    segments = list(Segment.objects.filter(region=region).select_related("parent__parent__parent"))
    norms = segment_norms(segments)
    result = []
    for segment in sorted(segments, key=lambda s: s.code):
        own = {k: n for (sid, k), n in norms.items() if sid == segment.pk}
        row = _row(
            Subject.segment(segment), segment, rows.get(segment.pk, Measures()), month, norms=own
        )
        row.extra["empty"] = segment.pk not in rows
        result.append(row)
    return result


def contract_rows(region, month: date, *, segment=None, provider=None, rollups=None) -> list[Row]:
    """The contracts (of a segment or a provider) with figures in the month, each judged
    against its own norm (KPI agreement, else the segment's norm)."""
    qs = region_rollups(region, rollups).filter(grain=Grain.CONTRACT, month=month)
    if segment is not None:
        qs = qs.filter(segment=segment)
    if provider is not None:
        qs = qs.filter(provider=provider)
    rows = {r["contract_id"]: Measures(r) for r in qs.values("contract_id", *kpis.MEASURES)}
    _attach(region, Grain.CONTRACT, rows, months=[month], group="contract_id")
    contracts = list(
        Contract.objects.filter(pk__in=rows).select_related(
            "provider", "segment__parent__parent__parent"
        )
    )
    norms = contract_norms(contracts)
    result = []
    for contract in sorted(contracts, key=lambda c: (c.provider.name, c.reference)):
        own = {k: n for (cid, k), n in norms.items() if cid == contract.pk}
        row = _row(Subject.contract(contract), contract, rows[contract.pk], month, norms=own)
        row.extra["norms"] = own
        result.append(row)
    return result


def municipality_rows(
    region, municipality, month: date, *, by: str, rollups=None, suppressed=False
) -> list[Row]:
    """The municipality's figures of the month per segment (``by="segment"``, judged against
    the segment's norm) or per provider (``by="provider"``)."""
    grain = Grain.SEGMENT_MUNICIPALITY if by == "segment" else Grain.PROVIDER_MUNICIPALITY
    member = "segment_id" if by == "segment" else "provider_id"
    found = {
        r[member]: Measures(r)
        for r in region_rollups(region, rollups)
        .filter(grain=grain, month=month, municipality=municipality)
        .values(member, *kpis.MEASURES)
    }
    _attach(
        region,
        grain,
        found,
        months=[month],
        group=member,
        rows=regional.RegionKpiRollup.objects.filter(municipality=municipality),
    )
    result = []
    if by == "segment":
        segments = _segments_with_parents(found)
        norms = segment_norms(segments)
        for segment in sorted(segments, key=lambda s: s.code):
            subject = Subject.segment_municipality(segment.pk, municipality.pk, str(segment))
            own = {k: n for (sid, k), n in norms.items() if sid == segment.pk}
            result.append(
                _row(subject, segment, found[segment.pk], month, suppressed=suppressed, norms=own)
            )
    else:
        for provider in Provider.objects.filter(pk__in=found).order_by("name"):
            subject = Subject.provider_municipality(provider.pk, municipality.pk, provider.name)
            result.append(_row(subject, provider, found[provider.pk], month, suppressed=suppressed))
    return result


# --- coverage ------------------------------------------------------------------------------------


@dataclass
class CoverageCell:
    youths: Figure
    wait: Figure
    level: str | None
    wait_count: int = 0


@dataclass
class Coverage:
    month: date
    first: date
    segments: list
    municipalities: list
    rows: list  # [(segment, [CoverageCell | None per municipality], norm)]


def coverage(region, month: date, *, rollups=None, suppressed=False) -> Coverage:
    """Segments × municipalities: unique youths of the month and the average wait time over the
    12 months through it, judged against the segment's wait-time norm. Three queries."""
    window = month_window(month)
    first = window[0]
    cells = {
        (r["segment_id"], r["municipality_id"]): r
        for r in region_rollups(region, rollups)
        .filter(grain=Grain.SEGMENT_MUNICIPALITY, month__gte=first, month__lte=month)
        .order_by()
        .values("segment_id", "municipality_id")
        .annotate(
            youths=Sum("youths", filter=Q(month=month)),
            wait_days=Sum("wait_days"),
            wait_count=Sum("wait_count"),
        )
    }
    segments = sorted(
        Segment.objects.filter(region=region).select_related("parent__parent__parent"),
        key=lambda s: s.code,
    )
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    norms = segment_norms(segments)
    rows = []
    for segment in segments:
        norm = norms.get((segment.pk, Kpi.WAIT_TIME))
        line = []
        for municipality in municipalities:
            data = cells.get((segment.pk, municipality.pk))
            if data is None:
                line.append(None)
                continue
            subject = Subject.segment_municipality(segment.pk, municipality.pk)
            measures = Measures(
                youths=data["youths"] or 0,
                wait_days=data["wait_days"] or 0,
                wait_count=data["wait_count"] or 0,
            )
            youths = kpi_figure(
                Kpi.UNIQUE_YOUTHS, measures, subject=subject, month=month, suppressed=suppressed
            )
            wait = Figure(
                kpis.value(Kpi.WAIT_TIME, measures),
                "dagen",
                query=drill_query(subject, first=first, last=month, kpi=Kpi.WAIT_TIME),
            )
            wait = suppress(wait, Kpi.WAIT_TIME, measures, suppressed)
            level = judge(wait.value, norm) if wait.shown else None
            line.append(CoverageCell(youths, wait, level, measures.wait_count))
        rows.append((segment, line, norm))
    return Coverage(month, first, segments, municipalities, rows)


# --- KPI definitions -----------------------------------------------------------------------------


UNIT_LABELS = {
    "aantal": gettext_lazy("aantal"),
    "euro": gettext_lazy("euro"),
    "dagen": gettext_lazy("dagen"),
    "procent": gettext_lazy("procent"),
    "cijfer": gettext_lazy("rapportcijfer 1-10"),
}
SOURCE_LABELS = {
    "declarations": gettext_lazy("declaratieregels"),
    "trajectories": gettext_lazy("trajecten"),
    "outcomes": gettext_lazy("uitkomstmetingen"),
    "occupancy": gettext_lazy("bezetting"),
}


def tile_kpis(region, *, segment=None, codes=None) -> tuple[list[str], list[str]]:
    """(the KPIs of a dashboard's tiles in order, the ones the segment steers on): the
    segment's steering KPIs first (its own, else its nearest ancestor's), then ``codes``
    (default the built-in tiles), then the region's own KPIs."""
    lead: list[str] = []
    node = segment
    while node is not None and not lead:
        lead = list(
            SteeringKpi.objects.filter(segment=node)
            .order_by("position")
            .values_list("kpi", flat=True)
        )
        node = node.parent
    base = list(codes if codes is not None else TILE_KPIS)
    own = [d.code for d in regional.for_region(region.pk)]
    known = set(base) | set(own) | set(DEFINITIONS)
    lead = [k for k in lead if k in known]
    ordered = lead + [k for k in base + own if k not in lead]
    return ordered, lead


def definitions(region=None) -> list[dict]:
    """Every KPI's label, unit, usual direction, definition, formula and source lines (the
    region's own KPIs after the built-in ones)."""
    from contracts.codes import Direction

    own = regional.for_region(region.pk) if region is not None else []
    return [
        {
            "code": d.code,
            "label": d.label,
            "unit": UNIT_LABELS.get(d.unit, d.unit),
            "direction": Direction(d.direction).label if d.direction else _("geen (volume)"),
            "definition": d.definition,
            "formula": formula(d.code),
            "source": SOURCE_LABELS.get(d.source, d.source),
            "regional": d.regional,
        }
        for d in [*DEFINITIONS.values(), *own]
    ]


# --- occupancy per facility ------------------------------------------------------------------


@dataclass
class FacilityTable:
    """One facility of a contract: its availability arrangements and its months."""

    name: str
    arrangements: list = field(default_factory=list)
    months: list = field(default_factory=list)


def contract_occupancy(contract) -> dict:
    """The occupancy of a contract per facility and month (``facilities``: FacilityTable, by
    name), the contract's total per month over all its occupancy lines (``totals``: month,
    occupied days, place days, figure, level against the contract's own norm, as the KPI) and
    that norm (``contract_norm``). ``contract`` has ``segment`` and its parents loaded."""
    arrangements = list(
        contract.arrangements.filter(model="availability").order_by("facility", "valid_from")
    )
    tables: dict[str, FacilityTable] = {}
    for a in arrangements:
        tables.setdefault(a.facility.casefold(), FacilityTable(a.facility)).arrangements.append(a)
    for figure in facility_months([contract]):
        key = figure.facility.casefold()
        tables.setdefault(key, FacilityTable(figure.facility)).months.append(figure)
    norm = contract_norms([contract]).get((contract.pk, Kpi.OCCUPANCY))
    totals = []
    rows = (
        Occupancy.objects.filter(contract=contract, active=True)
        .values("month")
        .annotate(occupied=Sum("occupied_days"))
        .order_by("month")
    )
    place_days: dict[date, int] = defaultdict(int)
    for month, places in Occupancy.objects.filter(contract=contract, active=True).values_list(
        "month", "places"
    ):
        place_days[month] += places * kpis.days_in_month(month)
    for row in rows:
        value = occupancy_pct(row["occupied"], place_days[row["month"]])
        totals.append(
            {
                "month": row["month"],
                "occupied": row["occupied"],
                "place_days": place_days[row["month"]],
                "value": value,
                "level": judge(value, norm),
            }
        )
    return {
        "facilities": sorted(tables.values(), key=lambda t: t.name.casefold()),
        "totals": totals,
        "contract_norm": norm,
    }


# --- drill-down totals ---------------------------------------------------------------------------

#: the drill-down's filters (``monitoring.dashboards.filters``) → the rollup grain they add up to
_LINE_GRAINS = {
    frozenset(): Grain.REGION,
    frozenset({"contract"}): Grain.CONTRACT,
    frozenset({"aanbieder"}): Grain.PROVIDER,
    frozenset({"segment"}): Grain.SEGMENT,
    frozenset({"gemeente"}): Grain.MUNICIPALITY,
    frozenset({"segment", "gemeente"}): Grain.SEGMENT_MUNICIPALITY,
    frozenset({"aanbieder", "gemeente"}): Grain.PROVIDER_MUNICIPALITY,
}
_GRAIN_FILTERS = {
    "contract": "contract",
    "aanbieder": "provider",
    "segment": "segment",
    "gemeente": "municipality",
}


def line_totals_from_rollups(
    region, kind: str, data: dict, first: date | None, last: date | None
) -> dict | None:
    """The drill-down's totals (lines, and the amount of declarations) read from the KPI
    rollups, or ``None`` when no rollup holds them — the caller then counts the lines.

    A rollup holds them when the filter is one of a grain's (region; contract; provider;
    segment; municipality; segment × municipality; provider × municipality — a contract
    filter with its own provider or segment is still the contract grain) over any range of
    months, for declarations (lines, amount: additive over months) and for trajectories
    started or ended in the period (additive) or running in one month. The caller makes sure
    the reader sees every line of the region (region staff): the rollups count them all."""
    data = {k: v for k, v in data.items() if v not in (None, "")}
    if kind == DatasetKind.DECLARATIONS:
        measures = {"lines": "declaration_lines", "amount": "amount"}
    elif kind == DatasetKind.TRAJECTORIES:
        count = data.get("telling") or "lopend"
        if count == "lopend" and (first is None or first != last):
            return None  # running in several months: not a sum of months
        column = {
            "lopend": "trajectories_active",
            "gestart": "trajectories_started",
            "beeindigd": "trajectories_ended",
        }[count]
        measures = {"lines": column}
    else:
        return None
    filters = {name for name in _GRAIN_FILTERS if data.get(name)}
    contract = data.get("contract")
    if contract is not None:
        # the contract's own provider and segment add nothing to the contract's filter
        if data.get("aanbieder") and data["aanbieder"].pk != contract.provider_id:
            return None
        if data.get("segment") and data["segment"].pk != contract.segment_id:
            return None
        filters -= {"aanbieder", "segment"}
    grain = _LINE_GRAINS.get(frozenset(filters))
    if grain is None:
        return None
    rows = KpiRollup.objects.filter(region=region, grain=grain)
    for name in filters:
        rows = rows.filter(**{_GRAIN_FILTERS[name]: data[name]})
    if first is not None:
        rows = rows.filter(month__gte=first)
    if last is not None:
        rows = rows.filter(month__lte=last)
    totals = rows.aggregate(**{name: Sum(column) for name, column in measures.items()})
    totals["lines"] = totals["lines"] or 0
    if "amount" in totals:
        totals["amount"] = totals["amount"] or Decimal("0.00")
    return totals
