"""The life of a report version: idempotent requests, the fan-out, claiming with a lease,
retries with backoff, failure with a reason, and mail at most once. The document itself is
tested in test_content / test_render; here it is replaced by a small fake so the mechanics
are tested on their own."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from contracts import services as contract_services
from reports import services
from reports.models import (
    Report,
    ReportKind,
    ReportNotification,
    ReportSchedule,
    ReportStatus,
    ReportVersion,
    Subscription,
    Trigger,
)
from reports.periods import parse_period
from reports.tasks import generate_report
from tests.providers.factories import ProviderFactory

FEBRUARY = parse_period("month", "2026-02")


@pytest.fixture
def fake_document(monkeypatch):
    """A snapshot and a 'PDF' that say which report they are, and count how often they are made."""
    calls = []

    def build_snapshot(report):
        calls.append(report.pk)
        return {"schema": 1, "title": report.subject_name, "period": {"label": "februari 2026"}}

    def render_pdf(snapshot):
        return b"%PDF-1.7 " + snapshot["title"].encode() + b" %d" % len(calls), 1

    monkeypatch.setattr("reports.content.build_snapshot", build_snapshot)
    monkeypatch.setattr("reports.render.render_pdf", render_pdf)
    return calls


@pytest.fixture
def report(world_a):
    return services.report_ensure(
        region=world_a.region, kind=ReportKind.PROVIDER, subject=world_a.provider, period=FEBRUARY
    )


def test_ensure_report_is_idempotent_and_checks_the_cadence(world_a, report):
    again = services.report_ensure(
        region=world_a.region, kind=ReportKind.PROVIDER, subject=world_a.provider, period=FEBRUARY
    )
    assert again.pk == report.pk
    assert Report.objects.count() == 1
    assert (report.subject_key, report.period) == (f"p{world_a.provider.pk}", "2026-02")
    assert (report.period_start, report.period_end) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(ValueError, match="covers a quarter"):
        services.report_ensure(
            region=world_a.region, kind=ReportKind.SEGMENT, subject=world_a.segment, period=FEBRUARY
        )


def test_subjects_are_the_providers_and_segments_with_a_contract_running_in_the_period(world_a):
    ended = ProviderFactory(region=world_a.region, name="Gestopt BV")
    contract_services.contract_create(
        region=world_a.region,
        reference="C-oud",
        provider=ended,
        segment=world_a.sub_segment,
        start_date=date(2020, 1, 1),
        initial_term_years=2,
        extension_options=[],
    )
    providers = services.subjects(world_a.region, ReportKind.PROVIDER, FEBRUARY)
    assert providers == [world_a.provider]
    q1 = parse_period("quarter", "2026-K1")
    assert services.subjects(world_a.region, ReportKind.SEGMENT, q1) == [world_a.segment]
    assert services.subjects(world_a.region, ReportKind.PROVIDER, parse_period("month", "2021-06"))
    assert set(services.subjects(world_a.region, ReportKind.MUNICIPALITY, q1)) == {
        world_a.municipality,
        world_a.other_municipality,
    }
    assert services.subjects(world_a.region, ReportKind.BOARD, parse_period("year", "2025")) == [
        world_a.region
    ]


def test_a_request_is_idempotent_and_regenerating_keeps_the_earlier_version(
    report, fake_document, django_capture_on_commit_callbacks, users
):
    with django_capture_on_commit_callbacks(execute=True):
        v1, created = services.report_version_request(report=report, user=users.officer)
    assert created and v1.number == 1
    v1.refresh_from_db()
    assert v1.status == ReportStatus.READY and v1.trigger == Trigger.DEMAND
    assert v1.requested_by == users.officer

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        same, created = services.report_version_request(report=report)
    assert (same.pk, created, len(callbacks)) == (v1.pk, False, 0)

    with django_capture_on_commit_callbacks(execute=True):
        v2, created = services.report_version_request(report=report, force=True, user=users.officer)
    assert created and v2.number == 2
    v2.refresh_from_db()
    report.refresh_from_db()
    assert v2.trigger == Trigger.REGENERATE
    assert report.current_id == v2.pk and report.status == ReportStatus.READY
    assert ReportVersion.objects.filter(report=report).count() == 2
    v1.refresh_from_db()
    assert v1.status == ReportStatus.READY and v1.file.read().startswith(b"%PDF")
    assert v1.file.name != v2.file.name
    assert fake_document == [report.pk, report.pk]


def test_produce_stores_file_digest_pages_and_snapshot(report, fake_document, db):
    version, _ = services.report_version_request(report=report)  # no commit callbacks: stays queued
    held = services.report_version_claim(version_id=version.pk)
    done = services.report_version_produce(held=held)
    assert done.status == ReportStatus.READY
    data = done.file.read()
    import hashlib

    assert done.sha256 == hashlib.sha256(data).hexdigest() and done.size == len(data)
    assert done.pages == 1
    assert done.snapshot["title"] == report.subject_name
    assert done.generated_at is not None and done.lease_until is None


def test_a_scheduled_run_fans_out_one_task_per_subject_and_a_second_run_queues_nothing(
    world_a, monkeypatch, django_capture_on_commit_callbacks
):
    municipalities = services.subjects(
        world_a.region, ReportKind.MUNICIPALITY, parse_period("quarter", "2026-K1")
    )
    sent = []
    monkeypatch.setattr(generate_report, "delay", lambda version_id: sent.append(version_id))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.report_run_start(
            region=world_a.region,
            kind=ReportKind.MUNICIPALITY,
            period=parse_period("quarter", "2026-K1"),
        )
    assert len(result.queued) == len(municipalities) == 2
    assert sorted(sent) == sorted(result.queued)
    assert all(
        v.status == ReportStatus.QUEUED and v.trigger == Trigger.SCHEDULE
        for v in ReportVersion.objects.all()
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_run_start(
            region=world_a.region,
            kind=ReportKind.MUNICIPALITY,
            period=parse_period("quarter", "2026-K1"),
        )
    assert (again.queued, again.existing) == ([], 2)
    assert len(sent) == 2
    assert Report.objects.count() == ReportVersion.objects.count() == 2


def test_a_claimed_version_is_busy_until_its_lease_runs_out_and_a_stale_holder_loses(
    report, fake_document, settings
):
    settings.REPORT_LEASE_SECONDS = 60
    version, _ = services.report_version_request(report=report)
    now = timezone.now()
    first = services.report_version_claim(version_id=version.pk, now=now)
    assert isinstance(first, services.Claim)
    busy = services.report_version_claim(version_id=version.pk, now=now + timedelta(seconds=10))
    assert isinstance(busy, services.Busy) and 50 <= busy.seconds <= 52
    # the first worker died: after the lease another execution takes over
    second = services.report_version_claim(version_id=version.pk, now=now + timedelta(seconds=61))
    assert isinstance(second, services.Claim) and second.token != first.token
    assert (
        services.report_version_produce(held=first) is None
    )  # the dead worker's late finish changes nothing
    version.refresh_from_db()
    assert version.status == ReportStatus.RUNNING and version.attempts == 2
    assert services.report_version_produce(held=second).status == ReportStatus.READY
    assert (
        services.report_version_claim(version_id=version.pk) is None
    )  # done: a redelivered task does nothing
    assert fake_document == [report.pk, report.pk]


def test_a_failing_generation_is_retried_with_backoff_then_failed_with_its_reason(
    report, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_MAX_RETRIES = 2
    monkeypatch.setattr(
        "reports.content.build_snapshot",
        lambda r: (_ for _ in ()).throw(OSError("schijf vol")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version, _ = services.report_version_request(report=report)
    version.refresh_from_db()
    report.refresh_from_db()
    assert version.status == ReportStatus.FAILED
    assert version.attempts == 3  # the first try and two retries
    assert version.error == "OSError: schijf vol"
    assert report.status == ReportStatus.FAILED and report.current is None
    # asking again after a failure queues a new version
    with django_capture_on_commit_callbacks(execute=False):
        retry, created = services.report_version_request(report=report)
    assert created and retry.number == 2


def test_a_transient_failure_is_retried_and_then_succeeds(
    report, fake_document, monkeypatch, django_capture_on_commit_callbacks
):
    real = __import__("reports.render", fromlist=["render_pdf"]).render_pdf
    failures = []

    def flaky(snapshot):
        if not failures:
            failures.append(1)
            raise ConnectionError("even weg")
        return real(snapshot)

    monkeypatch.setattr("reports.render.render_pdf", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        version, _ = services.report_version_request(report=report)
    version.refresh_from_db()
    assert version.status == ReportStatus.READY and version.attempts == 2
    assert version.error == ""


def test_retry_delay_doubles_up_to_ten_minutes():
    assert [services.retry_delay(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def test_stale_versions_are_sent_again(
    report, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_LEASE_SECONDS = 60
    version, _ = services.report_version_request(report=report)
    sent = []
    monkeypatch.setattr(generate_report, "delay", lambda version_id: sent.append(version_id))
    now = timezone.now()
    assert (
        services.report_versions_requeue_stale(now=now) == 0
    )  # just queued: its task is on its way
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_versions_requeue_stale(now=now + timedelta(seconds=61)) == 1
    assert sent == [version.pk]
    services.report_version_claim(version_id=version.pk, now=now + timedelta(seconds=61))
    assert (
        services.report_versions_requeue_stale(now=now + timedelta(seconds=100)) == 0
    )  # held, lease alive
    assert (
        services.report_versions_requeue_stale(now=now + timedelta(seconds=200)) == 1
    )  # holder died


def test_subscribers_get_one_mail_and_only_for_reports_they_may_read(
    world_a, users, fake_document, django_capture_on_commit_callbacks
):
    users.contract_manager.email = "cm@example.nl"
    users.contract_manager.save()
    users.municipal.email = "gemeente@example.nl"
    users.municipal.save()
    Subscription.objects.create(
        user=users.contract_manager, region=world_a.region, kind=ReportKind.PROVIDER
    )
    # a municipal user may not read provider reports: subscribing does not change that
    Subscription.objects.create(
        user=users.municipal, region=world_a.region, kind=ReportKind.PROVIDER
    )
    report = services.report_ensure(
        region=world_a.region, kind=ReportKind.PROVIDER, subject=world_a.provider, period=FEBRUARY
    )
    with django_capture_on_commit_callbacks(execute=True):
        version, _ = services.report_version_request(report=report)
    assert [m.to for m in mail.outbox] == [["cm@example.nl"]]
    message = mail.outbox[0]
    assert world_a.provider.name in message.subject
    assert f"/regios/{world_a.region.slug}/rapportages/{report.pk}/" in message.body
    assert (
        services.report_notifications_send(version_id=version.pk) == 0
    )  # a second delivery sends nothing
    assert len(mail.outbox) == 1
    assert ReportNotification.objects.filter(sent_at__isnull=False).count() == 1


def test_a_mail_claimed_by_a_worker_that_died_goes_once_its_claim_runs_out(
    world_a, users, fake_document, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """Claim for a lease, send, then record as sent: a live claim of another worker is left
    alone, an expired one is taken over, a mail whose sending failed is not recorded as sent,
    and a sent one never goes again."""
    users.contract_manager.email = "cm@example.nl"
    users.contract_manager.save()
    Subscription.objects.create(
        user=users.contract_manager, region=world_a.region, kind=ReportKind.PROVIDER
    )
    report = services.report_ensure(
        region=world_a.region, kind=ReportKind.PROVIDER, subject=world_a.provider, period=FEBRUARY
    )
    monkeypatch.setattr(services, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        version, _ = services.report_version_request(report=report)
    version = report.versions.get()
    note = ReportNotification.objects.get(version=version)
    assert note.claimed_at is not None and note.sent_at is None  # claimed, not sent
    monkeypatch.undo()
    # another worker within the claim's lease leaves it alone
    assert services.report_notifications_send(version_id=version.pk) == 0
    assert mail.outbox == []
    # once the lease has run out the mail goes, and is recorded as sent
    ReportNotification.objects.filter(pk=note.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.REPORT_LEASE_SECONDS + 1)
    )
    assert services.report_notifications_send(version_id=version.pk) == 1
    assert [m.to for m in mail.outbox] == [["cm@example.nl"]]
    note.refresh_from_db()
    assert note.sent_at is not None
    # a sent mail never goes again, whatever its claim
    ReportNotification.objects.filter(pk=note.pk).update(claimed_at=None)
    assert services.report_notifications_send(version_id=version.pk) == 0
    assert len(mail.outbox) == 1


def test_a_subscription_to_one_subject_ignores_the_others(
    world_a, users, fake_document, django_capture_on_commit_callbacks
):
    users.officer.email = "inkoper@example.nl"
    users.officer.save()
    Subscription.objects.create(
        user=users.officer,
        region=world_a.region,
        kind=ReportKind.MUNICIPALITY,
        municipality=world_a.other_municipality,
        subject_key=f"m{world_a.other_municipality.pk}",
    )
    q1 = parse_period("quarter", "2026-K1")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_start(region=world_a.region, kind=ReportKind.MUNICIPALITY, period=q1)
    assert len(mail.outbox) == 1
    assert world_a.other_municipality.name in mail.outbox[0].subject


def test_run_schedule_reports_on_the_last_complete_period(world_a, monkeypatch):
    from reports.schedules import save_schedule

    schedule = save_schedule(ReportSchedule(region=world_a.region, kind=ReportKind.PROVIDER))
    monkeypatch.setattr(generate_report, "delay", lambda version_id: None)
    result = services.schedule_run(schedule_id=schedule.pk, today=date(2026, 3, 10))
    assert result.period.code == "2026-02" and len(result.queued) == 1
    schedule.enabled = False
    schedule.save()
    assert services.schedule_run(schedule_id=schedule.pk, today=date(2026, 4, 10)) is None
    assert not Report.objects.filter(period="2026-03").exists()
