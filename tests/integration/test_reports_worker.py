"""Periodic reports with the real components: redis-server, Celery worker processes and Celery
beat with the database scheduler, sharing PostgreSQL with the test.

1. A schedule saved as a region administrator would (``schedules.save_schedule``) fires in beat,
   the worker fans the run out and makes the report, and an officer downloads its PDF.
2. Killing the worker (``kill -9`` of its process group) in the middle of a run of ten
   reports and starting a new one yields every report exactly once: one version each, one file
   whose SHA-256 matches, one e-mail per subscriber. Once with the broker intact (Redis hands
   the dead worker's unacknowledged message out again) and once with the broker's messages
   lost (``reports.requeue_stale`` sends the stale versions again).

Run by `.ci/run` ("pytest -m integration", with DATABASE_URL and REDIS_URL); locally:
``DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6390/0 pytest -m integration``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from reports.models import (
    CADENCE,
    Report,
    ReportKind,
    ReportNotification,
    ReportSchedule,
    ReportStatus,
    ReportVersion,
    Subscription,
)
from tests.accounts.factories import user_with_role
from tests.integration.conftest import Celery, wait_for
from tests.monitoring.test_selectors import fill
from tests.providers.factories import ProviderFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

#: short broker and lease timings for the worker processes, so that a takeover after a crash
#: happens within seconds (production: 3600 s and 300 s)
VISIBILITY_TIMEOUT = 10
LEASE_SECONDS = 20
FAST = {
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "REPORT_LEASE_SECONDS": str(LEASE_SECONDS),
}
EXTRA_PROVIDERS = 9  # with the world's own provider: a run of ten reports


def add_providers(w, count: int) -> list:
    """More providers, each with a contract in the world's segment: more subjects for a run."""
    from contracts import services as contracts

    providers = []
    for n in range(1, count + 1):
        provider = ProviderFactory(
            region=w.region, name=f"Zorgaanbieder Extra {n:02d}", municipalities=[w.municipality]
        )
        contracts.contract_create(
            region=w.region,
            reference=f"C-{w.region.slug}-extra-{n:02d}",
            provider=provider,
            segment=w.segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
        )
        providers.append(provider)
    return providers


def subscribe(w):
    """A contract manager subscribed to every provider report of the region."""
    user = user_with_role(w.region, Role.CONTRACT_MANAGER, email="abonnee@example.nl")
    Subscription.objects.create(user=user, region=w.region, kind=ReportKind.PROVIDER)
    return user


def provider_period():
    from reports.periods import last_complete

    return last_complete(CADENCE[ReportKind.PROVIDER], timezone.localdate())


def no_failures(region) -> None:
    failed = list(
        ReportVersion.objects.filter(report__region=region, status=ReportStatus.FAILED).values_list(
            "report__subject_name", "error"
        )
    )
    if failed:
        pytest.fail(f"failed reports: {failed}")


def all_ready(region, count: int):
    no_failures(region)
    ready = ReportVersion.objects.filter(report__region=region, status=ReportStatus.READY)
    return ready.count() >= count


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def unacked_version_ids(redis_client) -> dict[int, float]:
    """Version ids of the ``reports.generate`` messages Redis holds as delivered but not
    acknowledged (kombu's ``unacked`` hash), with the time each was delivered."""
    delivered = {
        tag.decode(): score
        for tag, score in redis_client.zrange("unacked_index", 0, -1, withscores=True)
    }
    held = {}
    for tag, payload in redis_client.hgetall("unacked").items():
        message = json.loads(payload)[0]
        headers = message.get("headers") or {}
        if headers.get("task") == "reports.generate":
            version_id = int(re.sub(r"\D", "", headers.get("argsrepr", "")))
            held[version_id] = delivered.get(tag.decode(), time.time())
    return held


def kill_mid_run(celery: Celery, region, *, attempts: int = 3):
    """Start a worker (prefork, one child) and ``kill -9`` its process group while it is making
    a report, after at least one report of the run is ready. Returns the version it was making:
    left running, with a lease, by a worker that no longer exists."""
    for attempt in range(1, attempts + 1):
        worker = celery.worker(
            "--pool=prefork", "--concurrency=1", name=f"doomed-{attempt}", **FAST
        )
        versions = ReportVersion.objects.filter(report__region=region)

        def making_one(versions=versions):
            no_failures(region)
            return (
                versions.filter(status=ReportStatus.READY).exists()
                and versions.filter(status=ReportStatus.RUNNING).exists()
            )

        wait_for(making_one, timeout=120, interval=0.05, message="a report being made")
        Celery.kill(worker)
        # What the dead worker left. (Rarely it finished the report between our look and the
        # kill: then try again with the next report.)
        running = list(versions.filter(status=ReportStatus.RUNNING))
        if running:
            assert len(running) == 1  # one child: one report at a time
            return running[0]
    pytest.fail("could not catch the worker in the middle of a report")


