"""Demo of a contract's municipality scope and of a segment's free and reserved budgets
(Zuid-Holland Zuid), called from ``contracts.demo._load_zhz``.

- Seed 000, segment 6: "We willen starten met een pilot in 1 à 2 gemeenten en dit gaandeweg
  uitbreiden naar de andere gemeenten." A certified institution gets a pilot contract for local
  youth protection that applies to Dordrecht and Zwijndrecht only; the demo production
  (``monitoring.demo.production``) then stays in those two.
- Seed 004 / DOMAIN §6: a free budget for exceptional families and a budget reserved for new
  providers, here for segment 1 in 2026.

All amounts are illustrative.
"""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from core.demo_clock import demo_date, demo_year
from providers.models import Provider
from segments.models import Municipality, Product, Segment

from . import services
from .codes import ArrangementModel, BudgetKind, ReportingFrequency, SegmentBudgetKind
from .models import FundingArrangement, SegmentBudget
from .scope import contract_set_municipality_scope
from .segment_budgets import segment_budget_create

ILLUSTRATIVE = "Illustratief bedrag voor de demo; niet ontleend aan de bronstukken."
PILOT_REFERENCE = "SOJ-2025-PILOT-JB"
PILOT_MUNICIPALITIES = ("GM0505", "GM0642")  # Dordrecht, Zwijndrecht
PILOT_PRODUCTS = ("48A01", "47A01")
PILOT_CEILINGS = {2025: Decimal("120000"), 2026: Decimal("150000")}
SEGMENT_BUDGET_SEGMENT, SEGMENT_BUDGET_YEAR = "1", 2026
SEGMENT_BUDGETS = {
    SegmentBudgetKind.FREE: (
        Decimal("250000"),
        "Vrij budget voor uitzonderlijke gezinnen waarvoor geen profiel of systeem toereikend "
        f"is (onorthodoxe oplossingen). {ILLUSTRATIVE}",
    ),
    SegmentBudgetKind.RESERVED: (
        Decimal("400000"),
        "Gereserveerd voor nieuwe aanbieders die bij de open inschrijving aan het begin van de "
        f"periode worden toegelaten. {ILLUSTRATIVE}",
    ),
}


def _pilot_provider(region, products) -> Provider | None:
    """A certified institution of segment 6 without another contract for the pilot's products
    (so an iJw message of Dordrecht names one contract), else any provider of segment 6."""
    taken = FundingArrangement.objects.filter(
        contract__region=region, products__in=products
    ).values("contract__provider")
    gis = Provider.objects.filter(region=region, name__startswith="Gecertificeerde Instelling")
    return (
        gis.exclude(pk__in=taken).order_by("name").first()
        or Provider.objects.filter(region=region, contracts__segment__code="6")
        .order_by("name")
        .first()
    )


def load_zhz_scope(region) -> None:
    officer = User.objects.filter(username="inkoper").first()
    segment = Segment.objects.filter(region=region, code="6").first()
    products = list(Product.objects.filter(region=region, code__in=PILOT_PRODUCTS))
    pilot = list(Municipality.objects.filter(region=region, cbs_code__in=PILOT_MUNICIPALITIES))
    provider = _pilot_provider(region, products)
    if segment is not None and provider is not None and len(pilot) == 2 and products:
        start = demo_date(2025, 1, 1)
        contract = services.contract_create(
            region=region,
            reference=PILOT_REFERENCE,
            provider=provider,
            segment=segment,
            start_date=start,
            initial_term_years=2,
            extension_options=[1],
            is_strategic_partner=True,
            development_assignments=(
                "Pilot lokale jeugdbescherming en jeugdreclassering: vaste contactpersonen die "
                "lokaal samenwerken met het sociaal team en een aantal vaste "
                "jeugdhulpaanbieders; gaandeweg uitbreiden naar de andere gemeenten."
            ),
            reporting_frequency=ReportingFrequency.QUARTERLY,
            user=officer,
        )
        contract_set_municipality_scope(
            contract=contract,
            municipalities=pilot,
            effective_on=start,
            reason="Pilot in 1 à 2 gemeenten (segment 6, inkoopstrategie).",
            user=officer,
        )
        services.arrangement_create(
            contract=contract,
            model=ArrangementModel.PXQ,
            valid_from=start,
            products=products,
            name="Pilot jeugdbescherming en jeugdreclassering (PxQ)",
            note="Per dag dat een maatregel loopt, tegen de regionale tarieven.",
        )
        for designed, amount in PILOT_CEILINGS.items():
            year = demo_year(designed)
            services.budget_set(
                contract=contract,
                year=year,
                kind=BudgetKind.CEILING,
                amount=amount,
                note=f"Budgetplafond {year} van de pilot. {ILLUSTRATIVE}",
            )
    budget_segment = Segment.objects.filter(region=region, code=SEGMENT_BUDGET_SEGMENT).first()
    if budget_segment is None or SegmentBudget.objects.filter(segment=budget_segment).exists():
        return
    for kind, (amount, note) in SEGMENT_BUDGETS.items():
        segment_budget_create(
            region=region,
            segment=budget_segment,
            year=demo_year(SEGMENT_BUDGET_YEAR),
            kind=kind,
            amount=amount,
            note=note,
            user=officer,
        )
