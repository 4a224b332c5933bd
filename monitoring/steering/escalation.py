"""The escalation framework (afwegingskader) as a pure rule: the steps in order, and which step
comes next. The writes are in :mod:`monitoring.steering.services`."""

from __future__ import annotations

from monitoring.steering.models import ESCALATION_ORDER


def rank(step: str) -> int:
    """The position of a step in the framework (0 = the lightest)."""
    return ESCALATION_ORDER.index(step)


def next_step(current: str | None) -> str:
    """The step after ``current`` (the first when none is open; the last stays the last)."""
    if current is None:
        return ESCALATION_ORDER[0]
    return ESCALATION_ORDER[min(rank(current) + 1, len(ESCALATION_ORDER) - 1)]
