"""Region-defined KPIs: their definitions next to the built-in ones, and their monthly rollups.

A region defines a KPI (``RegionKpi``) as one of three computations:

- **trajectory share**: of the trajectories that started (or ended) in the month — optionally
  only those of some care forms (iJw categories) — the share that meets every condition set:
  ended with one of the given CBS reasons; lasted at most N days (end − start + 1); had (or had
  no) *later trajectory* of the same youth in the region — one that started after this one's
  start and at most N months after its end, optionally only of some care forms;
- **measurement average**: the average value of one of the region's own measurement kinds in
  the outcome measurements taken in the month (optionally at one moment); for a yes/no kind
  the share of "ja";
- **ratio**: a ratio of two measures the built-in KPIs already add up (``MEASURES``), times a
  factor.

Inside the product a region KPI is known by its *topic* ``rk<pk>`` (norms, signals, tiles,
drill-downs); the region's own code is its name in the API.

Shares and averages are rolled up like ``KpiRollup``: per (month, contract, municipality) in
one set-based statement per chunk of months, summed per grain (trajectories and measurements
are counted, never distinct youths, so every grain is a sum). A later-trajectory condition
looks *forward*: a trajectory starting in month X changes the figures of the months up to
``later_months`` before it, so an import of trajectories refreshes those months too
(:func:`lookback_months`).
"""

# The SQL here is composed of table names from model metadata, integers, ISO dates of ``date``
# objects and codes the service checked against the code lists (and stripped of quotes).
# ruff: noqa: S608

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contracts.models import Contract
from core.ui.formatting import add_months
from monitoring.imports.models import (
    DatasetKind,
    OutcomeMeasurement,
    OutcomeMoment,
    Trajectory,
    ValueType,
)
from monitoring.kpis.definitions import MEASURES, _ratio
from monitoring.kpis.models import (
    Computation,
    Grain,
    LaterTrajectory,
    Population,
    RegionKpi,
    RegionKpiRollup,
)
from segments.models import Product

PREFIX = "rk"
#: the longest look-forward a later-trajectory condition may have
MAX_LATER_MONTHS = 24
HUNDRED = Decimal(100)


def is_regional(code: str) -> bool:
    return code.startswith(PREFIX) and code[len(PREFIX) :].isdigit()


@dataclass(frozen=True)
class RegionKpiDefinition:
    """A region KPI shaped like ``definitions.KpiDefinition`` (what pages and the API read)."""

    code: str  # the topic, rk<pk>
    api_code: str
    label: str
    unit: str
    direction: str
    definition: str
    computation: str
    region_id: int
    numerator: str = ""
    denominator: str | None = None
    scale: int = 1
    places: str = "0.1"
    source: str = "declarations"
    trajectory_count: str = "lopend"
    yes_no: bool = False
    regional: bool = True
    moment: str = ""
    measurement_code: str = ""
    formula: str = ""
    numerator_label: str = ""
    denominator_label: str = ""
    numerator_unit: str = "aantal"

    def counts(self, m) -> tuple[Decimal, Decimal]:
        """(numerator, denominator) of the figure in ``m``."""
        if self.computation == Computation.RATIO:
            return Decimal(getattr(m, self.numerator)), Decimal(getattr(m, self.denominator))
        num, den = getattr(m, "custom", {}).get(self.code, (0, 0))
        return Decimal(num), Decimal(den)

    def value(self, m) -> Decimal | None:
        num, den = self.counts(m)
        return _ratio(num, den, self.scale, self.places)

    def small_counts(self, m) -> list:
        """The counts a municipal user may not see a figure of when one is 1-4."""
        num, den = self.counts(m)
        if self.computation == Computation.TRAJECTORY_SHARE or self.yes_no:
            return [den, num]  # as the built-in shares (drop-out): denominator and numerator
        if self.computation == Computation.MEASUREMENT_AVERAGE:
            return [den]
        return [den]


