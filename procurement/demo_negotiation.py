"""Demo: the structured negotiation outcome of one WBO strategic partner (seed 002, chapter 9:
"spreekt vervolgens met de aanbieder af wat de taak is en welk budget per strategisch partner
zal gaan gelden"). On the definitive award (contracts.demo) it becomes the contract's budgets
and development assignments. Figures and agreements are ILLUSTRATIVE."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.demo_clock import demo_date, demo_year, shift
from core.ui.formatting import money

from .models import Tender
from .negotiation import negotiation_outcome_record

#: ILLUSTRATIVE: the region's lumpsum for 2023 over all partners, split in proportion to the
#: care forms each covers, falling 2% a year (the same figures as contracts.demo uses)
WBO_LUMPSUM_TOTAL = Decimal("60000000")
WBO_DECREASE = Decimal("0.98")
WBO_AGREEMENTS = [
    {
        "title": "Zo thuis mogelijk: gezinsgerichte crisisinterventie",
        "description": "Pilot crisisinterventie thuis in Drimmelen en Geertruidenberg, met "
        "als doel minder crisisplaatsingen buiten het gezin (ontwikkelopgave 1).",
        "due_on": date(2025, 12, 31),
    },
    {
        "title": "Ervaringsdeskundigheid als expertise",
        "description": "In elk team een ervaringsdeskundige; verslag bij het "
        "prestatiegesprek (ontwikkelopgave 4).",
        "due_on": date(2026, 6, 30),
    },
]


def wbo_negotiation_outcome(tender: Tender, officer) -> dict[str, int]:
    """The first-ranked preselected partner's outcome: its task, the lumpsum for 2023 and
    2024, and two agreements."""
    preselected = list(tender.submissions.filter(preselected=True).order_by("rank"))
    if not preselected:
        return {}
    counts = {s.pk: s.care_forms.count() for s in preselected}
    partner = preselected[0]
    share = WBO_LUMPSUM_TOTAL * counts[partner.pk] / sum(counts.values())
    first = (share / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000
    negotiation_outcome_record(
        submission=partner,
        task=(
            f"Integrale jeugdhulp voor de jeugdigen die de regio toewijst, in de "
            f"{counts[partner.pk]} jeugdhulpvormen die het verband levert, met "
            "acceptatieplicht; de keten sluit met de andere partners voor de overige vormen. "
            "Het budget is taakgericht (lumpsum) en valt jaarlijks 2% (illustratief)."
        ),
        budgets=[
            {"year": demo_year(2023), "kind": "lumpsum", "amount": first},
            {"year": demo_year(2024), "kind": "lumpsum", "amount": money(first * WBO_DECREASE)},
        ],
        assignments=[{**a, "due_on": shift(a["due_on"])} for a in WBO_AGREEMENTS],
        user=officer,
        today=demo_date(2022, 9, 15),
    )
    return {"onderhandelingsresultaten": 1}
