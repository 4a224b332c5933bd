"""Read queries of a region's public pages. Every queryset is read with ``Scope.public(region)``
(core.scoping): what each model's ``scope_public_q`` allows, never drafts, submissions, scores,
sealed rows or a provider's own documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from api.ocds import AWARD_PUBLIC_STATES, contract_value
from contracts.codes import ContractStatus
from contracts.models import Contract
from core.scoping import Scope
from procurement.admission import moment_window, next_moment
from procurement.codes import ADMISSION_TYPES, TERMINAL_STATES, AdmissionMode, ProcedureType
from procurement.models import AdmissionWindow, Lot, Tender, TenderDocument
from segments.codes import ParticipationLevel
from segments.models import Participation, Region, Segment

RUNNING = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)


def public_regions():
    """The regions whose administrator turned the public pages on. The opt-in itself is the
    public notion of a region (``Region.scope_public_q`` reads the same flag)."""
    return Region.objects.filter(public_page_enabled=True).order_by("name")


def public_region(slug: str) -> Region | None:
    return public_regions().filter(slug=slug).first()


# --- the care landscape --------------------------------------------------------------------------


@dataclass
class Offer:
    provider: str
    city: str
    contract: str
    care_forms: list[str]
    municipalities: list[str]


@dataclass
class SegmentRow:
    segment: Segment
    care_forms: list[str]
    offers: list[Offer] = field(default_factory=list)


def landscape(scope: Scope, region: Region, today: date) -> list[SegmentRow]:
    """Per segment its care forms and the providers with a running contract in it: the care
    forms they offer there and the municipalities they serve (those that take part in the
    segment). Six queries."""
    segments = list(
        Segment.objects.visible_to(scope)
        .filter(region=region)
        .select_related("parent")
        .prefetch_related("care_forms")
        .order_by("code")
    )
    contracts = (
        Contract.objects.visible_to(scope)
        .filter(region=region)
        .select_related("provider")
        .prefetch_related("provider__care_forms", "provider__municipalities_served")
        .order_by("provider__name", "reference")
    )
    not_taking_part = set(
        Participation.objects.visible_to(scope)
        .filter(segment__region=region, level=ParticipationLevel.NONE)
        .values_list("segment_id", "municipality_id")
    )
    rows = {s.pk: SegmentRow(s, [c.name for c in s.care_forms.all()]) for s in segments}
    segment_forms = {s.pk: {c.pk for c in s.care_forms.all()} for s in segments}
    for contract in contracts:
        if contract.status_on(today) not in RUNNING or contract.segment_id not in rows:
            continue
        provider = contract.provider
        wanted = segment_forms[contract.segment_id]  # none named: every form of the provider
        forms = [c.name for c in provider.care_forms.all() if not wanted or c.pk in wanted]
        municipalities = [
            m.name
            for m in provider.municipalities_served.all()
            if (contract.segment_id, m.pk) not in not_taking_part
        ]
        rows[contract.segment_id].offers.append(
            Offer(provider.name, provider.city, contract.reference, forms, municipalities)
        )
    return list(rows.values())


# --- open procedures -----------------------------------------------------------------------------


@dataclass
class Procedure:
    tender: Tender
    documents: list[TenderDocument]
    lots: list[Lot]
    open_window: AdmissionWindow | None = None
    moment: tuple[date, date] | None = None
    next_moment: date | None = None

    @property
    def is_admission(self) -> bool:
        return self.tender.procedure_type in ADMISSION_TYPES


def open_procedures(scope: Scope, region: Region, today: date) -> list[Procedure]:
    """The published procedures that have not ended, with their lots, their documents and, for
    an admission procedure, the window or admission moment open today and the next moment.
    Four queries."""
    tenders = (
        Tender.objects.visible_to(scope)
        .filter(region=region)
        .exclude(state__in=TERMINAL_STATES)
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=TenderDocument.objects.visible_to(scope).order_by("title"),
                to_attr="public_documents",
            ),
            Prefetch(
                "lots",
                queryset=Lot.objects.visible_to(scope).select_related("segment"),
                to_attr="public_lots",
            ),
            Prefetch(
                "windows",
                queryset=AdmissionWindow.objects.visible_to(scope).filter(closed_on__isnull=True),
                to_attr="open_windows",
            ),
        )
        .order_by("title")
    )
    result = []
    for tender in tenders:
        item = Procedure(tender, tender.public_documents, tender.public_lots)
        if tender.procedure_type == ProcedureType.CONDITIONAL_ADMISSION:
            item.open_window = next((w for w in tender.open_windows if w.opened_on <= today), None)
        elif tender.procedure_type in ADMISSION_TYPES and (
            tender.admission_mode == AdmissionMode.MOMENTS
        ):
            months = tender.admission_months or []
            item.moment = moment_window(months, tender.admission_window_days, today)
            item.next_moment = next_moment(months, today)
        result.append(item)
    return result


def public_document(scope: Scope, region: Region, pk: int) -> TenderDocument | None:
    return (
        TenderDocument.objects.visible_to(scope)
        .filter(tender__region=region, pk=pk)
        .select_related("tender")
        .first()
    )


# --- awarded contracts ---------------------------------------------------------------------------


@dataclass
class AwardedContract:
    contract: Contract
    status: str
    value: object


def awarded_contracts(scope: Scope, region: Region, today: date) -> list[AwardedContract]:
    """The region's contracts as the OCDS package publishes them (never one of a procedure in
    draft, and one of a scored procedure only once its award is definitive), with the value
    the OCDS package gives (the current budgets and ceilings). Three queries."""
    contracts = (
        Contract.objects.visible_to(scope)
        .filter(region=region)
        .select_related("provider", "segment", "lot__tender", "submission__tender")
        .prefetch_related("budgets__revisions")
        .order_by("provider__name", "reference")
    )
    result = []
    for contract in contracts:
        tender = (contract.lot.tender if contract.lot_id else None) or (
            contract.submission.tender if contract.submission_id else None
        )
        if (
            tender is not None
            and tender.procedure_type not in ADMISSION_TYPES
            and tender.state not in AWARD_PUBLIC_STATES
        ):
            continue  # the award is not final (and not in the OCDS package's awards) yet
        status = contract.status_on(today)
        result.append(
            AwardedContract(
                contract, ContractStatus(status).label, contract_value(list(contract.budgets.all()))
            )
        )
    return result
