"""How far the making of reports is: one report (its newest version) and a run (every report of
one kind and period, e.g. all provider reports of October: "12 van 40 klaar"), in words and as
the JSON of their status endpoints, polled by the pages (static/js/progress.js). Reads only."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import format_number

from .models import PENDING_STATUSES, ReportStatus


def version_text(latest) -> str:
    """What is true now of the newest version (``None``: none asked for yet)."""
    if latest is None:
        return _("Er is nog geen versie van deze rapportage gevraagd.")
    number = {"number": latest.number}
    if latest.status == ReportStatus.QUEUED:
        return _("Versie %(number)s staat in de wachtrij.") % number
    if latest.status == ReportStatus.RUNNING:
        return _("Versie %(number)s wordt nu gemaakt.") % number
    if latest.status == ReportStatus.READY:
        return _("Versie %(number)s is klaar.") % number
    return _("Versie %(number)s is mislukt.") % number


def report_payload(report, latest, *, url: str) -> dict:
    """The JSON of a report's status endpoint: the newest version's state; one report is
    "0 of 1" or "1 of 1" done."""
    state = latest.status if latest is not None else ""
    finished = latest is None or state not in PENDING_STATUSES
    done = 1 if latest is not None and finished else 0
    percentage = {ReportStatus.QUEUED: 0, ReportStatus.RUNNING: 50}.get(state, 100)
    return {
        "id": report.pk,
        "state": state,
        "stateLabel": str(latest.get_status_display()) if latest is not None else "",
        "version": latest.number if latest is not None else None,
        "finished": finished,
        "percentage": percentage,
        "counts": {"done": done, "total": 1},
        "message": version_text(latest),
        "url": url,
    }


def run_counts(reports) -> dict[str, int]:
    """Of ``reports`` (one run: a kind and a period), how many there are, are ready, failed
    and still on their way, in one query."""
    found = reports.aggregate(
        total=Count("pk"),
        ready=Count("pk", filter=Q(status=ReportStatus.READY)),
        failed=Count("pk", filter=Q(status=ReportStatus.FAILED)),
        pending=Count("pk", filter=Q(status__in=PENDING_STATUSES)),
    )
    found["done"] = found["ready"] + found["failed"]
    return found


def run_text(counts: dict[str, int]) -> str:
    c = {key: format_number(value, 0) for key, value in counts.items()}
    if counts["pending"]:
        return (
            ngettext(
                "%(done)s van %(total)s rapportages klaar; %(pending)s wordt nog gemaakt.",
                "%(done)s van %(total)s rapportages klaar; %(pending)s worden nog gemaakt.",
                counts["pending"],
            )
            % c
        )
    if counts["failed"]:
        return (
            _("Alle %(total)s rapportages zijn verwerkt: %(ready)s klaar, %(failed)s mislukt.") % c
        )
    return (
        ngettext(
            "De rapportage is klaar.", "Alle %(total)s rapportages zijn klaar.", counts["total"]
        )
        % c
    )


def run_payload(counts: dict[str, int], *, url: str) -> dict:
    total = counts["total"]
    return {
        "state": "running" if counts["pending"] else "done",
        "finished": not counts["pending"],
        "percentage": round(100 * counts["done"] / total) if total else 100,
        "counts": {key: counts[key] for key in ("done", "total", "ready", "failed", "pending")},
        "message": run_text(counts),
        "url": url,
    }
