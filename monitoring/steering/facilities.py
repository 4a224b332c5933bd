"""Occupancy per facility: the figures, their norm and their signals.

A contract that keeps places available in more than one facility (one availability arrangement
per facility, ``FundingArrangement.facility``) has its occupancy imported per facility. The
contract's occupancy KPI stays the rollup ratio over all its facilities (occupied days ÷ place
days, summed); this module looks at each facility on its own, straight from the (few)
occupancy lines:

- **figure**: occupied days × 100 ÷ (places × days in the month) of the facility's active line,
  one decimal (as the KPI);
- **norm of a facility**: the arrangement's occupancy threshold ``T``, judged as settlement
  does: under ``T`` is amber, under ``T − 10`` points is red (``FACILITY_RED_MARGIN``); unless
  the occupancy norm of the contract (its KPI agreement, else its segment's norm) is stricter,
  i.e. its amber threshold is above ``T``: then that norm, with its own levels;
- **signals** (:func:`evaluate_facilities`, called next to ``alerts.evaluate``): for contracts
  with more than one facility in a month (with one facility the contract's own occupancy signal
  says it all), topic ``occupancy``, key ``kpi:c<contract>:occupancy:f<arrangement>:<YYYY-MM>``;
  opened, updated, reopened and closed by the same rules as the contract's KPI signals
  (``monitoring.steering.alerts``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from contracts.codes import ArrangementModel, Direction, Kpi
from contracts.models import Contract, FundingArrangement
from core.states import apply_transition
from monitoring.imports.models import Occupancy
from monitoring.kpis.definitions import days_in_month
from monitoring.steering import messages
from monitoring.steering.alerts import (
    _BAD,
    _UNCLOSED,
    FACILITY_MARK,
    _reopen,
    save_signals,
    set_message,
)
from monitoring.steering.models import Level, Signal, SignalSource, SignalStatus
from monitoring.steering.norms import Norm, contract_norms, judge

#: red this many percentage points under the arrangement's threshold
FACILITY_RED_MARGIN = Decimal(10)


def facility_key(contract_id: int, arrangement_id: int, month: date) -> str:
    return f"kpi:c{contract_id}{FACILITY_MARK}{arrangement_id}:{month:%Y-%m}"


def threshold_norm(threshold: Decimal) -> Norm:
    """The norm an arrangement's occupancy threshold stands for."""
    return Norm(
        kpi=Kpi.OCCUPANCY,
        direction=Direction.HIGHER_IS_BETTER,
        norm=threshold,
        amber=threshold,
        red=max(threshold - FACILITY_RED_MARGIN, Decimal(0)),
        source="facility",
    )


def facility_norm(threshold: Decimal | None, contract_norm: Norm | None) -> Norm | None:
    """The arrangement's threshold, unless the contract's (or segment's) occupancy norm is
    stricter: signals at a higher occupancy (its amber threshold is above the threshold)."""
    if threshold is None:
        return contract_norm
    if (
        contract_norm is not None
        and contract_norm.direction == Direction.HIGHER_IS_BETTER
        and contract_norm.amber > threshold
    ):
        return contract_norm
    return threshold_norm(threshold)


def facility_level(value: Decimal | None, norm: Norm | None) -> str | None:
    """Amber under the threshold, red under its red level (strictly under, as settlement flags
    under-occupancy); a contract or segment norm judges as every KPI norm does."""
    if value is None or norm is None:
        return None
    if norm.source != "facility":
        return judge(value, norm)
    if value < norm.red:
        return Level.RED
    if value < norm.amber:
        return Level.AMBER
    return Level.GREEN


