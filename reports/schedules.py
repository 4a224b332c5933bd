"""The report schedule in the database, where beat reads it (django-celery-beat).

A region administrator edits a :class:`~reports.models.ReportSchedule` in the UI; every save goes
through :func:`save_schedule`, which keeps its ``PeriodicTask`` (task ``reports.run_schedule``)
and ``CrontabSchedule`` in step. beat runs with ``-S django`` (the DatabaseScheduler) and picks
changes up without a restart.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_beat.validators import (
    day_of_month_validator,
    day_of_week_validator,
    hour_validator,
    minute_validator,
    month_of_year_validator,
)

from .models import ReportKind, ReportSchedule

#: cron fields in order, with the validator django-celery-beat uses for each
CRON_FIELDS = (
    ("minute", minute_validator),
    ("hour", hour_validator),
    ("day_of_month", day_of_month_validator),
    ("month_of_year", month_of_year_validator),
    ("day_of_week", day_of_week_validator),
)

#: when each kind runs unless the region says otherwise: after the month's production data is in
DEFAULTS = {
    ReportKind.PROVIDER: {"minute": "0", "hour": "6", "day_of_month": "10", "month_of_year": "*"},
    ReportKind.SEGMENT: {
        "minute": "0",
        "hour": "6",
        "day_of_month": "15",
        "month_of_year": "1,4,7,10",
    },
    ReportKind.MUNICIPALITY: {
        "minute": "30",
        "hour": "6",
        "day_of_month": "15",
        "month_of_year": "1,4,7,10",
    },
    ReportKind.BOARD: {"minute": "0", "hour": "7", "day_of_month": "1", "month_of_year": "3"},
}

REQUEUE_TASK_NAME = "Rapportages: vastgelopen rapportages opnieuw aanbieden"
REQUEUE_EVERY_MINUTES = 5


def task_name(schedule: ReportSchedule) -> str:
    return f"Rapportages {schedule.region.slug}: {schedule.kind}"


@transaction.atomic
def save_schedule(schedule: ReportSchedule, *, user=None) -> ReportSchedule:
    """Save the schedule and its PeriodicTask together."""
    if user is not None and getattr(user, "is_authenticated", False):
        schedule.updated_by = user
    schedule.save()
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute=schedule.minute,
        hour=schedule.hour,
        day_of_month=schedule.day_of_month,
        month_of_year=schedule.month_of_year,
        day_of_week=schedule.day_of_week,
        timezone=settings.TIME_ZONE,
    )
    task = schedule.periodic_task or PeriodicTask(name=task_name(schedule))
    task.task = "reports.run_schedule"
    task.crontab = crontab
    task.interval = None
    task.kwargs = json.dumps({"schedule_id": schedule.pk})
    task.enabled = schedule.enabled
    task.description = str(schedule)
    task.save()
    if schedule.periodic_task_id != task.pk:
        schedule.periodic_task = task
        schedule.save(update_fields=["periodic_task"])
    return schedule


def ensure_schedules(region) -> list[ReportSchedule]:
    """A schedule for every kind of report in the region (the defaults where none is set)."""
    out = []
    for kind in ReportKind.values:
        schedule = ReportSchedule.objects.filter(region=region, kind=kind).first()
        if schedule is None:
            schedule = save_schedule(ReportSchedule(region=region, kind=kind, **DEFAULTS[kind]))
        out.append(schedule)
    return out


def ensure_requeue_task() -> PeriodicTask:
    """The housekeeping task that sends stale reports again (a worker that died)."""
    every, _created = IntervalSchedule.objects.get_or_create(
        every=REQUEUE_EVERY_MINUTES, period=IntervalSchedule.MINUTES
    )
    task, _created = PeriodicTask.objects.update_or_create(
        name=REQUEUE_TASK_NAME,
        defaults={"task": "reports.requeue_stale", "interval": every, "crontab": None},
    )
    return task


def next_runs(schedule: ReportSchedule, count: int = 3, *, now=None) -> list:
    """The next moments the schedule fires, in the region's time zone (for the page that edits
    it). Day of month and day of week must both match, as in Celery's crontab."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from celery.schedules import crontab
    from django.utils import timezone

    tz = ZoneInfo(settings.TIME_ZONE)
    cron = crontab(
        minute=schedule.minute,
        hour=schedule.hour,
        day_of_month=schedule.day_of_month,
        month_of_year=schedule.month_of_year,
        day_of_week=schedule.day_of_week,
    )
    start = (now or timezone.now()).astimezone(tz)
    out = []
    day = start.date()
    for _i in range(366 * 5):
        if (
            day.month in cron.month_of_year
            and day.day in cron.day_of_month
            and day.isoweekday() % 7 in cron.day_of_week
        ):
            for hour in sorted(cron.hour):
                for minute in sorted(cron.minute):
                    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
                    if moment > start:
                        out.append(moment)
                        if len(out) == count:
                            return out
        day += timedelta(days=1)
    return out
