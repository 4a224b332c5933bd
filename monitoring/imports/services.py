"""Importing one file of production data: whole or nothing.

:func:`import_offer` is the one door (the upload page, the API and the command
``import_production``): it records that a file was offered (:func:`batch_create`) and imports it
now or queues it for the task ``monitoring.import_batch``. :func:`import_file` does the work,
synchronously; the batch's status changes only through its state machine
(:mod:`.states`):

1. the size is checked before anything is read (empty, over ``IMPORT_MAX_BYTES``);
2. every record is read and checked, the BSN replaced by its pseudonym, and the record staged
   (:mod:`.load`): CSV and JSON set-based (:mod:`.vectorised`: the rows it accepts go to the
   staging table with one COPY, the rows it flags are re-checked with the per-row rules of
   :mod:`.validate`, which give the exact errors), iJw messages and unusual CSV files per row;
   the progress is saved as it goes, outside any transaction, so that the import page shows it;
3. under the region's advisory lock (PostgreSQL), in ONE transaction: the checks across lines,
   then, if nothing at all was wrong, the corrected lines deactivated and the new lines inserted;
   committed with the batch still running;
4. in a second transaction the KPI rollups of the touched months refreshed
   (``monitoring.kpis.rollups.refresh_for_import``) and the batch marked succeeded. If that
   fails, a compensating transaction takes the lines back and the batch fails.

Any error in the file: nothing is written and the batch is rejected with every error by row and
column. An unexpected exception: the transaction is rolled back and the batch marked failed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.states import apply_transition, transition_rows
from core.ui.formatting import format_number
from monitoring.imports.formats import (
    FileProblem,
    check_size,
    clean_text,
    column_names,
    control_problem,
    open_rows,
    scan,
)
from monitoring.imports.ijw import IjwRows
from monitoring.imports.load import Stage, undo_batch
from monitoring.imports.models import (
    IjwMessage,
    ImportBatch,
    ImportFormat,
    ImportPhase,
    ImportStatus,
)
from monitoring.imports.validate import ERROR_LIMIT, Errors, Lookups, make_checker, safe_text
from monitoring.imports.vectorised import read_frame, vet

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5_000
#: the set-based path checks and stages this many rows at a time, then saves the progress
FRAME_PROGRESS_EVERY = 100_000

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
        # a file name is shown and answered like a message: no BSN, no control character
        file_name=safe_text(Path(file_name).name, limit=255),
        file_size=file_size,
        created_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def batch_record_generated(
    *, region, kind: str, file_name: str, lines: list, months, user=None
) -> ImportBatch:
    """A finished batch for ``lines`` that were made rather than read from a file (the demo's
    generated production): the lines (unsaved) get the batch, so that the imports page lists
    them with their counts like any import. The caller saves the lines; their figures are
    refreshed with the rest of the region's."""
    batch = batch_create(
        region=region,
        kind=kind,
        file_format=ImportFormat.CSV,
        file_name=file_name,
        file_size=0,
        user=user,
    )
    for line in lines:
        line.batch = batch
    now = timezone.now()
    _move(batch, ImportStatus.RUNNING, started_at=now, rows_total=len(lines))
    _move(
        batch,
        ImportStatus.SUCCEEDED,
        finished_at=now,
        rows_read=len(lines),
        rows_done=len(lines),
        rows_written=len(lines),
        rows_added=len(lines),
        months=sorted({m.isoformat() for m in months}),
        message=_success_message({"added": len(lines), "corrected": 0, "unchanged": 0}),
    )
    return batch


def import_progress_record(
    *,
    batch: ImportBatch,
    read: int | None = None,
    checked: int | None = None,
    written: int | None = None,
    total: int | None = None,
    errors: int | None = None,
    phase: str | None = None,
) -> None:
    """Record how far a running import is (rows read, checked and written, errors, phase), on
    the batch and in the database at once, outside any transaction of the import: the status
    endpoint and the page show it while the import runs. No audit entry: progress is not a
    change of the batch's meaning, its outcome is."""
    fields = {
        name: value
        for name, value in (
            ("rows_read", read),
            ("rows_done", checked),
            ("rows_written", written),
            ("rows_total", total),
            ("error_count", errors),
            ("phase", phase),
        )
        if value is not None
    }
    if not fields:
        return
    for name, value in fields.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)


