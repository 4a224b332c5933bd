"""A municipality's part of the region's budget when some contracts apply to some
municipalities only (a contract's municipality scope, ``contracts.scope``).

The budget of a contract for every municipality is split over all of them by the verdeelsleutel
(share %); the budget of a scoped contract only over its own municipalities, in proportion to
their shares among themselves (equal parts when none of them has a share above 0). A
municipality outside a contract's scope gets nothing of it. Exact ``Decimal``; the caller
rounds to cents once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from contracts.models import Contract

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass
class MunicipalBudget:
    #: the budgets of the contracts for every municipality (the base of the share)
    general: Decimal = ZERO
    #: the municipality's part of the scoped contracts it belongs to
    scoped_part: Decimal = ZERO
    #: [(contract, its budget, the municipality's part)] of the scoped contracts it belongs to
    scoped_in: list = field(default_factory=list)
    #: [(contract, its budget)] of the scoped contracts it does not belong to
    scoped_out: list = field(default_factory=list)

    def amount(self, share: Decimal) -> Decimal:
        return self.general * share / HUNDRED + self.scoped_part


def municipal_budget(contract_budgets, municipality_id: int, shares) -> MunicipalBudget:
    """``contract_budgets``: [(contract, budget or None)] of the region's contracts in the year;
    ``shares``: {municipality id: percentage} of the year, or a function giving it (called
    only when a contract has a scope)."""
    with_budget = [(c, b) for c, b in contract_budgets if b is not None]
    scopes: dict[int, set[int]] = {}
    for contract_id, mid in Contract.municipalities.through.objects.filter(
        contract__in=[c.pk for c, _b in with_budget]
    ).values_list("contract_id", "municipality_id"):
        scopes.setdefault(contract_id, set()).add(mid)
    result = MunicipalBudget()
    if scopes and callable(shares):
        shares = shares()
    for contract, budget in with_budget:
        scope = scopes.get(contract.pk)
        if scope is None:
            result.general += budget
            continue
        if municipality_id not in scope:
            result.scoped_out.append((contract, budget))
            continue
        weights = {m: Decimal(shares.get(m) or 0) for m in scope}
        total = sum(weights.values(), ZERO)
        part = budget * weights[municipality_id] / total if total > 0 else budget / len(scope)
        result.scoped_part += part
        result.scoped_in.append((contract, budget, part))
    return result
