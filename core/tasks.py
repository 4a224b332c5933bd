from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """Worker health check: `celery -A config call core.ping` answers "pong" from a live worker."""
    return "pong"


@shared_task(name="core.produce_notifications")
def produce_notifications() -> dict:
    """The daily notifications (expiring screenings and contracts, overdue actions): idempotent,
    beat runs it every morning (``core.notifications.ensure_daily_task``)."""
    from core.notifications import notifications_produce

    return notifications_produce()
