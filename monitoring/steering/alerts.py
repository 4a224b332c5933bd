"""Signals from KPIs and annual accounts, and the providers' risk scores.

KPI signals (:func:`evaluate`): for every contract-grain rollup row of the evaluated months and
every KPI that has a norm for the contract (its KPI agreement, else its segment's norm; see
``monitoring.steering.norms``), the month's figure is judged. Amber or red opens (or updates) the
signal with key ``kpi:c<contract>:<kpi>:<YYYY-MM>``; a green figure, or no figure, closes it, and a
green figure also closes the still-open signals of that contract and KPI of earlier months: the
figure is back within its norm. A signal a person closed (``handled_at``) is reopened by a
later evaluation only when its level worsens (amber → red). So that re-evaluating an old month
cannot leave a stale signal open, the region's latest month with contract rollups is always
evaluated as well.

- Spend against budget is the amount declared from 1 January through the month as a percentage
  of the contract's budget of the year (the sum of its ``Budget`` rows of that year at their
  current amounts); without a budget it is not judged.
- Minimum count: a ratio whose denominator is below :data:`MIN_COUNT` (e.g. fewer than 5 ended
  trajectories for drop-out, fewer than 5 starts with a referral for wait time) is not judged:
  one drop-out out of two is 50% and says little. Volumes and spend are always judged.

Finance signals (:func:`finance_signals`): the margin and WNT checks of ``providers.finance``
on an annual account; amber/red opens the signal ``finance:p<provider>:<year>:margin`` or
``...:wnt`` (topics ``finance_margin`` / ``finance_wnt``, period 1 January of the year), green or
no level closes it.

Risk score (:func:`risk_scores`): per provider, over its signals that are not closed (open or on
an agenda), counting only the latest period per (contract, topic) — per topic for finance:
``points = weight(topic) × (1 per amber + 3 per red)``, the weight from ``RiskWeight`` (1 when
the region has no row for the topic). Score = sum of the points; red from
:data:`RISK_RED` (6), amber from :data:`RISK_AMBER` (2), else green. One red signal of weight 2
is red; two ambers of weight 1 are amber.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from contracts.codes import Kpi
from contracts.models import Budget, Contract
from core.states import apply_transition
from monitoring.kpis import definitions as kpis
from monitoring.kpis import regional
from monitoring.kpis.definitions import FINANCE_MARGIN, FINANCE_WNT
from monitoring.kpis.models import Grain, KpiRollup, RegionKpiRollup
from monitoring.steering import messages
from monitoring.steering.models import Level, RiskWeight, Signal, SignalSource, SignalStatus
from monitoring.steering.norms import Norm, contract_norms, judge
from providers import finance
from providers.models import AnnualAccount, Provider

#: ratios with a smaller denominator are not judged (too few to say anything)
MIN_COUNT = 5
RISK_AMBER = Decimal(2)
RISK_RED = Decimal(6)
POINTS = {Level.AMBER: 1, Level.RED: 3}
#: every topic a risk weight can be set for
RISK_TOPICS = [*Kpi.values, FINANCE_MARGIN, FINANCE_WNT]

_BAD = (Level.AMBER, Level.RED)
_SEVERITY = {Level.GREEN: 0, Level.AMBER: 1, Level.RED: 2}
_UNCLOSED = (SignalStatus.OPEN, SignalStatus.ON_AGENDA)
_LANGUAGE = "nl"  # signal messages are stored text: Dutch


def _month(day: date) -> date:
    return date(day.year, day.month, 1)


#: the part of a KPI signal key that marks a facility's occupancy signal (``facilities``)
FACILITY_MARK = f":{Kpi.OCCUPANCY}:f"


def kpi_key(contract_id: int, kpi: str, month: date) -> str:
    return f"kpi:c{contract_id}:{kpi}:{month:%Y-%m}"


def finance_key(provider_id: int, year: int, check: str) -> str:
    return f"finance:p{provider_id}:{year}:{check}"


# --- formatting --------------------------------------------------------------------------------


def _kpi_message(contract, kpi: str, month: date, level: str, value, norm: Norm) -> dict:
    """The parameters of the signal's sentence (``steering.messages``)."""
    return messages.kpi_params(contract, kpi, month, level, value, norm)


