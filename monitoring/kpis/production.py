"""The production source that settlement asks (registered in MonitoringConfig.ready).

Declarations come from the settlement rollup (``SettlementRollup``: per contract, product,
month and unit, refreshed with the KPI rollups), not from the lines: a big contract's
settlement reads a few hundred rows whatever its number of lines. Trajectories are counted in
the database (an index-only scan) per product, month of the end and start day for a product
paid per trajectory (its tariff and arrangement are those of the start day), start month for any
other (an output scenario counts it by the months of its start and end): a contract with 67,000
trajectories touching its year is a few hundred facts, not 67,000 instances.
Allocations and occupancy are read as lines (the anti-stacking rule needs each allocation)."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Case, Count, F, Max, Min, Q, Sum, When
from django.db.models.functions import TruncMonth

from contracts.codes import ArrangementModel
from contracts.models import FundingArrangement
from contracts.settlement import SWITCH_WINDOW_DAYS, Delivery, Production
from contracts.settlement import Allocation as AllocationFact
from contracts.settlement import Occupancy as OccupancyFact
from contracts.settlement import Trajectory as TrajectoryFact
from monitoring.imports.models import Allocation, Occupancy, Trajectory
from monitoring.kpis.models import SettlementRollup


def production_source(contract_ids, start: date, end: date) -> dict[int, Production]:
    ids = list(contract_ids)
    deliveries = defaultdict(list)
    rows = (
        SettlementRollup.objects.filter(contract__in=ids, month__gte=start, month__lte=end)
        .values("contract", "product__code", "month", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("contract", "product__code", "month", "unit")
    )
    for row in rows:
        deliveries[row["contract"]].append(
            Delivery(row["product__code"], row["month"], row["quantity"], row["unit"])
        )
    touching = Q(contract__in=ids, active=True)
    trajectories = defaultdict(list)
    # A product paid per trajectory (in an output arrangement of its contract) is priced on its
    # start day; any other only counts by the months of its start and end (an output scenario).
    by_day = Q(pk__in=[])
    for contract, product in FundingArrangement.objects.filter(
        contract__in=ids, model=ArrangementModel.OUTPUT, products__isnull=False
    ).values_list("contract", "products"):
        by_day |= Q(contract=contract, product=product)
    for row in (
        Trajectory.objects.filter(touching, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .values(
            "contract",
            "product__code",
            start_key=Case(When(by_day, then=F("started_on")), default=TruncMonth("started_on")),
            end_month=TruncMonth("ended_on"),
        )
        # "*": the id would need a heap fetch; the index covers the rest
        .annotate(n=Count("*"), first_start=Min("started_on"), last_end=Max("ended_on"))
        .order_by("contract", "start_key", "product__code", "end_month")
        .values_list("contract", "product__code", "first_start", "last_end", "n")
    ):
        contract, code, started_on, ended_on, n = row
        key = f"{code}:{started_on:%Y-%m-%d}:{ended_on or ''}"
        trajectories[contract].append(TrajectoryFact(key, code, started_on, ended_on, count=n))
    allocations = defaultdict(list)
    for row in (
        Allocation.objects.filter(touching, start__lte=end)
        # from a little before the period: a profile switch needs the allocation it follows
        .filter(Q(end__isnull=True) | Q(end__gte=start - timedelta(days=SWITCH_WINDOW_DAYS)))
        .values_list("contract", "client_key", "product__code", "start", "end")
    ):
        allocations[row[0]].append(AllocationFact(row[1][:12], row[2], row[3], row[4]))
    occupancy = defaultdict(list)
    for row in Occupancy.objects.filter(
        contract__in=ids, active=True, month__gte=start, month__lte=end
    ).values_list("contract", "month", "occupied_days", "facility", "arrangement"):
        occupancy[row[0]].append(
            OccupancyFact(row[1], row[2], facility=row[3], arrangement_id=row[4])
        )
    return {
        pk: Production(
            deliveries=tuple(deliveries[pk]),
            trajectories=tuple(trajectories[pk]),
            occupancy=tuple(occupancy[pk]),
            allocations=tuple(allocations[pk]),
        )
        for pk in ids
    }