def build(kpi: RegionKpi) -> RegionKpiDefinition:
    common: dict[str, Any] = {
        "code": kpi.topic,
        "api_code": kpi.code,
        "label": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "definition": kpi.definition,
        "computation": kpi.computation,
        "region_id": kpi.region_id,
    }
    if kpi.computation == Computation.TRAJECTORY_SHARE:
        population = _population_text(kpi)
        return RegionKpiDefinition(
            **common,
            scale=100,
            source="trajectories",
            trajectory_count="gestart" if kpi.population == Population.STARTED else "beeindigd",
            formula=_("%(population)s die voldoen (%(conditions)s) ÷ %(population)s × 100")
            % {"population": population, "conditions": conditions_text(kpi)},
            numerator_label=_("trajecten die voldoen"),
            denominator_label=population,
        )
    if kpi.computation == Computation.MEASUREMENT_AVERAGE:
        kind = kpi.measurement_kind
        yes_no = kind is not None and kind.value_type == ValueType.YES_NO
        where = _("metingen %(kind)s") % {"kind": kind.name if kind else "—"}
        if kpi.moment:
            where += " " + _("op meetmoment %(moment)s") % {
                "moment": OutcomeMoment(kpi.moment).label
            }
        if yes_no:
            formula = _("%(where)s met 'ja' ÷ %(where)s × 100") % {"where": where}
            numerator_label = _("metingen 'ja'")
        else:
            formula = _("som van de waarden van de %(where)s ÷ aantal %(where)s") % {"where": where}
            numerator_label = _("som van de waarden")
        return RegionKpiDefinition(
            **common,
            scale=100 if yes_no else 1,
            source="outcomes",
            yes_no=yes_no,
            places="0.1",
            moment=kpi.moment,
            measurement_code=kind.code if kind else "",
            formula=formula,
            numerator_label=numerator_label,
            denominator_label=_("metingen"),
            numerator_unit="aantal" if yes_no else "cijfer",
        )
    return RegionKpiDefinition(
        **common,
        numerator=kpi.numerator,
        denominator=kpi.denominator,
        scale=kpi.scale or 1,
        places="0.01" if kpi.unit == "euro" else "0.1",
        source=_ratio_source(kpi.numerator),
    )


def _population_text(kpi: RegionKpi) -> str:
    text = (
        _("trajecten gestart in de maand")
        if kpi.population == Population.STARTED
        else _("trajecten beëindigd in de maand")
    )
    if kpi.population_categories:
        text += " " + _("in zorgvorm %(codes)s") % {"codes": ", ".join(kpi.population_categories)}
    return text


def conditions_text(kpi: RegionKpi) -> str:
    """The conditions of a trajectory share in words."""
    parts = []
    if kpi.end_reasons:
        parts.append(_("reden einde %(codes)s") % {"codes": " of ".join(kpi.end_reasons)})
    if kpi.max_duration_days is not None:
        parts.append(_("duur hoogstens %(days)s dagen") % {"days": kpi.max_duration_days})
    if kpi.later:
        care = (
            " " + _("in zorgvorm %(codes)s") % {"codes": ", ".join(kpi.later_categories)}
            if kpi.later_categories
            else ""
        )
        text = (
            _("met een later traject%(care)s binnen %(months)s maanden na het einde")
            if kpi.later == LaterTrajectory.WITH
            else _("zonder later traject%(care)s binnen %(months)s maanden na het einde")
        )
        parts.append(text % {"care": care, "months": kpi.later_months})
    return "; ".join(parts)


def _ratio_source(measure: str) -> str:
    if measure in ("goal_sum", "goal_count", "experience_sum", "experience_count"):
        return "outcomes"
    if measure in ("occupied_days", "place_days"):
        return "occupancy"
    if measure in ("amount", "declaration_lines", "youths", "youths_residential"):
        return "declarations"
    return "trajectories"


# --- lookups ------------------------------------------------------------------------------------

#: topic → (definition, when read); a definition is read again after CACHE_SECONDS, so a name
#: changed in another process shows within that time (the figures never depend on the cache)
CACHE_SECONDS = 30
_cache: dict[str, tuple[RegionKpiDefinition, float]] = {}


def forget(kpi: RegionKpi | None = None) -> None:
    """Drop a definition (or all) from this process's cache, after a change."""
    if kpi is None:
        _cache.clear()
    else:
        for key in [k for k in _cache if k.split(":")[0] == kpi.topic]:
            _cache.pop(key, None)


def _key(topic: str) -> str:
    return f"{topic}:{get_language() or ''}"  # the texts are in the active language


