"""Demo: an Amsterdam family with a consented stacked profile (seed 004, §3.3 'Stapeling').

On contract ``AMS_CONSENT`` one family gets two ordinary profiles that overlap: Perspectief of
profile 2 from 19 January 2026 and, after a clinical treatment, an intensive extramural phase
(Intensief, profile 5) from 2 February 2026. The family's case director agreed to it; the
consent is recorded with ``contracts.consent.profile_consent_record``, so the contract's
settlement shows the stacking as a note ("met instemming regisseur d.d. …") and pays both.

The two trajectories and their allocations are added as an import adds lines (production is
not audited), then the KPI months they touch are refreshed as after an import
(``refresh_for_import``). The family is a fixed 64-hex pseudonym, not derived from anything.
Repeatable: skipped when the lines are there. ILLUSTRATIVE.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction

from contracts.codes import ConsentKind
from contracts.consent import profile_consent_record
from contracts.models import Contract
from core.demo_clock import shift
from monitoring.imports.models import Allocation, DatasetKind, EndReason, Trajectory
from monitoring.kpis.rollups import refresh_for_import
from segments.models import Product, Region

AMS_CONSENT = "AMS-2024-B-002"  # one family with a consented stacked profile
FAMILY = hashlib.sha256(b"jeugdinkoop-demo-gezin-met-instemming").hexdigest()
CASE_DIRECTOR = "R. Bakker, regisseur Ouder- en Kindteam Amsterdam-Noord"
CONSENT_GIVEN_ON = date(2026, 1, 28)
# product, start, end of the trajectory (None: still open), planned end of the allocation
LINES = (
    ("P02-PER", date(2026, 1, 19), date(2026, 6, 30), date(2026, 6, 30)),
    ("P05-INT", date(2026, 2, 2), None, date(2026, 11, 30)),
)
REFERENCE = "DEMO-INST-{kind}{n}"


@transaction.atomic
def load_consented_stacking(region: Region) -> dict[str, int]:
    if region.slug != "ams":
        return {}
    contract = Contract.objects.filter(region=region, reference=AMS_CONSENT).first()
    if (
        contract is None
        or Trajectory.objects.filter(
            contract=contract, reference=REFERENCE.format(kind="T", n=1)
        ).exists()
    ):
        return {}
    municipality_id = (
        Trajectory.objects.filter(contract=contract)
        .order_by("started_on", "pk")
        .values_list("municipality", flat=True)
        .first()
    )
    if municipality_id is None:
        return {}
    products = {
        p.code: p for p in Product.objects.filter(region=region, code__in=[c for c, *_ in LINES])
    }
    trajectories, allocations = [], []
    lines = [
        (code, shift(start), end and shift(end), shift(planned_end))
        for code, start, end, planned_end in LINES
    ]
    for n, (code, start, end, planned_end) in enumerate(lines, start=1):
        common = {
            "region_id": region.pk,
            "contract_id": contract.pk,
            "municipality_id": municipality_id,
            "product_id": products[code].pk,
            "client_key": FAMILY,
        }
        trajectories.append(
            Trajectory(
                reference=REFERENCE.format(kind="T", n=n),
                started_on=start,
                ended_on=end,
                end_reason=EndReason.AS_PLANNED if end else "",
                **common,
            )
        )
        allocations.append(
            Allocation(
                reference=REFERENCE.format(kind="A", n=n), start=start, end=planned_end, **common
            )
        )
    Trajectory.objects.bulk_create(trajectories)
    Allocation.objects.bulk_create(allocations)
    refresh_for_import(
        region.pk, DatasetKind.TRAJECTORIES, [(t.started_on, t.ended_on) for t in trajectories]
    )
    overlap_from, overlap_until = lines[1][1], lines[0][3]
    profile_consent_record(
        contract=contract,
        region=region,
        family=FAMILY[:12],
        kind=ConsentKind.STACKING,
        products=[products[code] for code, *_ in LINES],
        given_on=shift(CONSENT_GIVEN_ON),
        case_director=CASE_DIRECTOR,
        reason=(
            "Na een klinische GGZ-behandeling start een intensieve extramurale behandelfase "
            "naast het lopende perspectieftraject. Uitzondering op één profiel per gezin, "
            "afgestemd met de regisseur en vastgelegd in het perspectiefplan (inkoopstrategie "
            "§3.3). Illustratief."
        ),
        valid_from=overlap_from,
        valid_until=overlap_until,
    )
    return {"trajecten met instemming regisseur": len(trajectories), "instemmingen regisseur": 1}
