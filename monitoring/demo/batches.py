"""The demo's generated production as import batches: one per kind of data and region, so the
imports page lists what was loaded with its counts (through the import door,
``monitoring.imports.services.batch_record_generated``)."""

from __future__ import annotations

from core.demo_clock import production_months
from core.ui.formatting import month_range
from monitoring.imports.models import (
    Allocation,
    DatasetKind,
    Declaration,
    Occupancy,
    OutcomeMeasurement,
    Referral,
    Trajectory,
)
from monitoring.imports.services import batch_record_generated

KINDS = {
    Declaration: DatasetKind.DECLARATIONS,
    Trajectory: DatasetKind.TRAJECTORIES,
    Allocation: DatasetKind.ALLOCATIONS,
    Referral: DatasetKind.REFERRALS,
    OutcomeMeasurement: DatasetKind.OUTCOMES,
    Occupancy: DatasetKind.OCCUPANCY,
}


def record_batch(region, model, lines: list) -> None:
    """Give ``lines`` (unsaved) a finished batch of their kind; nothing for no lines."""
    if not lines:
        return
    first, last = production_months()
    kind = KINDS[model]
    batch_record_generated(
        region=region,
        kind=kind,
        file_name=f"{kind}-{region.slug}-{first:%Y-%m}-{last:%Y-%m}.csv",
        lines=lines,
        months=month_range(first, last),
    )
