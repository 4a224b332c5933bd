"""The monitoring demo (monitoring/demo_steering.py) on top of the production demo, for one
region (Zuid-Holland Zuid: PxQ, availability and crisis contracts, so every KPI has data).

The region is loaded once for the module inside a transaction that is rolled back afterwards,
as in tests/contracts/test_demo_contracts.py, so the other test modules never see it."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from contracts.codes import Kpi
from contracts.demo import ZHZ_LOW_FACILITY, ZHZ_LOW_OCCUPANCY, ZHZ_SECOND_FACILITY, load_contracts
from contracts.models import Contract, FundingArrangement
from core.ui.formatting import month_range, months_before
from demo.users import load_users
from monitoring.demo.production import load_production
from monitoring.demo.steering import load_steering
from monitoring.kpis import definitions as kpis
from monitoring.models import (
    ActionStatus,
    Allocation,
    Declaration,
    DialogueStatus,
    Escalation,
    EscalationStep,
    Grain,
    KpiNorm,
    KpiRollup,
    Level,
    OutcomeMeasurement,
    OutcomeMoment,
    PerformanceDialogue,
    Referral,
    Referrer,
    RiskWeight,
    Signal,
    SignalSource,
    Trajectory,
)
from monitoring.steering.dialogues import is_overdue
from procurement.demo import load_procurement
from providers import finance
from providers.demo import load_providers
from providers.models import AnnualAccount
from segments.demo.load import load_landscape

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-monitoring")]

FIRST, LAST = date(2025, 1, 1), date(2026, 10, 1)
LAST_DAY = date(2026, 10, 31)
PSEUDONYM = r"^[0-9a-f]{64}$"


def counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("monitoring").get_models(),
        *apps.get_app_config("contracts").get_models(),
        AnnualAccount,
        LogEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def zhz(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        region = next(r for r in load_landscape() if r.slug == "zhz")
        load_providers(region)
        load_users()
        load_procurement(region)
        load_contracts(region)
        loaded = load_production(region)
        before = counts()
        again = load_production(region)
        yield SimpleNamespace(region=region, loaded=loaded, again=again, before=before)
        transaction.set_rollback(True)


def test_second_load_adds_nothing(zhz):
    assert zhz.loaded["trajecten"] > 1000 and zhz.loaded["verwijzingen"] > 1000
    assert zhz.again == {}
    assert counts() == zhz.before  # not a row, not a rollup, not an audit entry


def test_rollups_for_every_demo_month_and_grain(zhz):
    rows = KpiRollup.objects.filter(region=zhz.region)
    assert set(rows.values_list("month", flat=True)) == set(month_range(FIRST, LAST))
    for grain in Grain.values:
        assert set(rows.filter(grain=grain).values_list("month", flat=True)) == set(
            month_range(FIRST, LAST)
        ), grain


def test_every_kpi_has_a_figure_for_the_region_in_october_2026(zhz):
    row = KpiRollup.objects.get(region=zhz.region, grain=Grain.REGION, month=LAST)
    for kpi in kpis.DEFINITIONS:
        if kpi == Kpi.SPEND_VS_BUDGET:
            continue  # needs a budget: judged per contract
        assert kpis.value(kpi, row) is not None, kpi
    months = KpiRollup.objects.filter(region=zhz.region, grain=Grain.REGION)
    assert months.filter(step_downs__gt=0).count() >= 10
    assert months.filter(reentries__gt=0).count() >= 5
    assert months.filter(wait_count__gt=0).count() == 22


def test_kpi_signals_amber_and_red(zhz):
    kpi = Signal.objects.filter(region=zhz.region, source=SignalSource.KPI)
    assert kpi.filter(level=Level.AMBER).exists() and kpi.filter(level=Level.RED).exists()
    topics = set(kpi.values_list("topic", flat=True))
    assert {Kpi.OCCUPANCY, Kpi.DROPOUT} <= topics
    assert kpi.filter(contract__reference=ZHZ_LOW_OCCUPANCY, topic=Kpi.OCCUPANCY, level=Level.RED)


def test_facility_signal_of_the_two_facility_contract(zhz):
    low = FundingArrangement.objects.get(
        contract__reference=ZHZ_LOW_OCCUPANCY, facility=ZHZ_LOW_FACILITY
    )
    signals = Signal.objects.filter(
        key__startswith=f"kpi:c{low.contract_id}:occupancy:f{low.pk}:", topic=Kpi.OCCUPANCY
    )
    assert signals.filter(period__year=2026, level=Level.RED).exists()
    assert all(ZHZ_LOW_FACILITY in s.message for s in signals)
    second = FundingArrangement.objects.get(
        contract__reference=ZHZ_LOW_OCCUPANCY, facility=ZHZ_SECOND_FACILITY
    )
    assert not Signal.objects.filter(
        key__startswith=f"kpi:c{low.contract_id}:occupancy:f{second.pk}:", level=Level.RED
    ).exists()


def test_finance_signals_for_excessive_margin_and_wnt_breach(zhz):
    accounts = AnnualAccount.objects.filter(provider__region=zhz.region)
    assert {a.year for a in accounts} == {2024, 2025}
    assert all("llustratief" in a.note for a in accounts)
    margins = [finance.margin(a) for a in accounts.filter(year=2025)]
    assert sum(m > 15 for m in margins) == 1
    assert sum(5 < m <= 15 for m in margins) == 2
    assert sum(m < 0 for m in margins) == 1
    assert sum(0 <= m <= 4 for m in margins) >= len(margins) - 4
    excessive = next(a for a in accounts.filter(year=2025) if finance.margin(a) > 15)
    breach = accounts.get(executive_pay__gt=Decimal("246000"))
    assert breach.year == 2025
    finance_signals = Signal.objects.filter(region=zhz.region, source=SignalSource.FINANCE)
    assert finance_signals.filter(
        provider=excessive.provider,
        topic="finance_margin",
        level=Level.RED,
        period=date(2025, 1, 1),
    ).exists()
    assert finance_signals.filter(
        provider=breach.provider, topic="finance_wnt", level=Level.RED, period=date(2025, 1, 1)
    ).exists()


def test_norms_and_risk_weights(zhz):
    norms = KpiNorm.objects.filter(segment__region=zhz.region)
    assert set(norms.filter(segment__code="1").values_list("kpi", flat=True)) == {
        Kpi.WAIT_TIME,
        Kpi.DROPOUT,
        Kpi.GOAL_REALISATION,
        Kpi.CLIENT_EXPERIENCE,
        Kpi.COST_PER_CLIENT,
    }
    assert norms.filter(segment__code="2", kpi=Kpi.OCCUPANCY).exists()
    weights = dict(RiskWeight.objects.filter(region=zhz.region).values_list("topic", "weight"))
    assert weights[Kpi.WAIT_TIME] == 2 and weights[Kpi.DROPOUT] == Decimal("1.5")
    assert weights["finance_margin"] == 2


def test_client_keys_are_pseudonyms_only(zhz):
    for model in (Declaration, Trajectory, Allocation, Referral, OutcomeMeasurement):
        lines = model.objects.filter(region=zhz.region)
        assert lines.exists(), model
        assert not lines.exclude(client_key__regex=PSEUDONYM).exists(), model


def test_lines_inside_their_contract_and_the_demo_window(zhz):
    dated = (
        (Trajectory, "started_on"),
        (Trajectory, "ended_on"),
        (Referral, "referred_on"),
        (OutcomeMeasurement, "measured_on"),
    )
    for contract in Contract.objects.filter(region=zhz.region):
        last = min(LAST_DAY, contract.end_date)
        first = max(FIRST, contract.start_date)
        for model, field in dated:
            lines = model.objects.filter(contract=contract, **{f"{field}__isnull": False})
            assert not lines.filter(**{f"{field}__lt": first}).exists(), (model, contract)
            assert not lines.filter(**{f"{field}__gt": last}).exists(), (model, contract)
    for model, label in ((Trajectory, "T"), (Referral, "R"), (OutcomeMeasurement, "O")):
        assert (
            not model.objects.filter(region=zhz.region)
            .exclude(reference__startswith=f"DEMO-{label}")
            .exists()
        )
    # Every trajectory has its allocation; ended trajectories have a CBS reason.
    trajectories = Trajectory.objects.filter(region=zhz.region)
    assert trajectories.count() == Allocation.objects.filter(region=zhz.region).count()
    assert not trajectories.filter(ended_on__isnull=False, end_reason="").exists()
    assert trajectories.filter(ended_on__isnull=True).exists()


def test_referrers_and_outcomes_are_plausible(zhz):
    referrals = Referral.objects.filter(region=zhz.region)
    municipal = referrals.filter(referrer=Referrer.MUNICIPAL_ACCESS).count()
    assert 0.3 < municipal / referrals.count() < 0.5
    outcomes = OutcomeMeasurement.objects.filter(region=zhz.region)
    end = outcomes.filter(moment=OutcomeMoment.END)
    assert end.count() > outcomes.filter(moment=OutcomeMoment.START).count() > 0
    assert not end.filter(goal_realisation__lt=40).exists()
    assert not outcomes.filter(client_experience__lt=Decimal("5.5")).exists()
    assert not outcomes.filter(client_experience__gt=Decimal("9.5")).exists()


def test_escalation_and_planned_dialogue_with_the_low_occupancy_provider(zhz):
    provider = Contract.objects.get(reference=ZHZ_LOW_OCCUPANCY).provider
    steps = list(Escalation.objects.filter(provider=provider).order_by("started_on"))
    assert [s.step for s in steps] == [EscalationStep.DIALOGUE, EscalationStep.IMPROVEMENT_PLAN]
    assert steps[0].closed_on == steps[1].started_on and steps[1].closed_on is None
    dialogue = PerformanceDialogue.objects.get(region=zhz.region)
    assert dialogue.provider == provider and dialogue.status == DialogueStatus.PLANNED
    assert dialogue.agenda.filter(signal__isnull=False).exists()
    assert not dialogue.actions.exists()


def test_held_dialogue_with_done_open_and_overdue_actions(zhz):
    """West-Brabant Oost's dialogue, made here from Zuid-Holland Zuid's signals (the loader
    only looks at the region's slug and signals), then rolled back."""
    with transaction.atomic():
        PerformanceDialogue.objects.filter(region=zhz.region).delete()
        Escalation.objects.filter(region=zhz.region).delete()
        zhz.region.slug = "wbo"
        try:
            assert load_steering(zhz.region) == {"prestatiedialogen": 1}
        finally:
            zhz.region.slug = "zhz"
        dialogue = PerformanceDialogue.objects.get(region=zhz.region)
        # held last month (after the last month of production), whatever day it is loaded
        today = timezone.localdate()
        assert dialogue.status == DialogueStatus.HELD
        assert months_before(1, today) <= dialogue.scheduled_on < today
        assert dialogue.notes and dialogue.participants
        assert dialogue.agenda.filter(signal__level=Level.RED).exists()
        actions = list(dialogue.actions.order_by("due_on"))
        assert [a.status for a in actions] == [
            ActionStatus.DONE,
            ActionStatus.OPEN,
            ActionStatus.OPEN,
        ]
        assert [is_overdue(a, today) for a in actions] == [False, True, False]
        transaction.set_rollback(True)


def test_bench_generator_files_pass_the_import(zhz, tmp_path):
    """bench/generate.py writes files the import accepts as they are (valid BSNs, contracts,
    products, municipalities and dates), deterministically per seed."""
    from bench.generate import CsvSink, Landscape, generate
    from monitoring.imports.services import batch_create, import_file
    from monitoring.models import DatasetKind, ImportFormat, ImportStatus

    landscape = Landscape.from_db("zhz")
    window = {"first": date(2025, 1, 1), "last": date(2026, 10, 1)}
    counts = generate(landscape, CsvSink(tmp_path / "a", "T1"), lines=1500, seed=3, **window)
    generate(landscape, CsvSink(tmp_path / "b", "T1"), lines=1500, seed=3, **window)
    assert counts["declaraties"] == 1500 and counts["trajecten"] > 100
    for kind in counts:
        first = (tmp_path / "a" / f"{kind}.csv").read_bytes()
        assert first == (tmp_path / "b" / f"{kind}.csv").read_bytes(), kind
    with transaction.atomic():
        for kind in (DatasetKind.DECLARATIONS, DatasetKind.TRAJECTORIES, DatasetKind.REFERRALS):
            path = tmp_path / "a" / f"{kind}.csv"
            batch = batch_create(
                region=zhz.region,
                kind=kind,
                file_format=ImportFormat.CSV,
                file_name=path.name,
                file_size=path.stat().st_size,
            )
            batch = import_file(batch=batch, path=path)
            assert batch.status == ImportStatus.SUCCEEDED, (kind, batch.errors[:3])
            assert batch.rows_added == counts[kind]
        transaction.set_rollback(True)
