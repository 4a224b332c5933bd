"""Region-defined KPIs (issue 17): each computation kind by hand on the rollup test world.

The world is ``tests.monitoring.test_rollups.build_kpi_world`` (read its docstring); the
trajectories ending in March 2025 are all at C1:
y10 1 Feb – 31 Mar, reason 03 (59 days, M1); y11 1 – 15 Mar, reason 04 (15 days, M1);
y12 1 Jan – 5 Mar, reason 01 (64 days, M2). In February only y6's crisis trajectory (C2, M1,
5 Jan – 20 Feb, reason 01) ends; y6 starts ambulant care at C1 on 10 March.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from monitoring.imports.models import MeasurementKind, OutcomeMeasurement, ValueType
from monitoring.kpis import definitions as kpis
from monitoring.kpis import regional, rollups
from monitoring.kpis import services as kpi_services
from monitoring.kpis.definitions import Measures
from monitoring.kpis.models import Grain, KpiRollup, RegionKpi, RegionKpiRollup
from monitoring.steering import services as steering_services
from monitoring.steering.models import KpiNorm, Level, Signal
from tests.monitoring.test_rollups import FEB, MAR, build_kpi_world, traj

APR = date(2025, 4, 1)


@pytest.fixture
def kw(db):
    return build_kpi_world()


def figure(kpi: RegionKpi, grain: str, key: str, month=MAR):
    """The KPI's value at one grain member in one month, as every page computes it."""
    m = Measures()
    row = RegionKpiRollup.objects.filter(kpi=kpi, grain=grain, key=key, month=month).values_list(
        "numerator", "denominator"
    )
    for num, den in row:
        regional.add_custom(m, kpi.topic, num, den)
    if kpi.computation == "ratio":
        from monitoring.kpis.models import KpiRollup

        built = KpiRollup.objects.filter(region=kpi.region, grain=grain, key=key, month=month)
        m = Measures(built.values(*kpis.MEASURES).first())
    return kpis.value(kpi.topic, m)


def counts(kpi, grain, key, month=MAR):
    row = RegionKpiRollup.objects.get(kpi=kpi, grain=grain, key=key, month=month)
    return (row.numerator, row.denominator)


def share_kpi(kw, **fields):
    base = {
        "code": "volgens-plan",
        "name": "Volgens plan binnen 90 dagen",
        "definition": "Aandeel beëindigd met reden 01 binnen 90 dagen.",
        "unit": "procent",
        "direction": "higher",
        "computation": "trajectory_share",
        "population": "ended",
        "end_reasons": ["01"],
        "max_duration_days": 90,
    }
    base.update(fields)
    return kpi_services.region_kpi_create(region=kw.region, **base)


# --- trajectory share ---------------------------------------------------------------------------