def lookup(topic: str) -> RegionKpiDefinition | None:
    hit = _cache.get(_key(topic))
    now = time.monotonic()
    if hit and now - hit[1] < CACHE_SECONDS:
        return hit[0]
    kpi = (
        RegionKpi.objects.select_related("measurement_kind")
        .filter(pk=int(topic[len(PREFIX) :]))
        .first()
    )
    if kpi is None:
        _cache.pop(_key(topic), None)
        return None
    definition = build(kpi)
    _cache[_key(topic)] = (definition, now)
    return definition


def for_region(region_id: int) -> list[RegionKpiDefinition]:
    """The region's own KPIs (by name), freshly read."""
    now = time.monotonic()
    result = []
    for kpi in RegionKpi.objects.filter(region_id=region_id).select_related("measurement_kind"):
        definition = build(kpi)
        _cache[_key(kpi.topic)] = (definition, now)
        result.append(definition)
    return result


# --- custom measures on Measures ----------------------------------------------------------------


def rolled_up(region) -> bool:
    """Whether the region has KPIs with rollups of their own (shares, averages); read once per
    region object (a page loads its region once per request), so pages without them pay one
    query, not one per table."""
    known = getattr(region, "_region_kpis_rolled_up", None)
    if known is None:
        known = (
            RegionKpi.objects.filter(region_id=region.pk)
            .exclude(computation=Computation.RATIO)
            .exists()
        )
        region._region_kpis_rolled_up = known
    return known


def attach(
    region_id: int,
    grain: str,
    measures_by: dict,
    *,
    months=None,
    first=None,
    last=None,
    group: str = "month",
    key: str | None = None,
    keys=None,
    rows=None,
) -> None:
    """Put the region KPIs' (numerator, denominator) on ``Measures`` objects as ``custom``.

    ``measures_by`` maps a group value (the month, or a member id such as ``provider_id``)
    to its ``Measures``; ``group`` names the rollup column it is keyed by. Rows come from
    ``rows`` (a scoped ``RegionKpiRollup`` queryset) or all of the region's."""
    if not measures_by:
        return
    qs = rows if rows is not None else RegionKpiRollup.objects.all()
    qs = qs.filter(region_id=region_id, grain=grain)
    if key is not None:
        qs = qs.filter(key=key)
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    if months is not None:
        qs = qs.filter(month__in=list(months))
    if first is not None:
        qs = qs.filter(month__gte=first)
    if last is not None:
        qs = qs.filter(month__lte=last)
    for row in qs.values_list(group, "kpi_id", "numerator", "denominator"):
        target = measures_by.get(row[0]) if group != "__all__" else None
        if target is None:
            continue
        add_custom(target, f"{PREFIX}{row[1]}", row[2], row[3])


def attach_total(region_id: int, grain: str, key: str, measures, *, first, last, rows=None):
    """``custom`` of one member summed over first .. last, onto ``measures``."""
    qs = rows if rows is not None else RegionKpiRollup.objects.all()
    qs = qs.filter(region_id=region_id, grain=grain, key=key, month__gte=first, month__lte=last)
    for kpi_id, num, den in qs.values_list("kpi_id", "numerator", "denominator"):
        add_custom(measures, f"{PREFIX}{kpi_id}", num, den)


def add_custom(measures, topic: str, num, den) -> None:
    custom = measures.custom
    old = custom.get(topic, (Decimal(0), Decimal(0)))
    custom[topic] = (old[0] + Decimal(num), old[1] + Decimal(den))


# --- the rollup statement ----------------------------------------------------------------------


def _in_list(values) -> str:
    # only codes checked against the code lists by the service ever get here; quote-safe anyway
    return ", ".join("'" + str(v).replace("'", "") + "'" for v in sorted(values))


def _plus_months(pg: bool, column: str, months: int) -> str:
    months = int(months)
    if pg:
        return f"CAST({column} + INTERVAL '{months} months' AS DATE)"
    return f"date({column}, '+{months} months')"


