"""Norms that look back: saving a norm or a KPI agreement judges every month already in the
database again, in the background (``monitoring.recalculate_signals``), with its progress.

Rollup rows are written directly with chosen measures. Contract C1 (segment S1), KPI wait time
(lower is better), segment norm 28 / amber from 35 / red from 42 days; 14 months Jan 2024 – Feb
2025 (three chunks of 6, 6 and 2 months):

- Jan 2024: 200 days / 5 starts = 40.0 → amber;
- Feb 2024: 100 / 5 = 20.0 → green (closes January's signal);
- Mar–Jul 2024: no starts → not judged;
- Aug 2024: 250 / 5 = 50.0 → red, nothing green after it: stays open;
- Sep 2024 – Jan 2025: no starts → not judged;
- Feb 2025: 200 / 5 = 40.0 → amber, open.

So: 3 signals, 2 of them open and amber or red."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts import services as contract_services
from core.ui.formatting import month_range
from monitoring.models import (
    KpiNorm,
    RecalculationStatus,
    Signal,
    SignalRecalculation,
)
from monitoring.steering import alerts, services
from monitoring.tasks import recalculate_signals
from tests.monitoring.test_alerts import rollup
from tests.monitoring.test_rollups import build_kpi_world

D = Decimal
MONTHS = month_range(date(2024, 1, 1), date(2025, 2, 1))
WAIT = {
    date(2024, 1, 1): (200, 5),
    date(2024, 2, 1): (100, 5),
    date(2024, 8, 1): (250, 5),
    date(2025, 2, 1): (200, 5),
}


@pytest.fixture
def kw(db):
    w = build_kpi_world()
    for month in MONTHS:
        days, starts = WAIT.get(month, (0, 0))
        rollup(w, w.c1, month, wait_days=days, wait_count=starts)
    return w


def set_norm(w, *, amber="35", red="42", instance=None, user=None):
    return services.norm_set(
        segment=w.s1,
        kpi="wait_time",
        direction="lower",
        norm=D("28"),
        amber_threshold=D(amber),
        red_threshold=D(red),
        instance=instance,
        user=user,
    )


def wait_signal(w, month):
    return Signal.objects.filter(key=f"kpi:c{w.c1.pk}:wait_time:{month:%Y-%m}").first()


def states(w):
    return {
        s.period: (s.level, s.status)
        for s in Signal.objects.filter(contract=w.c1, topic="wait_time")
    }


def test_saving_a_segment_norm_judges_the_past_months(kw, django_capture_on_commit_callbacks):
    assert not Signal.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw)
    r = SignalRecalculation.objects.get()
    assert (r.region, r.kind, r.status) == (kw.region, "signals", "done")
    assert r.reason == "Norm Wachttijd (dagen) voor segment S1 ingesteld"
    assert (r.months_total, r.months_done, r.signals_amber_red) == (14, 14, 2)
    assert r.started_at and r.finished_at and r.error == ""
    assert states(kw) == {
        date(2024, 1, 1): ("amber", "closed"),  # February was green again
        date(2024, 8, 1): ("red", "open"),
        date(2025, 2, 1): ("amber", "open"),
    }
    august = wait_signal(kw, date(2024, 8, 1))
    assert (august.value, august.norm) == (D("50.0"), D("28"))
    assert august.message == (
        "Rood: Wachttijd (dagen) bij contract C1 (Aanbieder 1) in augustus 2024 is 50 dagen; "
        "norm 28 dagen, oranje vanaf 35 dagen, rood vanaf 42 dagen."
    )


def test_chunks_judge_as_one_evaluation_of_every_month_would(kw):
    """Six months per ``evaluate`` call, oldest first, gives the signals of one call."""
    KpiNorm.objects.create(
        segment=kw.s1,
        kpi="wait_time",
        direction="lower",
        norm=D("28"),
        amber_threshold=D("35"),
        red_threshold=D("42"),
    )
    assert alerts.evaluate(kw.region.pk, MONTHS) == 2
    at_once = states(kw)
    Signal.objects.all().delete()
    r = SignalRecalculation.objects.create(region=kw.region, reason="test")
    services.signal_recalculation_run(recalculation=r)
    assert states(kw) == at_once


def test_progress_is_stored_after_every_chunk(kw, monkeypatch):
    KpiNorm.objects.create(
        segment=kw.s1,
        kpi="wait_time",
        direction="lower",
        norm=D("28"),
        amber_threshold=D("35"),
        red_threshold=D("42"),
    )
    r = SignalRecalculation.objects.create(region=kw.region, reason="test")
    seen = []
    real = alerts.evaluate

    def spy(region_id, months):
        stored = SignalRecalculation.objects.get(pk=r.pk)
        seen.append((stored.status, stored.months_done, stored.months_total, len(months)))
        return real(region_id, months)

    monkeypatch.setattr(alerts, "evaluate", spy)
    services.signal_recalculation_run(recalculation=r)
    assert seen == [("running", 0, 14, 6), ("running", 6, 14, 6), ("running", 12, 14, 2)]
    r.refresh_from_db()
    assert (r.status, r.months_done, r.months_total) == ("done", 14, 14)


def test_kpis_kind_recomputes_the_rollups_first(kw):
    """``kpis``: every month from the first to the last with data (Oct 2024 – Mar 2025 in the
    KPI world's lines), counted twice (rollups, then signals); rollups of other months go."""
    r = SignalRecalculation.objects.create(region=kw.region, reason="test", kind="kpis")
    services.signal_recalculation_run(recalculation=r)
    r.refresh_from_db()
    assert (r.status, r.months_total, r.months_done, r.months) == ("done", 12, 12, 6)
    from monitoring.models import KpiRollup

    months = set(KpiRollup.objects.filter(region=kw.region).values_list("month", flat=True))
    # the hand-written rows of Jan–Sep 2024 are gone; months with lines have rows again
    assert (min(months), max(months)) == (date(2024, 10, 1), date(2025, 3, 1))


def test_a_person_closed_signal_stays_closed_unless_worse(kw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        norm = set_norm(kw)
    feb = wait_signal(kw, date(2025, 2, 1))
    handled = timezone.now()
    Signal.objects.filter(pk=feb.pk).update(status="closed", handled_at=handled)
    # the same thresholds again: 40.0 is still amber, the person's closing stands
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw, instance=norm)
    feb.refresh_from_db()
    assert (feb.status, feb.level, feb.handled_at) == ("closed", "amber", handled)
    last = SignalRecalculation.objects.first()
    assert last.reason == "Norm Wachttijd (dagen) voor segment S1 gewijzigd"
    assert last.signals_amber_red == 1  # August only
    # stricter: red from 38 days, so 40.0 is red: worse, reopened
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw, amber="30", red="38", instance=norm)
    feb.refresh_from_db()
    assert (feb.status, feb.level, feb.handled_at) == ("open", "red", None)
    assert SignalRecalculation.objects.first().signals_amber_red == 2


