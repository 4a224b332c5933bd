"""The rollup refresh: measures per grain on a tiny world, computed by hand.

The world (``build_kpi_world``): region R with municipalities M1, M2; segments S1, S2;
providers P1, P2; products AMB (45 ambulant), RES (43 residential), CRI (46 crisis);
contracts C1 (P1, S1), C2 (P2, S1), C3 (P2, S2). March 2025 is the month that is checked
everywhere; every expected number is written out with its arithmetic.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest

from contracts.models import Contract
from monitoring.kpis import rollups
from monitoring.models import (
    Declaration,
    Grain,
    KpiRollup,
    Occupancy,
    OutcomeMeasurement,
    Referral,
    Trajectory,
)
from tests.providers.factories import ProviderFactory
from tests.segments.factories import (
    MunicipalityFactory,
    ProductFactory,
    RegionFactory,
    SegmentFactory,
)

MAR = date(2025, 3, 1)
FEB = date(2025, 2, 1)
JAN = date(2025, 1, 1)


@dataclass
class KpiWorld:
    region: object
    m1: object
    m2: object
    s1: object
    s2: object
    p1: object
    p2: object
    amb: object
    res: object
    cri: object
    c1: object
    c2: object
    c3: object


_refs = count(1)


def decl(w, contract, municipality, client, product, month, amount, active=True):
    return Declaration.objects.create(
        region=w.region,
        contract=contract,
        municipality=municipality,
        client_key=client,
        product=product,
        reference=f"D{next(_refs)}",
        month=month,
        quantity=Decimal("1"),
        unit="04",
        amount=Decimal(amount),
        active=active,
    )


def traj(w, contract, municipality, client, product, start, end=None, reason="", active=True):
    return Trajectory.objects.create(
        region=w.region,
        contract=contract,
        municipality=municipality,
        client_key=client,
        product=product,
        reference=f"T{next(_refs)}",
        started_on=start,
        ended_on=end,
        end_reason=reason,
        active=active,
    )


def referral(w, contract, municipality, client, day, active=True):
    return Referral.objects.create(
        region=w.region,
        contract=contract,
        municipality=municipality,
        client_key=client,
        reference=f"R{next(_refs)}",
        referred_on=day,
        referrer="01",
        active=active,
    )


def outcome(w, contract, municipality, client, moment, day, goal=None, experience=None):
    return OutcomeMeasurement.objects.create(
        region=w.region,
        contract=contract,
        municipality=municipality,
        client_key=client,
        reference=f"O{next(_refs)}",
        moment=moment,
        measured_on=day,
        goal_realisation=None if goal is None else Decimal(goal),
        client_experience=None if experience is None else Decimal(experience),
    )


def occupancy(w, contract, month, places, occupied, active=True):
    return Occupancy.objects.create(
        region=w.region,
        contract=contract,
        reference=f"B{next(_refs)}",
        month=month,
        places=places,
        occupied_days=Decimal(occupied),
        active=active,
    )


def build_kpi_world() -> KpiWorld:
    region = RegionFactory(name="Regio KPI", slug="regio-kpi")
    m1 = MunicipalityFactory(region=region, name="Gemeente M1")
    m2 = MunicipalityFactory(region=region, name="Gemeente M2")
    s1 = SegmentFactory(region=region, code="S1", name="Segment 1")
    s2 = SegmentFactory(region=region, code="S2", name="Segment 2")
    p1 = ProviderFactory(region=region, name="Aanbieder 1")
    p2 = ProviderFactory(region=region, name="Aanbieder 2")
    amb = ProductFactory(region=region, code="45A01", category="45")
    res = ProductFactory(region=region, code="43A01", category="43", unit="14")
    cri = ProductFactory(region=region, code="46A01", category="46", unit="14")

    def contract(ref, provider, segment):
        return Contract.objects.create(
            region=region,
            reference=ref,
            provider=provider,
            segment=segment,
            start_date=date(2024, 1, 1),
            initial_term_years=3,
        )

    w = KpiWorld(
        region,
        m1,
        m2,
        s1,
        s2,
        p1,
        p2,
        amb,
        res,
        cri,
        contract("C1", p1, s1),
        contract("C2", p2, s1),
        contract("C3", p2, s2),
    )
    c1, c2, c3 = w.c1, w.c2, w.c3
    # --- declarations
    decl(w, c1, m1, "y1", amb, MAR, "100.00")
    decl(w, c1, m1, "y1", amb, MAR, "50.00")  # y1 twice in C1: one youth
    decl(w, c1, m1, "y2", res, MAR, "200.00")  # residential
    decl(w, c2, m1, "y1", amb, MAR, "80.00")  # y1 also with P2 (same segment S1)
    decl(w, c3, m2, "y3", amb, MAR, "40.00")
    decl(w, c1, m1, "y4", amb, MAR, "999.00", active=False)  # superseded: never counts
    decl(w, c1, m2, "y5", amb, MAR, "30.00")
    decl(w, c1, m1, "y1", amb, FEB, "60.00")
    # --- trajectories
    # y6: crisis at C2 until 20 Feb, ambulant at C1 from 10 Mar (18 days later): step-down
    traj(w, c2, m1, "y6", cri, date(2025, 1, 5), date(2025, 2, 20), "01")
    traj(w, c1, m1, "y6", amb, date(2025, 3, 10))
    # y7: ambulant at C1 still running, residential at C3 from 15 Mar (in M2): step-up
    traj(w, c1, m1, "y7", amb, date(2025, 1, 1))
    traj(w, c3, m2, "y7", res, date(2025, 3, 15))
    # y8: ended 30 Nov 2024, new start 10 Mar 2025 = 100 days later: re-entry
    traj(w, c1, m1, "y8", amb, date(2024, 10, 1), date(2024, 11, 30), "01")
    traj(w, c1, m1, "y8", amb, date(2025, 3, 10))
    # y9: ended 28 Feb at C2, new start 20 Mar at C1 = 20 days later: a transfer, no re-entry
    traj(w, c2, m1, "y9", amb, date(2025, 1, 10), date(2025, 2, 28), "02")
    traj(w, c1, m1, "y9", amb, date(2025, 3, 20))
    # endings in March: drop-out 03, drop-out 04, as planned 01
    traj(w, c1, m1, "y10", amb, date(2025, 2, 1), date(2025, 3, 31), "03")
    traj(w, c1, m1, "y11", amb, date(2025, 3, 1), date(2025, 3, 15), "04")
    traj(w, c1, m2, "y12", amb, date(2025, 1, 1), date(2025, 3, 5), "01")
    traj(w, c1, m1, "y13", amb, date(2025, 3, 1), active=False)  # superseded
    # --- referrals (wait time)
    referral(w, c1, m1, "y6", date(2025, 2, 1))
    referral(w, c1, m1, "y6", date(2025, 2, 24))  # latest on or before the start 10 Mar
    referral(w, c1, m1, "y6", date(2025, 3, 15))  # after the start: ignored
    referral(w, c1, m1, "y8", date(2025, 1, 29))
    referral(w, c2, m1, "y9", date(2025, 3, 1))  # to another contract: ignored for C1
    referral(w, c1, m1, "y9", date(2025, 3, 19), active=False)  # superseded
    referral(w, c3, m2, "y7", date(2025, 3, 1))
    # --- outcome measurements
    outcome(w, c1, m1, "y10", "einde", date(2025, 3, 31), goal="80", experience="7.5")
    outcome(w, c1, m1, "y11", "einde", date(2025, 3, 15), goal="60")
    outcome(w, c1, m2, "y12", "start", date(2025, 3, 5), goal="10", experience="3")  # start
    outcome(w, c2, m1, "y1", "einde", date(2025, 3, 10), experience="9")
    # --- occupancy
    occupancy(w, c3, MAR, 2, "50.5")
    occupancy(w, c3, FEB, 2, "40")
    occupancy(w, c3, MAR, 9, "200", active=False)  # superseded
    return w


@pytest.fixture
def kw(db):
    return build_kpi_world()


def rows(region, month=MAR) -> dict[str, KpiRollup]:
    return {r.key: r for r in KpiRollup.objects.filter(region=region, month=month)}


def snapshot(region):
    fields = ["month", "grain", "key", "segment", "provider", "contract", "municipality"]
    fields += list(rollups.MEASURE_COLUMNS)
    return sorted(
        tuple(r.values()) for r in KpiRollup.objects.filter(region=region).values(*fields)
    )


# --- measures ----------------------------------------------------------------------------------


def test_contract_grain_measures(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    c1 = rows(kw.region)[f"c{kw.c1.pk}"]
    assert c1.grain == Grain.CONTRACT
    assert (c1.contract_id, c1.provider_id, c1.segment_id) == (kw.c1.pk, kw.p1.pk, kw.s1.pk)
    assert c1.municipality_id is None
    # declarations y1, y2, y5 + trajectories y6 y7 y8 y9 y10 y11 y12 (y4, y13 superseded)
    assert c1.youths == 10
    assert c1.youths_residential == 1  # y2
    assert c1.amount == Decimal("380.00")  # 100 + 50 + 200 + 30
    assert c1.declaration_lines == 4
    # running: y6, y7, y8(new), y9(new), y10, y11, y12
    assert c1.trajectories_active == 7
    assert c1.trajectories_started == 4  # y6, y8, y9, y11
    assert c1.trajectories_ended == 3  # y10, y11, y12
    assert c1.dropouts == 2  # y10 (03), y11 (04)
    # (31 Mar − 1 Feb + 1 = 59) + (15 Mar − 1 Mar + 1 = 15) + (5 Mar − 1 Jan + 1 = 64)
    assert c1.duration_days == 138
    # y6: 10 Mar − 24 Feb = 14; y8: 10 Mar − 29 Jan = 40; y9 only to C2; y11 none
    assert (c1.wait_days, c1.wait_count) == (54, 2)
    assert (c1.step_ups, c1.step_downs, c1.reentries) == (0, 1, 1)  # y6 down, y8 re-entry
    # "einde" only: y10 80 / 7.5, y11 60; the "start" measurement of y12 does not count
    assert (c1.goal_sum, c1.goal_count) == (Decimal("140.0"), 2)
    assert (c1.experience_sum, c1.experience_count) == (Decimal("7.5"), 1)
    assert (c1.occupied_days, c1.place_days) == (Decimal("0"), 0)


def test_other_contracts(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    by_key = rows(kw.region)
    c2 = by_key[f"c{kw.c2.pk}"]
    assert (c2.youths, c2.amount, c2.trajectories_active) == (1, Decimal("80.00"), 0)
    assert (c2.experience_sum, c2.experience_count) == (Decimal("9.0"), 1)
    c3 = by_key[f"c{kw.c3.pk}"]
    assert (c3.youths, c3.youths_residential) == (2, 1)  # y3 (declaration), y7 (residential)
    assert (c3.trajectories_started, c3.step_ups) == (1, 1)  # y7: ambulant → residential
    assert (c3.wait_days, c3.wait_count) == (14, 1)  # 15 Mar − 1 Mar
    # 2 places × 31 days; the superseded line (9 places) does not count
    assert (c3.occupied_days, c3.place_days) == (Decimal("50.5"), 62)


def test_coarser_grains_count_youths_once(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    by_key = rows(kw.region)
    region = by_key["r"]
    # C1's 10 ∪ C2's {y1} ∪ C3's {y3, y7} = 11 (y1 and y7 are in two contracts)
    assert region.youths == 11
    assert region.youths_residential == 2  # y2, y7
    assert region.amount == Decimal("500.00")  # 380 + 80 + 40
    assert region.declaration_lines == 6
    assert region.trajectories_active == 8  # 7 + 1
    assert region.trajectories_started == 5
    assert (region.wait_days, region.wait_count) == (68, 3)  # 54 + 14
    assert (region.step_ups, region.step_downs, region.reentries) == (1, 1, 1)
    assert (region.experience_sum, region.experience_count) == (Decimal("16.5"), 2)
    assert (region.occupied_days, region.place_days) == (Decimal("50.5"), 62)
    assert by_key[f"s{kw.s1.pk}"].youths == 10  # C1 ∪ C2: y1 once
    assert by_key[f"s{kw.s2.pk}"].youths == 2
    assert by_key[f"p{kw.p1.pk}"].youths == 10
    assert by_key[f"p{kw.p2.pk}"].youths == 3  # y1 (C2), y3, y7 (C3)
    assert by_key[f"s{kw.s1.pk}"].segment_id == kw.s1.pk
    assert by_key[f"p{kw.p2.pk}"].provider_id == kw.p2.pk


def test_municipality_grains(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    by_key = rows(kw.region)
    m1, m2 = kw.m1.pk, kw.m2.pk
    # M1: y1, y2, y6, y7, y8, y9, y10, y11; M2: y5, y12 (C1), y3, y7 (C3): y7 moved, in both
    assert by_key[f"m{m1}"].youths == 8
    assert by_key[f"m{m2}"].youths == 4
    assert by_key[f"m{m1}"].amount == Decimal("430.00")  # 100 + 50 + 200 + 80
    assert by_key[f"m{m2}"].amount == Decimal("70.00")  # 30 + 40
    # occupancy has no municipality: not in the municipality grains
    assert by_key[f"m{m2}"].place_days == 0
    assert by_key[f"m{m1}"].municipality_id == m1
    s1, s2, p1, p2 = kw.s1.pk, kw.s2.pk, kw.p1.pk, kw.p2.pk
    assert by_key[f"s{s1}-m{m1}"].youths == 8
    assert by_key[f"s{s1}-m{m2}"].youths == 2  # y5, y12
    assert by_key[f"s{s2}-m{m2}"].youths == 2  # y3, y7
    assert f"s{s2}-m{m1}" not in by_key  # nothing there: no row
    assert by_key[f"p{p1}-m{m1}"].youths == 8
    assert by_key[f"p{p2}-m{m1}"].youths == 1  # y1 at C2
    assert by_key[f"p{p1}-m{m2}"].youths == 2
    assert by_key[f"p{p2}-m{m2}"].youths == 2
    row = by_key[f"s{s1}-m{m2}"]
    assert (row.segment_id, row.municipality_id, row.provider_id) == (s1, m2, None)
    assert by_key[f"p{p1}-m{m2}"].duration_days == 64  # y12 ended 5 Mar in M2


def test_other_months(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    feb = rows(kw.region, FEB)
    c1 = feb[f"c{kw.c1.pk}"]
    # declaration y1 (60); running: y7 (since Jan), y10 (from 1 Feb), y12 (since Jan)
    assert (c1.youths, c1.amount, c1.trajectories_active) == (4, Decimal("60.00"), 3)
    assert c1.trajectories_started == 1  # y10
    # C2 in February: y6 (crisis, ended 20 Feb, 5 Jan..20 Feb = 47 days), y9 (ended 28 Feb, 02)
    c2 = feb[f"c{kw.c2.pk}"]
    assert (c2.trajectories_ended, c2.dropouts, c2.duration_days) == (2, 0, 47 + 50)
    assert feb[f"c{kw.c3.pk}"].place_days == 56  # 2 × 28
    # the first month with data is October 2024 (y8's first trajectory)
    months = sorted(set(KpiRollup.objects.filter(region=kw.region).values_list("month", flat=True)))
    assert months == [date(2024, 10, 1), date(2024, 11, 1), JAN, FEB, MAR]
    # December 2024 has no line at all: no rows


def test_no_data_no_rows(db):
    region = RegionFactory(slug="leeg")
    assert rollups.refresh_region(region.pk) == 0
    assert rollups.refresh_months(region.pk, [MAR]) == 0
    assert not KpiRollup.objects.filter(region=region).exists()


# --- refreshing ----------------------------------------------------------------------------------


def test_refresh_is_idempotent(kw):
    first = rollups.refresh_region(kw.region.pk, signals=False)
    before = snapshot(kw.region)
    assert first == len(before) > 0
    assert rollups.refresh_region(kw.region.pk, signals=False) == first
    assert rollups.refresh_months(kw.region.pk, [MAR, MAR, date(2025, 3, 17)]) == len(
        rows(kw.region)
    )
    assert snapshot(kw.region) == before


def test_refresh_of_one_month_leaves_others_untouched(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    feb_ids = set(KpiRollup.objects.filter(region=kw.region, month=FEB).values_list("pk", "amount"))
    # new lines in both months, but only March is refreshed
    decl(kw, kw.c1, kw.m1, "y1", kw.amb, FEB, "1.00")
    decl(kw, kw.c1, kw.m1, "y20", kw.amb, MAR, "20.00")
    written = rollups.refresh_months(kw.region.pk, [MAR])
    assert written == len(rows(kw.region))
    assert (
        set(KpiRollup.objects.filter(region=kw.region, month=FEB).values_list("pk", "amount"))
        == feb_ids
    )
    c1 = rows(kw.region)[f"c{kw.c1.pk}"]
    assert (c1.youths, c1.amount) == (11, Decimal("400.00"))  # 10 + y20; 380 + 20


def test_other_regions_untouched(kw):
    other = RegionFactory(slug="andere")
    KpiRollup.objects.create(region=other, month=MAR, grain="region", key="r", youths=99)
    rollups.refresh_region(kw.region.pk, signals=False)
    assert KpiRollup.objects.get(region=other).youths == 99


def test_a_correction_changes_the_month(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    line = Declaration.objects.get(contract=kw.c1, client_key="y5")
    line.active = False
    line.save()
    rollups.refresh_months(kw.region.pk, [MAR])
    c1 = rows(kw.region)[f"c{kw.c1.pk}"]
    assert (c1.youths, c1.amount) == (9, Decimal("350.00"))
    assert f"p{kw.p1.pk}-m{kw.m2.pk}" in rows(kw.region)  # y12's trajectory is still there
    assert rows(kw.region)[f"p{kw.p1.pk}-m{kw.m2.pk}"].amount == 0


def test_months_for_import_widening(kw):
    region = kw.region.pk
    f = rollups.months_for_import
    assert f(region, "declaraties", [(FEB, FEB), (MAR, MAR), (FEB, FEB)]) == [FEB, MAR]
    assert f(region, "bezetting", [(MAR, MAR)]) == [MAR]
    assert f(region, "uitkomsten", [(date(2025, 3, 31), date(2025, 3, 31))]) == [MAR]
    assert f(region, "toewijzingen", [(MAR, None)]) == []
    # open trajectory: through the last month with data (March 2025)
    assert f(region, "trajecten", [(JAN, None)]) == [JAN, FEB, MAR]
    # ended trajectory: start month through end month + 12, capped at March 2025
    assert f(region, "trajecten", [(date(2024, 10, 1), date(2024, 11, 30))]) == [
        date(2024, 10, 1),
        date(2024, 11, 1),
        date(2024, 12, 1),
        JAN,
        FEB,
        MAR,
    ]
    # referral: its month and 12 months after, capped
    assert f(region, "verwijzingen", [(date(2025, 1, 29), date(2025, 1, 29))]) == [JAN, FEB, MAR]
    assert f(region, "trajecten", []) == []


def test_refresh_for_import_refreshes_and_evaluates(kw, monkeypatch):
    rollups.refresh_region(kw.region.pk, signals=False)
    evaluated = []
    monkeypatch.setattr(
        "monitoring.steering.alerts.evaluate", lambda region_id, months: evaluated.append(months)
    )
    decl(kw, kw.c2, kw.m1, "y30", kw.amb, FEB, "5.00")
    months = rollups.refresh_for_import(kw.region.pk, "declaraties", [(FEB, FEB)])
    assert months == [FEB] and evaluated == [[FEB]]
    assert rows(kw.region, FEB)[f"c{kw.c2.pk}"].youths == 3  # y6, y9 running + y30
    assert rollups.refresh_for_import(kw.region.pk, "toewijzingen", [(FEB, None)]) == []
    assert evaluated == [[FEB]]


def test_refresh_kpis_command(kw):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("refresh_kpis", "--region", kw.region.slug, stdout=out)
    assert "regio-kpi:" in out.getvalue()
    assert rows(kw.region)["r"].youths == 11


# --- against a plain-Python reference on random data ---------------------------------------------


def _reference(w, month):
    """The measures of ``month`` per key, straight from the definitions in
    monitoring.kpis.definitions."""
    from collections import defaultdict

    from monitoring.kpis.definitions import care_level, days_in_month

    nxt = rollups.add_months(month, 1)
    contracts = {c.pk: c for c in Contract.objects.filter(region=w.region)}
    category = {p.pk: p.category for p in (w.amb, w.res, w.cri)}
    sums = defaultdict(lambda: defaultdict(int))
    youths, residential = defaultdict(set), defaultdict(set)

    def keys(contract_id, municipality_id):
        c = contracts[contract_id]
        result = ["r", f"s{c.segment_id}", f"p{c.provider_id}", f"c{c.pk}"]
        if municipality_id:
            m = municipality_id
            result += [f"m{m}", f"s{c.segment_id}-m{m}", f"p{c.provider_id}-m{m}"]
        return result

    def add(line, **measures):
        for key in keys(line.contract_id, getattr(line, "municipality_id", None)):
            for name, value in measures.items():
                sums[key][name] += value

    def present(line):
        for key in keys(line.contract_id, line.municipality_id):
            youths[key].add(line.client_key)
            if category[line.product_id] in ("43", "44"):
                residential[key].add(line.client_key)

    for d in Declaration.objects.filter(region=w.region, active=True, month=month):
        present(d)
        add(d, amount=d.amount, declaration_lines=1)
    lines = list(Trajectory.objects.filter(region=w.region, active=True))
    for t in lines:
        if t.started_on >= nxt or (t.ended_on and t.ended_on < month):
            continue
        present(t)
        ended = t.ended_on is not None and t.ended_on < nxt
        add(
            t,
            trajectories_active=1,
            trajectories_ended=int(ended),
            dropouts=int(ended and t.end_reason in ("03", "04")),
            duration_days=(t.ended_on - t.started_on).days + 1 if ended else 0,
        )
        if t.started_on < month:
            continue
        add(t, trajectories_started=1)
        referred = [
            r.referred_on
            for r in Referral.objects.filter(
                contract=t.contract_id, client_key=t.client_key, active=True
            )
            if r.referred_on <= t.started_on
        ]
        if referred:
            add(t, wait_days=(t.started_on - max(referred)).days, wait_count=1)
        others = [o for o in lines if o.client_key == t.client_key and o.pk != t.pk]
        before = [
            o
            for o in others
            if o.started_on < t.started_on
            and (o.ended_on is None or o.ended_on >= t.started_on - timedelta(days=31))
        ]
        if before:
            prev = max(before, key=lambda o: (o.started_on, o.pk))
            old, new = care_level(category[prev.product_id]), care_level(category[t.product_id])
            add(t, step_ups=int(new > old), step_downs=int(new < old))
        elif any(
            o.ended_on
            and t.started_on - timedelta(days=365)
            <= o.ended_on
            <= t.started_on - timedelta(days=32)
            for o in others
        ):
            add(t, reentries=1)
    for o in OutcomeMeasurement.objects.filter(
        region=w.region, active=True, moment="einde", measured_on__gte=month, measured_on__lt=nxt
    ):
        add(
            o,
            goal_sum=o.goal_realisation or 0,
            goal_count=int(o.goal_realisation is not None),
            experience_sum=o.client_experience or 0,
            experience_count=int(o.client_experience is not None),
        )
    for b in Occupancy.objects.filter(region=w.region, active=True, month=month):
        add(b, occupied_days=b.occupied_days, place_days=b.places * days_in_month(month))
    result = {}
    for key, measures in sums.items():
        row = dict.fromkeys(rollups.MEASURE_COLUMNS, 0)
        row.update(measures)
        row["youths"] = len(youths[key])
        row["youths_residential"] = len(residential[key])
        result[key] = row
    return result


def test_matches_a_plain_python_reference(kw):
    import random

    rng = random.Random(20250301)
    contracts = [kw.c1, kw.c2, kw.c3]
    products = [kw.amb, kw.amb, kw.res, kw.cri]
    municipalities = [kw.m1, kw.m2]
    clients = [f"r{n}" for n in range(12)]
    first = date(2024, 11, 1)

    def day():
        return first + timedelta(days=rng.randrange(240))

    for _ in range(60):
        decl(
            kw,
            rng.choice(contracts),
            rng.choice(municipalities),
            rng.choice(clients),
            rng.choice(products),
            rollups.month_of(day()),
            f"{rng.randrange(1, 500)}.{rng.randrange(100):02d}",
            active=rng.random() > 0.1,
        )
    for _ in range(45):
        start = day()
        end = start + timedelta(days=rng.randrange(0, 120)) if rng.random() > 0.3 else None
        traj(
            kw,
            rng.choice(contracts),
            rng.choice(municipalities),
            rng.choice(clients),
            rng.choice(products),
            start,
            end,
            rng.choice(["01", "02", "03", "04", "05"]) if end else "",
            active=rng.random() > 0.1,
        )
    for _ in range(40):
        referral(
            kw,
            rng.choice(contracts),
            rng.choice(municipalities),
            rng.choice(clients),
            day(),
            active=rng.random() > 0.1,
        )
    for _ in range(20):
        outcome(
            kw,
            rng.choice(contracts),
            rng.choice(municipalities),
            rng.choice(clients),
            rng.choice(["start", "einde", "einde", "6m"]),
            day(),
            goal=str(rng.randrange(101)) if rng.random() > 0.2 else None,
            experience=str(rng.randrange(1, 11)),
        )
    rollups.refresh_region(kw.region.pk, signals=False)
    totals = {}
    for month in rollups.month_range(date(2024, 10, 1), date(2025, 6, 1)):
        expected = _reference(kw, month)
        actual = {
            r["key"]: {c: r[c] for c in rollups.MEASURE_COLUMNS}
            for r in KpiRollup.objects.filter(region=kw.region, month=month).values()
        }
        assert actual == expected, month
        totals.update({k: v for k, v in expected["r"].items() if v} if "r" in expected else {})
    # the random data exercises every measure
    assert set(totals) == set(rollups.MEASURE_COLUMNS)