def assert_exactly_once(region, count: int, subscriber) -> None:
    """Every report of the run once: one version (number 1), ready, one file whose SHA-256 is
    the recorded one, the report's current version; one e-mail per version to the subscriber."""
    reports = list(Report.objects.filter(region=region, kind=ReportKind.PROVIDER))
    assert len(reports) == count
    for report in reports:
        versions = list(report.versions.all())
        assert [(v.number, v.status) for v in versions] == [(1, ReportStatus.READY)], report
        version = versions[0]
        assert report.status == ReportStatus.READY
        assert report.current_id == version.pk
        with version.file.open("rb") as fh:
            data = fh.read()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == version.sha256
        assert len(data) == version.size
    ready = ReportVersion.objects.filter(report__region=region, status=ReportStatus.READY)
    assert ready.count() == count

    # Mails: a notification row per (version, user) is unique, and each is claimed before it is
    # sent. Wait for the last send_notifications task, then count.
    notes = ReportNotification.objects.filter(version__report__region=region)
    wait_for(
        lambda: notes.count() == count and not notes.filter(sent_at__isnull=True).exists(),
        timeout=60,
        message="every notification sent",
    )
    assert sorted(notes.values_list("version_id", flat=True)) == sorted(
        ready.values_list("pk", flat=True)
    )
    assert set(notes.values_list("user_id", flat=True)) == {subscriber.pk}


def mails_in_logs(celery: Celery, email: str) -> int:
    """Mails the workers really sent: the console e-mail backend writes them to the log."""
    return celery.logs().count(f"To: {email}")


# ------------------------------------------------------------------------------------ tests