def set_message(signal: Signal, params: dict) -> None:
    """The signal's parameters, and its stored message in Dutch (for the API and history)."""
    signal.message_params = params
    with translation.override(_LANGUAGE):
        signal.message = messages.render(params)


# --- KPI signals -------------------------------------------------------------------------------


def _reopen(signal: Signal, level: str) -> bool:
    """Whether a signal found amber or red again may be updated (and reopened when closed).

    A signal the refresh closed reopens; one a person closed (``handled_at``) reopens only
    when the level worsens (amber → red), and is then no longer handled."""
    if signal.status != SignalStatus.CLOSED:
        return True
    if signal.handled_at is not None:
        if _SEVERITY[level] <= _SEVERITY.get(signal.level, 0):
            return False
        signal.handled_at = None
        signal.handled_by = None
    apply_transition(signal, SignalStatus.OPEN)
    return True


def _judged_value(kpi: str, measures) -> Decimal | None:
    """The KPI figure, or ``None`` when its denominator is below the minimum count."""
    definition = kpis.definition(kpi)
    if definition.regional:
        if definition.counts(measures)[1] < MIN_COUNT:
            return None
    elif (
        definition.denominator is not None and getattr(measures, definition.denominator) < MIN_COUNT
    ):
        return None
    return kpis.value(kpi, measures)


def _attach_region_kpis(region_id: int, rows, months) -> None:
    """The region KPIs' contract-grain counts onto the contract rollup rows (``custom``)."""
    index = {}
    for row in rows:
        row.custom = {}
        index[(row.month, row.contract_id)] = row
    found = RegionKpiRollup.objects.filter(
        region_id=region_id, grain=Grain.CONTRACT, month__in=months
    ).values_list("month", "contract_id", "kpi_id", "numerator", "denominator")
    for month, contract_id, kpi_id, num, den in found:
        row = index.get((month, contract_id))
        if row is not None:
            regional.add_custom(row, f"{regional.PREFIX}{kpi_id}", num, den)


def _spend(rows_by_contract, budgets, contract_id: int, month: date) -> Decimal | None:
    budget = budgets.get((contract_id, month.year))
    if not budget:
        return None
    spent = sum(
        (
            r.amount
            for r in rows_by_contract[contract_id]
            if r.month.year == month.year and r.month <= month
        ),
        Decimal(0),
    )
    return kpis.spend_vs_budget(spent, budget)


def _budgets(contract_ids, years) -> dict[tuple[int, int], Decimal]:
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for budget in Budget.objects.filter(contract__in=contract_ids, year__in=years).prefetch_related(
        "revisions"
    ):
        totals[(budget.contract_id, budget.year)] += budget.current_amount
    return totals


