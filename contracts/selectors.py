"""Read queries for contract pages, settlement and the procurement effect."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.ui.formatting import add_months
from segments.codes import ParallelRule

from .codes import ArrangementModel, EventKind
from .models import Contract, TariffVersion
from .production import production_for
from .settlement import (
    ArrangementTerms,
    BudgetTerms,
    ContractTerms,
    Effect,
    Period,
    ProductTerms,
    Settlement,
    SettlementError,
    as_pxq,
    procurement_effect,
    settle_year_to_date,
    with_tariff_change,
    with_tariffs_on,
)
from .tariffs import Validity
from .terms import EventFact, derive


def expiring(queryset: QuerySet, months: int, today: date | None = None) -> QuerySet:
    """Contracts whose current term or last option ends between today and ``months`` ahead."""
    today = today or timezone.localdate()
    horizon = add_months(today, months)
    # An option can only be exercised while the contract runs: ended ones are not "expiring".
    return queryset.filter(terminated_on__isnull=True, end_date__gte=today).filter(
        Q(end_date__lte=horizon) | Q(final_end_date__lte=horizon)
    )


def with_status(queryset: QuerySet, status: str, today: date | None = None) -> QuerySet:
    """Filter on the status that follows from the dates (see ``terms.status_on``)."""
    today = today or timezone.localdate()
    if status == "planned":
        return queryset.filter(start_date__gt=today)
    if status == "terminated":
        return queryset.filter(terminated_on__lt=today)
    if status == "ended":
        return queryset.filter(end_date__lt=today).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=today)
        )
    running = queryset.filter(start_date__lte=today, end_date__gte=today)
    if status == "extended":
        return running.filter(extensions_used__gt=0)
    if status == "active":
        return running.filter(extensions_used=0)
    return queryset


def contract_page(contract: Contract) -> dict:
    """Everything the contract page shows, in a handful of queries."""
    versions = (
        TariffVersion.objects.filter(
            Q(contract=contract)
            | Q(contract__isnull=True, product__arrangements__contract=contract)
        )
        .select_related("product", "indexation", "created_by")
        .distinct()
        .order_by("product__code", "contract_id", "valid_from")
    )
    by_product = defaultdict(list)
    for version in versions:
        by_product[version.product].append(version)
    budgets = contract.budgets.select_related("support_profile").prefetch_related("revisions")
    return {
        "events": contract.events.select_related("recorded_by"),
        "kpis": contract.kpi_agreements.all(),
        "arrangements": contract.arrangements.prefetch_related("products"),
        "budgets": budgets,
        "tariffs": sorted(by_product.items(), key=lambda item: item[0].code),
        "indexations": contract.tariff_indexations.all(),
    }


def _validities(versions) -> tuple[Validity, ...]:
    return tuple(Validity(v.valid_from, v.valid_until, v.amount) for v in versions)


def contract_terms(contract: Contract, on: date | None = None) -> ContractTerms:
    """The settlement engine's view of a contract; budgets as revised by ``on``."""
    arrangements = list(contract.arrangements.prefetch_related("products"))
    product_ids = {p.pk for a in arrangements for p in a.products.all()}
    product_ids |= set(contract.tariff_versions.values_list("product_id", flat=True))
    versions = (
        TariffVersion.objects.filter(product__in=product_ids)
        .filter(Q(contract=contract) | Q(contract__isnull=True))
        .select_related("product", "product__support_profile")
        .order_by("valid_from")
    )
    own, regional, products = defaultdict(list), defaultdict(list), {}
    for v in versions:
        (own if v.contract_id else regional)[v.product_id].append(v)
    from segments.models import Product

    for product in Product.objects.filter(pk__in=product_ids).select_related(
        "support_profile", "intensity"
    ):
        intensity = product.intensity
        products[product.code] = ProductTerms(
            code=product.code,
            name=product.name,
            unit=product.unit,
            profile=product.support_profile.number if product.support_profile_id else None,
            intensity=intensity.name if intensity else "",
            parallel=intensity.parallel if intensity else ParallelRule.EXCLUSIVE,
            parallel_max_days=intensity.parallel_max_days if intensity else None,
            contract_tariffs=_validities(own[product.pk]),
            regional_tariffs=_validities(regional[product.pk]),
        )
    day = on or timezone.localdate()
    budgets = tuple(
        BudgetTerms(
            year=b.year,
            kind=b.kind,
            amount=b.amount_on(max(day, date(b.year, 1, 1))),
            profile=b.support_profile.number if b.support_profile_id else None,
        )
        for b in contract.budgets.select_related("support_profile").prefetch_related("revisions")
    )
    return ContractTerms(
        id=contract.pk,
        reference=contract.reference,
        provider=contract.provider.name,
        segment=str(contract.segment),
        start=contract.start_date,
        end=contract.end_date or contract.start_date,
        arrangements=tuple(
            ArrangementTerms(
                id=a.pk,
                model=a.model,
                name=a.name,
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                product_codes=frozenset(p.code for p in a.products.all()),
                output_payment=a.output_payment,
                places=a.places,
                place_fee=a.place_fee,
                occupancy_threshold_pct=a.occupancy_threshold_pct,
                facility=a.facility,
            )
            for a in arrangements
        ),
        products=products,
        budgets=budgets,
        planned_end=_planned_end(contract),
    )