def test_deleting_the_norm_closes_the_signals(kw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        norm = set_norm(kw)
    with django_capture_on_commit_callbacks(execute=True):
        services.norm_delete(norm=norm)
    r = SignalRecalculation.objects.first()
    assert r.reason == "Norm Wachttijd (dagen) voor segment S1 verwijderd"
    assert (r.status, r.signals_amber_red) == ("done", 0)
    assert {status for _level, status in states(kw).values()} == {"closed"}


def test_a_kpi_agreement_change_judges_the_past_months(kw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = contract_services.kpi_agreement_create(
            contract=kw.c1,
            kpi="wait_time",
            direction="lower",
            norm=D("10"),
            amber_threshold=D("15"),
            red_threshold=D("20"),
        )
    r = SignalRecalculation.objects.get()
    assert r.reason == "KPI-afspraak Wachttijd (dagen) in contract C1 ingesteld"
    # 20.0 in February 2024 is red too now: January closes only in... nothing green: all open
    assert states(kw) == {
        date(2024, 1, 1): ("red", "open"),
        date(2024, 2, 1): ("red", "open"),
        date(2024, 8, 1): ("red", "open"),
        date(2025, 2, 1): ("red", "open"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.kpi_agreement_update(agreement=agreement, red_threshold=D("45"))
    assert SignalRecalculation.objects.first().reason == (
        "KPI-afspraak Wachttijd (dagen) in contract C1 gewijzigd"
    )
    assert states(kw)[date(2024, 2, 1)] == ("amber", "open")
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.kpi_agreement_delete(agreement=agreement)
    assert SignalRecalculation.objects.first().reason == (
        "KPI-afspraak Wachttijd (dagen) in contract C1 verwijderd"
    )
    assert SignalRecalculation.objects.count() == 3
    assert {status for _level, status in states(kw).values()} == {"closed"}


def test_the_task_is_idempotent(kw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw)
    r = SignalRecalculation.objects.get()
    before = (states(kw), r.finished_at)
    assert recalculate_signals(r.pk) == "done"  # delivered twice: a finished one stays
    r.refresh_from_db()
    assert (states(kw), r.finished_at) == before
    # a run interrupted after its start (running) starts again and ends the same
    SignalRecalculation.objects.filter(pk=r.pk).update(status="running", months_done=6)
    assert recalculate_signals(r.pk) == "done"
    r.refresh_from_db()
    assert (r.months_done, r.signals_amber_red, Signal.objects.count()) == (14, 2, 3)
    assert states(kw) == before[0]
    assert recalculate_signals(999999) == "missing"


def test_a_queued_recalculation_is_reused(kw):
    """Several saves before the worker starts: one recalculation with every reason."""
    first = services.signal_recalculation_request(region=kw.region, reason="A")
    again = services.signal_recalculation_request(region=kw.region, reason="B")
    same = services.signal_recalculation_request(region=kw.region, reason="B")
    assert first.pk == again.pk == same.pk
    first.refresh_from_db()
    assert first.reason == "A\nB"
    for n in range(20):
        services.signal_recalculation_request(region=kw.region, reason=f"R{n}")
    first.refresh_from_db()
    assert first.reason.splitlines() == ["A", "B", *(f"R{n}" for n in range(8)), "…"]
    # a KPI recalculation covers the signals, not the other way round
    kpis = services.signal_recalculation_request(region=kw.region, reason="C", kind="kpis")
    assert kpis.pk != first.pk
    SignalRecalculation.objects.filter(pk=first.pk).update(status="running")
    assert services.signal_recalculation_request(region=kw.region, reason="D").pk == kpis.pk
    assert SignalRecalculation.objects.count() == 2


def test_a_failure_is_recorded(kw, monkeypatch, caplog):
    set_norm(kw)  # no on_commit here: the recalculation stays queued
    r = SignalRecalculation.objects.get()

    def broken(region_id, months):
        raise RuntimeError("database weg")

    monkeypatch.setattr(alerts, "evaluate", broken)
    assert recalculate_signals(r.pk) == "failed"
    r.refresh_from_db()
    assert r.status == RecalculationStatus.FAILED and r.finished_at is not None
    assert "RuntimeError: database weg" in r.error
    assert r.error.startswith("De herberekening is mislukt door een onverwachte fout")
    assert "Recalculation" in caplog.text
    assert recalculate_signals(r.pk) == "failed"  # finished: not started again


def test_a_recalculation_that_cannot_be_queued_fails(
    kw, monkeypatch, django_capture_on_commit_callbacks
):
    def no_broker(*args, **kwargs):
        raise ConnectionError("geen broker")

    monkeypatch.setattr(recalculate_signals, "delay", no_broker)
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw)
    r = SignalRecalculation.objects.get()
    assert r.status == "failed"
    assert r.error == "De herberekening kon niet worden ingepland; probeer het later opnieuw."
    assert not Signal.objects.exists()


def test_bad_requests_are_refused(kw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        services.signal_recalculation_request(region=kw.region, reason=" ")
    assert e.value.message_dict == {"reason": ["Geef de aanleiding voor de herberekening."]}
    with pytest.raises(ValidationError) as e:
        services.signal_recalculation_request(region=kw.region, reason="x", kind="alles")
    assert e.value.message_dict == {"kind": ["Kies wat er herberekend moet worden."]}
    assert not SignalRecalculation.objects.exists()


def test_the_recalculation_starts_as_every_long_job_does(
    kw, monkeypatch, django_capture_on_commit_callbacks
):
    """Through ``core.tasks.start``: to the worker, or without a broker (``make run``) in the
    background thread, so saving a norm answers at once and the page shows the progress."""
    from core import tasks as core_tasks

    started = []
    monkeypatch.setattr(core_tasks, "start", lambda task, *args: started.append((task, args)))
    with django_capture_on_commit_callbacks(execute=True):
        set_norm(kw)
    r = SignalRecalculation.objects.get()
    assert started == [(recalculate_signals, (r.pk,))]
    assert r.status == "queued"
