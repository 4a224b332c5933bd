"""Read queries for contract pages, settlement and the procurement effect."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.ui.formatting import add_months
from segments.codes import ParallelRule

from .codes import ArrangementModel, BudgetKind, EventKind
from .consent import consent_facts
from .models import Contract, EffectScenario, TariffVersion
from .production import production_for
from .scenarios import Alternative, ScenarioEffect, price_alternative
from .settlement import (
    ArrangementTerms,
    BudgetTerms,
    ContractTerms,
    Effect,
    Period,
    ProductTerms,
    SettlementError,
    as_pxq,
    procurement_effect,
    settle,
    settle_year_to_date,
    with_tariff_change,
    with_tariffs_on,
)
from .tariffs import Validity
from .terms import EventFact, derive, reversal_refusal


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
        "events": contract.events.select_related("recorded_by", "reverses", "reversed_by"),
        "kpis": contract.kpi_agreements.all(),
        "arrangements": contract.arrangements.prefetch_related("products"),
        "budgets": budgets,
        "tariffs": sorted(by_product.items(), key=lambda item: item[0].code),
        "indexations": contract.tariff_indexations.all(),
    }


def tariff_history(by_product, today) -> list[dict]:
    """Per product its versions, oldest first, marking the one that applies today (a contract's
    own tariff goes before the regional one)."""
    rows = []
    for product, versions in by_product:
        own = any(v.contract_id for v in versions)
        lines = []
        for v in versions:
            running = v.valid_from <= today and (v.valid_until is None or v.valid_until >= today)
            lines.append({"version": v, "in_force": running and (bool(v.contract_id) or not own)})
        rows.append({"product": product, "has_own": own, "lines": lines})
    return rows


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
            for e in contract.events.exclude(
                kind__in=[EventKind.TERMINATION, EventKind.REVERSAL]
            ).filter(reversed_by__isnull=True)
        ],
    )
    return state.end_date


def _settlement_inputs(contract: Contract, period: Period):
    """The terms and the production (January through ``period``) a settlement reads."""
    terms = contract_terms(contract, on=period.end)
    production = production_for([contract.pk], date(period.start.year, 1, 1), period.end)
    # the case director's consents for stacked profiles and switches: facts next to production
    return terms, replace(production[contract.pk], consents=consent_facts(contract))


def settlement_for(contract: Contract, period: Period, *, months: bool = False):
    """What is due under ``contract`` for ``period``, with ceilings counted from January.
    Raises ``SettlementError`` for production that cannot be settled. With ``months``:
    ``(settlement, settlement_by_month(...))`` from the same reads of terms and production."""
    terms, production = _settlement_inputs(contract, period)
    settlement = settle_year_to_date(terms, production, period)
    if months:
        return settlement, settlement_by_month(contract, period, inputs=(terms, production))
    return settlement


def settlement_by_month(contract: Contract, period: Period, *, inputs=None) -> dict:
    """The payable amount of each month from January through ``period``'s last month (each
    month's ceilings counted from January, like the settlement itself) and the year's budget:
    {"months": [(month, payable)], "budget": Decimal | None, "budget_kind": str}. The budget
    is the contract's ceiling for the year, else its lumpsum; months whose production cannot be
    settled give an empty list (the page says why)."""
    year = period.end.year
    terms, production = inputs or _settlement_inputs(contract, period)
    months, before = [], None
    try:
        for month in range(1, period.end.month + 1):
            payable = settle(terms, production, Period.months(year, 1, month)).payable
            months.append((date(year, month, 1), payable - (before or 0)))
            before = payable
    except SettlementError:
        months = []
    budget, kind = None, ""
    for candidate in (BudgetKind.CEILING, BudgetKind.LUMPSUM):
        found = terms.budget(year, candidate)
        if found is not None:
            budget, kind = found.amount, candidate
            break
    return {"months": months, "budget": budget, "budget_kind": kind}


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


# ---------------------------------------------------------------- funding-model scenarios


def scenario_contracts(
    contracts: QuerySet, period: Period, *, segment=None, products: Iterable | None = None
) -> list[Contract]:
    """The contracts a scenario covers: running in ``period`` and of ``segment`` (with its
    sub-segments) or paying one of ``products``."""
    from segments.selectors import segment_subtree_ids

    contracts = contracts.filter(start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )
    if segment is not None:
        contracts = contracts.filter(segment__in=segment_subtree_ids(segment))
    if products is not None:
        contracts = contracts.filter(arrangements__products__in=list(products)).distinct()
    return list(contracts.select_related("provider", "segment").order_by("reference"))


def scenario_pairs(contracts: list[Contract], period: Period) -> list[tuple[ContractTerms, object]]:
    """Terms and production (of ``period``) of each contract, as the procurement effect has it."""
    production = production_for([c.pk for c in contracts], period.start, period.end)
    return [(contract_terms(c, on=period.end), production[c.pk]) for c in contracts]


def scenario_subjects(
    contracts: QuerySet, period: Period, *, segment=None, products: Iterable | None = None
) -> tuple[list, list]:
    """The products (of the covered contracts' arrangements, or the chosen ones) and the
    providers a scenario over this scope would name: to fill its rows."""
    from segments.models import Product

    covered = scenario_contracts(contracts, period, segment=segment, products=products)
    if products is None:
        products = Product.objects.filter(arrangements__contract__in=covered).distinct()
    providers = sorted({c.provider for c in covered}, key=lambda p: p.name)
    return sorted(products, key=lambda p: p.code), providers


def scenario_period(scenario: EffectScenario) -> Period:
    return Period.months(scenario.year, scenario.first_month, scenario.last_month)


def scenario_alternative(scenario: EffectScenario) -> Alternative:
    """The pure engine's view of a saved scenario's parameters."""
    prices, profile_prices, amounts, places = {}, {}, {}, {}
    for row in scenario.prices.select_related(
        "product", "support_profile", "intensity", "provider"
    ):
        if row.product_id:
            prices[row.product.code] = row.amount
        elif row.support_profile_id:
            key = (row.support_profile.number, row.intensity.name if row.intensity_id else "")
            profile_prices[key] = row.amount
        elif row.provider_id:
            if scenario.model == ArrangementModel.AVAILABILITY:
                places[row.provider.name] = (row.places or 0, row.amount)
            else:
                amounts[row.provider.name] = row.amount
    return Alternative(
        model=scenario.model,
        prices=prices,
        profile_prices=profile_prices,
        output_payment=scenario.output_payment,
        provider_amounts=amounts,
        regional_amount=scenario.regional_amount,
        places=places,
    )


def scenario_result(
    scenario: EffectScenario, contracts: QuerySet
) -> tuple[list[ScenarioEffect], list[str]]:
    """The saved scenario priced over ``contracts`` (the user's visible ones of the region)."""
    period = scenario_period(scenario)
    products = None
    codes = None
    if scenario.segment_id is None:
        products = list(scenario.products.all())
        codes = frozenset(p.code for p in products)
    covered = scenario_contracts(contracts, period, segment=scenario.segment, products=products)
    return price_alternative(
        scenario_pairs(covered, period), period, scenario_alternative(scenario), codes
    )


def effect_scenarios(region, user) -> QuerySet:
    return (
        EffectScenario.objects.visible_to(user)
        .filter(region=region)
        .select_related("segment", "created_by")
        .prefetch_related("products")
    )


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
    soon = expiring(contracts, EXPIRING_MONTHS, today).select_related(
        "provider", "segment", "region"
    )
    return {
        "region": region,
        "running": with_status(contracts, "active", today).count()
        + with_status(contracts, "extended", today).count(),
        "total": contracts.count(),
        "months": EXPIRING_MONTHS,
        "expiring_count": soon.count(),
        "expiring": soon.order_by("end_date", "reference")[:5],
    }


def reversible_event_ids(events) -> set[int]:
    """The events of one contract that may be reversed now (``terms.reversal_refusal``)."""
    events = list(events)
    live = [
        e
        for e in events
        if e.kind != EventKind.REVERSAL and getattr(e, "reversed_by", None) is None
    ]
    return {e.pk for e in live if reversal_refusal(e, live) is None}
