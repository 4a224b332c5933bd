"""Background work of monitoring."""

import contextlib
import os

from celery import shared_task


@shared_task(name="monitoring.import_batch")
def import_batch(batch_id: int, path: str) -> str:
    """Import a spooled upload, then delete the file whatever happened (it holds BSNs).

    A batch that already has an outcome is left alone (a task delivered twice)."""
    from monitoring.imports.models import ImportBatch, ImportStatus
    from monitoring.imports.services import import_file

    try:
        batch = ImportBatch.objects.select_related("region").get(pk=batch_id)
        if batch.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            import_file(batch=batch, path=path)
        return batch.status
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
