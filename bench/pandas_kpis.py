"""The baseline of the KPI benchmark: the rollup measures of some months computed with pandas.

The same definitions as ``monitoring.kpis.rollups`` (see ``monitoring/kpis.py``): for the given
months, at every grain, the additive measures of ``KpiRollup``. Two timed parts:

- ``load``: the lines the months need, read from PostgreSQL into DataFrames (declarations of
  the months; trajectories running in them; for the trajectories starting in them, the
  referrals to the same contract and client and the other trajectories of the same clients;
  outcome measurements "einde" of the months; occupancy of the months; contracts and
  products);
- ``compute``: the facts and the group-bys per grain (``COUNT DISTINCT`` of clients, sums).

:func:`compare` checks the result against the rollup rows in the database: the baseline is
only a fair comparison if it computes the same figures, and it doubles as an independent check
of the refresh.
"""

from __future__ import annotations

import time
from datetime import date

import pandas as pd

TRANSFER_DAYS = 31
REENTRY_DAYS = 365
RESIDENTIAL = ("43", "44")
CRISIS = ("46",)
DROPOUT = ("03", "04")

MEASURES = (
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
SUMS = {
    "running": "trajectories_active",
    "started": "trajectories_started",
    "ended": "trajectories_ended",
    "amount": "amount",
    "lines": "declaration_lines",
    "dropouts": "dropouts",
    "duration": "duration_days",
    "wait_days": "wait_days",
    "wait_count": "wait_count",
    "step_ups": "step_ups",
    "step_downs": "step_downs",
    "reentries": "reentries",
    "goal_sum": "goal_sum",
    "goal_count": "goal_count",
    "exp_sum": "experience_sum",
    "exp_count": "experience_count",
    "occupied": "occupied_days",
    "place_days": "place_days",
}
GRAINS = {
    "region": [],
    "segment": ["segment_id"],
    "provider": ["provider_id"],
    "contract": ["contract_id"],
    "municipality": ["municipality_id"],
    "segment_municipality": ["segment_id", "municipality_id"],
    "provider_municipality": ["provider_id", "municipality_id"],
}
PREFIX = {"segment_id": "s", "provider_id": "p", "contract_id": "c", "municipality_id": "m"}


def _frame(cursor, sql: str, params, columns: list[str]) -> pd.DataFrame:
    cursor.execute(sql, params)
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def _level(category: pd.Series) -> pd.Series:
    return (
        category.isin(CRISIS).astype("int64") * 3
        + category.isin(RESIDENTIAL).astype("int64") * 2
        + (~category.isin(CRISIS + RESIDENTIAL)).astype("int64")
    )


def load(cursor, region_id: int, months: list[date]) -> dict[str, pd.DataFrame]:
    """The lines the months need (active lines of the region only)."""
    first = min(months)
    after = _next(max(months))
    data = {}
    data["products"] = _frame(
        cursor, "SELECT id, category FROM segments_product", (), ["id", "category"]
    )
    data["contracts"] = _frame(
        cursor,
        "SELECT id, provider_id, segment_id FROM contracts_contract WHERE region_id = %s",
        (region_id,),
        ["contract_id", "provider_id", "segment_id"],
    )
    data["declarations"] = _frame(
        cursor,
        "SELECT month, contract_id, municipality_id, client_key, product_id, amount "
        "FROM monitoring_declaration WHERE region_id = %s AND active AND month = ANY(%s)",
        (region_id, months),
        ["month", "contract_id", "municipality_id", "client_key", "product_id", "amount"],
    )
    columns = [
        "id",
        "contract_id",
        "municipality_id",
        "client_key",
        "product_id",
        "started_on",
        "ended_on",
        "end_reason",
    ]
    select = (
        "SELECT id, contract_id, municipality_id, client_key, product_id, started_on, ended_on, "
        "end_reason FROM monitoring_trajectory t "
    )
    data["running"] = _frame(
        cursor,
        select + "WHERE region_id = %s AND active AND started_on < %s "
        "AND (ended_on IS NULL OR ended_on >= %s)",
        (region_id, after, first),
        columns,
    )
    # Trajectories starting in the months: their clients' other trajectories (predecessors,
    # re-entries) and their referrals to the same contract.
    data["history"] = _frame(
        cursor,
        select + "WHERE region_id = %s AND active AND client_key IN ("
        "SELECT client_key FROM monitoring_trajectory WHERE region_id = %s AND active "
        "AND started_on >= %s AND started_on < %s)",
        (region_id, region_id, first, after),
        columns,
    )
    data["referrals"] = _frame(
        cursor,
        "SELECT r.contract_id, r.client_key, r.referred_on FROM monitoring_referral r "
        "WHERE r.region_id = %s AND r.active AND r.referred_on < %s AND (r.contract_id, "
        "r.client_key) IN (SELECT contract_id, client_key FROM monitoring_trajectory "
        "WHERE region_id = %s AND active AND started_on >= %s AND started_on < %s)",
        (region_id, after, region_id, first, after),
        ["contract_id", "client_key", "referred_on"],
    )
    data["outcomes"] = _frame(
        cursor,
        "SELECT measured_on, contract_id, municipality_id, goal_realisation, client_experience "
        "FROM monitoring_outcomemeasurement WHERE region_id = %s AND active AND moment = 'einde' "
        "AND measured_on >= %s AND measured_on < %s",
        (region_id, first, after),
        ["measured_on", "contract_id", "municipality_id", "goal", "experience"],
    )
    data["occupancy"] = _frame(
        cursor,
        "SELECT month, contract_id, places, occupied_days FROM monitoring_occupancy "
        "WHERE region_id = %s AND active AND month = ANY(%s)",
        (region_id, months),
        ["month", "contract_id", "places", "occupied_days"],
    )
    return data


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _month_of(series: pd.Series) -> pd.Series:
    return series.dt.to_period("M").dt.to_timestamp()


def compute(data: dict[str, pd.DataFrame], months: list[date]) -> pd.DataFrame:
    """Rows (grain, key, month, measures...) as the rollup refresh writes them."""
    category = data["products"].set_index("id")["category"]
    mon = pd.DataFrame({"m": pd.to_datetime(months)})
    mon["nxt"] = mon["m"] + pd.offsets.MonthBegin(1)
    mon["days"] = mon["m"].dt.days_in_month
    facts = []

    d = data["declarations"]
    if len(d):
        d = d.assign(
            m=pd.to_datetime(d["month"]),
            res=d["product_id"].map(category).isin(RESIDENTIAL).astype("int64"),
            amount=d["amount"].astype(float),
            lines=1,
        )
        facts.append(
            d[["m", "contract_id", "municipality_id", "client_key", "res", "amount", "lines"]]
        )

    t = data["running"]
    if len(t):
        t = t.assign(
            started_on=pd.to_datetime(t["started_on"]),
            ended_on=pd.to_datetime(t["ended_on"]),
            category=t["product_id"].map(category),
        )
        x = t.merge(mon, how="cross")
        x = x[(x["started_on"] < x["nxt"]) & (x["ended_on"].isna() | (x["ended_on"] >= x["m"]))]
        ended = x["ended_on"].notna() & (x["ended_on"] < x["nxt"])
        facts.append(
            pd.DataFrame(
                {
                    "m": x["m"],
                    "contract_id": x["contract_id"],
                    "municipality_id": x["municipality_id"],
                    "client_key": x["client_key"],
                    "res": x["category"].isin(RESIDENTIAL).astype("int64"),
                    "running": 1,
                    "started": (x["started_on"] >= x["m"]).astype("int64"),
                    "ended": ended.astype("int64"),
                    "dropouts": (ended & x["end_reason"].isin(DROPOUT)).astype("int64"),
                    "duration": ((x["ended_on"] - x["started_on"]).dt.days + 1)
                    .where(ended, 0)
                    .astype("int64"),
                }
            )
        )
        facts.append(_starts(t, data, category, mon))

    o = data["outcomes"]
    if len(o):
        o = o.assign(m=_month_of(pd.to_datetime(o["measured_on"])))
        facts.append(
            pd.DataFrame(
                {
                    "m": o["m"],
                    "contract_id": o["contract_id"],
                    "municipality_id": o["municipality_id"],
                    "goal_sum": o["goal"].astype(float).fillna(0),
                    "goal_count": o["goal"].notna().astype("int64"),
                    "exp_sum": o["experience"].astype(float).fillna(0),
                    "exp_count": o["experience"].notna().astype("int64"),
                }
            )
        )
    b = data["occupancy"]
    if len(b):
        b = b.assign(m=pd.to_datetime(b["month"]))
        b = b.merge(mon[["m", "days"]], on="m")
        facts.append(
            pd.DataFrame(
                {
                    "m": b["m"],
                    "contract_id": b["contract_id"],
                    "municipality_id": pd.NA,
                    "occupied": b["occupied_days"].astype(float),
                    "place_days": b["places"] * b["days"],
                }
            )
        )
    if not facts:
        return pd.DataFrame(columns=["grain", "key", "month", *MEASURES])
    f = pd.concat(facts, ignore_index=True)
    for column in SUMS:
        f[column] = f[column].fillna(0) if column in f else 0
    f["res"] = f["res"].fillna(0) if "res" in f else 0
    f = f.merge(data["contracts"], on="contract_id")
    f["municipality_id"] = f["municipality_id"].astype("Int64")
    f["res_key"] = f["client_key"].where(f["res"] == 1)
    out = []
    for grain, keys in GRAINS.items():
        g = (
            f
            if grain in ("region", "segment", "provider", "contract")
            else f[f["municipality_id"].notna()]
        )
        group = g.groupby(["m", *keys], dropna=False)
        sums = group[list(SUMS)].sum().rename(columns=SUMS)
        sums["youths"] = group["client_key"].nunique()
        sums["youths_residential"] = group["res_key"].nunique()
        sums = sums.reset_index()
        sums["key"] = "r"
        for n, column in enumerate(keys):
            part = PREFIX[column] + sums[column].astype("int64").astype(str)
            sums["key"] = part if n == 0 else sums["key"] + "-" + part
        sums["grain"] = grain
        sums["month"] = sums["m"].dt.date
        out.append(sums[["grain", "key", "month", *MEASURES]])
    return pd.concat(out, ignore_index=True)


def _starts(t: pd.DataFrame, data, category, mon) -> pd.DataFrame:
    """Wait time, step-up/down and re-entry of the trajectories starting in the months."""
    first, after = mon["m"].min(), mon["nxt"].max()
    s = t[(t["started_on"] >= first) & (t["started_on"] < after)].copy()
    if not len(s):
        return pd.DataFrame()
    s["m"] = _month_of(s["started_on"])
    s["level"] = _level(s["category"])
    # wait: the latest referral to the same contract and client on or before the start
    r = data["referrals"].assign(referred_on=lambda df: pd.to_datetime(df["referred_on"]))
    w = s[["id", "contract_id", "client_key", "started_on"]].merge(
        r, on=["contract_id", "client_key"]
    )
    w = w[w["referred_on"] <= w["started_on"]]
    latest = w.groupby("id")["referred_on"].max()
    s["wait"] = (s["started_on"] - s["id"].map(latest)).dt.days
    # the predecessor: the latest-started other trajectory of the client that still ran at the
    # start or ended at most TRANSFER_DAYS before it
    h = data["history"].assign(
        started_on=lambda df: pd.to_datetime(df["started_on"]),
        ended_on=lambda df: pd.to_datetime(df["ended_on"]),
    )
    h["level"] = _level(h["product_id"].map(category))
    pairs = s[["id", "client_key", "started_on"]].merge(
        h[["id", "client_key", "started_on", "ended_on", "level"]],
        on="client_key",
        suffixes=("", "_o"),
    )
    pairs = pairs[pairs["id"] != pairs["id_o"]]
    before = pairs[pairs["started_on_o"] < pairs["started_on"]]
    transfer = before[
        before["ended_on"].isna()
        | (before["ended_on"] >= before["started_on"] - pd.Timedelta(days=TRANSFER_DAYS))
    ]
    prev = transfer.sort_values(["started_on_o", "id_o"]).groupby("id").tail(1)
    s["prev_level"] = s["id"].map(prev.set_index("id")["level"])
    gap = pairs["started_on"] - pairs["ended_on"]
    ended_before = pairs[
        pairs["ended_on"].notna()
        & (gap >= pd.Timedelta(days=TRANSFER_DAYS + 1))
        & (gap <= pd.Timedelta(days=REENTRY_DAYS))
    ]["id"].unique()
    has_prev = s["prev_level"].notna()
    return pd.DataFrame(
        {
            "m": s["m"],
            "contract_id": s["contract_id"],
            "municipality_id": s["municipality_id"],
            "wait_days": s["wait"].fillna(0).astype("int64"),
            "wait_count": s["wait"].notna().astype("int64"),
            "step_ups": (has_prev & (s["prev_level"] < s["level"])).astype("int64"),
            "step_downs": (has_prev & (s["prev_level"] > s["level"])).astype("int64"),
            "reentries": (~has_prev & s["id"].isin(ended_before)).astype("int64"),
        }
    )


def run(cursor, region_id: int, months: list[date]) -> tuple[pd.DataFrame, float, float]:
    """(result, load seconds, compute seconds)."""
    started = time.perf_counter()
    data = load(cursor, region_id, months)
    loaded = time.perf_counter()
    result = compute(data, months)
    return result, loaded - started, time.perf_counter() - loaded


def compare(result: pd.DataFrame, rollups: list[dict]) -> dict:
    """How many (grain, key, month) rows agree with the rollup rows of the database."""
    mine = {(r["grain"], r["key"], r["month"]): r for r in result.to_dict("records")}
    theirs = {(r["grain"], r["key"], r["month"]): r for r in rollups}
    differ = []
    for key in sorted(set(mine) | set(theirs), key=str):
        a, b = mine.get(key), theirs.get(key)
        if a is None or b is None:
            # a row of zeros on one side only is no difference
            row = a or b
            if any(float(row[m] or 0) for m in MEASURES):
                differ.append((key, "missing on one side"))
            continue
        bad = [m for m in MEASURES if abs(float(a[m] or 0) - float(b[m] or 0)) > 0.051]
        if bad:
            differ.append((key, {m: (float(a[m] or 0), float(b[m] or 0)) for m in bad}))
    return {"rows": len(theirs), "differ": len(differ), "examples": [str(d) for d in differ[:5]]}
