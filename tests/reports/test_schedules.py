"""The schedule in the database: a ReportSchedule and the django-celery-beat PeriodicTask
that beat reads stay in step."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django_celery_beat.models import PeriodicTask

from reports.models import ReportKind, ReportSchedule
from reports.schedules import (
    DEFAULTS,
    REQUEUE_TASK_NAME,
    ensure_schedules,
    next_runs,
    save_schedule,
)

AMS = ZoneInfo("Europe/Amsterdam")


def test_every_kind_gets_a_default_schedule_with_its_periodic_task(world_a):
    schedules = ensure_schedules(world_a.region)
    assert [s.kind for s in schedules] == ReportKind.values
    assert ensure_schedules(world_a.region) == schedules  # idempotent
    for schedule in schedules:
        task = schedule.periodic_task
        assert task.task == "reports.run_schedule"
        assert json.loads(task.kwargs) == {"schedule_id": schedule.pk}
        assert task.enabled
        cron = task.crontab
        assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == tuple(
            DEFAULTS[schedule.kind][f] for f in ("minute", "hour", "day_of_month", "month_of_year")
        )
        assert str(cron.timezone) == "Europe/Amsterdam"


def test_editing_a_schedule_moves_its_periodic_task(world_a, users):
    schedule = ensure_schedules(world_a.region)[0]
    schedule.day_of_month, schedule.hour = "5", "7"
    schedule.enabled = False
    save_schedule(schedule, user=users.officer)
    task = PeriodicTask.objects.get(pk=schedule.periodic_task_id)
    assert (task.crontab.day_of_month, task.crontab.hour, task.enabled) == ("5", "7", False)
    assert PeriodicTask.objects.filter(task="reports.run_schedule").count() == 4
    assert ReportSchedule.objects.get(pk=schedule.pk).updated_by == users.officer


def test_next_runs_of_the_monthly_default(world_a):
    provider = ensure_schedules(world_a.region)[0]
    runs = next_runs(provider, 3, now=datetime(2026, 11, 22, 12, 0, tzinfo=AMS))
    assert [r.astimezone(AMS).replace(tzinfo=None) for r in runs] == [
        datetime(2026, 12, 10, 6, 0),
        datetime(2027, 1, 10, 6, 0),
        datetime(2027, 2, 10, 6, 0),
    ]


def test_the_housekeeping_task_exists_after_migrate(db):
    task = PeriodicTask.objects.get(name=REQUEUE_TASK_NAME)
    assert task.task == "reports.requeue_stale" and task.interval.every == 5
