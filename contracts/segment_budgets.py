"""A segment's free budget and the budget reserved for new providers, per year (seed 004:
"een vrij budget ... om uitzonderlijke gezinnen op te kunnen vangen"; "meer budget reserveren
voor nieuwe aanbieders"; DOMAIN §6), and the budget overview per segment that shows them next
to the contracted budgets:

    segment budget = contracted (the contracts' budgets of the year) + free + reserved

A contract's budget of a year is, as in monitoring's spend against budget, the current amount
(after revisions) of its budgets without a support profile, or, when it has none, the sum of its
ceilings per profile. Services are audited (django-auditlog) and refuse with a specific message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.ui.formatting import euro
from segments.models import Segment

from .codes import SegmentBudgetKind
from .models import Budget, SegmentBudget

ZERO = Decimal("0.00")


def _check_amount(amount) -> None:
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Een budget kan niet negatief zijn.")})


@transaction.atomic
def segment_budget_create(
    *, region, segment: Segment, year: int, kind: str, amount: Decimal, note: str = "", user=None
) -> SegmentBudget:
    errors = {}
    if segment.region_id != region.pk:
        errors["segment"] = _("Segment %(segment)s hoort niet bij %(region)s.") % {
            "segment": segment,
            "region": region.name,
        }
    if kind not in SegmentBudgetKind.values:
        errors["kind"] = _("Kies vrij budget of gereserveerd voor nieuwe aanbieders.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Kies een jaar van 2000 tot en met 2100.")
    if amount is None or amount < 0:
        errors["amount"] = _("Een budget kan niet negatief zijn.")
    if errors:
        raise ValidationError(errors)
    existing = SegmentBudget.objects.filter(segment=segment, year=year, kind=kind).first()
    if existing is not None:
        raise ValidationError(
            {
                "kind": _(
                    "%(kind)s van segment %(segment)s voor %(year)s bestaat al (%(amount)s); "
                    "wijzig dat bedrag in plaats van een tweede vast te leggen."
                )
                % {
                    "kind": SegmentBudgetKind(kind).label,
                    "segment": segment,
                    "year": year,
                    "amount": euro(existing.amount),
                }
            }
        )
    return SegmentBudget.objects.create(
        region=region,
        segment=segment,
        year=year,
        kind=kind,
        amount=amount,
        note=note.strip(),
        created_by=user,
    )


@transaction.atomic
def segment_budget_update(
    *, budget: SegmentBudget, amount: Decimal, note: str = "", user=None
) -> SegmentBudget:
    _check_amount(amount)
    budget = SegmentBudget.objects.select_for_update().get(pk=budget.pk)
    budget.amount = amount
    budget.note = note.strip()
    budget.save(update_fields=["amount", "note"])
    return budget


@transaction.atomic
def segment_budget_delete(*, budget: SegmentBudget, user=None) -> None:
    budget.delete()


# ---------------------------------------------------------------- the overview


@dataclass
class SegmentRow:
    segment: Segment
    contracted: Decimal = ZERO
    contracts: int = 0  # contracts with a budget this year
    budgets: dict = field(default_factory=dict)  # {kind: SegmentBudget}

    @property
    def free(self) -> SegmentBudget | None:
        return self.budgets.get(SegmentBudgetKind.FREE)

    @property
    def reserved(self) -> SegmentBudget | None:
        return self.budgets.get(SegmentBudgetKind.RESERVED)

    @property
    def total(self) -> Decimal:
        return self.contracted + sum((b.amount for b in self.budgets.values()), ZERO)


def contract_budget_of_year(budgets: list[Budget]) -> Decimal | None:
    """A contract's budget of a year: its budgets without a profile, else its profile
    ceilings (current amounts); ``None`` without any."""
    whole = [b for b in budgets if b.support_profile_id is None]
    chosen = whole or budgets
    if not chosen:
        return None
    return sum((b.current_amount for b in chosen), ZERO)


def segment_budget_overview(region, year: int, user) -> dict:
    """Per segment with a contract budget or a free or reserved budget in ``year``: the
    contracted budget, the free and reserved budgets and their total; and the region's totals.
    Four queries (budgets, their revisions, segment budgets, segments)."""
    by_contract: dict[tuple[int, int], list[Budget]] = defaultdict(list)
    for budget in (
        Budget.objects.visible_to(user)
        .filter(contract__region=region, year=year)
        .select_related("contract")
        .prefetch_related("revisions")
        .order_by("pk")
    ):
        by_contract[(budget.contract.segment_id, budget.contract_id)].append(budget)
    rows: dict[int, SegmentRow] = {}
    segments = {}
    wanted = {segment_id for segment_id, _c in by_contract}
    own = list(
        SegmentBudget.objects.visible_to(user)
        .filter(region=region, year=year)
        .select_related("segment")
    )
    wanted |= {b.segment_id for b in own}
    if wanted:
        segments = {
            s.pk: s
            for s in Segment.objects.visible_to(user)
            .filter(region=region, pk__in=wanted)
            .select_related("region")
        }
    for (segment_id, _contract), budgets in by_contract.items():
        if segment_id not in segments:
            continue
        row = rows.setdefault(segment_id, SegmentRow(segments[segment_id]))
        amount = contract_budget_of_year(budgets)
        if amount is not None:
            row.contracted += amount
            row.contracts += 1
    for budget in own:
        if budget.segment_id in segments:
            row = rows.setdefault(budget.segment_id, SegmentRow(segments[budget.segment_id]))
            row.budgets[budget.kind] = budget
    ordered = sorted(rows.values(), key=lambda r: (r.segment.code, r.segment.pk))
    return {
        "rows": ordered,
        "contracted": sum((r.contracted for r in ordered), ZERO),
        "free": sum((r.free.amount for r in ordered if r.free), ZERO),
        "reserved": sum((r.reserved.amount for r in ordered if r.reserved), ZERO),
        "total": sum((r.total for r in ordered), ZERO),
    }