def _days_between(pg: bool, later: str, earlier: str) -> str:
    if pg:
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _trajectory_fact(kpi: RegionKpi, region_id: int, pg: bool) -> str:
    traj = Trajectory._meta.db_table
    prod = Product._meta.db_table
    event = "t.started_on" if kpi.population == Population.STARTED else "t.ended_on"
    where = [f"t.region_id = {int(region_id)}", "t.active"]
    if kpi.population_categories:
        where.append(f"p.category IN ({_in_list(kpi.population_categories)})")
    conditions = []
    if kpi.end_reasons:
        conditions.append(f"t.end_reason IN ({_in_list(kpi.end_reasons)})")
    if kpi.max_duration_days is not None:
        duration = _days_between(pg, "t.ended_on", "t.started_on")
        conditions.append(
            f"(t.ended_on IS NOT NULL AND {duration} + 1 <= {int(kpi.max_duration_days)})"
        )
    if kpi.later in (LaterTrajectory.WITH, LaterTrajectory.WITHOUT):
        category = ""
        join = ""
        if kpi.later_categories:
            join = f" JOIN {prod} lp ON lp.id = o.product_id"
            category = f" AND lp.category IN ({_in_list(kpi.later_categories)})"
        exists = (
            f"EXISTS (SELECT 1 FROM {traj} o{join} WHERE o.region_id = t.region_id "
            f"AND o.client_key = t.client_key AND o.active AND o.id <> t.id "
            f"AND o.started_on > t.started_on "
            f"AND o.started_on <= {_plus_months(pg, 't.ended_on', kpi.later_months or 0)}"
            f"{category})"
        )
        conditions.append(
            f"(t.ended_on IS NOT NULL AND {exists})"
            if kpi.later == LaterTrajectory.WITH
            else f"(t.ended_on IS NOT NULL AND NOT {exists})"
        )
    hit = " AND ".join(conditions) if conditions else "1 = 1"
    return (
        f"SELECT {int(kpi.pk)} AS kpi_id, mon.m, t.contract_id, t.municipality_id, "
        f"CASE WHEN {hit} THEN 1 ELSE 0 END AS num, 1 AS den "
        f"FROM {traj} t JOIN mon ON {event} >= mon.m AND {event} < mon.nxt "
        f"JOIN {prod} p ON p.id = t.product_id WHERE {' AND '.join(where)}"
    )


def _measurement_fact(kpi: RegionKpi, region_id: int) -> str:
    outc = OutcomeMeasurement._meta.db_table
    moment = f" AND o.moment = '{kpi.moment}'" if kpi.moment else ""
    return (
        f"SELECT {int(kpi.pk)} AS kpi_id, mon.m, o.contract_id, o.municipality_id, "
        f"o.measurement_value AS num, 1 AS den "
        f"FROM {outc} o JOIN mon ON o.measured_on >= mon.m AND o.measured_on < mon.nxt "
        f"WHERE o.region_id = {int(region_id)} AND o.active "
        f"AND o.measurement_kind_id = {int(kpi.measurement_kind_id)}{moment}"
    )


_GRAINS = {
    Grain.REGION: ((), "'r'", False),
    Grain.SEGMENT: (("segment_id",), "'s' || a.segment_id", False),
    Grain.PROVIDER: (("provider_id",), "'p' || a.provider_id", False),
    Grain.CONTRACT: (("contract_id", "segment_id", "provider_id"), "'c' || a.contract_id", False),
    Grain.MUNICIPALITY: (("municipality_id",), "'m' || a.municipality_id", True),
    Grain.SEGMENT_MUNICIPALITY: (
        ("segment_id", "municipality_id"),
        "'s' || a.segment_id || '-m' || a.municipality_id",
        True,
    ),
    Grain.PROVIDER_MUNICIPALITY: (
        ("provider_id", "municipality_id"),
        "'p' || a.provider_id || '-m' || a.municipality_id",
        True,
    ),
}
assert set(_GRAINS) == set(Grain.values)
NO_ID = "CAST(NULL AS BIGINT)"


