"""Norms and traffic lights.

A KPI's norm comes from the contract's KPI agreement where there is one, otherwise from the
segment's norm (``KpiNorm``; the nearest segment up the tree that has one). A figure is judged
against the thresholds, which count from the moment they are reached:

- lower is better (wait time 28 / 42 / 56): red at ≥ 56, amber at ≥ 42, else green;
- higher is better (occupancy 85 / 65 / 50): red at ≤ 50, amber at ≤ 65, else green.

The norm itself is the target shown next to the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from contracts.codes import Direction
from contracts.models import KpiAgreement
from monitoring.steering.models import KpiNorm, Level


@dataclass(frozen=True)
class Norm:
    kpi: str
    direction: str
    norm: Decimal
    amber: Decimal
    red: Decimal
    source: str  # "contract" or "segment"

    @classmethod
    def of(cls, row, source: str) -> Norm:
        return cls(row.kpi, row.direction, row.norm, row.amber_threshold, row.red_threshold, source)


def judge(value: Decimal | None, norm: Norm | None) -> str | None:
    """The traffic light of a figure; ``None`` without a figure or a norm."""
    if value is None or norm is None:
        return None
    if norm.direction == Direction.LOWER_IS_BETTER:
        if value >= norm.red:
            return Level.RED
        if value >= norm.amber:
            return Level.AMBER
        return Level.GREEN
    if value <= norm.red:
        return Level.RED
    if value <= norm.amber:
        return Level.AMBER
    return Level.GREEN


def segment_norms(segments) -> dict[tuple[int, str], Norm]:
    """{(segment_id, kpi): Norm} for the given segments, inherited from the nearest ancestor."""
    segments = list(segments)
    chains = {}
    wanted = set()
    for s in segments:
        chain, node = [], s
        while node is not None:
            chain.append(node.pk)
            node = node.parent
        chains[s.pk] = chain
        wanted.update(chain)
    own = {}
    for row in KpiNorm.objects.filter(segment__in=wanted):
        own[(row.segment_id, row.kpi)] = Norm.of(row, "segment")
    result = {}
    for sid, chain in chains.items():
        for kpi in {k for (_, k) in own}:
            for ancestor in chain:
                if (ancestor, kpi) in own:
                    result[(sid, kpi)] = own[(ancestor, kpi)]
                    break
    return result


def contract_norms(contracts) -> dict[tuple[int, str], Norm]:
    """{(contract_id, kpi): Norm}: the contract's KPI agreement, else its segment's norm.

    ``contracts`` must have ``segment`` (and its parents) loaded to avoid extra queries."""
    contracts = list(contracts)
    result = {}
    by_segment = segment_norms({c.segment_id: c.segment for c in contracts}.values())
    for c in contracts:
        for (sid, kpi), norm in by_segment.items():
            if sid == c.segment_id:
                result[(c.pk, kpi)] = norm
    for row in KpiAgreement.objects.filter(contract__in=[c.pk for c in contracts]):
        result[(row.contract_id, row.kpi)] = Norm.of(row, "contract")
    return result


def threshold_order_error(direction, norm, amber, red):
    """The same rule and message as a contract's KPI agreement (``KpiAgreement.clean``)."""
    if None in (norm, amber, red):
        return None
    if direction == Direction.HIGHER_IS_BETTER:
        if not norm >= amber >= red:
            return gettext_lazy("Bij 'hoger is beter' geldt: norm ≥ drempel oranje ≥ drempel rood.")
    elif not norm <= amber <= red:
        return gettext_lazy("Bij 'lager is beter' geldt: norm ≤ drempel oranje ≤ drempel rood.")
    return None