def occupancy_pct(occupied: Decimal, place_days: int) -> Decimal | None:
    if not place_days:
        return None
    return (Decimal(occupied) * 100 / place_days).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class FacilityMonth:
    contract_id: int
    arrangement_id: int
    facility: str
    month: date
    places: int
    occupied_days: Decimal
    place_days: int
    value: Decimal | None
    threshold: Decimal | None
    norm: Norm | None
    level: str | None

    def get_level_display(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    @property
    def norm_source_label(self) -> str:
        from django.utils.translation import gettext as _

        if self.norm is None:
            return ""
        if self.norm.source == "facility":
            return _("bezettingsdrempel van de afspraak")
        if self.norm.source == "contract":
            return _("strengere KPI-afspraak van het contract")
        return _("strengere norm van het segment")


def facility_months(
    contracts: Iterable[Contract], months: Iterable[date] | None = None
) -> list[FacilityMonth]:
    """Per facility and month the occupancy of the contracts' active occupancy lines that were
    imported for a facility, with the facility's norm and level; by contract, facility, month.

    ``contracts`` must have ``segment`` (and its parents) loaded to avoid extra queries."""
    contracts = list(contracts)
    if not contracts:
        return []
    lines = Occupancy.objects.filter(
        contract__in=[c.pk for c in contracts], active=True, arrangement__isnull=False
    )
    if months is not None:
        lines = lines.filter(month__in=list(months))
    rows = list(
        lines.values_list(
            "contract_id", "arrangement_id", "facility", "month", "places", "occupied_days"
        )
    )
    if not rows:
        return []
    thresholds = dict(
        FundingArrangement.objects.filter(pk__in={r[1] for r in rows}).values_list(
            "pk", "occupancy_threshold_pct"
        )
    )
    norms = contract_norms(contracts)
    result = []
    for contract_id, arrangement_id, facility, month, places, occupied in rows:
        place_days = places * days_in_month(month)
        value = occupancy_pct(occupied, place_days)
        threshold = thresholds.get(arrangement_id)
        norm = facility_norm(threshold, norms.get((contract_id, Kpi.OCCUPANCY)))
        result.append(
            FacilityMonth(
                contract_id=contract_id,
                arrangement_id=arrangement_id,
                facility=facility,
                month=month,
                places=places,
                occupied_days=occupied,
                place_days=place_days,
                value=value,
                threshold=threshold,
                norm=norm,
                level=facility_level(value, norm),
            )
        )
    result.sort(key=lambda r: (r.contract_id, r.facility.casefold(), r.month))
    return result


def _several_facilities(region_id: int, months: list[date]) -> set[tuple[int, date]]:
    """(contract, month) pairs with availability arrangements of more than one facility."""
    names: dict[tuple[int, date], set[str]] = defaultdict(set)
    for contract_id, name, start, until in FundingArrangement.objects.filter(
        contract__region_id=region_id, model=ArrangementModel.AVAILABILITY
    ).values_list("contract_id", "facility", "valid_from", "valid_until"):
        for month in months:
            last = month.replace(day=days_in_month(month))
            if start <= last and (until is None or until >= month):
                names[(contract_id, month)].add(name.casefold())
    return {key for key, found in names.items() if len(found) > 1}


@transaction.atomic
def evaluate_facilities(region_id: int, months: Iterable[date]) -> int:
    """Open, update or close the occupancy signals per facility of ``months`` (contracts with
    more than one facility in the month). Returns the number of signals amber or red."""
    months = sorted({date(m.year, m.month, 1) for m in months})
    if not months:
        return 0
    several = _several_facilities(region_id, months)
    contracts = {
        c.pk: c
        for c in Contract.objects.filter(
            region_id=region_id, pk__in={cid for cid, _m in several}
        ).select_related("provider", "segment__parent__parent__parent")
    }
    figures = [
        f
        for f in facility_months(contracts.values(), months)
        if (f.contract_id, f.month) in several
    ]
    facility_signals = Signal.objects.filter(
        region_id=region_id, source=SignalSource.KPI, key__contains=FACILITY_MARK
    )
    existing = {s.key: s for s in facility_signals.filter(period__in=months)}
    unclosed = defaultdict(list)  # (contract, arrangement) → unclosed signals, oldest first
    for s in facility_signals.filter(status__in=_UNCLOSED, period__lt=months[-1]).order_by(
        "period"
    ):
        arrangement = s.key.split(FACILITY_MARK, 1)[1].split(":", 1)[0]
        unclosed[(s.contract_id, arrangement)].append(s)

    bad_keys: set[str] = set()
    dirty: dict[str, Signal] = {}
    for figure in sorted(figures, key=lambda f: (f.month, f.contract_id, f.arrangement_id)):
        contract = contracts[figure.contract_id]
        key = facility_key(figure.contract_id, figure.arrangement_id, figure.month)
        group = (figure.contract_id, str(figure.arrangement_id))
        if figure.level in _BAD:
            signal = existing.get(key)
            if signal is None:
                signal = Signal(
                    region_id=region_id,
                    provider_id=contract.provider_id,
                    contract_id=contract.pk,
                    source=SignalSource.KPI,
                    topic=Kpi.OCCUPANCY,
                    key=key,
                    period=figure.month,
                )
                existing[key] = signal
            elif not _reopen(signal, figure.level):
                continue  # closed by a person and not worse: stays closed
            signal.level, signal.value, signal.norm = figure.level, figure.value, figure.norm.norm
            set_message(signal, messages.facility_params(contract, figure, figure.level))
            bad_keys.add(key)
            dirty[key] = signal
            unclosed[group].append(signal)
        elif figure.level == Level.GREEN:
            remaining = []
            for old in unclosed.get(group, ()):
                if old.period < figure.month and old.status in _UNCLOSED:
                    apply_transition(old, SignalStatus.CLOSED)
                    bad_keys.discard(old.key)
                    dirty[old.key] = old
                else:
                    remaining.append(old)
            unclosed[group] = remaining
    for signal in existing.values():
        if signal.key not in bad_keys and signal.status in _UNCLOSED:
            apply_transition(signal, SignalStatus.CLOSED)
            dirty[signal.key] = signal
    save_signals(dirty.values())
    return len(bad_keys)
