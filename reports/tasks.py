"""Background work of the reports: thin over ``reports.services``.

``run_schedule`` is what beat starts; it queues one ``generate_report`` per subject (the
fan-out), so a region's reports spread over every worker. ``generate_report`` retries with
exponential backoff; after its last retry the version is failed with the reason.
"""

import logging

from celery import shared_task
from django.conf import settings

from . import services

log = logging.getLogger(__name__)


@shared_task(name="reports.run_schedule")
def run_schedule(schedule_id: int) -> int:
    result = services.schedule_run(schedule_id=schedule_id)
    return len(result.queued) if result else 0


@shared_task(bind=True, name="reports.generate", max_retries=None)
def generate_report(self, version_id: int) -> str:
    held = services.report_version_claim(version_id=version_id)
    if held is None:
        return "done"
    if isinstance(held, services.Busy):
        if self.request.is_eager:
            return "busy"
        # Another execution holds it (a task delivered twice): look again when its lease ends.
        generate_report.apply_async((version_id,), countdown=held.seconds)
        return "busy"
    try:
        version = services.report_version_produce(held=held)
    except Exception as exc:  # any failure: retry, then fail with the reason
        reason = f"{type(exc).__name__}: {exc}"
        if self.request.retries < settings.REPORT_MAX_RETRIES:
            log.warning("report version %s failed (%s); retrying", version_id, reason)
            services.report_version_release(held=held, error=reason)
            # In-process (eager) Celery runs the retry itself when the Retry is returned.
            eager = bool(self.request.is_eager)
            retry = self.retry(
                exc=exc, countdown=services.retry_delay(self.request.retries), throw=not eager
            )
            return retry
        log.exception("report version %s failed after its retries", version_id)
        services.report_version_fail(version_id=version_id, reason=reason, token=held.token)
        return "failed"
    return "ready" if version is not None else "lost"


@shared_task(name="reports.send_notifications")
def send_notifications(version_id: int) -> int:
    return services.report_notifications_send(version_id=version_id)


@shared_task(name="reports.requeue_stale")
def requeue_stale() -> int:
    return services.report_versions_requeue_stale()
