"""What a batch's progress says, in words and as the JSON its status endpoint answers (the
region's import page and the provider portal's delivery page poll it; static/js/progress.js)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import format_number
from monitoring.imports.models import ImportBatch, ImportPhase, ImportStatus


def _n(value: int) -> str:
    return format_number(value or 0, 0)


def counts(batch: ImportBatch) -> dict[str, int]:
    """Rows in the file, read, checked and written, and errors (a batch imported before the
    counts were kept shows what its outcome says)."""
    written = batch.rows_written
    if batch.status == ImportStatus.SUCCEEDED and not written:
        written = batch.rows_added + batch.rows_corrected
    return {
        "total": batch.rows_total,
        "read": max(batch.rows_read, batch.rows_done),
        "checked": batch.rows_done,
        "written": written,
        "errors": batch.error_count,
    }


def progress_text(batch: ImportBatch) -> str:
    """One sentence with the counts: what is true now."""
    c = {key: _n(value) for key, value in counts(batch).items()}
    errors = batch.error_count
    if batch.status == ImportStatus.QUEUED:
        return _("In de wachtrij: de import start zodra de verwerker vrij is.")
    if batch.status == ImportStatus.RUNNING:
        if batch.phase == ImportPhase.WRITING:
            return (
                _(
                    "Alle %(checked)s regels gelezen en gecontroleerd; de regels worden "
                    "weggeschreven."
                )
                % c
            )
        if batch.phase == ImportPhase.REFRESHING:
            return _("%(written)s regels weggeschreven; de cijfers worden bijgewerkt.") % c
        return (
            ngettext(
                "%(read)s van %(total)s regels gelezen, %(checked)s gecontroleerd, "
                "%(errors)s fout.",
                "%(read)s van %(total)s regels gelezen, %(checked)s gecontroleerd, "
                "%(errors)s fouten.",
                errors,
            )
            % c
        )
    if batch.status == ImportStatus.SUCCEEDED:
        return (
            _(
                "Klaar: %(read)s van %(total)s regels gelezen, %(checked)s gecontroleerd, "
                "%(written)s weggeschreven."
            )
            % c
        )
    if batch.status == ImportStatus.REJECTED:
        return (
            ngettext(
                "Afgewezen: %(checked)s van %(total)s regels gecontroleerd, %(errors)s fout; "
                "er is niets weggeschreven.",
                "Afgewezen: %(checked)s van %(total)s regels gecontroleerd, %(errors)s fouten; "
                "er is niets weggeschreven.",
                errors,
            )
            % c
        )
    return _("Mislukt: er is niets weggeschreven.")


def status_payload(batch: ImportBatch, *, url: str) -> dict:
    """The JSON of a batch's status endpoint; ``url`` is the page that shows the outcome."""
    return {
        "id": batch.pk,
        "state": batch.status,
        "stateLabel": str(batch.get_status_display()),
        "phase": batch.phase,
        "finished": batch.is_finished,
        "percentage": batch.progress,
        "counts": counts(batch),
        "message": progress_text(batch),
        "url": url,
    }
