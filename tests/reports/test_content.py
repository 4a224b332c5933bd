"""What a report contains: the snapshot's KPI values equal the dashboards' for the same month,
the municipal report suppresses small counts and sets the spend against its budget share, a
period without figures says so, and the snapshot is plain JSON."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from contracts.codes import Kpi
from monitoring.models import (
    DialogueAction,
    Escalation,
    Grain,
    KpiRollup,
    Level,
    PerformanceDialogue,
    Signal,
)
from reports import content, services
from reports.models import BudgetShare, ReportKind
from reports.periods import parse_period

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)


def make_report(w, kind, obj, code):
    cadence = {"provider": "month", "segment": "quarter", "municipality": "quarter"}.get(
        kind, "year"
    )
    return services.report_ensure(
        region=w.region, kind=kind, subject=obj, period=parse_period(cadence, code)
    )


def dashboard_tiles(client, user, name, w, *args, month="2026-10"):
    client.force_login(user)
    url = reverse(f"monitoring:{name}", args=[w.region.slug, *args]) + f"?maand={month}"
    response = client.get(url)
    assert response.status_code == 200
    return response.context["tiles"]


def by_code(snapshot):
    return {k["code"]: k for k in snapshot["kpis"]}


def assert_same_as_tiles(snapshot, tiles):
    kpis = by_code(snapshot)
    assert [t.kpi for t in tiles] == [k["code"] for k in snapshot["kpis"]]
    for tile in tiles:
        kpi = kpis[tile.kpi]
        assert kpi["text"] == tile.figure.text, tile.kpi
        assert kpi["level"] == (tile.level or ""), tile.kpi
        assert kpi["level_label"] == tile.level_label, tile.kpi
        assert kpi["benchmark_text"] == (tile.benchmark.text if tile.benchmark else "")
        assert [v for _m, v in kpi["trend"]] == [
            None if v is None else str(v) for _m, v in tile.trend
        ]


@pytest.fixture
def red_october(monitoring_data):
    """world_a's provider waits 45 days in October: red against its contract's norm (42)."""
    w = monitoring_data
    KpiRollup.objects.filter(region=w.region, month=OCT).exclude(grain=Grain.REGION).update(
        wait_days=450
    )
    return w


def test_provider_snapshot_equals_the_provider_dashboard(client, users, red_october):
    w = red_october
    snapshot = content.build_snapshot(make_report(w, ReportKind.PROVIDER, w.provider, "2026-10"))
    tiles = dashboard_tiles(client, users.officer, "provider", w, w.provider.pk)
    assert_same_as_tiles(snapshot, tiles)
    wait = by_code(snapshot)[Kpi.WAIT_TIME]
    assert wait["text"] == "45 dagen" and wait["level"] == Level.RED
    assert wait["level_label"] == "Rood"
    assert "28 dagen of lager" in wait["norm_text"] and "contractafspraak" in wait["norm_text"]
    assert snapshot["schema"] == 1 and snapshot["kind"] == "provider"
    assert snapshot["title"] == f"Aanbiedersrapportage {w.provider.name} – oktober 2026"
    assert snapshot["period"] == {
        "code": "2026-10",
        "label": "oktober 2026",
        "cadence": "month",
        "start": "2026-10-01",
        "end": "2026-10-31",
    }
    assert snapshot["data_month"] == "2026-10-01" and snapshot["has_data"]
    assert snapshot["region"]["slug"] == w.region.slug
    assert snapshot["subject"]["key"] == f"p{w.provider.pk}"
    # spend against budget: ten months of € 10.000 against the revised ceiling of € 110.000
    spend = snapshot["spend"]
    assert Decimal(spend["spent"]) == 100000 and Decimal(spend["budget"]) == 110000
    assert by_code(snapshot)[Kpi.SPEND_VS_BUDGET]["text"] == "90,9%"
    # the summary is computed from the figures
    summary = " ".join(snapshot["summary"])
    assert "€ 10.000,00" in summary and "20 unieke jeugdigen" in summary
    assert "Wachttijd (dagen) 45 dagen (rood, norm 28 dagen)" in summary
    # the trend chart shows the red KPI; definitions of every KPI shown
    assert snapshot["trend_charts"][0]["code"] == Kpi.WAIT_TIME
    assert {d["code"] for d in snapshot["definitions"]} == set(by_code(snapshot))
    contracts = next(t for t in snapshot["tables"] if t["key"] == "contracts")
    assert contracts["rows"][0]["head"].startswith(w.con.contract.reference)


def test_provider_signals_actions_and_escalation(red_october, users):
    w = red_october
    Signal.objects.create(
        region=w.region,
        provider=w.provider,
        contract=w.con.contract,
        source="kpi",
        topic=Kpi.WAIT_TIME,
        key="wait-oct",
        period=OCT,
        level=Level.RED,
        message="Wachttijd 45 dagen, norm 28",
    )
    Signal.objects.create(  # about a later month: not in October's report
        region=w.region,
        provider=w.provider,
        source="kpi",
        topic=Kpi.DROPOUT,
        key="later",
        period=date(2026, 12, 1),
        level=Level.AMBER,
        message="Uitval in december",
    )
    dialogue = PerformanceDialogue.objects.create(
        region=w.region, provider=w.provider, scheduled_on=date(2026, 10, 14), status="held"
    )
    DialogueAction.objects.create(
        dialogue=dialogue,
        description="Wachtlijst opschonen",
        owner="Aanbieder",
        due_on=date(2026, 10, 20),
    )
    DialogueAction.objects.create(
        dialogue=dialogue,
        description="Oude afspraak",
        owner="Regio",
        due_on=date(2026, 6, 1),
        status="done",
        closed_on=date(2026, 6, 2),
    )
    Escalation.objects.create(
        region=w.region,
        provider=w.provider,
        step="improvement_plan",
        started_on=date(2026, 9, 1),
        reason="Wachttijd blijft hoog",
    )
    snapshot = content.build_snapshot(make_report(w, ReportKind.PROVIDER, w.provider, "2026-10"))
    signals = snapshot["signals"]
    assert [s["message"] for s in signals["items"]] == ["Wachttijd 45 dagen, norm 28"]
    assert signals["red"] == 1 and signals["items"][0]["level_label"] == "Rood"
    actions = snapshot["actions"]
    assert [a["description"] for a in actions["items"]] == ["Wachtlijst opschonen"]
    assert actions["open"] == 1 and actions["overdue"] == 1
    assert actions["dialogues"] == [{"date_text": "14-10-2026", "status_label": "Gevoerd"}]
    assert snapshot["escalation"]["current"]["step_label"] == "Verbeterplan"
    summary = " ".join(snapshot["summary"])
    assert "1 open signalen: 1 rood en 0 oranje" in summary
    assert "Huidige escalatiestap: Verbeterplan (sinds 01-09-2026)" in summary


def test_segment_snapshot_equals_the_segment_dashboard_at_the_quarters_last_month(
    client, users, red_october
):
    w = red_october
    snapshot = content.build_snapshot(make_report(w, ReportKind.SEGMENT, w.segment, "2026-K3"))
    assert snapshot["data_month"] == "2026-09-01"
    tiles = dashboard_tiles(client, users.officer, "segment", w, w.segment.pk, month="2026-09")
    assert_same_as_tiles(snapshot, tiles)
    months = next(t for t in snapshot["tables"] if t["key"] == "months")
    assert [r["head"] for r in months["rows"]] == [
        "juli 2026",
        "augustus 2026",
        "september 2026",
        "Kwartaal",
    ]
    assert months["rows"][-1]["cells"][0]["text"] == "€ 30.000,00"  # the quarter's total
    assert Decimal(snapshot["bar_chart"]["bars"][0][1]) == 30


def test_board_snapshot_equals_the_region_dashboard_at_the_years_last_month(
    client, users, red_october
):
    w = red_october
    snapshot = content.build_snapshot(make_report(w, ReportKind.BOARD, w.region, "2026"))
    assert snapshot["data_month"] == "2026-10-01"
    tiles = dashboard_tiles(client, users.officer, "region", w)
    assert_same_as_tiles(snapshot, tiles)
    keys = [t["key"] for t in snapshot["tables"]]
    assert keys == ["segments", "providers", "signal-counts", "escalations"]


def test_municipal_report_suppresses_small_counts_like_the_municipal_dashboard(
    client, users, monitoring_data
):
    w = monitoring_data
    KpiRollup.objects.filter(
        region=w.region,
        grain__in=[Grain.MUNICIPALITY, Grain.SEGMENT_MUNICIPALITY, Grain.PROVIDER_MUNICIPALITY],
        month__gte=date(2026, 7, 1),
    ).update(youths=3, trajectories_active=2)
    snapshot = content.build_snapshot(
        make_report(w, ReportKind.MUNICIPALITY, w.municipality, "2026-K3")
    )
    assert snapshot["suppressed"]
    tiles = dashboard_tiles(
        client, users.municipal, "municipality", w, w.municipality.pk, month="2026-09"
    )
    assert_same_as_tiles(snapshot, tiles)
    kpis = by_code(snapshot)
    assert kpis[Kpi.UNIQUE_YOUTHS]["text"] == "< 5" and kpis[Kpi.UNIQUE_YOUTHS]["value"] is None
    assert kpis[Kpi.COST_PER_CLIENT]["text"] == "—"  # an amount over fewer than 5 youths
    text = json.dumps(snapshot, ensure_ascii=False)
    assert '"3"' not in text and "€ 3.333" not in text  # neither the count nor € 10.000 / 3
    months = next(t for t in snapshot["tables"] if t["key"] == "months")
    assert months["rows"][0]["cells"][1]["text"] == "< 5"
    assert months["rows"][0]["cells"][0]["text"] == "—"  # the amount of 3 youths
    # the quarter's amount is of at most 3 youths a month: hidden; the year to date is of 20
    # youths a month before July: shown
    assert months["rows"][-1]["cells"][0]["text"] == "—"
    assert snapshot["budget_share"]["spent_text"] == "€ 90.000,00"


def test_municipal_report_sets_spend_against_its_budget_share(monitoring_data):
    w = monitoring_data
    BudgetShare.objects.create(
        region=w.region, municipality=w.municipality, year=2026, percentage=Decimal("25")
    )
    snapshot = content.build_snapshot(
        make_report(w, ReportKind.MUNICIPALITY, w.municipality, "2026-K3")
    )
    share = snapshot["budget_share"]
    # € 110.000 (the region's budget 2026) × 25% = € 27.500; January–September: 9 × € 10.000
    assert Decimal(share["region_budget"]) == 110000
    assert Decimal(share["budget"]) == 27500 and share["budget_text"] == "€ 27.500,00"
    assert Decimal(share["spent"]) == 90000 and share["pct_text"] == "327,3%"
    assert "25%" in share["sentence"] and "€ 27.500,00" in share["sentence"]
    assert share["sentence"] in snapshot["summary"]
    by_provider = next(t for t in snapshot["tables"] if t["key"] == "by-provider")
    assert by_provider["rows"][0]["head"] == w.provider.name
    assert by_provider["rows"][0]["cells"][0]["text"] == "€ 30.000,00"


def test_municipal_report_without_a_share_says_so(monitoring_data):
    w = monitoring_data
    snapshot = content.build_snapshot(
        make_report(w, ReportKind.MUNICIPALITY, w.municipality, "2026-K3")
    )
    share = snapshot["budget_share"]
    assert share["share"] is None and share["budget"] is None and share["pct"] is None
    assert "geen aandeel" in share["sentence"]


def test_a_period_without_figures_gives_an_honest_report(monitoring_data):
    w = monitoring_data
    for kind, obj, code in (
        (ReportKind.PROVIDER, w.provider, "2024-05"),
        (ReportKind.SEGMENT, w.segment, "2024-K2"),
        (ReportKind.MUNICIPALITY, w.municipality, "2024-K2"),
        (ReportKind.BOARD, w.region, "2024"),
    ):
        snapshot = content.build_snapshot(make_report(w, kind, obj, code))
        assert not snapshot["has_data"] and snapshot["data_month"] is None, kind
        assert snapshot["kpis"] == [] and snapshot["key_figures"] == [], kind
        assert snapshot["spend"] is None, kind
        assert "geen productiegegevens" in snapshot["no_data_text"], kind
        assert snapshot["no_data_text"] in snapshot["summary"], kind


def test_snapshot_is_plain_json_that_round_trips(red_october):
    w = red_october
    for kind, obj, code in (
        (ReportKind.PROVIDER, w.provider, "2026-10"),
        (ReportKind.SEGMENT, w.segment, "2026-K3"),
        (ReportKind.MUNICIPALITY, w.municipality, "2026-K3"),
        (ReportKind.BOARD, w.region, "2026"),
    ):
        snapshot = content.build_snapshot(make_report(w, kind, obj, code))
        assert json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder)) == snapshot, kind
        json.dumps(snapshot)  # no Decimal, date or lazy text left


def test_the_number_of_queries_does_not_grow_with_the_months_of_data(
    red_october, django_assert_max_num_queries
):
    w = red_october
    report = make_report(w, ReportKind.PROVIDER, w.provider, "2026-10")
    with django_assert_max_num_queries(40):
        content.build_snapshot(report)


def test_segment_report_leads_with_the_segments_steering_kpis_and_has_the_regions_own(
    client, users, red_october
):
    """A region KPI is a tile of the report like on the dashboard (issue 17); the segment's
    steering KPIs come first, and its definition is in the report's definitions."""
    from monitoring.kpis import services as kpi_services
    from monitoring.kpis.models import RegionKpiRollup

    w = red_october
    kpi = kpi_services.region_kpi_create(
        region=w.region,
        code="volgens-plan",
        name="Volgens plan afgesloten",
        definition="Aandeel beëindigd met reden 01.",
        unit="procent",
        direction="higher",
        computation="trajectory_share",
        population="ended",
        end_reasons=["01"],
    )
    RegionKpiRollup.objects.create(
        region=w.region,
        kpi=kpi,
        month=date(2026, 9, 1),
        grain=Grain.SEGMENT,
        key=f"s{w.segment.pk}",
        segment=w.segment,
        numerator=7,
        denominator=8,
    )
    kpi_services.steering_kpis_set(segment=w.segment, kpis=[kpi.topic, Kpi.DROPOUT])
    snapshot = content.build_snapshot(make_report(w, ReportKind.SEGMENT, w.segment, "2026-K3"))
    tiles = dashboard_tiles(client, users.officer, "segment", w, w.segment.pk, month="2026-09")
    assert_same_as_tiles(snapshot, tiles)
    codes = [k["code"] for k in snapshot["kpis"]]
    assert codes[:2] == [kpi.topic, Kpi.DROPOUT]
    own = by_code(snapshot)[kpi.topic]
    assert (own["label"], own["text"]) == ("Volgens plan afgesloten", "87,5%")  # 7 of 8
    assert own["numerator_text"] == "7" and own["denominator_text"] == "8"
    assert "Volgens plan afgesloten" in [d["label"] for d in snapshot["definitions"]]
