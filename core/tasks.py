from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """Worker health check: `celery -A config call core.ping` answers "pong" from a live worker."""
    return "pong"