def test_trajectory_share_by_hand(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(kw)
    c1 = f"c{kw.c1.pk}"
    # ended in March at C1: y10, y11, y12; reason 01 and ≤ 90 days: only y12 (64 days)
    assert counts(kpi, Grain.CONTRACT, c1) == (1, 3)
    assert figure(kpi, Grain.CONTRACT, c1) == Decimal("33.3")
    assert counts(kpi, Grain.MUNICIPALITY, f"m{kw.m1.pk}") == (0, 2)  # y10, y11
    assert counts(kpi, Grain.MUNICIPALITY, f"m{kw.m2.pk}") == (1, 1)  # y12
    assert counts(kpi, Grain.SEGMENT, f"s{kw.s1.pk}") == (1, 3)
    assert counts(kpi, Grain.PROVIDER_MUNICIPALITY, f"p{kw.p1.pk}-m{kw.m2.pk}") == (1, 1)
    assert counts(kpi, Grain.REGION, "r") == (1, 3)
    # February: y6's crisis trajectory ended with reason 01 after 47 days (5 Jan – 20 Feb);
    # y9's ended with reason 02 (10 Jan – 28 Feb)
    assert counts(kpi, Grain.REGION, "r", FEB) == (1, 2)
    assert figure(kpi, Grain.REGION, "r", FEB) == Decimal("50.0")


def test_duration_only_counts_ended_trajectories(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(kw, end_reasons=[], max_duration_days=60)
    # y10 59 days ✓, y11 15 days ✓, y12 64 days ✗
    assert counts(kpi, Grain.REGION, "r") == (2, 3)
    assert figure(kpi, Grain.REGION, "r") == Decimal("66.7")


def test_later_trajectory_conditions(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    no_return = share_kpi(
        kw,
        code="geen-vervolg",
        name="Crisis zonder vervolg binnen 6 maanden",
        end_reasons=[],
        max_duration_days=None,
        population_categories=["46"],
        later="without",
        later_months=6,
    )
    # February: y6's crisis (46) ended on 20 Feb; y6 started ambulant care on 10 Mar: a
    # later trajectory within 6 months → the condition "without" fails
    assert counts(no_return, Grain.REGION, "r", FEB) == (0, 1)
    assert counts(no_return, Grain.CONTRACT, f"c{kw.c2.pk}", FEB) == (0, 1)
    # March: no crisis trajectory ended: no row (no population)
    assert not RegionKpiRollup.objects.filter(kpi=no_return, month=MAR).exists()
    no_new_crisis = share_kpi(
        kw,
        code="geen-nieuwe-crisis",
        name="Geen nieuwe crisis binnen 6 maanden",
        end_reasons=[],
        max_duration_days=None,
        population_categories=["46"],
        later="without",
        later_months=6,
        later_categories=["46"],
    )
    # the later trajectory is ambulant (45), not crisis: the condition holds
    assert counts(no_new_crisis, Grain.REGION, "r", FEB) == (1, 1)
    with_follow_up = share_kpi(
        kw,
        code="met-vervolg",
        name="Met vervolg",
        end_reasons=[],
        max_duration_days=None,
        later="with",
        later_months=1,
    )
    # March endings: y10, y11, y12 have no later trajectory; February: y6 (10 Mar ≤ 20 Mar) ✓,
    # y9 (ended 28 Feb at C2, started at C1 on 20 Mar ≤ 28 Mar) ✓
    assert counts(with_follow_up, Grain.REGION, "r", MAR) == (0, 3)
    assert counts(with_follow_up, Grain.REGION, "r", FEB) == (2, 2)


def test_a_later_start_refreshes_earlier_months(kw):
    """A trajectory starting in April changes February's "no new crisis" figure: the import's
    refresh reaches back over the KPI's window."""
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(
        kw,
        code="geen-nieuwe-crisis",
        end_reasons=[],
        max_duration_days=None,
        population_categories=["46"],
        later="without",
        later_months=6,
        later_categories=["46"],
    )
    assert counts(kpi, Grain.REGION, "r", FEB) == (1, 1)
    traj(kw, kw.c2, kw.m1, "y6", kw.cri, date(2025, 4, 2), date(2025, 4, 9), "01")
    refreshed = rollups.refresh_for_import(
        kw.region.pk, "trajecten", [(date(2025, 4, 2), date(2025, 4, 9))]
    )
    assert refreshed[0] == APR
    assert regional.lookback_months(kw.region.pk) == 6
    # a new crisis 41 days after the end of the first one: February's figure is now 0 of 1
    assert counts(kpi, Grain.REGION, "r", FEB) == (0, 1)


# --- measurement average -------------------------------------------------------------------------


def measure(kw, contract, municipality, client, moment, day, kind, value):
    return OutcomeMeasurement.objects.create(
        region=kw.region,
        contract=contract,
        municipality=municipality,
        client_key=client,
        reference=f"M-{client}-{kind.code}-{day}",
        moment=moment,
        measured_on=day,
        measurement_kind=kind,
        measurement_value=Decimal(value),
    )


def test_measurement_average_by_hand(kw):
    safety = kpi_services.measurement_kind_create(
        region=kw.region, code="veiligheid", name="Veiligheid thuis", minimum=1, maximum=10
    )
    school = kpi_services.measurement_kind_create(
        region=kw.region, code="school", name="Naar school", value_type=ValueType.YES_NO
    )
    measure(kw, kw.c1, kw.m1, "y10", "einde", date(2025, 3, 31), safety, "6")
    measure(kw, kw.c1, kw.m1, "y11", "einde", date(2025, 3, 15), safety, "8")
    measure(kw, kw.c2, kw.m1, "y1", "start", date(2025, 3, 10), safety, "9")
    measure(kw, kw.c1, kw.m1, "y10", "einde", date(2025, 3, 31), school, "1")
    measure(kw, kw.c1, kw.m1, "y11", "einde", date(2025, 3, 15), school, "0")
    measure(kw, kw.c1, kw.m2, "y12", "einde", date(2025, 3, 5), school, "1")
    rollups.refresh_region(kw.region.pk, signals=False)
    average = kpi_services.region_kpi_create(
        region=kw.region,
        code="veiligheid",
        name="Veiligheid thuis",
        definition="Gemiddelde score veiligheid thuis.",
        unit="cijfer",
        direction="higher",
        computation="measurement_average",
        measurement_kind=safety,
    )
    # C1: (6 + 8) / 2 = 7.0; C2: 9; region (6 + 8 + 9) / 3 = 7.67 → 7.7
    assert counts(average, Grain.CONTRACT, f"c{kw.c1.pk}") == (Decimal("14.00"), 2)
    assert figure(average, Grain.CONTRACT, f"c{kw.c1.pk}") == Decimal("7.0")
    assert figure(average, Grain.CONTRACT, f"c{kw.c2.pk}") == Decimal("9.0")
    assert figure(average, Grain.REGION, "r") == Decimal("7.7")
    at_end = kpi_services.region_kpi_create(
        region=kw.region,
        code="veiligheid-einde",
        name="Veiligheid bij einde",
        definition="Gemiddelde score veiligheid thuis bij het einde.",
        unit="cijfer",
        direction="higher",
        computation="measurement_average",
        measurement_kind=safety,
        moment="einde",
    )
    assert figure(at_end, Grain.REGION, "r") == Decimal("7.0")  # (6 + 8) / 2
    yes = kpi_services.region_kpi_create(
        region=kw.region,
        code="school",
        name="Naar school",
        definition="Aandeel ja.",
        unit="procent",
        direction="higher",
        computation="measurement_average",
        measurement_kind=school,
    )
    assert figure(yes, Grain.REGION, "r") == Decimal("66.7")  # 2 of 3
    assert figure(yes, Grain.MUNICIPALITY, f"m{kw.m1.pk}") == Decimal("50.0")  # 1 of 2


# --- ratio ---------------------------------------------------------------------------------------


def test_ratio_of_two_measures(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = kpi_services.region_kpi_create(
        region=kw.region,
        code="bedrag-per-start",
        name="Bedrag per gestart traject",
        definition="Gedeclareerd bedrag gedeeld door gestarte trajecten.",
        unit="euro",
        direction="lower",
        computation="ratio",
        numerator="amount",
        denominator="trajectories_started",
    )
    # C1: 380.00 / 4 = 95.00; region 500.00 / 5 = 100.00
    assert figure(kpi, Grain.CONTRACT, f"c{kw.c1.pk}") == Decimal("95.00")
    assert figure(kpi, Grain.REGION, "r") == Decimal("100.00")
    assert not RegionKpiRollup.objects.filter(kpi=kpi).exists()  # no rollups of its own


# --- bad definitions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"numerator": "amount", "denominator": "amount"}, "denominator", "dezelfde maat"),
        ({"numerator": "bedragen", "denominator": "youths"}, "numerator", "Onbekende maat"),
        ({"numerator": "amount", "denominator": ""}, "denominator", "Onbekende maat"),
    ],
)
def test_bad_ratio_definitions(kw, fields, field, text):
    with pytest.raises(ValidationError) as caught:
        kpi_services.region_kpi_create(
            region=kw.region,
            code="x",
            name="X",
            definition="x",
            unit="aantal",
            direction="lower",
            computation="ratio",
            **fields,
        )
    assert text in str(caught.value.message_dict[field])
    assert not RegionKpi.objects.exists()


def test_bad_share_and_average_definitions(kw):
    with pytest.raises(ValidationError) as caught:
        share_kpi(kw, end_reasons=["09"])
    assert "Onbekende reden" in str(caught.value.message_dict["end_reasons"])
    with pytest.raises(ValidationError) as caught:
        share_kpi(kw, end_reasons=[], max_duration_days=None)
    assert "minstens één voorwaarde" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        share_kpi(kw, population="started", later="without", later_months=6)
    assert "beëindigd in de maand" in str(caught.value.message_dict["later"])
    with pytest.raises(ValidationError) as caught:
        share_kpi(kw, code="wachttijd")
    assert "standaard-KPI" in str(caught.value.message_dict["code"])
    share_kpi(kw)
    with pytest.raises(ValidationError) as caught:
        share_kpi(kw)  # the same code twice
    assert "al in gebruik" in str(caught.value.message_dict["code"])
    with pytest.raises(ValidationError) as caught:
        kpi_services.region_kpi_create(
            region=kw.region,
            code="gem",
            name="Gem",
            definition="x",
            unit="cijfer",
            direction="higher",
            computation="measurement_average",
        )
    assert "soort meting" in str(caught.value.message_dict["measurement_kind"])
    assert RegionKpi.objects.count() == 1


def test_measurement_kind_of_another_region_is_refused(kw):
    from tests.segments.factories import RegionFactory

    other = RegionFactory()
    kind = MeasurementKind.objects.create(region=other, code="v", name="V")
    with pytest.raises(ValidationError) as caught:
        kpi_services.region_kpi_create(
            region=kw.region,
            code="gem",
            name="Gem",
            definition="x",
            unit="cijfer",
            direction="higher",
            computation="measurement_average",
            measurement_kind=kind,
        )
    assert "niet bij deze regio" in str(caught.value)


# --- norms and signals ---------------------------------------------------------------------


def test_norm_on_a_region_kpi_gives_signals(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(kw, end_reasons=[], max_duration_days=60)  # C1 March: 2 of 3 = 66.7%
    # a denominator under 5 is not judged (MIN_COUNT): add 2 more endings in March at C1
    traj(kw, kw.c1, kw.m1, "y40", kw.amb, date(2025, 1, 1), date(2025, 3, 20), "01")  # 79 d
    traj(kw, kw.c1, kw.m1, "y41", kw.amb, date(2025, 1, 1), date(2025, 3, 21), "01")  # 80 d
    rollups.refresh_region(kw.region.pk, signals=False)
    assert counts(kpi, Grain.CONTRACT, f"c{kw.c1.pk}") == (2, 5)  # 40.0%
    steering_services.norm_set(
        segment=kw.s1,
        kpi=kpi.topic,
        direction="higher",
        norm=Decimal("70"),
        amber_threshold=Decimal("60"),
        red_threshold=Decimal("45"),
    )
    rollups.refresh_region(kw.region.pk)
    signal = Signal.objects.get(contract=kw.c1, topic=kpi.topic, period=MAR)
    assert signal.level == Level.RED
    assert signal.value == Decimal("40.0")
    assert "Volgens plan binnen 90 dagen" in signal.message
    assert "is 40%; norm 70%" in signal.message


def test_norm_for_an_unknown_kpi_is_refused(kw):
    from tests.segments.factories import RegionFactory

    other = share_kpi(kw)
    other.region = RegionFactory()
    other.save()
    with pytest.raises(ValidationError):
        steering_services.norm_set(
            segment=kw.s1,
            kpi=other.topic,
            direction="higher",
            norm=Decimal("70"),
            amber_threshold=Decimal("60"),
            red_threshold=Decimal("45"),
        )
    with pytest.raises(ValidationError):
        steering_services.norm_set(
            segment=kw.s1,
            kpi="bestaat_niet",
            direction="higher",
            norm=Decimal("70"),
            amber_threshold=Decimal("60"),
            red_threshold=Decimal("45"),
        )
    assert not KpiNorm.objects.exists()


def test_delete_removes_norms_and_rollups_but_not_after_signals(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(kw)
    steering_services.norm_set(
        segment=kw.s1,
        kpi=kpi.topic,
        direction="higher",
        norm=Decimal("70"),
        amber_threshold=Decimal("60"),
        red_threshold=Decimal("45"),
    )
    kpi_services.steering_kpis_set(segment=kw.s1, kpis=[kpi.topic, "wait_time"])
    Signal.objects.create(
        region=kw.region,
        provider=kw.p1,
        contract=kw.c1,
        source="kpi",
        topic=kpi.topic,
        key="k",
        period=MAR,
        level="red",
    )
    with pytest.raises(ValidationError):
        kpi_services.region_kpi_delete(kpi=kpi)
    Signal.objects.all().delete()
    kpi_services.region_kpi_delete(kpi=kpi)
    assert not KpiNorm.objects.exists()
    assert not RegionKpiRollup.objects.exists()
    assert list(kw.s1.steering_kpis.values_list("kpi", flat=True)) == ["wait_time"]


# --- a large region: the figures in the background --------------------------------------------


def test_in_a_large_region_the_figures_are_computed_in_the_background(
    kw, settings, django_capture_on_commit_callbacks
):
    """Above REGION_KPI_SYNC_LINES the KPI's figures (and its signals) are a background
    recalculation with progress; the figures are the same as when computed in the request."""
    from monitoring.steering.models import SignalRecalculation

    rollups.refresh_region(kw.region.pk, signals=False)
    settings.REGION_KPI_SYNC_LINES = 5  # the world has 14 trajectories
    with django_capture_on_commit_callbacks(execute=True):
        kpi = share_kpi(kw)
    assert kpi.in_background
    recalculation = SignalRecalculation.objects.get(region=kw.region, region_kpi=kpi)
    assert (recalculation.kind, recalculation.status) == ("region_kpi", "done")
    months = recalculation.months
    assert months >= 6 and recalculation.months_total == 2 * months  # figures, then signals
    assert counts(kpi, Grain.CONTRACT, f"c{kw.c1.pk}") == (1, 3)  # as in the request
    assert counts(kpi, Grain.REGION, "r", FEB) == (1, 2)
    # a changed computation: again in the background
    with django_capture_on_commit_callbacks(execute=True):
        kpi_services.region_kpi_update(kpi=kpi, end_reasons=["01", "02"])
    assert counts(kpi, Grain.REGION, "r", FEB) == (2, 2)
    assert SignalRecalculation.objects.filter(region_kpi=kpi, status="done").count() == 2


def test_a_ratio_has_no_rollups_of_its_own_after_a_change(kw):
    rollups.refresh_region(kw.region.pk, signals=False)
    kpi = share_kpi(kw)
    assert RegionKpiRollup.objects.filter(kpi=kpi).exists()
    kpi_services.region_kpi_update(
        kpi=kpi,
        computation="ratio",
        unit="euro",
        numerator="amount",
        denominator="trajectories_started",
    )
    assert not RegionKpiRollup.objects.filter(kpi=kpi).exists()


# --- the import's refresh: only the region KPIs that read the imported kind ---------------------


def _all_rollups(region):
    """Every rollup row of the region (KPI, region KPI, settlement), without ids."""
    from monitoring.kpis.models import SettlementRollup

    def rows(model, exclude=("id",)):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        return sorted(
            tuple(str(v) for v in r)
            for r in model.objects.filter(region=region).values_list(*names)
        )

    return rows(KpiRollup), rows(RegionKpiRollup), rows(SettlementRollup)


def _import_world(kw):
    """Both region KPI computations that have rollups, on the rollup world, fully refreshed."""
    rollups.refresh_region(kw.region.pk, signals=False)
    safety = kpi_services.measurement_kind_create(
        region=kw.region, code="veiligheid", name="Veiligheid thuis", minimum=1, maximum=10
    )
    measure(kw, kw.c1, kw.m1, "y10", "einde", date(2025, 3, 31), safety, "6")
    rollups.refresh_region(kw.region.pk, signals=False)
    share = share_kpi(kw)
    average = kpi_services.region_kpi_create(
        region=kw.region,
        code="veiligheid",
        name="Veiligheid thuis",
        definition="Gemiddelde score veiligheid thuis.",
        unit="cijfer",
        direction="higher",
        computation="measurement_average",
        measurement_kind=safety,
    )
    return safety, share, average


@pytest.mark.parametrize(
    "kind", ["declaraties", "trajecten", "verwijzingen", "uitkomsten", "bezetting"]
)
def test_the_import_refresh_equals_a_full_refresh_for_every_kind(kw, kind):
    """After a line of each kind, ``refresh_for_import`` leaves every rollup (KPI, region KPI,
    settlement) as a full ``refresh_region`` makes it, although it recomputes the region KPIs
    only for the kinds they read; for trajectories and outcomes the new line does change a
    region KPI's figure, so skipping them there would fail."""
    from tests.monitoring.test_rollups import decl, occupancy, referral

    safety, share, average = _import_world(kw)
    before = _all_rollups(kw.region)
    if kind == "declaraties":
        decl(kw, kw.c1, kw.m1, "y10", kw.amb, MAR, "120.50")
        spans = [(MAR, MAR)]
    elif kind == "trajecten":
        # ended in March with reason 01 within 90 days: the share's numerator and denominator
        traj(kw, kw.c1, kw.m2, "y30", kw.amb, date(2025, 2, 1), date(2025, 3, 20), "01")
        spans = [(date(2025, 2, 1), date(2025, 3, 20))]
    elif kind == "verwijzingen":
        referral(kw, kw.c1, kw.m1, "y10", date(2025, 1, 20))
        spans = [(date(2025, 1, 20), date(2025, 1, 20))]
    elif kind == "uitkomsten":
        measure(kw, kw.c1, kw.m1, "y11", "einde", date(2025, 3, 15), safety, "9")
        spans = [(date(2025, 3, 15), date(2025, 3, 15))]
    else:
        occupancy(kw, kw.c2, MAR, 4, "100")
        spans = [(MAR, MAR)]
    share_before = counts(share, Grain.REGION, "r")
    average_before = counts(average, Grain.REGION, "r")
    rollups.refresh_for_import(kw.region.pk, kind, spans)
    after_import = _all_rollups(kw.region)
    share_after = counts(share, Grain.REGION, "r")
    average_after = counts(average, Grain.REGION, "r")
    rollups.refresh_region(kw.region.pk, signals=False)
    assert after_import == _all_rollups(kw.region)
    assert after_import != before
    # the line reaches the region KPI of its kind, and only that one
    assert (share_after != share_before) == (kind == "trajecten")
    assert (average_after != average_before) == (kind == "uitkomsten")


@pytest.mark.parametrize(
    ("kind", "reads"),
    [
        ("declaraties", set()),
        ("trajecten", {"share"}),
        ("verwijzingen", set()),
        ("uitkomsten", {"average"}),
        ("bezetting", set()),
    ],
)
def test_the_import_refresh_recomputes_only_the_region_kpis_of_its_kind(
    kw, kind, reads, monkeypatch
):
    """A declaration import (the large, frequent one) runs no region-KPI statement at all."""
    _safety, share, average = _import_world(kw)
    ratio = kpi_services.region_kpi_create(
        region=kw.region,
        code="bedrag-per-start",
        name="Bedrag per gestart traject",
        definition="Bedrag gedeeld door gestarte trajecten.",
        unit="euro",
        direction="lower",
        computation="ratio",
        numerator="amount",
        denominator="trajectories_started",
    )
    names = {share.pk: "share", average.pk: "average", ratio.pk: "ratio"}
    computed: list[set[str]] = []
    original = regional.refresh_months

    def spy(region_id, months, *, kpis=None):
        chosen = kpis if kpis is not None else RegionKpi.objects.filter(region_id=region_id)
        computed.append({names[k.pk] for k in chosen})
        return original(region_id, months, kpis=kpis)

    monkeypatch.setattr(regional, "refresh_months", spy)
    rollups.refresh_for_import(kw.region.pk, kind, [(MAR, MAR)])
    assert set().union(*computed) == reads
    assert {names[k.pk] for k in regional.reading(kw.region.pk, kind)} == reads
