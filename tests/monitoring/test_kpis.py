"""Every KPI of ``kpis.DEFINITIONS`` on the refreshed rollups of the tiny world (see
``test_rollups``), at contract, region and the municipality grains, computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.codes import Kpi
from monitoring.kpis import definitions as kpis
from monitoring.kpis import rollups
from monitoring.models import KpiRollup
from tests.monitoring.test_rollups import FEB, MAR, build_kpi_world

D = Decimal


@pytest.fixture
def kw(db):
    world = build_kpi_world()
    rollups.refresh_region(world.region.pk, signals=False)
    return world


def rows(w, month=MAR):
    return {r.key: r for r in KpiRollup.objects.filter(region=w.region, month=month)}


def values(row) -> dict[str, Decimal | None]:
    return {code: kpis.value(code, row) for code in kpis.DEFINITIONS}


def test_contract_kpis(kw):
    assert values(rows(kw)[f"c{kw.c1.pk}"]) == {
        Kpi.UNIQUE_YOUTHS: D("10"),
        Kpi.TRAJECTORIES: D("7"),
        Kpi.SPEND_VS_BUDGET: None,  # needs the budget: see test_spend_vs_budget
        Kpi.COST_PER_CLIENT: D("38.00"),  # 380 / 10
        Kpi.DURATION: D("46.0"),  # 138 / 3
        Kpi.WAIT_TIME: D("27.0"),  # (14 + 40) / 2
        Kpi.STEP_UP: D("0.0"),  # 0 / 4 started
        Kpi.STEP_DOWN: D("25.0"),  # 1 / 4 (y6 crisis → ambulant)
        Kpi.REENTRY: D("25.0"),  # 1 / 4 (y8 after 100 days; y9's transfer is none)
        Kpi.DROPOUT: D("66.7"),  # 2 / 3 ended (03 and 04; 01 is no drop-out)
        Kpi.GOAL_REALISATION: D("70.0"),  # (80 + 60) / 2
        Kpi.CLIENT_EXPERIENCE: D("7.5"),  # 7.5 / 1
        Kpi.AMBULANT_SHARE: D("90.0"),  # (10 − 1 residential) / 10
        Kpi.OCCUPANCY: None,  # no availability places
    }


def test_contract_with_occupancy(kw):
    c3 = values(rows(kw)[f"c{kw.c3.pk}"])
    assert c3[Kpi.OCCUPANCY] == D("81.5")  # 50.5 / (2 × 31) = 81.45
    assert c3[Kpi.STEP_UP] == D("100.0")  # 1 / 1
    assert c3[Kpi.WAIT_TIME] == D("14.0")
    assert c3[Kpi.AMBULANT_SHARE] == D("50.0")  # (2 − 1) / 2
    assert c3[Kpi.DURATION] is None  # nothing ended


def test_region_kpis(kw):
    assert values(rows(kw)["r"]) == {
        Kpi.UNIQUE_YOUTHS: D("11"),
        Kpi.TRAJECTORIES: D("8"),
        Kpi.SPEND_VS_BUDGET: None,
        Kpi.COST_PER_CLIENT: D("45.45"),  # 500 / 11 = 45.4545
        Kpi.DURATION: D("46.0"),  # 138 / 3
        Kpi.WAIT_TIME: D("22.7"),  # (14 + 40 + 14) / 3 = 22.67
        Kpi.STEP_UP: D("20.0"),  # 1 / 5
        Kpi.STEP_DOWN: D("20.0"),  # 1 / 5
        Kpi.REENTRY: D("20.0"),  # 1 / 5
        Kpi.DROPOUT: D("66.7"),  # 2 / 3
        Kpi.GOAL_REALISATION: D("70.0"),
        Kpi.CLIENT_EXPERIENCE: D("8.3"),  # (7.5 + 9) / 2 = 8.25, half up
        Kpi.AMBULANT_SHARE: D("81.8"),  # (11 − 2) / 11 = 81.82
        Kpi.OCCUPANCY: D("81.5"),  # 50.5 / 62
    }


def test_municipality_kpis(kw):
    by_key = rows(kw)
    assert values(by_key[f"m{kw.m1.pk}"]) == {
        Kpi.UNIQUE_YOUTHS: D("8"),
        Kpi.TRAJECTORIES: D("6"),  # C1 in M1: y6, y7, y8, y9, y10, y11
        Kpi.SPEND_VS_BUDGET: None,
        Kpi.COST_PER_CLIENT: D("53.75"),  # 430 / 8
        Kpi.DURATION: D("37.0"),  # (59 + 15) / 2
        Kpi.WAIT_TIME: D("27.0"),  # (14 + 40) / 2
        Kpi.STEP_UP: D("0.0"),
        Kpi.STEP_DOWN: D("25.0"),  # 1 / 4
        Kpi.REENTRY: D("25.0"),  # 1 / 4
        Kpi.DROPOUT: D("100.0"),  # 2 / 2
        Kpi.GOAL_REALISATION: D("70.0"),
        Kpi.CLIENT_EXPERIENCE: D("8.3"),  # y10 7.5 (C1), y1 9 (C2): 8.25
        Kpi.AMBULANT_SHARE: D("87.5"),  # (8 − 1) / 8
        Kpi.OCCUPANCY: None,  # occupancy has no municipality
    }
    assert values(by_key[f"m{kw.m2.pk}"]) == {
        Kpi.UNIQUE_YOUTHS: D("4"),  # y5, y12, y3, y7
        Kpi.TRAJECTORIES: D("2"),  # y12 (until 5 Mar), y7 residential (from 15 Mar)
        Kpi.SPEND_VS_BUDGET: None,
        Kpi.COST_PER_CLIENT: D("17.50"),  # 70 / 4
        Kpi.DURATION: D("64.0"),  # y12
        Kpi.WAIT_TIME: D("14.0"),  # y7
        Kpi.STEP_UP: D("100.0"),  # 1 / 1
        Kpi.STEP_DOWN: D("0.0"),
        Kpi.REENTRY: D("0.0"),
        Kpi.DROPOUT: D("0.0"),  # y12 ended as planned
        Kpi.GOAL_REALISATION: None,  # only a "start" measurement
        Kpi.CLIENT_EXPERIENCE: None,
        Kpi.AMBULANT_SHARE: D("75.0"),  # (4 − 1) / 4
        Kpi.OCCUPANCY: None,
    }


def test_combined_grains(kw):
    by_key = rows(kw)
    s1_m2 = values(by_key[f"s{kw.s1.pk}-m{kw.m2.pk}"])
    assert s1_m2[Kpi.UNIQUE_YOUTHS] == D("2")  # y5, y12
    assert s1_m2[Kpi.COST_PER_CLIENT] == D("15.00")  # 30 / 2
    assert s1_m2[Kpi.DURATION] == D("64.0")
    p2_m2 = values(by_key[f"p{kw.p2.pk}-m{kw.m2.pk}"])
    assert p2_m2[Kpi.UNIQUE_YOUTHS] == D("2")  # y3, y7
    assert p2_m2[Kpi.STEP_UP] == D("100.0")
    assert p2_m2[Kpi.WAIT_TIME] == D("14.0")
    p2 = values(by_key[f"p{kw.p2.pk}"])
    assert p2[Kpi.UNIQUE_YOUTHS] == D("3")
    assert p2[Kpi.COST_PER_CLIENT] == D("40.00")  # (80 + 40) / 3
    s1 = values(by_key[f"s{kw.s1.pk}"])
    assert s1[Kpi.COST_PER_CLIENT] == D("46.00")  # (380 + 80) / 10


def test_over_months(kw):
    """Summing months keeps the definitions: cost per client-month."""
    c1 = kpis.Measures.total(
        KpiRollup.objects.filter(region=kw.region, key=f"c{kw.c1.pk}", month__in=[FEB, MAR])
    )
    assert c1.amount == D("440.00")  # 60 + 380
    assert c1.youths == 14  # 4 + 10 client-months
    assert kpis.value(Kpi.COST_PER_CLIENT, c1) == D("31.43")  # 440 / 14


def test_spend_vs_budget(kw):
    ytd = sum(
        KpiRollup.objects.filter(
            region=kw.region, key=f"c{kw.c1.pk}", month__gte=date(2025, 1, 1), month__lte=MAR
        ).values_list("amount", flat=True)
    )
    assert ytd == D("440.00")
    assert kpis.spend_vs_budget(ytd, D("1000")) == D("44.0")
    assert kpis.spend_vs_budget(ytd, None) is None
    # 440 over 3 months = 146.67 a month: 1000 lasts 6.8 months → runs out in July
    assert kpis.run_out_month(D("1000"), ytd, MAR) == date(2025, 7, 1)


def test_every_kpi_is_tested():
    tested = {
        Kpi.UNIQUE_YOUTHS,
        Kpi.TRAJECTORIES,
        Kpi.SPEND_VS_BUDGET,
        Kpi.COST_PER_CLIENT,
        Kpi.DURATION,
        Kpi.WAIT_TIME,
        Kpi.STEP_UP,
        Kpi.STEP_DOWN,
        Kpi.REENTRY,
        Kpi.DROPOUT,
        Kpi.GOAL_REALISATION,
        Kpi.CLIENT_EXPERIENCE,
        Kpi.AMBULANT_SHARE,
        Kpi.OCCUPANCY,
    }
    assert tested == set(kpis.DEFINITIONS)
