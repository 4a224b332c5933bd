"""Demo: progress on the development assignments a WBO partner agreed in its negotiation
(procurement.demo_negotiation), which the definitive award made the contract's. The updates
are ILLUSTRATIVE."""

from __future__ import annotations

from datetime import date

from core.demo_clock import shift

from .development import (
    development_assignment_transition,
    development_assignment_update_progress,
)
from .models_development import DevelopmentAssignment

#: per agreement (in order): dated updates (day, percentage, text), then the final status
WBO_PROGRESS = [
    (
        [
            (date(2023, 6, 30), 20, "Pilot gestart in Drimmelen; crisisteam thuis ingericht."),
            (date(2024, 3, 31), 55, "Geertruidenberg aangesloten; 14 gezinnen begeleid."),
            (
                date(2025, 12, 19),
                100,
                "Evaluatie: 9 van de 14 crisisplaatsingen buiten het gezin voorkomen.",
            ),
        ],
        "done",
    ),
    (
        [
            (date(2024, 1, 31), 25, "Twee ervaringsdeskundigen in dienst."),
            (date(2025, 9, 30), 60, "In 6 van de 10 teams een ervaringsdeskundige."),
        ],
        None,
    ),
]


def wbo_development_progress(contracts, user) -> int:
    """Dated progress on the negotiated assignments of the WBO contracts (the first partner
    that has them); the number of updates."""
    items = list(
        DevelopmentAssignment.objects.filter(
            contract__in=contracts, negotiated__isnull=False
        ).order_by("negotiated__order")
    )
    added = 0
    for assignment, (updates, final) in zip(items, WBO_PROGRESS, strict=False):
        for day, pct, text in updates:
            development_assignment_update_progress(
                assignment=assignment, on=shift(day), percentage=pct, text=text, user=user
            )
            added += 1
        if final:
            development_assignment_transition(assignment=assignment, to=final, user=user)
    return added
