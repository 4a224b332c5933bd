"""Importing one file of production data: whole or nothing.

:func:`batch_create` records that a file was offered; :func:`import_file` does the work,
synchronously (the task ``monitoring.import_batch`` and the command ``import_production`` call
it):

1. the size is checked before anything is read (empty, over ``IMPORT_MAX_BYTES``);
2. every record is read and checked (:mod:`.validate`), the BSN replaced by its pseudonym, and
   the record staged (:mod:`.load`); every ~5,000 records the progress is saved, outside any
   transaction, so that the import page shows it;
3. in ONE transaction: the checks across lines, then, if nothing at all was wrong, the corrected
   lines deactivated, the new lines inserted, the KPI rollups of the touched months refreshed
   (``monitoring.kpis.rollups.refresh_for_import``) and the batch marked succeeded. Any error:
   nothing is written and the batch is rejected with every error by row and column. An unexpected
   exception: the transaction is rolled back and the batch marked failed.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monitoring.imports.formats import FileProblem, check_size, column_names, open_rows, scan
from monitoring.imports.load import Stage
from monitoring.imports.models import ImportBatch, ImportFormat, ImportStatus
from monitoring.imports.validate import ERROR_LIMIT, Errors, Lookups, make_checker

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5_000

Progress = Callable[[int, int], None]


class Rejected(Exception):
    """Something in the file is wrong; nothing was written."""


def batch_create(
    *, region, kind: str, file_format: str, file_name: str, file_size: int, user=None, provider=None
) -> ImportBatch:
    return ImportBatch.objects.create(
        provider=provider,
        region=region,
        kind=kind,
        file_format=file_format,
        file_name=Path(file_name).name[:255],
        file_size=file_size,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def _save(batch: ImportBatch, **fields) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=list(fields))


def _refresh(region_id: int, kind: str, spans) -> list[str]:
    if not spans:
        return []
    from monitoring.kpis.rollups import refresh_for_import

    months = refresh_for_import(region_id, kind, spans)
    return sorted({m.isoformat() for m in months})


_LONG_NUMBER = re.compile(r"\d{8,}")


def _scrub(text: str) -> str:
    """An exception's text may quote a value from the file: never a BSN in the batch."""
    return _LONG_NUMBER.sub("…", text)[:500]


def _sorted_errors(kind: str, items: list[dict]) -> list[dict]:
    order = {name: i for i, name in enumerate(column_names(kind))}
    return sorted(items, key=lambda e: (e["row"], order.get(e["column"], -1)))[:ERROR_LIMIT]


def _rejection_message(errors: Errors) -> str:
    rows = len({e["row"] for e in errors.items})
    if errors.count > len(errors.items):
        return _(
            "Afgewezen: %(count)s fouten (de eerste %(shown)s staan hieronder); er is niets "
            "geïmporteerd. Verbeter het bestand en lever het opnieuw aan."
        ) % {"count": errors.count, "shown": len(errors.items)}
    return ngettext(
        "Afgewezen: %(count)s fout in %(rows)s regel; er is niets geïmporteerd. Verbeter het "
        "bestand en lever het opnieuw aan.",
        "Afgewezen: %(count)s fouten in %(rows)s regels; er is niets geïmporteerd. Verbeter het "
        "bestand en lever het opnieuw aan.",
        errors.count,
    ) % {"count": errors.count, "rows": rows}


def _success_message(counts: dict[str, int]) -> str:
    return (
        _(
            "Geïmporteerd: %(added)s regels toegevoegd, %(corrected)s correctieregels verwerkt, "
            "%(unchanged)s regels waren al aanwezig."
        )
        % counts
    )


def import_file(*, batch: ImportBatch, path, on_progress: Progress | None = None) -> ImportBatch:
    """Import the file at ``path`` into ``batch``'s region; whole or nothing. Returns the batch
    with its outcome (succeeded, rejected or failed). The file is not deleted here."""
    _save(
        batch,
        status=ImportStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        rows_done=0,
        rows_added=0,
        rows_unchanged=0,
        rows_corrected=0,
        error_count=0,
        errors=[],
        message="",
        months=[],
    )
    errors = Errors()
    source = None
    stage = None
    clock = _Clock()
    try:
        size = os.stat(path).st_size
        if batch.file_size != size:
            _save(batch, file_size=size)
        check_size(size, settings.IMPORT_MAX_BYTES)
        facts = scan(path)
        total = facts.lines - 1 if batch.file_format == ImportFormat.CSV else 0
        _save(batch, sha256=facts.sha256, rows_total=max(total, 0))
        source = open_rows(path, batch.kind, batch.file_format)
        if batch.file_format == ImportFormat.JSON:
            total = len(source.records)
            _save(batch, rows_total=total)
        if on_progress:
            on_progress(0, total)
        lookups = Lookups.for_region(batch.region, batch.provider_id)
        check = make_checker(batch.kind, lookups, errors)
        stage = Stage(
            kind=batch.kind, batch_id=batch.pk, region_id=batch.region_id, lookups=lookups
        )
        stage.create()
        done = 0
        add = stage.add
        for row, values, problem in source.rows():
            done += 1
            if values is None:
                errors.add(row, "", problem)
            else:
                record = check(row, values)
                if record is not None:
                    add(record)
            if done % PROGRESS_EVERY == 0:
                stage.flush()
                total = max(total, done)
                ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done, rows_total=total)
                if on_progress:
                    on_progress(done, total)
        stage.flush()
        clock.lap("read")
        if not done:
            raise FileProblem(_("Het bestand bevat alleen een kopregel en geen gegevens."))
        _save(batch, rows_done=done, rows_total=done)
        if on_progress:
            on_progress(done, done)
        with transaction.atomic():
            stage.lock()
            stage.prepare()
            stage.check(errors)
            clock.lap("check")
            if errors:
                raise Rejected
            counts = stage.counts()
            spans = stage.write()
            clock.lap("write")
            months = _refresh(batch.region_id, batch.kind, spans)
            clock.lap("refresh")
            _save(
                batch,
                status=ImportStatus.SUCCEEDED,
                finished_at=timezone.now(),
                rows_added=counts["added"],
                rows_corrected=counts["corrected"],
                rows_unchanged=counts["unchanged"],
                months=months,
                message=_success_message(counts),
            )
    except FileProblem as problem:
        errors.add(problem.row, problem.column, problem.message)
        _reject(batch, errors)
    except Rejected:
        _reject(batch, errors)
    except Exception as exc:  # noqa: BLE001 - whatever it is, the batch must say it failed
        logger.exception("Import %s failed", batch.pk)
        _save(
            batch,
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_(
                "De import is mislukt door een onverwachte fout (%(error)s); er is niets "
                "geïmporteerd. Probeer het opnieuw of meld het aan de beheerder."
            )
            % {"error": _scrub(f"{exc.__class__.__name__}: {exc}")},
        )
    finally:
        logger.info("Import %s (%s rows): %s", batch.pk, batch.rows_total, clock)
        if source is not None:
            source.close()
        if stage is not None:
            try:
                stage.drop()
            except Exception:  # noqa: BLE001 - the table vanishes with the session anyway
                logger.warning("Could not drop the staging table of import %s", batch.pk)
    return batch


class _Clock:
    """Seconds per phase, for the log."""

    def __init__(self):
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.laps.items())


def _reject(batch: ImportBatch, errors: Errors) -> None:
    _save(
        batch,
        status=ImportStatus.REJECTED,
        finished_at=timezone.now(),
        error_count=errors.count,
        errors=_sorted_errors(batch.kind, errors.items),
        message=_rejection_message(errors),
    )
