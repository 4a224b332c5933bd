"""Contract services. ``contracts_from_award`` listens to procurement's ``award_made``."""

from django.utils import timezone

from procurement.codes import MilestoneKind, ProcedureType

from .models import Contract

DEFAULT_TERM_YEARS = 1
STRATEGIC_TYPES = {ProcedureType.SAS, ProcedureType.PARTNERSHIP}


def contracts_from_award(sender, *, tender, submissions, **kwargs) -> list[Contract]:
    """One contract per awarded or admitted submission; repeating an award adds nothing."""
    strategy = tender.strategy
    planned_start = (
        tender.milestones.filter(kind=MilestoneKind.CONTRACT_START)
        .values_list("planned_on", flat=True)
        .first()
    )
    start = tender.contract_start or planned_start or timezone.localdate()
    created = []
    for sub in submissions:
        contract, _new = Contract.objects.get_or_create(
            submission=sub,
            defaults={
                "region": tender.region,
                "reference": f"{tender.reference}-{sub.number:03d}",
                "provider": sub.provider,
                "segment": sub.lot.segment,
                "lot": sub.lot,
                # An admission starts the day it is granted; an award on the planned start.
                "start_date": max(start, sub.outcome_on or start),
                "initial_term_years": strategy.contract_term_years
                if strategy
                else DEFAULT_TERM_YEARS,
                "extension_options": list(strategy.extension_options) if strategy else [],
                "is_strategic_partner": tender.procedure_type in STRATEGIC_TYPES,
                "development_assignments": strategy.development_assignments if strategy else "",
            },
        )
        created.append(contract)
    return created