@transaction.atomic
def evaluate(region_id: int, months: Iterable[date]) -> int:
    """Open, update or close the KPI signals of the contract rollups of ``months`` (and of the
    region's latest month). Returns the number of signals that are amber or red."""
    months = {_month(m) for m in months}
    contract_rows = KpiRollup.objects.filter(region_id=region_id, grain=Grain.CONTRACT)
    latest = contract_rows.aggregate(latest=Max("month"))["latest"]
    if latest:
        months.add(latest)
    months = sorted(months)
    if not months:
        return 0
    rows = list(contract_rows.filter(month__in=months).order_by("month", "contract_id"))
    contracts = {
        c.pk: c
        for c in Contract.objects.filter(pk__in={r.contract_id for r in rows}).select_related(
            "provider", "segment__parent__parent__parent"
        )
    }
    norms = contract_norms(contracts.values())
    if any(regional.is_regional(kpi) for (_, kpi) in norms):
        _attach_region_kpis(region_id, rows, months)
    norms_by_contract: dict[int, list[tuple[str, Norm]]] = defaultdict(list)
    for (contract_id, kpi), norm in norms.items():
        norms_by_contract[contract_id].append((kpi, norm))
    spend_contracts = {cid for (cid, kpi) in norms if kpi == Kpi.SPEND_VS_BUDGET}
    years = {m.year for m in months}
    ytd_rows = defaultdict(list)
    budgets = {}
    if spend_contracts:
        for row in contract_rows.filter(contract__in=spend_contracts, month__year__in=years).only(
            "contract_id", "month", "amount"
        ):
            ytd_rows[row.contract_id].append(row)
        budgets = _budgets(spend_contracts, years)

    existing = {
        s.key: s
        for s in Signal.objects.filter(
            region_id=region_id, source=SignalSource.KPI, period__in=months
        ).exclude(key__contains=FACILITY_MARK)  # a facility's own: monitoring.steering.facilities
    }
    # unclosed signals per (contract, kpi), oldest first: a green later month closes them
    unclosed = defaultdict(list)
    for s in (
        Signal.objects.filter(
            region_id=region_id,
            source=SignalSource.KPI,
            status__in=_UNCLOSED,
            period__lt=months[-1],
        )
        .exclude(key__contains=FACILITY_MARK)
        .order_by("period")
    ):
        unclosed[(s.contract_id, s.topic)].append(s)

    bad_keys: set[str] = set()
    dirty: dict[str, Signal] = {}
    for row in rows:  # by month, so later months act on what earlier ones opened
        contract = contracts[row.contract_id]
        for kpi, norm in sorted(norms_by_contract.get(row.contract_id, ())):
            if kpi == Kpi.SPEND_VS_BUDGET:
                value = _spend(ytd_rows, budgets, row.contract_id, row.month)
            else:
                value = _judged_value(kpi, row)
            level = judge(value, norm)
            key = kpi_key(row.contract_id, kpi, row.month)
            if level in _BAD:
                signal = existing.get(key)
                if signal is None:
                    signal = Signal(
                        region_id=region_id,
                        provider_id=contract.provider_id,
                        contract_id=contract.pk,
                        source=SignalSource.KPI,
                        topic=kpi,
                        key=key,
                        period=row.month,
                    )
                    existing[key] = signal
                elif not _reopen(signal, level):
                    continue  # closed by a person and not worse: stays closed
                signal.level, signal.value, signal.norm = level, value, norm.norm
                set_message(signal, _kpi_message(contract, kpi, row.month, level, value, norm))
                bad_keys.add(key)
                dirty[key] = signal
                unclosed[(row.contract_id, kpi)].append(signal)
            elif level == Level.GREEN:
                remaining = []
                for old in unclosed.get((row.contract_id, kpi), ()):
                    if old.period < row.month and old.status in _UNCLOSED:
                        apply_transition(old, SignalStatus.CLOSED)
                        bad_keys.discard(old.key)
                        dirty[old.key] = old
                    else:
                        remaining.append(old)
                unclosed[(row.contract_id, kpi)] = remaining
    # an unclosed signal of an evaluated month that is not amber or red now: closed
    for signal in existing.values():
        if signal.key not in bad_keys and signal.status in _UNCLOSED:
            apply_transition(signal, SignalStatus.CLOSED)
            dirty[signal.key] = signal
    save_signals(dirty.values())
    return len(bad_keys)


def save_signals(signals) -> None:
    """Insert the new signals and update the changed ones (two bulk statements)."""
    now = timezone.now()
    new = [s for s in signals if s.pk is None]
    changed = [s for s in signals if s.pk is not None]
    for s in changed:
        s.updated_at = now
    Signal.objects.bulk_create(new, batch_size=500)
    Signal.objects.bulk_update(
        changed,
        [
            "level",
            "value",
            "norm",
            "message",
            "message_params",
            "status",
            "updated_at",
            "handled_at",
            "handled_by",
        ],
        batch_size=500,
    )
    red = [s for s in signals if s.level == Level.RED and s.status != SignalStatus.CLOSED]
    if red:
        # new (or newly red) signals: tell who may see them, once per signal and month
        from monitoring.notifications import notify_red_signals

        if any(s.pk is None for s in red):  # a database that returns no ids from bulk_create
            keys = [s.key for s in red]
            red = list(Signal.objects.filter(key__in=keys, level=Level.RED).only("pk"))
        notify_red_signals(red)


# --- finance signals ---------------------------------------------------------------------------


