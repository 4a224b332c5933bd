"""Procurement effect under another funding model: a past period's production priced as it is
now and as it would have been under an alternative model. Pure functions; no database.

``contracts.selectors`` builds the terms and the production (as for settlement) and the
:class:`Alternative` from a saved scenario. The current amount is the settlement engine's own
(``settle``); the alternative is priced here, with a sentence per line. The rules:

- **Output**: a fixed price per trajectory of a product (or per support profile × intensity of
  the product), due when the trajectory starts, ends, or half at each; only trajectories that
  start (end) in the period count. Declarations of a priced product are replaced by it.
- **PxQ**: every declared unit of a product at the scenario's price per unit.
- **Task-based**: a yearly lumpsum per provider, or one regional sum divided over the providers
  in proportion to what their production costs now (equal shares when that is nothing); the
  period gets ``months / 12`` of it. A provider's share is divided over its contracts the same
  way (in proportion to their current cost), to the cent (largest remainder).
- **Availability**: places × fee per place per month per provider for each month of the period
  (divided over the provider's contracts as above), plus the occupied days: every declared
  unit of a product at the scenario's day price.

Production the alternative cannot price (a product without a price, a provider without an
amount) is listed per contract with its quantity and what it costs now; it is left out of the
alternative, so the difference would otherwise look like a saving.

With a product scope, production of other products is left out of both columns, and so are the
lumpsums and availability fees of the current settlement (they belong to no one product); a
note says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import euro, money, percent

from .codes import ArrangementModel, OutputPayment
from .settlement import (
    HUNDRED,
    ZERO,
    ContractTerms,
    Difference,
    Period,
    Production,
    ProductTerms,
    SettlementError,
    _fmt_qty,
    settle,
)

MONTHS_IN_YEAR = 12


@dataclass(frozen=True)
class Alternative:
    """The funding model a scenario prices the production under, with its parameters."""

    model: str
    #: product code → price per trajectory (output), per unit (PxQ) or per occupied day
    #: (availability)
    prices: Mapping[str, Decimal] = field(default_factory=dict)
    #: output: (profile number, intensity name or "") → price per trajectory
    profile_prices: Mapping[tuple[int, str], Decimal] = field(default_factory=dict)
    output_payment: str = OutputPayment.AT_START
    #: task-based: provider → yearly lumpsum
    provider_amounts: Mapping[str, Decimal] = field(default_factory=dict)
    #: task-based: one regional yearly sum (instead of amounts per provider)
    regional_amount: Decimal | None = None
    #: availability: provider → (places, fee per place per month)
    places: Mapping[str, tuple[int, Decimal]] = field(default_factory=dict)

    def price_for(self, product: ProductTerms) -> Decimal | None:
        """The product's own price, else (output) that of its profile × intensity, else that of
        its profile with any intensity."""
        if product.code in self.prices:
            return self.prices[product.code]
        if self.model == ArrangementModel.OUTPUT and product.profile is not None:
            for key in ((product.profile, product.intensity), (product.profile, "")):
                if key in self.profile_prices:
                    return self.profile_prices[key]
        return None


@dataclass(frozen=True)
class Unpriced:
    """Production of one product (or one provider) that the alternative cannot price."""

    product_code: str
    name: str
    quantity: Decimal
    what: str  # the unit words: "uur", "trajecten", …
    current: Decimal
    reason: str = ""

    def describe(self) -> str:
        return _("%(code)s %(name)s: %(qty)s %(what)s, nu %(current)s%(reason)s") % {
            "code": self.product_code,
            "name": self.name,
            "qty": _fmt_qty(self.quantity),
            "what": self.what,
            "current": euro(self.current),
            "reason": f" ({self.reason})" if self.reason else "",
        }


@dataclass(frozen=True)
class ScenarioEffect(Difference):
    contract: str
    provider: str
    segment: str
    current: Decimal
    alternative: Decimal
    current_lines: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    unpriced: tuple[Unpriced, ...] = ()
    notes: tuple[str, ...] = ()
    id: int | None = None


# --- helpers --------------------------------------------------------------------------------


def scoped_production(production: Production, products: frozenset[str] | None) -> Production:
    """Only the production of ``products`` (all of it for ``None``)."""
    if products is None:
        return production
    return Production(
        deliveries=tuple(d for d in production.deliveries if d.product_code in products),
        trajectories=tuple(t for t in production.trajectories if t.product_code in products),
        occupancy=production.occupancy,
        allocations=tuple(a for a in production.allocations if a.product_code in products),
    )


def shares(total: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``total`` divided over the keys in proportion to their weights (equal shares when the
    weights add up to nothing), in cents that add up to ``total`` exactly: each key gets its
    share rounded down, the cents left over go to the largest remainders (ties: by key)."""
    keys = sorted(weights)
    if not keys:
        return {}
    cents = int(money(total) * 100)
    weight_sum = sum((max(weights[k], ZERO) for k in keys), ZERO)
    if weight_sum <= 0:
        exact = {k: Decimal(cents) / len(keys) for k in keys}
    else:
        exact = {k: Decimal(cents) * max(weights[k], ZERO) / weight_sum for k in keys}
    floor = {k: int(exact[k]) for k in keys}
    left = cents - sum(floor.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - floor[k]), k))[:left]:
        floor[k] += 1
    return {k: Decimal(floor[k]) / 100 for k in keys}


