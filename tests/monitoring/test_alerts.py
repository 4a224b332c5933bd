"""KPI signals from contract rollups and norms, finance signals, and risk scores.

Rollup rows are written directly with chosen measures, so every figure is plain arithmetic."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from contracts.models import Budget, BudgetRevision, KpiAgreement
from monitoring.models import Grain, KpiNorm, KpiRollup, RiskWeight, Signal
from monitoring.steering import alerts
from providers.models import AnnualAccount
from tests.monitoring.test_rollups import FEB, JAN, MAR, build_kpi_world

D = Decimal


@pytest.fixture
def kw(db):
    return build_kpi_world()


def rollup(w, contract, month, **measures):
    row, _ = KpiRollup.objects.update_or_create(
        region=w.region,
        grain=Grain.CONTRACT,
        key=f"c{contract.pk}",
        month=month,
        defaults={
            "contract": contract,
            "provider": contract.provider,
            "segment": contract.segment,
            **measures,
        },
    )
    return row


def agreement(contract, kpi, direction, norm, amber, red):
    return KpiAgreement.objects.create(
        contract=contract,
        kpi=kpi,
        direction=direction,
        norm=D(norm),
        amber_threshold=D(amber),
        red_threshold=D(red),
    )


def signal(w, contract, kpi, month):
    return Signal.objects.filter(key=f"kpi:c{contract.pk}:{kpi}:{month:%Y-%m}").first()


def test_amber_red_and_back_in_norm(kw):
    agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)  # 200 / 5 = 40.0: ≥ 35 amber
    assert alerts.evaluate(kw.region.pk, [MAR]) == 1
    s = signal(kw, kw.c1, "wait_time", MAR)
    assert (s.level, s.value, s.norm, s.status) == ("amber", D("40.0"), D("28"), "open")
    assert (s.source, s.topic, s.period) == ("kpi", "wait_time", MAR)
    assert (s.provider, s.contract) == (kw.p1, kw.c1)
    assert s.message == (
        "Oranje: Wachttijd (dagen) bij contract C1 (Aanbieder 1) in maart 2025 is 40 dagen; "
        "norm 28 dagen, oranje vanaf 35 dagen, rood vanaf 42 dagen."
    )
    # the pages write the sentence in the reader's language from the stored figures
    with translation.override("en"):
        assert s.text == (
            "Amber: Waiting time (days) for contract C1 (Aanbieder 1) in March 2025 is 40 days; "
            "norm 28 days, amber from 35 days, red from 42 days."
        )
    with translation.override("nl"):
        assert s.text == s.message
    # again: the same signal, nothing new
    alerts.evaluate(kw.region.pk, [MAR])
    assert Signal.objects.count() == 1
    rollup(kw, kw.c1, MAR, wait_days=250, wait_count=5)  # 50.0: ≥ 42 red
    alerts.evaluate(kw.region.pk, [MAR])
    s.refresh_from_db()
    assert (s.level, s.value, Signal.objects.count()) == ("red", D("50.0"), 1)
    assert s.message.startswith("Rood: ")
    rollup(kw, kw.c1, MAR, wait_days=100, wait_count=5)  # 20.0: green closes it
    assert alerts.evaluate(kw.region.pk, [MAR]) == 0
    s.refresh_from_db()
    assert s.status == "closed"
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)  # amber again: reopened
    alerts.evaluate(kw.region.pk, [MAR])
    s.refresh_from_db()
    assert (s.status, s.level, Signal.objects.count()) == ("open", "amber", 1)


def test_signal_on_the_agenda_stays_there(kw):
    agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)
    alerts.evaluate(kw.region.pk, [MAR])
    Signal.objects.update(status="agenda")
    rollup(kw, kw.c1, MAR, wait_days=250, wait_count=5)
    alerts.evaluate(kw.region.pk, [MAR])
    assert Signal.objects.get().status == "agenda"
    assert Signal.objects.get().level == "red"


def test_signal_closed_by_a_person_reopens_only_when_worse(kw):
    from django.utils import timezone

    agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)  # amber
    alerts.evaluate(kw.region.pk, [MAR])
    Signal.objects.update(status="closed", handled_at=timezone.now())
    rollup(kw, kw.c1, MAR, wait_days=205, wait_count=5)  # 41.0: still amber
    assert alerts.evaluate(kw.region.pk, [MAR]) == 0
    s = Signal.objects.get()
    assert (s.status, s.value) == ("closed", D("40.0"))  # untouched
    rollup(kw, kw.c1, MAR, wait_days=250, wait_count=5)  # red: worse
    assert alerts.evaluate(kw.region.pk, [MAR]) == 1
    s.refresh_from_db()
    assert (s.status, s.level, s.handled_at) == ("open", "red", None)


def test_minimum_count(kw):
    """Fewer than 5 in the denominator: not judged (and an open signal is closed)."""
    agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)
    alerts.evaluate(kw.region.pk, [MAR])
    rollup(kw, kw.c1, MAR, wait_days=400, wait_count=4)  # 100 days, but only 4 starts
    assert alerts.evaluate(kw.region.pk, [MAR]) == 0
    assert signal(kw, kw.c1, "wait_time", MAR).status == "closed"
    agreement(kw.c1, "unique_youths", "higher", "10", "5", "2")
    rollup(kw, kw.c1, MAR, youths=3)  # volumes have no denominator: 3 ≤ 5 amber
    alerts.evaluate(kw.region.pk, [MAR])
    assert signal(kw, kw.c1, "unique_youths", MAR).level == "amber"


def test_segment_norm_and_contract_override(kw):
    KpiNorm.objects.create(
        segment=kw.s1,
        kpi="dropout",
        direction="lower",
        norm=D("10"),
        amber_threshold=D("20"),
        red_threshold=D("30"),
    )
    agreement(kw.c2, "dropout", "lower", "30", "40", "50")  # C2's own, looser norm
    rollup(kw, kw.c1, MAR, dropouts=2, trajectories_ended=8)  # 25.0: amber for S1
    rollup(kw, kw.c2, MAR, dropouts=2, trajectories_ended=8)  # 25.0: green for C2
    rollup(kw, kw.c3, MAR, dropouts=8, trajectories_ended=8)  # S2 has no norm
    assert alerts.evaluate(kw.region.pk, [MAR]) == 1
    s = signal(kw, kw.c1, "dropout", MAR)
    assert (s.level, s.value, s.norm) == ("amber", D("25.0"), D("10"))
    assert Signal.objects.count() == 1


def test_higher_is_better(kw):
    agreement(kw.c3, "occupancy", "higher", "85", "65", "50")
    rollup(kw, kw.c3, MAR, occupied_days=D("31"), place_days=62)  # 50.0: ≤ 50 red
    alerts.evaluate(kw.region.pk, [MAR])
    s = signal(kw, kw.c3, "occupancy", MAR)
    assert (s.level, s.value, s.provider) == ("red", D("50.0"), kw.p2)
    assert "50%" in s.message


def test_spend_vs_budget_year_to_date(kw):
    agreement(kw.c1, "spend_vs_budget", "lower", "80", "90", "100")
    agreement(kw.c2, "spend_vs_budget", "lower", "80", "90", "100")  # C2 has no budget
    ceiling = Budget.objects.create(contract=kw.c1, year=2025, kind="ceiling", amount=D("1000"))
    BudgetRevision.objects.create(
        budget=ceiling, effective_on=date(2025, 6, 1), amount=D("800"), reason="Herijking"
    )
    Budget.objects.create(contract=kw.c1, year=2025, kind="lumpsum", amount=D("200"))
    Budget.objects.create(contract=kw.c1, year=2024, kind="lumpsum", amount=D("1"))  # other year
    rollup(kw, kw.c1, date(2024, 12, 1), amount=D("5000"))  # last year: not counted
    rollup(kw, kw.c1, JAN, amount=D("300"))
    rollup(kw, kw.c1, MAR, amount=D("600"))
    rollup(kw, kw.c2, MAR, amount=D("600"))
    alerts.evaluate(kw.region.pk, [JAN, MAR])
    # current amounts 800 + 200 = 1000; through March 300 + 600 = 900 → 90.0%: amber
    s = signal(kw, kw.c1, "spend_vs_budget", MAR)
    assert (s.level, s.value) == ("amber", D("90.0"))
    assert signal(kw, kw.c1, "spend_vs_budget", JAN) is None  # 300 / 1000 = 30%
    assert signal(kw, kw.c2, "spend_vs_budget", MAR) is None


def test_green_later_month_closes_earlier_signals(kw):
    agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, JAN, wait_days=200, wait_count=5)  # amber
    rollup(kw, kw.c1, FEB, wait_days=250, wait_count=5)  # red
    alerts.evaluate(kw.region.pk, [JAN, FEB])
    assert Signal.objects.filter(status="open").count() == 2
    rollup(kw, kw.c1, MAR, wait_days=100, wait_count=5)  # green
    alerts.evaluate(kw.region.pk, [MAR])
    assert not Signal.objects.exclude(status="closed").exists()
    # re-evaluating January alone also judges the latest month (green): nothing reopens
    alerts.evaluate(kw.region.pk, [JAN])
    assert not Signal.objects.exclude(status="closed").exists()


def test_removed_norm_closes_signal(kw):
    a = agreement(kw.c1, "wait_time", "lower", "28", "35", "42")
    rollup(kw, kw.c1, MAR, wait_days=200, wait_count=5)
    alerts.evaluate(kw.region.pk, [MAR])
    a.delete()
    alerts.evaluate(kw.region.pk, [MAR])
    assert Signal.objects.get().status == "closed"


# --- finance ------------------------------------------------------------------------------------


def test_finance_signals(kw):
    account = AnnualAccount.objects.create(
        provider=kw.p1,
        year=2024,
        revenue=D("1000000"),
        result=D("200000"),  # 20.0%: red
        executive_pay=D("240000"),  # above the 2024 maximum of 233,000: red
    )
    signals = alerts.finance_signals(account)
    assert {s.key for s in signals} == {
        f"finance:p{kw.p1.pk}:2024:margin",
        f"finance:p{kw.p1.pk}:2024:wnt",
    }
    margin = Signal.objects.get(topic="finance_margin")
    assert (margin.level, margin.value, margin.norm) == ("red", D("20.0"), D("15"))
    assert (margin.source, margin.period, margin.contract) == ("finance", date(2024, 1, 1), None)
    assert "20%" in margin.message
    wnt = Signal.objects.get(topic="finance_wnt")
    assert (wnt.level, wnt.value, wnt.norm) == ("red", D("240000"), D("233000"))
    assert "€ 233.000,00" in wnt.message
    # corrected figures: margin 6% amber, pay within the maximum → WNT closed
    account.result = D("60000")
    account.executive_pay = D("230000")
    account.save()
    assert alerts.evaluate_finance(kw.region.pk) == 1
    margin.refresh_from_db()
    wnt.refresh_from_db()
    assert (margin.level, margin.status, wnt.status) == ("amber", "open", "closed")
    assert Signal.objects.count() == 2


# --- risk score ---------------------------------------------------------------------------------


def make_signal(w, provider, topic, level, period, contract=None, status="open"):
    key = f"test:{provider.pk}:{contract.pk if contract else '-'}:{topic}:{period}"
    return Signal.objects.create(
        region=w.region,
        provider=provider,
        contract=contract,
        source="kpi" if contract else "finance",
        topic=topic,
        key=key,
        period=period,
        level=level,
        message="x",
        status=status,
    )


def test_risk_scores(kw):
    RiskWeight.objects.create(region=kw.region, topic="wait_time", weight=D("2"))
    RiskWeight.objects.create(region=kw.region, topic="finance_margin", weight=D("0.5"))
    # P1: wait time amber in Feb and Mar (only the latest month counts), drop-out red,
    # margin amber, and a closed red that does not count
    make_signal(kw, kw.p1, "wait_time", "amber", FEB, kw.c1)
    make_signal(kw, kw.p1, "wait_time", "amber", MAR, kw.c1, status="agenda")
    make_signal(kw, kw.p1, "dropout", "red", MAR, kw.c1)
    make_signal(kw, kw.p1, "finance_margin", "amber", date(2024, 1, 1))
    make_signal(kw, kw.p1, "reentry", "red", MAR, kw.c1, status="closed")
    # P2: the same topic on two contracts counts twice
    make_signal(kw, kw.p2, "dropout", "red", MAR, kw.c2)
    make_signal(kw, kw.p2, "dropout", "red", MAR, kw.c3)
    scores = alerts.risk_scores(kw.region.pk)
    p1 = scores[kw.p1.pk]
    # wait time 2 × 1 amber = 2; drop-out 1 × 3 = 3; margin 0.5 × 1 = 0.5 → 5.5: amber
    assert p1.score == D("5.5")
    assert p1.level == "amber"
    assert [(p.topic, p.weight, p.amber, p.red, p.points) for p in p1.parts] == [
        ("dropout", D("1"), 0, 1, D("3")),
        ("wait_time", D("2"), 1, 0, D("2")),
        ("finance_margin", D("0.5"), 1, 0, D("0.5")),
    ]
    p2 = scores[kw.p2.pk]
    assert (p2.score, p2.level) == (D("6"), "red")  # 1 × (3 + 3) = 6
    assert p2.get_level_display() == "Rood"


def test_risk_levels():
    assert alerts.risk_level(D("0")) == "green"
    assert alerts.risk_level(D("1.9")) == "green"
    assert alerts.risk_level(D("2")) == "amber"
    assert alerts.risk_level(D("5.9")) == "amber"
    assert alerts.risk_level(D("6")) == "red"


def test_risk_score_without_signals(kw):
    scores = alerts.risk_scores(kw.region.pk)
    assert scores[kw.p1.pk].score == 0
    assert scores[kw.p1.pk].level == "green"
    assert scores[kw.p1.pk].parts == []


def test_refresh_then_evaluate_end_to_end(kw):
    """The refresh feeds the evaluation: C1's drop-out in March is 2 of 3 ended, too few."""
    from monitoring.kpis import rollups

    agreement(kw.c1, "dropout", "lower", "10", "20", "30")
    agreement(kw.c1, "unique_youths", "lower", "5", "8", "9")  # 10 youths in March: red
    rollups.refresh_region(kw.region.pk)
    assert signal(kw, kw.c1, "dropout", MAR) is None  # 3 ended < 5
    s = signal(kw, kw.c1, "unique_youths", MAR)
    assert (s.level, s.value) == ("red", D("10"))
    assert s.period == MAR