@transaction.atomic
def finance_signals(account) -> list[Signal]:
    """Open, update or close the margin and WNT signals of one annual account; returns the
    signals that are amber or red (open or on an agenda)."""
    provider = account.provider
    period = date(account.year, 1, 1)
    result = []
    with translation.override(_LANGUAGE):
        checks = (
            (FINANCE_MARGIN, "margin", finance.check_margin(account)),
            (FINANCE_WNT, "wnt", finance.check_wnt(account)),
        )
    for topic, suffix, check in checks:
        key = finance_key(provider.pk, account.year, suffix)
        signal = Signal.objects.filter(region_id=provider.region_id, key=key).first()
        if check.level in _BAD:
            if signal is None:
                signal = Signal(
                    region_id=provider.region_id,
                    provider=provider,
                    source=SignalSource.FINANCE,
                    topic=topic,
                    key=key,
                    period=period,
                )
            elif not _reopen(signal, check.level):
                continue
            signal.level = check.level
            signal.value = check.value
            signal.norm = check.limit
            signal.message = check.message
            signal.save()
            result.append(signal)
        elif signal is not None and signal.status in _UNCLOSED:
            signal.save(
                update_fields=[*apply_transition(signal, SignalStatus.CLOSED), "updated_at"]
            )
    return result


def evaluate_finance(region_id: int) -> int:
    """The finance signals of every annual account of the region's providers; returns the
    number of amber or red signals."""
    accounts = AnnualAccount.objects.filter(provider__region_id=region_id).select_related(
        "provider"
    )
    return sum(len(finance_signals(account)) for account in accounts)


# --- risk score --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskPart:
    """One topic's share of a provider's risk score."""

    topic: str
    weight: Decimal
    amber: int
    red: int
    points: Decimal

    @property
    def label(self) -> str:
        return topic_label(self.topic)


@dataclass(frozen=True)
class RiskScore:
    score: Decimal
    level: str  # Level value
    parts: list[RiskPart] = field(default_factory=list)

    def get_level_display(self) -> str:
        return Level(self.level).label


def topic_label(topic: str) -> str:
    from django.utils.translation import gettext as _

    if topic == FINANCE_MARGIN:
        return _("Marge (jaarrekening)")
    if topic == FINANCE_WNT:
        return _("Bezoldiging topfunctionaris (WNT)")
    return kpis.label(topic)


def risk_level(score: Decimal) -> str:
    if score >= RISK_RED:
        return Level.RED
    if score >= RISK_AMBER:
        return Level.AMBER
    return Level.GREEN


def risk_weights(region_id: int) -> dict[str, Decimal]:
    """{topic: weight} of the region; topics without a row weigh 1."""
    weights = dict.fromkeys(RISK_TOPICS, Decimal(1))
    weights.update(RiskWeight.objects.filter(region_id=region_id).values_list("topic", "weight"))
    return weights


def current_signals(region_id: int, provider_id: int | None = None) -> list[Signal]:
    """The signals that count now: not closed, and per (provider, contract, topic) only the one
    of the latest period."""
    signals = Signal.objects.filter(region_id=region_id, status__in=_UNCLOSED)
    if provider_id is not None:
        signals = signals.filter(provider_id=provider_id)
    latest: dict[tuple, Signal] = {}
    for s in signals.order_by("period", "pk"):
        latest[(s.provider_id, s.contract_id, s.topic)] = s
    return list(latest.values())


def risk_scores(region_id: int) -> dict[int, RiskScore]:
    """{provider_id: RiskScore} for every provider of the region (green 0 without signals)."""
    weights = risk_weights(region_id)
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for s in current_signals(region_id):
        if s.level in _BAD:
            counts[s.provider_id][s.topic][0 if s.level == Level.AMBER else 1] += 1
    result = {}
    for provider_id in Provider.objects.filter(region_id=region_id).values_list("pk", flat=True):
        parts = []
        for topic, (amber, red) in sorted(counts.get(provider_id, {}).items()):
            weight = Decimal(weights.get(topic, Decimal(1)))
            points = weight * (amber * POINTS[Level.AMBER] + red * POINTS[Level.RED])
            parts.append(RiskPart(topic, weight, amber, red, points))
        parts.sort(key=lambda p: (-p.points, p.topic))
        score = sum((p.points for p in parts), Decimal(0))
        result[provider_id] = RiskScore(score, risk_level(score), parts)
    return result
