"""Builders for procurement tests: a tender ready to publish, and a walk through its phases."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from procurement import services
from procurement.codes import ProcedureType, RequirementKind
from procurement.models import Lot, Requirement, Tender

_counter = iter(range(1, 10_000))


def tender(world, procedure_type=ProcedureType.SAS, *, weights=(60, 40), deadline_days=10, **kw):
    """A draft tender in ``world``'s region with one lot (the world's segment), two
    requirements and award criteria with ``weights``."""
    t = Tender.objects.create(
        region=world.region,
        reference=f"T-{next(_counter)}",
        title=kw.pop("title", "Specialistische jeugdhulp"),
        procedure_type=procedure_type,
        submission_deadline=timezone.now() + timedelta(days=deadline_days),
        **kw,
    )
    world.segment.care_forms.add(world.care_form)
    Lot.objects.create(tender=t, number=1, segment=world.segment)
    Requirement.objects.create(tender=t, kind=RequirementKind.SUITABILITY, text="Ervaring", order=1)
    Requirement.objects.create(
        tender=t, kind=RequirementKind.EXCLUSION, text="Geen fraude", order=2
    )
    if weights:
        services.replace_criteria(
            t,
            [{"name": f"Criterium {i}", "weight": Decimal(w)} for i, w in enumerate(weights, 1)],
        )
    return t


def after_deadline(t, days=1):
    return t.submission_deadline + timedelta(days=days)


def pass_all(sub):
    return services.record_checks(
        sub, {c.requirement_id: (True, "Aangetoond") for c in sub.checks.all()}
    )


def consensus(sub, *values):
    crits = list(sub.tender.criteria.all())
    return services.record_consensus(
        sub, {c.pk: (Decimal(v), "Onderbouwd") for c, v in zip(crits, values, strict=True)}
    )