def _sql(kpis: list[RegionKpi], region_id: int, months: list[date], pg: bool) -> str:
    def day(d: date) -> str:
        text = date.isoformat(d)
        return f"DATE '{text}'" if pg else f"'{text}'"

    mon_rows = ", ".join(
        f"({day(m)}, {day(add_months(m, 1))}, {calendar.monthrange(m.year, m.month)[1]})"
        for m in months
    )
    facts = []
    for kpi in kpis:
        if kpi.computation == Computation.TRAJECTORY_SHARE:
            facts.append(_trajectory_fact(kpi, region_id, pg))
        elif kpi.computation == Computation.MEASUREMENT_AVERAGE and kpi.measurement_kind_id:
            facts.append(_measurement_fact(kpi, region_id))
    if not facts:
        return ""
    union = " UNION ALL ".join(facts)
    ctr = Contract._meta.db_table
    selects = []
    for grain, (columns, key, municipal) in _GRAINS.items():
        ids = [
            f"a.{c}" if c in columns else NO_ID
            for c in ("segment_id", "provider_id", "contract_id", "municipality_id")
        ]
        where = "WHERE a.municipality_id IS NOT NULL " if municipal else ""
        inner = ", ".join(f"a.{c}" for c in ["kpi_id", "m", *columns])
        selects.append(
            f"SELECT {int(region_id)}, a.kpi_id, a.m, '{grain}', {key}, {', '.join(ids)}, "
            f"SUM(a.num), SUM(a.den) FROM ad a {where}GROUP BY {inner}"
        )
    table = RegionKpiRollup._meta.db_table
    return f"""
INSERT INTO {table} (region_id, kpi_id, month, grain, key, segment_id, provider_id, contract_id,
    municipality_id, numerator, denominator)
WITH mon (m, nxt, days) AS (VALUES {mon_rows}),
ad AS (
    SELECT f.kpi_id, f.m, f.contract_id, c.segment_id, c.provider_id,
           f.municipality_id, SUM(f.num) AS num, SUM(f.den) AS den
    FROM ({union}) f JOIN {ctr} c ON c.id = f.contract_id
    GROUP BY f.kpi_id, f.m, f.contract_id, c.segment_id, c.provider_id, f.municipality_id
)
{" UNION ALL ".join(selects)}
"""  # noqa: S608


CHUNK_MONTHS = 12


def refresh_months(region_id: int, months: list[date], *, kpis=None) -> int:
    """Recompute the region KPIs' rollups of ``months`` (delete + insert; the caller holds the
    transaction). ``kpis``: only these (default: all of the region's)."""
    if not months:
        return 0
    if kpis is None:
        kpis = list(RegionKpi.objects.filter(region_id=region_id))
    kpis = [k for k in kpis if k.computation != Computation.RATIO]
    if not kpis:
        return 0
    pg = connection.vendor == "postgresql"
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(months), CHUNK_MONTHS):
            chunk = months[start : start + CHUNK_MONTHS]
            RegionKpiRollup.objects.filter(
                region_id=region_id, kpi__in=kpis, month__in=chunk
            ).delete()
            sql = _sql(kpis, region_id, chunk, pg)
            if sql:
                cursor.execute(sql)
                written += max(cursor.rowcount, 0)
    return written


#: the import kinds each computation reads lines of (``_trajectory_fact``, ``_measurement_fact``);
#: a ratio reads the built-in measures and has no rollup of its own
READS = {
    Computation.TRAJECTORY_SHARE: frozenset({DatasetKind.TRAJECTORIES}),
    Computation.MEASUREMENT_AVERAGE: frozenset({DatasetKind.OUTCOMES}),
    Computation.RATIO: frozenset(),
}
assert set(READS) == set(Computation.values)


def reading(region_id: int, kind: str) -> list[RegionKpi]:
    """The region's KPIs whose rollups an import of ``kind`` can change: those whose
    computation reads lines of that kind (a declaration import changes none)."""
    computations = [c for c, kinds in READS.items() if kind in kinds]
    if not computations:
        return []
    return list(RegionKpi.objects.filter(region_id=region_id, computation__in=computations))


def lookback_months(region_id: int) -> int:
    """How many months before a new trajectory a region KPI's figure can change (its longest
    later-trajectory window)."""
    windows = RegionKpi.objects.filter(
        region_id=region_id,
        computation=Computation.TRAJECTORY_SHARE,
        later__in=[LaterTrajectory.WITH, LaterTrajectory.WITHOUT],
    ).values_list("later_months", flat=True)
    return max([w or 0 for w in windows], default=0)


__all__ = [
    "MAX_LATER_MONTHS",
    "MEASURES",
    "RegionKpiDefinition",
    "attach",
    "attach_total",
    "build",
    "for_region",
    "forget",
    "is_regional",
    "lookback_months",
    "lookup",
    "reading",
    "refresh_months",
]
