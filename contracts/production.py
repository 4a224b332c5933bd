"""Where settlement gets its production from.

Contracts sit below monitoring, which holds the production data (declarations, trajectories,
occupancy, allocations). Monitoring registers a source here; contracts only asks it. Without a
source (a lower-layer test), production is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from .settlement import Production

ProductionSource = Callable[[Iterable[int], date, date], dict[int, Production]]

_source: ProductionSource | None = None


def register_source(source: ProductionSource) -> None:
    global _source
    _source = source


def production_for(contract_ids: Iterable[int], start: date, end: date) -> dict[int, Production]:
    """Production per contract id between ``start`` and ``end`` (inclusive).

    Trajectories and allocations are included when they touch the period or started before it
    and are still open, so that end payments and the anti-stacking rule see them."""
    ids = list(contract_ids)
    if _source is None:
        return {pk: Production() for pk in ids}
    found = _source(ids, start, end)
    return {pk: found.get(pk, Production()) for pk in ids}
