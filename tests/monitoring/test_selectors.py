"""Dashboard selectors on hand-made rollup rows (no refresh involved): values, benchmark, norm
and traffic light, spend against budget with forecast and run-out month, the coverage matrix,
small-cell suppression, and query counts that do not grow with months or providers.

The world (tests/conftest.py): ``world.con.contract`` of ``world.provider`` in ``world.segment``
with a KPI agreement on wait time (norm 28, amber 35, red 42) and a 2026 ceiling of
€ 100.000,00 revised to € 110.000,00 per 01-07-2026.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import services
from contracts.codes import Kpi
from monitoring.dashboards import selectors
from monitoring.dashboards.selectors import Subject
from monitoring.kpis.definitions import Measures
from monitoring.models import Grain, KpiNorm, KpiRollup, Level
from segments.models import Region
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

D = Decimal
OCT = date(2026, 10, 1)


def key_of(grain, provider=None, segment=None, contract=None, municipality=None) -> str:
    return {
        Grain.REGION: lambda: "r",
        Grain.SEGMENT: lambda: f"s{segment.pk}",
        Grain.PROVIDER: lambda: f"p{provider.pk}",
        Grain.CONTRACT: lambda: f"c{contract.pk}",
        Grain.MUNICIPALITY: lambda: f"m{municipality.pk}",
        Grain.SEGMENT_MUNICIPALITY: lambda: f"s{segment.pk}-m{municipality.pk}",
        Grain.PROVIDER_MUNICIPALITY: lambda: f"p{provider.pk}-m{municipality.pk}",
    }[grain]()


def rollup(
    region,
    month,
    grain,
    *,
    provider=None,
    segment=None,
    contract=None,
    municipality=None,
    **measures,
) -> KpiRollup:
    """One hand-made rollup row (a contract row gets its provider and segment)."""
    if contract is not None:
        provider = provider or contract.provider
        segment = segment or contract.segment
    return KpiRollup.objects.create(
        region=region,
        month=month,
        grain=grain,
        key=key_of(grain, provider, segment, contract, municipality),
        provider=provider
        if grain in (Grain.PROVIDER, Grain.CONTRACT, Grain.PROVIDER_MUNICIPALITY)
        else None,
        segment=segment
        if grain in (Grain.SEGMENT, Grain.CONTRACT, Grain.SEGMENT_MUNICIPALITY)
        else None,
        contract=contract if grain == Grain.CONTRACT else None,
        municipality=municipality
        if grain in (Grain.MUNICIPALITY, Grain.SEGMENT_MUNICIPALITY, Grain.PROVIDER_MUNICIPALITY)
        else None,
        **measures,
    )


def month(n: int, year: int = 2026) -> date:
    return date(year, n, 1)


MONTHLY = D("10000.00")


def fill(w, months=range(1, 11), *, amount=MONTHLY, wait_days=300, wait_count=10):
    """Every grain of ``w.con.contract`` for the months, the same figures at each grain:
    20 youths, € 10.000 a month, wait 30 days (300 / 10) unless told otherwise."""
    c = w.con.contract
    m1 = w.municipality
    figures = {
        "youths": 20,
        "youths_residential": 5,
        "trajectories_active": 18,
        "trajectories_started": 10,
        "trajectories_ended": 4,
        "amount": amount,
        "declaration_lines": 40,
        "dropouts": 1,
        "duration_days": 400,
        "wait_days": wait_days,
        "wait_count": wait_count,
    }
    for n in months:
        m = month(n)
        rollup(w.region, m, Grain.REGION, **figures)
        rollup(w.region, m, Grain.SEGMENT, segment=w.segment, **figures)
        rollup(w.region, m, Grain.PROVIDER, provider=w.provider, **figures)
        rollup(w.region, m, Grain.CONTRACT, contract=c, **figures)
        rollup(w.region, m, Grain.MUNICIPALITY, municipality=m1, **figures)
        rollup(
            w.region, m, Grain.SEGMENT_MUNICIPALITY, segment=w.segment, municipality=m1, **figures
        )
        rollup(
            w.region,
            m,
            Grain.PROVIDER_MUNICIPALITY,
            provider=w.provider,
            municipality=m1,
            **figures,
        )


# --- months and series ------------------------------------------------------------------------


def test_parse_month_and_window():
    assert selectors.parse_month("2026-10") == OCT
    assert selectors.parse_month("2026-13") is None
    assert selectors.parse_month("oktober") is None
    assert selectors.parse_month(None) is None
    window = selectors.month_window(month(2), 12)
    assert window[0] == date(2025, 3, 1) and window[-1] == month(2) and len(window) == 12


def test_latest_month_and_series(world_a):
    fill(world_a, months=range(3, 8))
    region = world_a.region
    assert selectors.latest_month(region) == month(7)
    assert selectors.data_months(region)[:2] == [month(7), month(6)]
    subject = Subject.provider(world_a.provider)
    assert selectors.latest_month(region, subject) == month(7)
    assert (
        selectors.latest_month(world_a.region, Subject.provider(world_a.distant_provider)) is None
    )
    total = selectors.measures_total(region, subject, month(1), month(12))
    assert total.amount == D("50000.00") and total.youths == 100  # five months summed
    series = selectors.kpi_series(
        region, Grain.PROVIDER, subject.key, Kpi.WAIT_TIME, [month(n) for n in range(1, 9)]
    )
    assert series[0] == (month(1), None)
    assert series[2] == (month(3), D("30.0"))
    assert series[-1] == (month(8), None)


# --- tiles --------------------------------------------------------------------------------------


def test_provider_tiles_value_benchmark_norm_and_light(world_a):
    w = world_a
    fill(w, months=range(1, 11))
    # the segment does better than the provider in October: 20 days
    KpiRollup.objects.filter(grain=Grain.SEGMENT, month=OCT).update(wait_days=200)
    basis = selectors.provider_basis(w.region, w.provider, OCT)
    assert basis.benchmark == Subject.segment(w.segment)
    assert "C-regio-a-001" in basis.norm_rule  # the contract's own norm (KPI agreement)
    tiles = selectors.build_tiles(
        w.region,
        Subject.provider(w.provider),
        OCT,
        norms=basis.norms,
        benchmark=basis.benchmark,
        benchmark_label=basis.benchmark_label,
    )
    wait = next(t for t in tiles if t.kpi == Kpi.WAIT_TIME)
    assert wait.figure.value == D("30.0")
    assert wait.norm.norm == D("28") and wait.norm.source == "contract"
    assert wait.level == Level.GREEN  # 30 < amber 35
    assert wait.level_label == "Groen"
    assert wait.benchmark.value == D("20.0")
    assert wait.numerator.value == 300 and wait.denominator.value == 10
    assert len(wait.trend) == 12 and wait.trend[-1] == (OCT, D("30.0"))
    assert wait.trend[0] == (date(2025, 11, 1), None)  # no data yet in 2025
    assert wait.figure.query == {
        "soort": "trajecten",
        "maand": "2026-10",
        "telling": "gestart",
        "aanbieder": w.provider.pk,
    }
    assert "verwijzing" in wait.definition
    youths = next(t for t in tiles if t.kpi == Kpi.UNIQUE_YOUTHS)
    assert youths.figure.value == 20 and youths.level is None
    assert youths.figure.query["soort"] == "declaraties"
    cost = next(t for t in tiles if t.kpi == Kpi.COST_PER_CLIENT)
    assert cost.figure.value == D("500.00")  # 10.000 / 20
    # without a spend figure there is no spend tile
    assert Kpi.SPEND_VS_BUDGET not in [t.kpi for t in tiles]


def test_traffic_light_amber_and_red(world_a):
    w = world_a
    fill(w, months=[10], wait_days=360)  # 36 days: amber from 35
    basis = selectors.provider_basis(w.region, w.provider, OCT)
    tiles = selectors.build_tiles(
        w.region, Subject.provider(w.provider), OCT, norms=basis.norms, kpi_codes=[Kpi.WAIT_TIME]
    )
    assert tiles[0].level == Level.AMBER
    KpiRollup.objects.filter(grain=Grain.PROVIDER).update(wait_days=420)  # 42: red
    tiles = selectors.build_tiles(
        w.region, Subject.provider(w.provider), OCT, norms=basis.norms, kpi_codes=[Kpi.WAIT_TIME]
    )
    assert tiles[0].level == Level.RED


def test_provider_in_two_segments_is_compared_with_the_region(world_a):
    w = world_a
    services.contract_create(
        region=w.region,
        reference="C-TWEE",
        provider=w.provider,
        segment=w.sub_segment,
        start_date=date(2026, 1, 1),
        initial_term_years=2,
    )
    basis = selectors.provider_basis(w.region, w.provider, OCT)
    assert basis.benchmark == Subject.region(w.region)
    assert basis.norms == {}
    assert "2 segmenten" in basis.norm_rule


def test_provider_with_two_contracts_in_one_segment_gets_the_segment_norm(world_a):
    w = world_a
    KpiNorm.objects.create(
        segment=w.segment,
        kpi=Kpi.WAIT_TIME,
        direction="lower",
        norm=D("21"),
        amber_threshold=D("30"),
        red_threshold=D("40"),
    )
    services.contract_create(
        region=w.region,
        reference="C-TWEE",
        provider=w.provider,
        segment=w.segment,
        start_date=date(2026, 1, 1),
        initial_term_years=2,
    )
    basis = selectors.provider_basis(w.region, w.provider, OCT)
    assert basis.benchmark == Subject.segment(w.segment)
    assert basis.norms[Kpi.WAIT_TIME].norm == D("21")
    assert basis.norms[Kpi.WAIT_TIME].source == "segment"


# --- spend against budget -------------------------------------------------------------------


def test_spend_against_budget_forecast_and_run_out(world_a):
    w = world_a
    fill(w, months=range(1, 11))  # € 10.000 a month: € 100.000 through October
    spend = selectors.spend_against_budget(w.region, Subject.provider(w.provider), OCT)
    assert spend.spent == D("100000.00")
    assert spend.budget == D("110000.00")  # the ceiling after its revision
    assert spend.pct == D("90.9")
    assert spend.forecast == D("120000.00")
    # 110.000 / 10.000 a month = 11 months: the budget runs out in November
    assert spend.run_out == date(2026, 11, 1)
    assert spend.pct_series[0] == (month(1), D("9.1"))
    assert [c.contract for c in spend.contracts] == [w.con.contract]
    assert spend.contracts[0].run_out == date(2026, 11, 1)
    assert spend.without_budget == []
    assert spend.query == {
        "soort": "declaraties",
        "van": "2026-01",
        "tot": "2026-10",
        "aanbieder": w.provider.pk,
    }
    assert spend.month_queries[month(3)]["maand"] == "2026-03"
    # the region: the same contract, the same figures
    region = selectors.spend_against_budget(w.region, Subject.region(w.region), OCT)
    assert region.spent == spend.spent and region.budget == spend.budget


def test_spend_without_budget_names_the_contract(world_a):
    w = world_a
    fill(w, months=range(1, 4))
    spend = selectors.spend_against_budget(w.region, Subject.provider(w.provider), date(2025, 3, 1))
    assert spend.budget is None and spend.pct is None and spend.run_out is None
    assert spend.spent == 0  # nothing in 2025


# --- coverage and small cells -------------------------------------------------------------------


def test_coverage_matrix(world_a):
    w = world_a
    KpiNorm.objects.create(
        segment=w.segment,
        kpi=Kpi.WAIT_TIME,
        direction="lower",
        norm=D("21"),
        amber_threshold=D("28"),
        red_threshold=D("35"),
    )
    fill(w, months=range(1, 11))
    KpiRollup.objects.filter(grain=Grain.SEGMENT_MUNICIPALITY, month=OCT).update(
        wait_days=1200, youths=7
    )
    coverage = selectors.coverage(w.region, OCT)
    assert coverage.first == date(2025, 11, 1)
    row = next(r for r in coverage.rows if r[0] == w.segment)
    segment, cells, norm = row
    assert norm.norm == D("21")
    index = coverage.municipalities.index(w.municipality)
    cell = cells[index]
    # wait: (9 × 300 + 1200) / (10 × 10) = 39 days over 12 months; youths of October: 7
    assert cell.wait.value == D("39.0") and cell.level == Level.RED
    assert cell.youths.value == 7
    assert cell.wait.query["van"] == "2025-11" and cell.wait.query["tot"] == "2026-10"
    assert cells[coverage.municipalities.index(w.other_municipality)] is None


@pytest.mark.parametrize(
    ("kpi", "measures", "expected"),
    [
        (Kpi.UNIQUE_YOUTHS, {"youths": 0}, ""),
        (Kpi.UNIQUE_YOUTHS, {"youths": 1}, selectors.SMALL_COUNT),
        (Kpi.UNIQUE_YOUTHS, {"youths": 4}, selectors.SMALL_COUNT),
        (Kpi.UNIQUE_YOUTHS, {"youths": 5}, ""),
        (Kpi.WAIT_TIME, {"wait_days": 100, "wait_count": 4}, selectors.SMALL_RATIO),
        (Kpi.WAIT_TIME, {"wait_days": 100, "wait_count": 5}, ""),
        (Kpi.COST_PER_CLIENT, {"amount": 100, "youths": 3}, selectors.SMALL_RATIO),
        (Kpi.DROPOUT, {"dropouts": 3, "trajectories_ended": 34}, selectors.SMALL_RATIO),
        (Kpi.DROPOUT, {"dropouts": 0, "trajectories_ended": 34}, ""),
        (Kpi.DROPOUT, {"dropouts": 5, "trajectories_ended": 34}, ""),
        (Kpi.AMBULANT_SHARE, {"youths": 40, "youths_residential": 2}, selectors.SMALL_RATIO),
        (Kpi.AMBULANT_SHARE, {"youths": 40, "youths_residential": 38}, selectors.SMALL_RATIO),
        (Kpi.AMBULANT_SHARE, {"youths": 40, "youths_residential": 10}, ""),
        (Kpi.DURATION, {"duration_days": 3, "trajectories_ended": 5}, ""),
        (None, {"amount": 100, "youths": 3}, selectors.SMALL_RATIO),
        (None, {"amount": 100, "youths": 12}, ""),
    ],
)
def test_small_cell_rule(kpi, measures, expected):
    assert selectors.small_cell(kpi, Measures(measures)) == expected


def test_suppressed_tiles_hide_small_cells(world_a):
    w = world_a
    fill(w, months=[10], wait_count=3)
    KpiRollup.objects.filter(grain=Grain.MUNICIPALITY).update(youths=3)
    tiles = selectors.build_tiles(
        w.region,
        Subject.municipality(w.municipality),
        OCT,
        suppressed=True,
        kpi_codes=[Kpi.UNIQUE_YOUTHS, Kpi.WAIT_TIME, Kpi.TRAJECTORIES],
    )
    youths, wait, trajectories = tiles
    assert youths.figure.text == "< 5" and youths.figure.value is None
    assert wait.figure.text == "—" and wait.figure.small == selectors.SMALL_RATIO
    assert wait.numerator.value is None and wait.denominator.value is None
    assert wait.trend[-1] == (OCT, None)
    assert trajectories.figure.value == 18 and trajectories.figure.text == "18"
    rows = selectors.municipality_rows(w.region, w.municipality, OCT, by="segment", suppressed=True)
    assert rows[0].figures[Kpi.WAIT_TIME].small == selectors.SMALL_RATIO
    assert rows[0].amount.small == ""  # 20 youths in the segment row


# --- query counts ---------------------------------------------------------------------------------


def _provider_page_queries(w):
    subject = Subject.provider(w.provider)
    region = Region.objects.get(pk=w.region.pk)  # a request loads its region once
    with CaptureQueriesContext(connection) as ctx:
        basis = selectors.provider_basis(region, w.provider, OCT)
        spend = selectors.spend_against_budget(region, subject, OCT)
        selectors.build_tiles(
            region, subject, OCT, norms=basis.norms, benchmark=basis.benchmark, spend=spend
        )
        selectors.contract_rows(region, OCT, provider=w.provider)
        selectors.provider_rows(region, OCT)
        selectors.segment_rows(region, OCT)
        selectors.coverage(region, OCT)
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_months_or_providers(world_a):
    w = world_a
    fill(w, months=range(9, 11))
    few = _provider_page_queries(w)
    # twenty months more, and thirty more providers with a contract and rows each
    fill(w, months=range(1, 9))
    for i in range(30):
        provider = ProviderFactory(region=w.region, name=f"Extra {i}")
        contract = services.contract_create(
            region=w.region,
            reference=f"X-{i}",
            provider=provider,
            segment=w.segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
        )
        services.budget_set(contract=contract, year=2026, kind="ceiling", amount=D("5000"))
        for n in (9, 10):
            rollup(w.region, month(n), Grain.PROVIDER, provider=provider, youths=3, amount=D(10))
            rollup(w.region, month(n), Grain.CONTRACT, contract=contract, youths=3, amount=D(10))
    many = _provider_page_queries(w)
    assert many == few
    assert few <= 30


def test_query_counts_with_region_kpis_stay_flat(world_a):
    """With a region-defined KPI, each table reads its counts in one more query, whatever the
    number of months, providers or region KPIs."""
    from monitoring.kpis import services as kpi_services

    w = world_a
    fill(w, months=range(9, 11))

    def share(code):
        kpi_services.region_kpi_create(
            region=w.region,
            code=code,
            name=code,
            definition=code,
            unit="procent",
            direction="higher",
            computation="trajectory_share",
            population="ended",
            end_reasons=["01"],
        )

    share("een")
    without = 30
    few = _provider_page_queries(w)
    assert few <= without + 6  # the check, then subject, benchmark and three tables
    share("twee")
    share("drie")
    fill(w, months=range(1, 9))
    assert _provider_page_queries(w) == few
