"""KPI rollups: the additive measures of every month at every grain, computed in the database.

``KpiRollup`` holds one row per (region, month, grain, key) with the measures the KPIs of
``monitoring.kpis.definitions`` are ratios of. The rows are computed by set-based SQL (one
``INSERT ... SELECT ... GROUP BY`` per chunk of months), never by looping over lines in
Python, and are
refreshed incrementally: an import refreshes only the months it can change
(:func:`refresh_for_import`), deleting those months' rows of the region and inserting them anew.

How one refresh works (one statement per chunk of months, portable between SQLite and
PostgreSQL; the CTE names are those of :func:`_rollup_sql`):

1. ``mon`` lists the months (first day, first day of the next month, days in the month).
2. ``tr``: the trajectories running in the month (one read of the region's trajectories), with
   their started / ended / drop-out / duration flags.
3. ``st`` .. ``s``: the trajectories started in the month, *joined* (no per-row lookups) with
   the client's other trajectories in the region — ``ROW_NUMBER`` picks the predecessor, the
   latest-started one that still ran at the start or ended at most ``TRANSFER_DAYS`` before it;
   without one, a trajectory ended ``TRANSFER_DAYS + 1`` .. ``REENTRY_DAYS`` days before makes
   a re-entry — and with the referrals to the same contract and client (wait time: start −
   the latest referral on or before it).
4. Unique youths: ``pc`` groups the presence rows (the month's declarations and ``tr``) per
   client. A client whose rows all lie in one (contract, municipality) belongs to exactly one
   member of every grain, so those are counted per (contract, municipality) (``sg``) and summed
   per grain; only the others (``mp``: several contracts or municipalities) are counted
   distinct per member of each grain. A youth with two providers is thus one youth of the
   segment and the region and one of each provider — with one hash aggregation over the
   month's lines instead of one per grain.
5. ``ad``: the additive measures per (month, contract, municipality), every source
   pre-aggregated (declarations, ``tr``, starts, outcome measurements at moment "einde",
   occupancy — which has no municipality and so feeds only the region, segment, provider and
   contract grains). Each grain sums ``ad`` and joins its youths.

The contract's provider and segment (``Contract``) place a line in the provider and segment
grains; the segment grain is the contract's own segment (a parent segment is not a sum of its
sub-segments: youths would count twice). Only ``active`` lines count. Contract rows carry
segment, provider and contract; the combined grains carry both of their members.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Max, Min

from contracts.models import Contract
from core.ui.formatting import add_months, month_of, month_range
from monitoring.imports.models import (
    DROPOUT_REASONS,
    DatasetKind,
    Declaration,
    Occupancy,
    OutcomeMeasurement,
    OutcomeMoment,
    Referral,
    Trajectory,
)
from monitoring.kpis import regional
from monitoring.kpis.definitions import (
    CRISIS_CATEGORIES,
    REENTRY_DAYS,
    RESIDENTIAL_CATEGORIES,
    TRANSFER_DAYS,
)
from monitoring.kpis.models import Grain, KpiRollup, RegionKpiRollup, SettlementRollup
from segments.models import Product, Region

#: months per statement: bounds the size of the materialised facts on a full refresh
CHUNK_MONTHS = 6
#: PostgreSQL work_mem for the refresh transaction
WORK_MEM = "256MB"
#: how far after a trajectory's end (or a referral) a change can still alter a KPI: the
#: re-entry window (REENTRY_DAYS) in whole months
LOOKAHEAD_MONTHS = 12

MEASURE_COLUMNS = (
    "youths",
    "youths_residential",
    "trajectories_active",
    "trajectories_started",
    "trajectories_ended",
    "amount",
    "declaration_lines",
    "dropouts",
    "duration_days",
    "wait_days",
    "wait_count",
    "step_ups",
    "step_downs",
    "reentries",
    "goal_sum",
    "goal_count",
    "experience_sum",
    "experience_count",
    "occupied_days",
    "place_days",
)


# --- months ----------------------------------------------------------------------------------


# --- dialect ---------------------------------------------------------------------------------


class _Dialect:
    """The few fragments that differ between SQLite and PostgreSQL."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def date(self, day: date) -> str:
        # A ``date`` object's ISO text: nothing from outside ends up in the SQL text.
        text = date.isoformat(day)
        return f"DATE '{text}'" if self.pg else f"'{text}'"

    def days_between(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def minus_days(self, day: str, days: int) -> str:
        days = int(days)
        if self.pg:
            return f"({day} - {days})"
        return f"date({day}, '-{days} days')"


def _in_list(values) -> str:
    return ", ".join(f"'{v}'" for v in sorted(str(v) for v in values))


def _care_level(column: str) -> str:
    """SQL twin of ``kpis.care_level``."""
    return (
        f"CASE WHEN {column} IN ({_in_list(CRISIS_CATEGORIES)}) THEN 3 "
        f"WHEN {column} IN ({_in_list(RESIDENTIAL_CATEGORIES)}) THEN 2 ELSE 1 END"
    )


def _residential(column: str) -> str:
    return f"CASE WHEN {column} IN ({_in_list(RESIDENTIAL_CATEGORIES)}) THEN 1 ELSE 0 END"


# --- the statement ---------------------------------------------------------------------------

# The additive facts: per (month, contract, municipality) sums of these, from every source.
_FACT_MEASURES = (
    "amount",
    "lines",
    "running",
    "started",
    "ended",
    "dropouts",
    "duration",
    "wait_days",
    "wait_count",
    "step_ups",
    "step_downs",
    "reentries",
    "goal_sum",
    "goal_count",
    "exp_sum",
    "exp_count",
    "occupied",
    "place_days",
)

# KpiRollup column -> the fact it sums (youths come from the presence rows)
_SUMS = {
    "trajectories_active": "running",
    "trajectories_started": "started",
    "trajectories_ended": "ended",
    "amount": "amount",
    "declaration_lines": "lines",
    "dropouts": "dropouts",
    "duration_days": "duration",
    "wait_days": "wait_days",
    "wait_count": "wait_count",
    "step_ups": "step_ups",
    "step_downs": "step_downs",
    "reentries": "reentries",
    "goal_sum": "goal_sum",
    "goal_count": "goal_count",
    "experience_sum": "exp_sum",
    "experience_count": "exp_count",
    "occupied_days": "occupied",
    "place_days": "place_days",
}
assert set(_SUMS) | {"youths", "youths_residential"} == set(MEASURE_COLUMNS)
assert set(_SUMS.values()) == set(_FACT_MEASURES)

#: decimal places of the non-integer facts (SQLite sums them as floats)
_PLACES = {"amount": 2, "goal_sum": 1, "exp_sum": 1, "occupied": 1}

#: a typed NULL: PostgreSQL cannot match an untyped NULL column of one UNION branch
NO_ID = "CAST(NULL AS BIGINT)"


@dataclass(frozen=True)
class _GrainSpec:
    columns: tuple[str, ...]  # what the grain groups by (besides the month)
    key: str  # SQL of the key, over the columns prefixed "a."
    municipal: bool = False  # only rows with a municipality (occupancy has none)

    def column(self, name: str) -> str:
        return f"a.{name}" if name in self.columns else NO_ID


_GRAINS = {
    Grain.REGION: _GrainSpec((), "'r'"),
    Grain.SEGMENT: _GrainSpec(("segment_id",), "'s' || a.segment_id"),
    Grain.PROVIDER: _GrainSpec(("provider_id",), "'p' || a.provider_id"),
    Grain.CONTRACT: _GrainSpec(
        ("contract_id", "segment_id", "provider_id"), "'c' || a.contract_id"
    ),
    Grain.MUNICIPALITY: _GrainSpec(("municipality_id",), "'m' || a.municipality_id", True),
    Grain.SEGMENT_MUNICIPALITY: _GrainSpec(
        ("segment_id", "municipality_id"), "'s' || a.segment_id || '-m' || a.municipality_id", True
    ),
    Grain.PROVIDER_MUNICIPALITY: _GrainSpec(
        ("provider_id", "municipality_id"),
        "'p' || a.provider_id || '-m' || a.municipality_id",
        True,
    ),
}
assert set(_GRAINS) == set(Grain.values)


def _fact(m, contract, municipality, **measures) -> str:
    """One SELECT list in the additive fact shape; measures not given are 0."""
    unknown = set(measures) - set(_FACT_MEASURES)
    assert not unknown, unknown
    values = [f"{measures.get(name, '0')} AS {name}" for name in _FACT_MEASURES]
    return ", ".join([f"{m} AS m", f"{contract} AS contract_id", f"{municipality} AS mun", *values])


def _grain_select(region_id: int, grain: str, spec: _GrainSpec) -> str:
    """One grain: the additive sums (``ad``) with the unique youths joined on.

    Youths: a client whose presence rows of the month all lie in one (contract, municipality)
    belongs to exactly one member of every grain, so those clients are counted once per
    (contract, municipality) (``sg``) and summed; only the few others (``mp``: several
    contracts or municipalities) are counted distinct per member of the grain."""
    cols = ", ".join(["m", *spec.columns])
    where = "WHERE municipality_id IS NOT NULL " if spec.municipal else ""
    sums = ", ".join(
        f"ROUND(SUM({f}), {_PLACES[f]}) AS {f}" if f in _PLACES else f"SUM({f}) AS {f}"
        for f in _FACT_MEASURES
    )
    on = " AND ".join(f"y.{c} = a.{c}" for c in ["m", *spec.columns])
    measures = []
    for column in MEASURE_COLUMNS:
        if column == "youths":
            measures.append("COALESCE(y.youths, 0)")
        elif column == "youths_residential":
            measures.append("COALESCE(y.residential, 0)")
        else:
            measures.append(f"a.{_SUMS[column]}")
    ids = [spec.column(c) for c in ("segment_id", "provider_id", "contract_id", "municipality_id")]
    return f"""
SELECT {int(region_id)}, a.m, '{grain}', {spec.key}, {", ".join(ids)}, {", ".join(measures)}
FROM (SELECT {cols}, {sums} FROM ad {where}GROUP BY {cols}) a
LEFT JOIN (
    SELECT {cols}, SUM(youths) AS youths, SUM(residential) AS residential
    FROM (
        SELECT {cols}, youths, residential FROM sg
        UNION ALL
        SELECT {cols}, 1, MAX(res) FROM mp GROUP BY {cols}, client_key
    ) q
    GROUP BY {cols}
) y ON {on}
"""  # noqa: S608


def _rollup_sql(dialect: _Dialect, region_id: int, months: list[date]) -> str:
    region_id = int(region_id)
    d = dialect
    decl = Declaration._meta.db_table
    traj = Trajectory._meta.db_table
    ref = Referral._meta.db_table
    outc = OutcomeMeasurement._meta.db_table
    occ = Occupancy._meta.db_table
    prod = Product._meta.db_table
    ctr = Contract._meta.db_table
    rollup = KpiRollup._meta.db_table

    mon_rows = ", ".join(
        f"({d.date(m)}, {d.date(add_months(m, 1))}, {calendar.monthrange(m.year, m.month)[1]})"
        for m in months
    )
    month_list = ", ".join(d.date(m) for m in months)
    # the chunk's bounds as literals too (the joins on ``mon`` decide): with them the planner
    # knows how many trajectories a month reaches; with only ``mon``'s columns it guesses a
    # third and walks an index for nearly all of them (slower than reading the table)
    first, last_next = d.date(min(months)), d.date(add_months(max(months), 1))
    dropout_list = _in_list(DROPOUT_REASONS)
    end_moment = str(OutcomeMoment.END.value)

    declarations = _fact("m", "contract_id", "municipality_id", amount="amount", lines="lines")
    running = _fact(
        "m",
        "contract_id",
        "municipality_id",
        running="running",
        started="started",
        ended="ended",
        dropouts="dropouts",
        duration="duration",
    )
    starts = _fact(
        "s.m",
        "s.contract_id",
        "s.municipality_id",
        wait_days=f"CASE WHEN s.referred_on IS NULL THEN 0 "
        f"ELSE {d.days_between('s.started_on', 's.referred_on')} END",
        wait_count="CASE WHEN s.referred_on IS NULL THEN 0 ELSE 1 END",
        step_ups="CASE WHEN s.prev_level < s.level THEN 1 ELSE 0 END",
        step_downs="CASE WHEN s.prev_level > s.level THEN 1 ELSE 0 END",
        reentries="CASE WHEN s.prev_level IS NULL AND s.ended_before = 1 THEN 1 ELSE 0 END",
    )
    outcomes = _fact(
        "mon.m",
        "o.contract_id",
        "o.municipality_id",
        goal_sum="COALESCE(o.goal_realisation, 0)",
        goal_count="CASE WHEN o.goal_realisation IS NULL THEN 0 ELSE 1 END",
        exp_sum="COALESCE(o.client_experience, 0)",
        exp_count="CASE WHEN o.client_experience IS NULL THEN 0 ELSE 1 END",
    )
    occupancy = _fact(
        "b.month",
        "b.contract_id",
        NO_ID,
        occupied="b.occupied_days",
        place_days="b.places * mon.days",
    )
    residential = _residential("p.category")
    transfer_from = d.minus_days("st.started_on", TRANSFER_DAYS)
    reentry_from = d.minus_days("st.started_on", REENTRY_DAYS)
    reentry_to = d.minus_days("st.started_on", TRANSFER_DAYS + 1)
    # the other trajectory still ran at the start or ended at most TRANSFER_DAYS before it
    continues = f"CASE WHEN o.ended_on IS NULL OR o.ended_on >= {transfer_from} THEN 1 ELSE 0 END"
    # the youths of the month: a declaration or a running trajectory (inlined twice: cheaper
    # than materialising every presence row)
    presence = f"""
SELECT d.month AS m, d.contract_id, d.municipality_id, d.client_key, {residential} AS res
FROM {decl} d JOIN {prod} p ON p.id = d.product_id
WHERE d.region_id = {region_id} AND d.active AND d.month IN ({month_list})
UNION ALL SELECT m, contract_id, municipality_id, client_key, res FROM tr
"""  # noqa: S608
    columns = ", ".join(
        [
            "region_id",
            "month",
            "grain",
            "key",
            "segment_id",
            "provider_id",
            "contract_id",
            "municipality_id",
            *MEASURE_COLUMNS,
        ]
    )
    fact_sums = ", ".join(f"SUM(v.{f}) AS {f}" for f in _FACT_MEASURES)
    grains = " UNION ALL ".join(_grain_select(region_id, g, spec) for g, spec in _GRAINS.items())
    # Only ints, ISO dates of ``date`` objects and this module's constants enter the text.
    # INSERT first: Python's sqlite3 reports rowcount only for statements that start with it.
    return f"""
INSERT INTO {rollup} ({columns})
WITH mon (m, nxt, days) AS (VALUES {mon_rows}),
tr AS (
    SELECT mon.m, t.contract_id, t.municipality_id, t.client_key, {residential} AS res,
        CASE WHEN t.started_on >= mon.m THEN 1 ELSE 0 END AS started,
        CASE WHEN t.ended_on < mon.nxt THEN 1 ELSE 0 END AS ended,
        CASE WHEN t.ended_on < mon.nxt AND t.end_reason IN ({dropout_list})
            THEN 1 ELSE 0 END AS dropouts,
        CASE WHEN t.ended_on < mon.nxt
            THEN {d.days_between("t.ended_on", "t.started_on")} + 1 ELSE 0 END AS duration
    FROM {traj} t
    JOIN mon ON t.started_on < mon.nxt AND (t.ended_on IS NULL OR t.ended_on >= mon.m)
    JOIN {prod} p ON p.id = t.product_id
    WHERE t.region_id = {region_id} AND t.active
        AND t.started_on < {last_next} AND (t.ended_on IS NULL OR t.ended_on >= {first})
),
st AS (
    SELECT t.id, mon.m, t.region_id, t.contract_id, t.municipality_id, t.client_key,
           t.started_on, {_care_level("p.category")} AS level
    FROM {traj} t
    JOIN mon ON t.started_on >= mon.m AND t.started_on < mon.nxt
    JOIN {prod} p ON p.id = t.product_id
    WHERE t.region_id = {region_id} AND t.active
        AND t.started_on >= {first} AND t.started_on < {last_next}
),
po AS (
    SELECT st.id, {_care_level("op.category")} AS o_level, {continues} AS cont,
           CASE WHEN o.ended_on <= {reentry_to} THEN 1 ELSE 0 END AS ended_before,
           ROW_NUMBER() OVER (
               PARTITION BY st.id ORDER BY {continues} DESC, o.started_on DESC, o.id DESC
           ) AS rn
    FROM st
    JOIN {traj} o ON o.region_id = st.region_id AND o.client_key = st.client_key AND o.active
        AND o.id <> st.id AND o.started_on < st.started_on
        AND (o.ended_on IS NULL OR o.ended_on >= {reentry_from})
    JOIN {prod} op ON op.id = o.product_id
),
pv AS (
    SELECT id, MAX(CASE WHEN rn = 1 AND cont = 1 THEN o_level END) AS prev_level,
           MAX(ended_before) AS ended_before
    FROM po GROUP BY id
),
rf AS (
    SELECT st.id, MAX(r.referred_on) AS referred_on
    FROM st
    JOIN {ref} r ON r.contract_id = st.contract_id AND r.client_key = st.client_key
        AND r.active AND r.referred_on <= st.started_on
    GROUP BY st.id
),
s AS (
    SELECT st.m, st.contract_id, st.municipality_id, st.started_on, st.level, rf.referred_on,
           pv.prev_level, COALESCE(pv.ended_before, 0) AS ended_before
    FROM st LEFT JOIN rf ON rf.id = st.id LEFT JOIN pv ON pv.id = st.id
),
pc AS (
    SELECT m, client_key, MAX(res) AS res,
           CASE WHEN MIN(contract_id) = MAX(contract_id)
                 AND MIN(municipality_id) = MAX(municipality_id) THEN MIN(contract_id) END AS one,
           MIN(municipality_id) AS municipality_id
    FROM ({presence}) u
    GROUP BY m, client_key
),
sg AS (
    SELECT g.m, g.contract_id, c.segment_id, c.provider_id, g.municipality_id, g.youths,
           g.residential
    FROM (SELECT m, one AS contract_id, municipality_id, COUNT(*) AS youths,
                 SUM(res) AS residential
          FROM pc WHERE one IS NOT NULL GROUP BY m, one, municipality_id) g
    JOIN {ctr} c ON c.id = g.contract_id
),
mp AS (
    SELECT u.m, u.contract_id, c.segment_id, c.provider_id, u.municipality_id, u.client_key,
           MAX(u.res) AS res
    FROM ({presence}) u
    JOIN pc ON pc.m = u.m AND pc.client_key = u.client_key AND pc.one IS NULL
    JOIN {ctr} c ON c.id = u.contract_id
    GROUP BY u.m, u.contract_id, c.segment_id, c.provider_id, u.municipality_id, u.client_key
),
ad AS (
    SELECT v.m, v.contract_id, c.segment_id, c.provider_id, v.mun AS municipality_id,
           {fact_sums}
    FROM (
        SELECT {declarations}
        FROM (SELECT month AS m, contract_id, municipality_id, SUM(amount) AS amount,
                     COUNT(*) AS lines
              FROM {decl}
              WHERE region_id = {region_id} AND active AND month IN ({month_list})
              GROUP BY month, contract_id, municipality_id) dg
        UNION ALL
        SELECT {running}
        FROM (SELECT m, contract_id, municipality_id, COUNT(*) AS running,
                     SUM(started) AS started, SUM(ended) AS ended, SUM(dropouts) AS dropouts,
                     SUM(duration) AS duration
              FROM tr GROUP BY m, contract_id, municipality_id) tg
        UNION ALL
        SELECT {starts} FROM s
        UNION ALL
        SELECT {outcomes}
        FROM {outc} o JOIN mon ON o.measured_on >= mon.m AND o.measured_on < mon.nxt
        WHERE o.region_id = {region_id} AND o.active AND o.moment = '{end_moment}'
        UNION ALL
        SELECT {occupancy}
        FROM {occ} b JOIN mon ON b.month = mon.m
        WHERE b.region_id = {region_id} AND b.active
    ) v JOIN {ctr} c ON c.id = v.contract_id
    GROUP BY v.m, v.contract_id, c.segment_id, c.provider_id, v.mun
)
{grains}
"""  # noqa: S608


# --- refreshing ------------------------------------------------------------------------------


def _normalise(months: Iterable[date]) -> list[date]:
    return sorted({month_of(m) for m in months})


def refresh_months(region_id: int, months: Iterable[date], *, kind: str | None = None) -> int:
    """Recompute all grains of ``months`` for the region (delete + insert); rows written.

    ``kind``: the import kind whose lines changed; the region's own KPIs are then recomputed
    only where their computation reads that kind (``regional.reading``; none for declarations)."""
    months = _normalise(months)
    if not months:
        return 0
    dialect = _Dialect(connection.vendor)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # one refresh of a region at a time (two imports at once would insert the same keys)
        list(Region.objects.select_for_update().filter(pk=region_id).values_list("pk"))
        if dialect.pg:
            # room to hash-aggregate a month's lines per client in memory (this transaction only)
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            # JIT-compiling this wide statement costs seconds and saves nothing
            cursor.execute("SET LOCAL jit = off")
        for start in range(0, len(months), CHUNK_MONTHS):
            chunk = months[start : start + CHUNK_MONTHS]
            month_list = ", ".join(dialect.date(m) for m in chunk)
            cursor.execute(
                f"DELETE FROM {KpiRollup._meta.db_table} "  # noqa: S608
                f"WHERE region_id = {int(region_id)} AND month IN ({month_list})"
            )
            cursor.execute(_rollup_sql(dialect, region_id, chunk))
            written += max(cursor.rowcount, 0)
            _refresh_settlement(cursor, region_id, month_list)
        kpis = None if kind is None else regional.reading(region_id, kind)
        if kpis is None or kpis:
            written += regional.refresh_months(region_id, months, kpis=kpis)
    return written


def _settlement_sql(region_id: int, month_list: str) -> str:
    """The settlement rollup of the months (``month_list``: SQL dates of this module): the
    active declaration lines per contract, product, month and unit."""
    rollup = SettlementRollup._meta.db_table
    decl = Declaration._meta.db_table
    # Only an int and ISO dates of ``date`` objects enter the text.
    return f"""
INSERT INTO {rollup} (region_id, contract_id, product_id, month, unit, quantity, amount, lines)
SELECT region_id, contract_id, product_id, month, unit,
    ROUND(SUM(quantity), 2), ROUND(SUM(amount), 2), COUNT(*)
FROM {decl}
WHERE region_id = {int(region_id)} AND active AND month IN ({month_list})
GROUP BY region_id, contract_id, product_id, month, unit
"""  # noqa: S608


def _refresh_settlement(cursor, region_id: int, month_list: str) -> None:
    cursor.execute(
        f"DELETE FROM {SettlementRollup._meta.db_table} "  # noqa: S608
        f"WHERE region_id = {int(region_id)} AND month IN ({month_list})"
    )
    cursor.execute(_settlement_sql(region_id, month_list))


def refresh_settlement(region_id: int, months: Iterable[date]) -> None:
    """Only the settlement rollup of ``months`` (the KPI rollups stay as they are): for data
    written without an import, e.g. a test's lines."""
    months = _normalise(months)
    if not months:
        return
    dialect = _Dialect(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(months), CHUNK_MONTHS):
            chunk = months[start : start + CHUNK_MONTHS]
            _refresh_settlement(cursor, region_id, ", ".join(dialect.date(m) for m in chunk))


def data_bounds(region_id: int) -> tuple[date, date] | None:
    """The first and the last month with any production line of the region (inactive lines
    too, so a month whose lines were all corrected away is still refreshed), or ``None``."""
    lows, highs = [], []
    sources = (
        (Declaration, ("month",)),
        (Trajectory, ("started_on", "ended_on")),
        (Referral, ("referred_on",)),
        (OutcomeMeasurement, ("measured_on",)),
        (Occupancy, ("month",)),
    )
    for model, fields in sources:
        aggregates = {}
        for name in fields:
            aggregates[f"lo_{name}"] = Min(name)
            aggregates[f"hi_{name}"] = Max(name)
        row = model.objects.filter(region_id=region_id).aggregate(**aggregates)
        lows += [v for k, v in row.items() if k.startswith("lo_") and v]
        highs += [v for k, v in row.items() if k.startswith("hi_") and v]
    if not lows:
        return None
    return month_of(min(lows)), month_of(max(highs))


def months_for_import(
    region_id: int, kind: str, spans: Iterable[tuple[date, date | None]]
) -> list[date]:
    """The months whose KPIs lines of ``kind`` covering ``spans`` can change.

    - declarations, occupancy, outcome measurements: the months of the spans;
    - trajectories: start month through end month (an open trajectory: through the last month
      with data), plus ``LOOKAHEAD_MONTHS`` after the end month (re-entries and steps of later
      trajectories look back at it);
    - referrals: the referral month and the ``LOOKAHEAD_MONTHS`` after it (the wait time of
      trajectories starting then; a referral older than that at the start needs
      ``refresh_region``);
    - allocations: none (no KPI uses them).

    Trajectory and referral months are capped at the last month with data in the region."""
    spans = [(s, e) for s, e in spans if s is not None]
    if not spans or kind == DatasetKind.ALLOCATIONS:
        return []
    months: set[date] = set()
    if kind in (DatasetKind.DECLARATIONS, DatasetKind.OCCUPANCY, DatasetKind.OUTCOMES):
        for start, end in spans:
            months.update(month_range(start, end or start))
        return sorted(months)
    bounds = data_bounds(region_id)
    if bounds is None:
        return []
    last = bounds[1]
    for start, end in spans:
        if kind == DatasetKind.TRAJECTORIES:
            through = add_months(month_of(end), LOOKAHEAD_MONTHS) if end else last
        elif kind == DatasetKind.REFERRALS:
            through = add_months(month_of(start), LOOKAHEAD_MONTHS)
        else:
            raise ValueError(f"unknown dataset kind {kind!r}")
        months.update(month_range(start, min(through, last)))
    return sorted(months)


def refresh_for_import(
    region_id: int, kind: str, spans: Iterable[tuple[date, date | None]]
) -> list[date]:
    """Refresh the months an import of ``kind`` touching ``spans`` can change, then evaluate
    the KPI signals of those months; returns the months (sorted first-of-month dates).

    ``spans`` are (first day, last day or ``None``) of every line added *and* of every line a
    correction made inactive: declarations/occupancy (month, month), outcomes (measured_on,
    measured_on), referrals (referred_on, referred_on), trajectories (started_on, ended_on)."""
    from monitoring.steering import alerts, facilities

    months = months_for_import(region_id, kind, spans)
    if months:
        refresh_months(region_id, months, kind=kind)
        earlier = _region_kpi_lookback(region_id, kind, spans, months)
        if earlier:
            with transaction.atomic():
                regional.refresh_months(region_id, earlier)
        alerts.evaluate(region_id, sorted({*months, *earlier}))
        facilities.evaluate_facilities(region_id, months)
    return months


def _region_kpi_lookback(region_id: int, kind: str, spans, months: list[date]) -> list[date]:
    """The months before a trajectory import's months whose region KPIs can change: a
    later-trajectory condition looks forward up to ``later_months`` from a trajectory's end, so
    a trajectory starting in X changes the figures of months up to that far before X."""
    if kind != DatasetKind.TRAJECTORIES:
        return []
    window = regional.lookback_months(region_id)
    if not window:
        return []
    bounds = data_bounds(region_id)
    if bounds is None:
        return []
    extra: set[date] = set()
    for start, _end in spans:
        if start is None:
            continue
        first = max(add_months(month_of(start), -window), bounds[0])
        extra.update(month_range(first, month_of(start)))
    return sorted(extra - set(months))


def refresh_region(region_id: int, *, signals: bool = True) -> int:
    """Recompute every month of the region from its first to its last month with data (rows of
    other months are removed); then, unless ``signals=False``, the KPI signals of all those
    months and the finance signals. Returns the rollup rows written."""
    from monitoring.steering import alerts, facilities

    bounds = data_bounds(region_id)
    with transaction.atomic():
        if bounds is None:
            KpiRollup.objects.filter(region_id=region_id).delete()
            RegionKpiRollup.objects.filter(region_id=region_id).delete()
            SettlementRollup.objects.filter(region_id=region_id).delete()
            return 0
        months = month_range(*bounds)
        KpiRollup.objects.filter(region_id=region_id).exclude(month__in=months).delete()
        RegionKpiRollup.objects.filter(region_id=region_id).exclude(month__in=months).delete()
        SettlementRollup.objects.filter(region_id=region_id).exclude(month__in=months).delete()
        written = refresh_months(region_id, months)
        if signals:
            alerts.evaluate(region_id, months)
            facilities.evaluate_facilities(region_id, months)
            alerts.evaluate_finance(region_id)
    return written
