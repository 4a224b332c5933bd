"""Read queries of the portal's pages after the award: a provider's contracts (with tariffs,
budgets and their use), its production batches and its API clients.

Everything starts from ``Model.objects.visible_to(user)`` (a portal user's scope: its
organisation and the consortia it leads) and is then narrowed to the provider of the page. The
contract page reuses the contract management selectors; what the region keeps for itself
(notes on tariffs, budgets, indexations and KPI agreements, the reasons and recorders of
contract events, the settlement) is left out here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from api.models import ApiClient, ApiKey
from contracts import selectors as contract_selectors
from contracts.codes import ContractStatus
from contracts.models import Budget, BudgetRevision, Contract
from core.ui.formatting import month_of
from monitoring.dashboards.selectors import Spend, Subject, spend_against_budget
from monitoring.imports.models import ImportBatch
from monitoring.kpis.models import KpiRollup
from providers.models import Provider, ProviderKind
from segments.models import Municipality, Participation


def page_provider_ids(provider: Provider) -> list[int]:
    """The providers whose contracts show on ``provider``'s pages: itself and, for an
    organisation, the consortia it leads (their contracts are signed by the consortium)."""
    ids = [provider.pk]
    if provider.kind != ProviderKind.CONSORTIUM:
        ids += list(
            provider.consortium_memberships.filter(is_lead=True).values_list(
                "consortium_id", flat=True
            )
        )
    return ids


def provider_contracts(*, user, provider: Provider):
    return (
        Contract.objects.visible_to(user)
        .filter(provider__in=page_provider_ids(provider))
        .select_related("provider", "segment", "lot__tender")
        .prefetch_related("arrangements")
        .order_by("-start_date", "reference")
    )


def contract_municipalities(contract: Contract) -> list[dict]:
    """The region's municipalities that take part in the contract's segment (no participation
    row: fully), with the partial ones marked."""
    levels = dict(
        Participation.objects.filter(segment=contract.segment_id).values_list(
            "municipality_id", "level"
        )
    )
    return [
        {"municipality": m, "partial": levels.get(m.pk) == "partial"}
        for m in Municipality.objects.filter(region=contract.region_id).order_by("name")
        if levels.get(m.pk) != "none"
    ]


def rollups_of(user):
    return KpiRollup.objects.visible_to(user)


def contract_spend(*, user, contract: Contract, today: date | None = None) -> Spend:
    """Declared this year (January through this month) against the contract's budget or
    ceilings of the year, as the dashboards count it."""
    month = month_of(today or timezone.localdate())
    return spend_against_budget(
        contract.region,
        Subject.contract(contract),
        month,
        contracts=Contract.objects.visible_to(user),
        rollups=rollups_of(user),
    )


def contract_view(*, user, contract: Contract, today: date | None = None) -> dict:
    """What the provider's contract page shows."""
    today = today or timezone.localdate()
    page = contract_selectors.contract_page(contract)
    arrangements = list(page["arrangements"])
    budgets = list(
        Budget.objects.visible_to(user)
        .filter(contract=contract)
        .select_related("support_profile")
        .prefetch_related(
            Prefetch("revisions", queryset=BudgetRevision.objects.order_by("effective_on", "pk"))
        )
    )
    spend = contract_spend(user=user, contract=contract, today=today)
    return {
        "events": contract.events.all(),
        "kpis": contract.kpi_agreements.all(),
        "arrangements": arrangements,
        "funding_label": contract_selectors.funding_label(sorted({a.model for a in arrangements})),
        "budgets": budgets,
        "spend": spend,
        "tariffs": contract_selectors.tariff_history(page["tariffs"], today),
        "indexations": page["indexations"],
        "municipalities": contract_municipalities(contract),
        "today": today,
    }


def provider_batches(*, user, provider: Provider):
    return (
        ImportBatch.objects.visible_to(user)
        .filter(provider=provider)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def api_clients_of(*, user, provider: Provider):
    return ApiClient.objects.visible_to(user).filter(provider=provider)


def provider_api_clients(*, user, provider: Provider) -> list[ApiClient]:
    now = timezone.now()
    clients = list(
        api_clients_of(user=user, provider=provider)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "keys",
                queryset=ApiKey.objects.order_by("-created_at", "-pk"),
            )
        )
        .order_by("-is_active", "name", "pk")
    )
    for client in clients:
        keys = list(client.keys.all())
        client.valid_keys = [k for k in keys if k.is_valid(now)]
        client.last_used = max((k.last_used_at for k in keys if k.last_used_at), default=None)
        client.own_name = client.name.removeprefix(f"{provider.name}: ")
    return clients


@dataclass
class ContractsPanel:
    running: int
    total: int
    spend: Spend | None
    last_batch: ImportBatch | None


def contracts_panel(*, user, provider: Provider, today: date | None = None) -> ContractsPanel:
    """The overview's panel: running contracts, this year's use of the provider's budgets and
    ceilings, the last delivery."""
    today = today or timezone.localdate()
    contracts = Contract.objects.visible_to(user).filter(provider__in=page_provider_ids(provider))
    running = (
        contract_selectors.with_status(contracts, ContractStatus.ACTIVE, today).count()
        + contract_selectors.with_status(contracts, ContractStatus.EXTENDED, today).count()
    )
    spend = spend_against_budget(
        provider.region,
        Subject.provider(provider),
        month_of(today),
        contracts=contracts,
        rollups=rollups_of(user),
    )
    return ContractsPanel(
        running=running,
        total=contracts.count(),
        spend=spend if spend.budget is not None or spend.spent else None,
        last_batch=provider_batches(user=user, provider=provider).first(),
    )
