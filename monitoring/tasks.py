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


@shared_task(name="monitoring.recalculate_signals")
def recalculate_signals(recalculation_id: int) -> str:
    """Judge the region's months again (see ``signal_recalculation_run``). A recalculation that
    already finished is left alone (a task delivered twice); one that was running starts again."""
    from monitoring.steering.models import SignalRecalculation
    from monitoring.steering.services import signal_recalculation_run

    recalculation = SignalRecalculation.objects.filter(pk=recalculation_id).first()
    if recalculation is None:
        return "missing"
    if not recalculation.finished:
        recalculation = signal_recalculation_run(recalculation=recalculation)
    return recalculation.status