def _save(batch: ImportBatch, **fields) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=list(fields))


def _move(batch: ImportBatch, to: str, **fields) -> None:
    """Change the batch's status through its state machine (``monitoring.imports.states``);
    when the save fails the object keeps its former values."""
    before = {name: getattr(batch, name) for name in ("status", *fields)}
    try:
        batch.save(update_fields=apply_transition(batch, to, **fields))
    except Exception:
        for name, value in before.items():
            setattr(batch, name, value)
        raise


# ---------------------------------------------------------------- the one door


def spool(upload, suffix: str) -> Path:
    """An uploaded file in the spool directory under a random name, readable by the owner
    only (it holds BSNs; the import deletes it)."""
    directory = Path(settings.IMPORT_SPOOL_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{secrets.token_hex(16)}.{suffix}"
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        try:
            os.replace(temporary(), path)
            os.chmod(path, 0o600)
            return path
        except OSError:
            pass  # another file system: copy instead
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def spool_messages(uploads) -> Path:
    """Several uploaded iJw messages as one zip in the spool directory (owner-only), so that
    they are imported as one delivery; member names are the files' own names."""
    import zipfile

    directory = Path(settings.IMPORT_SPOOL_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{secrets.token_hex(16)}.zip"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    used: set[str] = set()
    with os.fdopen(descriptor, "wb") as out, zipfile.ZipFile(out, "w") as archive:
        for number, upload in enumerate(uploads, start=1):
            name = Path(upload.name).name or f"bericht-{number}.xml"
            if name in used:
                name = f"{number}-{name}"
            used.add(name)
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in upload.chunks():
                    member.write(chunk)
    return path


def spool_upload(uploads, file_format: str) -> tuple[Path, str]:
    """``(spooled path, file name)`` of an upload of one file or several iJw messages."""
    if len(uploads) > 1:
        return spool_messages(uploads), _("%(count)s berichten.zip") % {"count": len(uploads)}
    return spool(uploads[0], file_format), uploads[0].name


def _unlink(path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def queue(batch_id: int, path: str) -> None:
    """Hand the batch to the worker (without a broker: to the background thread, or in the
    tests run it now, see ``core.tasks.start``); if that fails, say so on the batch and remove
    the file."""
    from core.tasks import start
    from monitoring.tasks import import_batch

    try:
        start(import_batch, batch_id, path)
    except Exception:  # noqa: BLE001 - the batch must not stay queued for ever
        logger.exception("Could not queue import %s", batch_id)
        _unlink(path)
        transition_rows(
            ImportBatch.objects.filter(pk=batch_id),
            ImportStatus.QUEUED,
            ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_("De import kon niet worden ingepland; probeer het later opnieuw."),
        )


def import_offer(
    *,
    region,
    kind: str,
    file_format: str,
    path: Path | str,
    file_name: str,
    file_size: int | None = None,
    user=None,
    provider=None,
    run: str = "queue",
    delete_file: bool = True,
    on_created: Callable[[ImportBatch], None] | None = None,
    on_progress: Progress | None = None,
) -> ImportBatch:
    """The one door for a production file, used by the upload page, the API and the command:
    create the batch, then import the file at ``path`` in this process (``run="now"``) or hand
    it to the worker after the commit (``run="queue"``; the task deletes the file, or
    :func:`queue` does when the worker cannot be reached). ``delete_file``: the file is a
    spooled copy to remove once imported or refused (the command's own file is kept).
    ``on_created(batch)`` runs in the batch's transaction (the API records its delivery there).
    Returns the batch; after ``run="now"`` it has its outcome."""
    if run not in ("now", "queue"):
        raise ValueError(f"run must be 'now' or 'queue', not {run!r}")
    path = Path(path)
    try:
        with transaction.atomic():
            batch = batch_create(
                region=region,
                kind=kind,
                file_format=file_format,
                file_name=file_name,
                file_size=path.stat().st_size if file_size is None else file_size,
                user=user,
                provider=provider,
            )
            if on_created is not None:
                on_created(batch)
            if run == "queue":
                transaction.on_commit(lambda: queue(batch.pk, str(path)))
    except BaseException:
        if delete_file:
            _unlink(path)
        raise
    if run == "now":
        try:
            import_file(batch=batch, path=path, on_progress=on_progress)
        finally:
            if delete_file:
                _unlink(path)
    return batch


def _refresh(region_id: int, kind: str, spans) -> list[str]:
    if not spans:
        return []
    from monitoring.kpis.rollups import refresh_for_import

    months = refresh_for_import(region_id, kind, spans)
    return sorted({m.isoformat() for m in months})


#: eight or more digits of any script, perhaps grouped with spaces or dots
_LONG_NUMBER = re.compile(r"\d(?:[ .]?\d){7,}")


def _scrub(text: str) -> str:
    """An exception's text (or traceback) may quote a value from the file: never a BSN (in any
    digit script) in the batch or the log, nor a control character (PostgreSQL refuses U+0000,
    and then the batch could not even say it failed)."""
    return clean_text(_LONG_NUMBER.sub("…", text))


def _sorted_errors(kind: str, items: list[dict]) -> list[dict]:
    order = {name: i for i, name in enumerate(column_names(kind))}
    return sorted(items, key=lambda e: (e["row"], order.get(e["column"], -1)))[:ERROR_LIMIT]


def _rejection_message(errors: Errors) -> str:
    rows = len({e["row"] for e in errors.items})
    if errors.count > len(errors.items):
        return _(
            "Afgewezen: %(count)s fouten (de eerste %(shown)s staan hieronder); er is niets "
            "geïmporteerd. Verbeter het bestand en lever het opnieuw aan."
        ) % {"count": format_number(errors.count, 0), "shown": format_number(len(errors.items), 0)}
    faults = ngettext("%(n)s fout", "%(n)s fouten", errors.count) % {
        "n": format_number(errors.count, 0)
    }
    lines = ngettext("%(n)s regel", "%(n)s regels", rows) % {"n": format_number(rows, 0)}
    return _(
        "Afgewezen: %(faults)s in %(lines)s; er is niets geïmporteerd. Verbeter het bestand en "
        "lever het opnieuw aan."
    ) % {"faults": faults, "lines": lines}


def _success_message(counts: dict[str, int]) -> str:
    """'Geïmporteerd: 20.000 regels toegevoegd, 1 correctieregel verwerkt, 0 regels waren al
    aanwezig.' (thousands grouped, singular and plural per count)."""

    def n(key):
        return {"n": format_number(counts[key], 0)}

    added = ngettext("%(n)s regel toegevoegd", "%(n)s regels toegevoegd", counts["added"])
    corrected = ngettext(
        "%(n)s correctieregel verwerkt", "%(n)s correctieregels verwerkt", counts["corrected"]
    )
    unchanged = ngettext(
        "%(n)s regel was al aanwezig", "%(n)s regels waren al aanwezig", counts["unchanged"]
    )
    return _("Geïmporteerd: %(added)s, %(corrected)s, %(unchanged)s.") % {
        "added": added % n("added"),
        "corrected": corrected % n("corrected"),
        "unchanged": unchanged % n("unchanged"),
    }


def import_file(*, batch: ImportBatch, path, on_progress: Progress | None = None) -> ImportBatch:
    """Import the file at ``path`` into ``batch``'s region; whole or nothing. Returns the batch
    with its outcome (succeeded, rejected or failed). The file is not deleted here."""
    if batch.status == ImportStatus.RUNNING:
        # run again after a lost worker: take back what a former run may have written
        with transaction.atomic():
            undo_batch(batch.kind, batch.pk)
    _move(
        batch,
        ImportStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        rows_read=0,
        rows_done=0,
        rows_written=0,
        phase=ImportPhase.CHECKING,
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
        lookups = Lookups.for_region(batch.region, batch.provider_id)
        frame = None
        if batch.file_format == ImportFormat.IJW:
            # the messages say what they hold; their lines are located by file and element
            source = IjwRows(path, lookups, file_name=batch.file_name)
            source.bind(errors)
            if source.kind != batch.kind:
                _save(batch, kind=source.kind)
        elif getattr(settings, "IMPORT_VECTORISED", True):
            frame = read_frame(path, batch.kind, batch.file_format)
        if frame is None and batch.file_format != ImportFormat.IJW:
            source = open_rows(path, batch.kind, batch.file_format)
        if batch.file_format == ImportFormat.JSON:
            total = frame.total if frame is not None else len(source.records)
            _save(batch, rows_total=total)
        if frame is not None:
            # the set-based path has read the whole file at once; it checks it in chunks
            import_progress_record(batch=batch, read=frame.total, total=frame.total)
        if on_progress:
            on_progress(0, total)
        check = make_checker(batch.kind, lookups, errors)
        stage = Stage(
            kind=batch.kind, batch_id=batch.pk, region_id=batch.region_id, lookups=lookups
        )
        stage.create()
        clock.lap("read")
        if frame is not None:
            done = _check_frame(frame, batch, lookups, check, errors, stage, on_progress)
        else:
            done = _check_rows(source, batch, check, errors, stage, total, on_progress)
        stage.flush()
        clock.lap("check rows")
        if not done and not errors:
            if batch.file_format == ImportFormat.IJW:
                raise FileProblem(
                    _("De berichten bevatten geen regels om in te lezen.")
                    + (" " + source.summary(0)).rstrip()
                )
            raise FileProblem(_("Het bestand bevat alleen een kopregel en geen gegevens."))
        import_progress_record(
            batch=batch,
            read=done,
            checked=done,
            total=done,
            errors=errors.count,
            phase=ImportPhase.WRITING,
        )
        if on_progress:
            on_progress(done, done)
        # the region's lock covers checks, write and refresh (two transactions)
        stage.lock()
        with transaction.atomic():
            stage.prepare()
            stage.check(errors)
            clock.lap("check lines")
            if errors:
                raise Rejected
            counts = stage.counts()
            spans = stage.write()
            message = _success_message(counts)
            if batch.file_format == ImportFormat.IJW:
                repeated = ijw_messages_record(batch=batch, messages=source.messages)
                message = f"{message} {source.summary(repeated)}".strip()
            # the lines are in, the figures not yet: the batch stays running (not
            # "Geïmporteerd") until the refresh below has committed too
            import_progress_record(
                batch=batch,
                written=counts["added"] + counts["corrected"],
                phase=ImportPhase.REFRESHING,
            )
        clock.lap("write")
        try:
            with transaction.atomic():
                months = _refresh(batch.region_id, batch.kind, spans)
                _move(
                    batch,
                    ImportStatus.SUCCEEDED,
                    finished_at=timezone.now(),
                    rows_added=counts["added"],
                    rows_corrected=counts["corrected"],
                    rows_unchanged=counts["unchanged"],
                    months=months,
                    message=message,
                    phase="",
                )
        except Exception:
            # no half import: the written lines are taken back before the batch fails
            logger.exception("Refreshing the figures of import %s failed", batch.pk)
            with transaction.atomic():
                stage.undo()
            raise
        clock.lap("refresh")
    except FileProblem as problem:
        errors.add(problem.row, problem.column, problem.message)
        _reject(batch, errors)
    except Rejected:
        _reject(batch, errors)
    except Exception as exc:  # noqa: BLE001 - whatever it is, the batch must say it failed
        # the traceback, scrubbed: an exception's text may quote a BSN from the file
        logger.error(
            "Import %s failed: %s",
            batch.pk,
            _scrub("".join(traceback.format_exception(exc))),
        )
        _move(
            batch,
            ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_(
                "De import is mislukt door een onverwachte fout (%(error)s); er is niets "
                "geïmporteerd. Probeer het opnieuw of meld het aan de beheerder."
            )
            % {"error": _scrub(f"{exc.__class__.__name__}: {exc}")[:500]},
        )
    finally:
        logger.info("Import %s (%s rows): %s", batch.pk, batch.rows_total, clock)
        if source is not None:
            source.close()
        if stage is not None:
            try:
                stage.unlock()
                stage.drop()
            except Exception:  # noqa: BLE001 - the table vanishes with the session anyway
                logger.warning("Could not drop the staging table of import %s", batch.pk)
    return batch


def _check_rows(source, batch, check, errors, stage, total, on_progress) -> int:
    """The per-row path: every record checked by ``check``; returns how many were read."""
    done = 0
    add = stage.add
    for row, values, problem in source.rows():
        done += 1
        if values is None:
            column, problem = problem if isinstance(problem, tuple) else ("", problem)
            errors.add(row, column, problem)
        else:
            record = check(row, values)
            if record is not None:
                add(record)
        if done % PROGRESS_EVERY == 0:
            stage.flush()
            total = max(total, done)
            import_progress_record(
                batch=batch, read=done, checked=done, total=total, errors=errors.count
            )
            if on_progress:
                on_progress(done, total)
    return done


def _check_frame(frame, batch, lookups, check, errors, stage, on_progress) -> int:
    """The set-based path (:mod:`.vectorised`), in chunks of ``FRAME_PROGRESS_EVERY`` rows
    (one chunk for a file of up to 100,000 lines): the rows the filter accepts go to the
    staging table with one COPY per chunk; the flagged and odd rows are checked per row, in
    row order, so the errors are the per-row path's, in its order. The progress is saved
    after each chunk. Returns how many records were read."""
    odd = sorted(frame.odd, key=lambda item: item[0])
    names = column_names(batch.kind)
    total = frame.total
    height = frame.frame.height
    chunk = max(FRAME_PROGRESS_EVERY, 1)
    done = taken = 0
    add = stage.add
    for offset in range(0, max(height, 1), chunk):
        part = frame.frame.slice(offset, chunk)
        last = offset + chunk >= height
        vetted = vet(batch.kind, part, lookups)
        stage.copy_frame(vetted.accepted)
        # a flagged row with an invisible control character is refused as the readers do
        again = [
            (row, None, problem)
            if (problem := control_problem(values, names))
            else (row, list(values), "")
            for row, *values in vetted.flagged.iter_rows()
        ]
        upto = part["row"].max() if part.height else None
        while taken < len(odd) and (last or (upto is not None and odd[taken][0] < upto)):
            again.append(odd[taken])
            taken += 1
        again.sort(key=lambda item: item[0])
        for row, values, problem in again:
            if values is None:
                column, problem = problem if isinstance(problem, tuple) else ("", problem)
                errors.add(row, column, problem)
            else:
                record = check(row, values)
                if record is not None:
                    add(record)
        done = min(offset + chunk, height) + taken
        if not last:
            stage.flush()
            import_progress_record(batch=batch, checked=done, total=total, errors=errors.count)
            if on_progress:
                on_progress(done, total)
    return total


def ijw_messages_record(*, batch: ImportBatch, messages) -> int:
    """Record the iJw messages an import read, ``(type, sender, identification, dated)``
    each, in the caller's transaction; returns how many had been read before (a repeat
    delivery). Each new message is saved on its own, so that the audit log has it."""
    seen: set[tuple] = set()
    repeated = 0
    wanted = {(t, s, i, d) for t, s, i, d in messages}
    identifications = sorted({i for _t, _s, i, _d in wanted})
    known: set[tuple] = set()
    for start in range(0, len(identifications), 500):
        known.update(
            IjwMessage.objects.filter(
                region=batch.region_id, identification__in=identifications[start : start + 500]
            ).values_list("message_type", "sender", "identification", "dated")
        )
    for key in messages:
        if key in seen:
            continue
        seen.add(key)
        if key in known:
            repeated += 1
            continue
        message_type, sender, identification, dated = key
        IjwMessage.objects.create(
            region_id=batch.region_id,
            batch=batch,
            message_type=message_type,
            sender=sender,
            identification=identification[:64],
            dated=dated,
        )
    return repeated


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
    """Mark the batch rejected with its errors (made safe to store by ``Errors.add``); should
    saving them fail all the same, the batch is marked failed rather than left running."""
    try:
        with transaction.atomic():
            _move(
                batch,
                ImportStatus.REJECTED,
                finished_at=timezone.now(),
                error_count=errors.count,
                errors=_sorted_errors(batch.kind, errors.items),
                message=_rejection_message(errors),
            )
    except Exception as exc:  # noqa: BLE001 - the batch must not stay "Bezig"
        logger.error(
            "Import %s: the error report could not be saved: %s",
            batch.pk,
            _scrub(f"{exc.__class__.__name__}: {exc}")[:500],
        )
        _move(
            batch,
            ImportStatus.FAILED,
            finished_at=timezone.now(),
            error_count=errors.count,
            message=_(
                "Het bestand is afgewezen (%(count)s fouten), maar het foutenrapport kon niet "
                "worden opgeslagen; er is niets geïmporteerd. Meld het aan de beheerder."
            )
            % {"count": errors.count},
        )