def test_beat_runs_the_schedule_and_the_pdf_is_downloaded(
    world_a, users, client, celery_processes, redis_client
):
    """schedule → beat → worker (fan-out, generate) → download."""
    from reports import schedules

    w = world_a
    fill(w, months=range(1, 11))
    period = provider_period()
    # As a region administrator saves it in the UI: every minute (beat's smallest step).
    schedule = schedules.save_schedule(
        ReportSchedule(
            region=w.region,
            kind=ReportKind.PROVIDER,
            minute="*",
            hour="*",
            day_of_month="*",
            month_of_year="*",
            day_of_week="*",
        )
    )
    assert schedule.periodic_task.task == "reports.run_schedule"
    assert not Report.objects.exists()

    celery_processes.worker("--concurrency=2")
    celery_processes.beat()
    # beat fires at the next minute boundary; the worker runs reports.run_schedule, which
    # queues one reports.generate per provider with a contract in the period.
    wait_for(
        lambda: all_ready(w.region, 1),
        timeout=110,
        interval=1,
        message="the scheduled provider report to be ready",
    )
    report = Report.objects.get(region=w.region, kind=ReportKind.PROVIDER, period=period.code)
    assert report.provider == w.provider
    assert report.current.trigger == "schedule"
    assert "Scheduler: Sending due task" in celery_processes.logs()

    client.force_login(users.officer)
    response = client.get(
        reverse("reports:report-pdf", kwargs={"region": w.region.slug, "pk": report.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.current.sha256
    text = pdf_text(data)
    assert w.provider.name in text
    assert period.label in text


def test_killing_the_worker_mid_run_redis_redelivers_and_each_report_is_made_once(
    world_a, celery_processes, redis_client
):
    """kill -9 mid-run, broker intact: Redis hands the dead worker's message out again.

    The mechanism: tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so the message of the
    report the dead worker was making stays in Redis's ``unacked`` set; once it is older than
    the visibility timeout, the next worker restores it to the queue (kombu's restore_visible,
    which a worker runs when it starts and then periodically). That delivery finds the version
    running under the dead worker's lease, waits for the lease to run out (``Busy`` → the task
    is sent again with a countdown), then takes it over with a new claim and makes it. The
    other reports were either made and committed by the dead worker (their message, if not yet
    acknowledged, finds them ready and does nothing) or still waiting in the queue.
    """
    from reports import services

    w = world_a
    fill(w, months=range(1, 11))
    add_providers(w, EXTRA_PROVIDERS)
    subscriber = subscribe(w)
    count = EXTRA_PROVIDERS + 1

    run = services.report_run_start(
        region=w.region, kind=ReportKind.PROVIDER, period=provider_period()
    )
    assert len(run.queued) == count  # one task per subject, sent to Redis

    victim = kill_mid_run(celery_processes, w.region)
    assert victim.attempts == 1 and victim.lease_until is not None
    # Its message is still in Redis: delivered, never acknowledged.
    held = unacked_version_ids(redis_client)
    assert victim.pk in held
    pending = ReportVersion.objects.filter(report__region=w.region).exclude(
        status=ReportStatus.READY
    )
    assert pending.count() >= 2  # killed in the middle of the run

    # A new worker, started once the message is older than the visibility timeout (so that
    # its first sweep restores it; later sweeps come every ~100 s).
    time.sleep(max(0.0, held[victim.pk] + VISIBILITY_TIMEOUT + 1 - time.time()))
    celery_processes.worker("--pool=prefork", "--concurrency=1", name="restarted", **FAST)
    wait_for(
        lambda: all_ready(w.region, count),
        timeout=150,
        interval=0.5,
        message="every report of the run to be ready after the restart",
    )

    assert_exactly_once(w.region, count, subscriber)
    victim.refresh_from_db()
    # Claimed twice: by the dead worker, then by the redelivered message after the lease.
    assert victim.attempts == 2
    others = ReportVersion.objects.filter(report__region=w.region).exclude(pk=victim.pk)
    assert set(others.values_list("attempts", flat=True)) == {1}  # made once each
    assert "Task reports.requeue_stale[" not in celery_processes.logs()  # nothing else ran
    # Nothing left in the broker that could make a report again.
    wait_for(
        lambda: redis_client.hlen("unacked") == 0 and redis_client.llen("celery") == 0,
        timeout=60,
        message="the broker to be empty",
    )
    assert mails_in_logs(celery_processes, subscriber.email) == count


def test_killing_the_worker_when_the_broker_lost_its_messages_requeue_stale_recovers(
    world_a, celery_processes, redis_client, settings
):
    """kill -9 mid-run and the broker's messages are gone (a Redis without persistence that
    restarted): ``reports.requeue_stale`` (beat runs it every five minutes) finds the versions
    with no live lease that were requested more than a lease ago, and sends their tasks again.
    The claim (a conditional UPDATE) lets one execution make each version. The mails of the
    reports the dead worker finished were lost with their send_notifications tasks:
    requeue_stale sends those again too (each mail is claimed for a lease before it is sent and
    recorded as sent after, so one the dead worker claimed goes when its claim runs out)."""
    from reports import services

    settings.REPORT_LEASE_SECONDS = LEASE_SECONDS  # for requeue_stale in this process
    w = world_a
    fill(w, months=range(1, 11))
    add_providers(w, EXTRA_PROVIDERS)
    subscriber = subscribe(w)
    count = EXTRA_PROVIDERS + 1

    run = services.report_run_start(
        region=w.region, kind=ReportKind.PROVIDER, period=provider_period()
    )
    assert len(run.queued) == count

    victim = kill_mid_run(celery_processes, w.region)
    redis_client.flushdb()  # every queued and unacknowledged message lost
    celery_processes.worker("--pool=prefork", "--concurrency=2", name="restarted", **FAST)

    pending = ReportVersion.objects.filter(report__region=w.region).exclude(
        status=ReportStatus.READY
    )
    stuck = pending.count()
    assert stuck >= 2
    time.sleep(3)
    assert pending.count() == stuck  # with no message nothing happens
    # Stale once the dead worker's lease has run out and the queued ones are a lease old.
    wait_for(
        lambda: services.stale_versions().count() == stuck,
        timeout=LEASE_SECONDS * 3,
        message="the stuck versions to count as stale",
    )
    assert services.report_versions_requeue_stale() == stuck
    wait_for(
        lambda: all_ready(w.region, count),
        timeout=150,
        interval=0.5,
        message="every report of the run to be ready after requeue_stale",
    )

    assert_exactly_once(w.region, count, subscriber)
    victim.refresh_from_db()
    assert victim.attempts == 2

    # Every mail goes out. One the dead worker had claimed but not sent goes once its claim
    # has run out: requeue_stale (beat, every few minutes) sends it then; no version is left
    # to make again.
    def every_mail_sent():
        assert services.report_versions_requeue_stale() == 0
        return mails_in_logs(celery_processes, subscriber.email) >= count

    wait_for(
        every_mail_sent,
        timeout=LEASE_SECONDS * 4,
        interval=1,
        message="every subscriber mail to be sent, also one claimed by the killed worker",
    )
    assert mails_in_logs(celery_processes, subscriber.email) == count  # and none twice