def _planned_end(contract: Contract) -> date | None:
    """The end the contract would have without its termination (None: not terminated)."""
    if contract.terminated_on is None:
        return None
    state = derive(
        start=contract.start_date,
        initial_years=contract.initial_term_years,
        options=contract.extension_options,
        events=[
            EventFact(e.kind, e.effective_on, e.years)
            for e in contract.events.exclude(kind=EventKind.TERMINATION)
        ],
    )
    return state.end_date


def settlement_for(contract: Contract, period: Period) -> Settlement:
    """What is due under ``contract`` for ``period``, with ceilings counted from January.
    Raises ``SettlementError`` for production that cannot be settled."""
    terms = contract_terms(contract, on=period.end)
    production = production_for([contract.pk], date(period.start.year, 1, 1), period.end)
    return settle_year_to_date(terms, production[contract.pk], period)


SCENARIOS: dict[str, Callable] = {
    "tariffs_on": with_tariffs_on,
    "tariff_change": with_tariff_change,
    "pxq": lambda terms, _arg=None: as_pxq(terms),
}


def effect_for(
    contracts: Iterable[Contract], period: Period, scenario: str, argument=None
) -> tuple[list[Effect], list[str]]:
    """The procurement effect of ``scenario`` on the contracts' production in ``period``.

    A contract whose production cannot be settled is left out; the second list says which and
    why ("<reference>: <problem>")."""
    contracts = list(
        Contract.objects.filter(pk__in=[c.pk for c in contracts])
        .select_related("provider", "segment")
        .order_by("reference")
    )
    production = production_for([c.pk for c in contracts], period.start, period.end)
    transform = SCENARIOS[scenario]
    effects, errors = [], []
    for contract in contracts:
        pair = (contract_terms(contract, on=period.end), production[contract.pk])
        try:
            effects += procurement_effect([pair], period, lambda t: transform(t, argument))
        except SettlementError as error:
            errors += [f"{contract.reference}: {problem}" for problem in error.errors]
    return effects, errors


def arrangement_models(contract: Contract) -> list[str]:
    return sorted({a.model for a in contract.arrangements.all()})


def funding_label(models: list[str]) -> str:
    if not models:
        return ""
    if len(models) > 1:
        from procurement.codes import FundingModel

        return str(FundingModel.HYBRID.label)
    return str(ArrangementModel(models[0]).label)


EXPIRING_MONTHS = 12


def contract_summary(*, user, region) -> dict:
    """The contracts panel of the region overview: what runs, and what ends soon."""
    today = timezone.localdate()
    contracts = Contract.objects.visible_to(user).filter(region=region)
    soon = expiring(contracts, EXPIRING_MONTHS, today).select_related("provider", "segment")
    return {
        "region": region,
        "running": with_status(contracts, "active", today).count()
        + with_status(contracts, "extended", today).count(),
        "total": contracts.count(),
        "months": EXPIRING_MONTHS,
        "expiring_count": soon.count(),
        "expiring": soon.order_by("end_date", "reference")[:5],
    }