def _months(period: Period) -> int:
    return period.end.month - period.start.month + 1


def _unit_words(product: ProductTerms, quantity: Decimal) -> str:
    return product.unit_words(quantity)


def _trajectory_words(count: int) -> str:
    return ngettext("traject", "trajecten", count)


# --- per contract ---------------------------------------------------------------------------


@dataclass
class _Work:
    terms: ContractTerms
    production: Production
    current: Decimal = ZERO
    current_lines: list[str] = field(default_factory=list)
    current_by_product: dict[str, Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO)
    )
    alternative: Decimal = ZERO
    lines: list[str] = field(default_factory=list)
    unpriced: list[Unpriced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _current(work: _Work, period: Period, products: frozenset[str] | None) -> None:
    settlement = settle(work.terms, work.production, period)
    for line in settlement.lines:
        if products is not None and line.product_code not in products:
            if not line.product_code:
                work.notes.append(
                    _("Niet meegeteld (hoort bij geen enkel product): %(line)s")
                    % {"line": line.description}
                )
            continue
        work.current += line.amount
        work.current_lines.append(line.description)
        if line.product_code:
            work.current_by_product[line.product_code] += line.amount
    for flag in settlement.flags:
        if flag.kind in ("no_tariff", "unmatched", "no_budget"):
            work.notes.append(_("Huidig: %(message)s") % {"message": flag.message})


def _per_unit(work: _Work, period: Period, alternative: Alternative) -> None:
    """Every declared unit at the scenario's price (PxQ, and the occupied days under
    availability)."""
    quantities: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for d in work.production.deliveries:
        if period.contains(d.month):
            quantities[d.product_code] += d.quantity
    for code in sorted(quantities):
        product = work.terms.products[code]
        quantity = quantities[code]
        price = alternative.price_for(product)
        if price is None:
            work.unpriced.append(
                Unpriced(
                    code,
                    product.name,
                    quantity,
                    _unit_words(product, quantity),
                    work.current_by_product.get(code, ZERO),
                    _("geen prijs in het scenario"),
                )
            )
            continue
        amount = money(quantity * price)
        work.alternative += amount
        work.lines.append(
            _("%(code)s %(name)s: %(qty)s %(unit)s × %(price)s = %(amount)s")
            % {
                "code": code,
                "name": product.name,
                "qty": _fmt_qty(quantity),
                "unit": _unit_words(product, quantity),
                "price": euro(price),
                "amount": euro(amount),
            }
        )


def _output(work: _Work, period: Period, alternative: Alternative) -> None:
    payment = alternative.output_payment
    counts: dict[tuple[str, str], int] = defaultdict(int)
    unpriced: dict[str, int] = defaultdict(int)
    for t in work.production.trajectories:
        product = work.terms.products[t.product_code]
        moments = []
        if payment in (OutputPayment.AT_START, OutputPayment.SPLIT) and period.contains(
            t.started_on
        ):
            moments.append("start")
        if payment in (OutputPayment.AT_END, OutputPayment.SPLIT) and period.contains(t.ended_on):
            moments.append("end")
        if not moments:
            continue
        if alternative.price_for(product) is None:
            unpriced[t.product_code] += t.count
            continue
        for moment in moments:
            counts[(t.product_code, moment)] += t.count
    for (code, moment), count in sorted(counts.items()):
        product = work.terms.products[code]
        price = alternative.price_for(product)
        if payment == OutputPayment.SPLIT:
            first_half = money(price / 2)
            price = first_half if moment == "start" else price - first_half
        amount = money(price * count)
        work.alternative += amount
        if moment == "start":
            what = ngettext("%(n)s traject gestart", "%(n)s trajecten gestart", count)
        else:
            what = ngettext("%(n)s traject beëindigd", "%(n)s trajecten beëindigd", count)
        work.lines.append(
            _("%(code)s %(name)s: %(what)s × %(price)s = %(amount)s")
            % {
                "code": code,
                "name": product.name,
                "what": what % {"n": count},
                "price": euro(price),
                "amount": euro(amount),
            }
        )
    for code, count in sorted(unpriced.items()):
        product = work.terms.products[code]
        work.unpriced.append(
            Unpriced(
                code,
                product.name,
                Decimal(count),
                _trajectory_words(count),
                work.current_by_product.get(code, ZERO),
                _("geen prijs in het scenario"),
            )
        )
    # Declared units of a product without a price and without trajectories: the alternative
    # has nothing to pay them with.
    declared: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for d in work.production.deliveries:
        if period.contains(d.month):
            declared[d.product_code] += d.quantity
    for code in sorted(declared):
        product = work.terms.products[code]
        if code in unpriced or alternative.price_for(product) is not None:
            continue
        work.unpriced.append(
            Unpriced(
                code,
                product.name,
                declared[code],
                _unit_words(product, declared[code]),
                work.current_by_product.get(code, ZERO),
                _("geen prijs in het scenario"),
            )
        )


def _divide(
    works: list[_Work], amounts: Mapping[str, Decimal], describe: Mapping[str, str]
) -> None:
    """Each provider's amount over its contracts in proportion to their current cost."""
    by_provider: dict[str, list[_Work]] = defaultdict(list)
    for work in works:
        by_provider[work.terms.provider].append(work)
    for provider, items in by_provider.items():
        if provider not in amounts:
            continue
        total = amounts[provider]
        if len(items) == 1:
            items[0].alternative += total
            items[0].lines.append(describe[provider])
            continue
        divided = shares(total, {w.terms.reference: w.current for w in items})
        weight_sum = sum((w.current for w in items), ZERO)
        for work in items:
            part = divided[work.terms.reference]
            work.alternative += part
            share = (
                percent((work.current * HUNDRED / weight_sum).quantize(Decimal("0.1")))
                if weight_sum
                else _("gelijke delen")
            )
            work.lines.append(
                _("%(line)s; aandeel van dit contract (%(share)s naar de huidige kosten): %(part)s")
                % {"line": describe[provider], "share": share, "part": euro(part)}
            )


def _no_amount(work: _Work, reason: str) -> None:
    if work.current or work.production.deliveries or work.production.trajectories:
        work.unpriced.append(
            Unpriced("", work.terms.provider, Decimal(1), _("contract"), work.current, reason)
        )


def _task(works: list[_Work], period: Period, alternative: Alternative) -> None:
    months = _months(period)
    amounts: dict[str, Decimal] = {}
    describe: dict[str, str] = {}
    if alternative.regional_amount is not None:
        regional = alternative.regional_amount
        total = money(regional * months / MONTHS_IN_YEAR)
        current: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for work in works:
            current[work.terms.provider] += work.current
        weight_sum = sum(current.values(), ZERO)
        amounts = shares(total, current)
        for provider, amount in amounts.items():
            share = (
                percent((current[provider] * HUNDRED / weight_sum).quantize(Decimal("0.1")))
                if weight_sum
                else _("gelijke delen")
            )
            describe[provider] = _(
                "Regionaal taakgericht budget %(yearly)s per jaar × %(months)s/12 maanden = "
                "%(total)s; aandeel %(provider)s (%(share)s naar de huidige kosten): %(amount)s"
            ) % {
                "yearly": euro(regional),
                "months": months,
                "total": euro(total),
                "provider": provider,
                "share": share,
                "amount": euro(amount),
            }
    else:
        for provider, yearly in alternative.provider_amounts.items():
            amounts[provider] = money(yearly * months / MONTHS_IN_YEAR)
            describe[provider] = _(
                "Taakgericht budget %(provider)s %(yearly)s per jaar × %(months)s/12 maanden "
                "= %(amount)s"
            ) % {
                "provider": provider,
                "yearly": euro(yearly),
                "months": months,
                "amount": euro(amounts[provider]),
            }
        for work in works:
            if work.terms.provider not in amounts:
                _no_amount(work, _("geen lumpsum voor deze aanbieder in het scenario"))
    _divide(works, amounts, describe)


def _availability(works: list[_Work], period: Period, alternative: Alternative) -> None:
    months = _months(period)
    amounts: dict[str, Decimal] = {}
    describe: dict[str, str] = {}
    for provider, (places, fee) in alternative.places.items():
        amounts[provider] = money(places * fee * months)
        describe[provider] = _(
            "Beschikbaarheid %(provider)s: %(places)s plaatsen × %(fee)s × %(months)s maanden "
            "= %(amount)s"
        ) % {
            "provider": provider,
            "places": places,
            "fee": euro(fee),
            "months": months,
            "amount": euro(amounts[provider]),
        }
    _divide(works, amounts, describe)
    for work in works:
        _per_unit(work, period, alternative)


def price_alternative(
    pairs: Iterable[tuple[ContractTerms, Production]],
    period: Period,
    alternative: Alternative,
    products: frozenset[str] | None = None,
) -> tuple[list[ScenarioEffect], list[str]]:
    """Each contract's production in ``period`` (of ``products`` only, when given) priced now
    and under ``alternative``. A contract whose production cannot be settled is left out; the
    second list says which and why ("<reference>: <problem>")."""
    period.validate()
    works: list[_Work] = []
    errors: list[str] = []
    for terms, production in pairs:
        work = _Work(terms, scoped_production(production, products))
        try:
            _current(work, period, products)
        except SettlementError as error:
            errors += [f"{terms.reference}: {problem}" for problem in error.errors]
            continue
        works.append(work)
    model = alternative.model
    if model == ArrangementModel.PXQ:
        for work in works:
            _per_unit(work, period, alternative)
    elif model == ArrangementModel.OUTPUT:
        for work in works:
            _output(work, period, alternative)
    elif model == ArrangementModel.TASK:
        _task(works, period, alternative)
    elif model == ArrangementModel.AVAILABILITY:
        _availability(works, period, alternative)
    else:
        raise ValueError(f"Unknown funding model {model!r}")
    effects = [
        ScenarioEffect(
            contract=w.terms.reference,
            provider=w.terms.provider,
            segment=w.terms.segment,
            current=w.current,
            alternative=w.alternative,
            current_lines=tuple(w.current_lines),
            lines=tuple(w.lines),
            unpriced=tuple(w.unpriced),
            notes=tuple(w.notes),
            id=w.terms.id,
        )
        for w in works
    ]
    return sorted(effects, key=lambda e: (e.provider, e.contract)), errors


def products_with_production(
    pairs: Iterable[tuple[ContractTerms, Production]],
    period: Period,
    products: frozenset[str] | None = None,
) -> dict[str, ProductTerms]:
    """The products (of ``products``, when given) declared or with a trajectory starting or
    ending in ``period``: the ones a PxQ or output scenario must price."""
    found: dict[str, ProductTerms] = {}
    for terms, production in pairs:
        production = scoped_production(production, products)
        for d in production.deliveries:
            if period.contains(d.month) and d.product_code in terms.products:
                found[d.product_code] = terms.products[d.product_code]
        for t in production.trajectories:
            touches = period.contains(t.started_on) or period.contains(t.ended_on)
            if touches and t.product_code in terms.products:
                found[t.product_code] = terms.products[t.product_code]
    return found


def providers_with_production(
    pairs: Iterable[tuple[ContractTerms, Production]],
    period: Period,
    products: frozenset[str] | None = None,
) -> set[str]:
    """The providers whose contracts have production in ``period``."""
    found = set()
    for terms, production in pairs:
        production = scoped_production(production, products)
        if any(period.contains(d.month) for d in production.deliveries) or any(
            period.contains(t.started_on) or period.contains(t.ended_on)
            for t in production.trajectories
        ):
            found.add(terms.provider)
    return found


__all__ = [
    "Alternative",
    "ScenarioEffect",
    "Unpriced",
    "price_alternative",
    "products_with_production",
    "providers_with_production",
    "shares",
]
