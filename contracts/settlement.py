"""The settlement engine: what a contract owes a provider for a period of production.

Pure functions over frozen dataclasses; no database. ``contracts.selectors`` builds the terms
from the models and asks the production source (monitoring) for the production.

Every amount is exact ``Decimal``; each component is rounded to cents once, at the end of its
own computation, and every line carries the sentence that explains it. The rules:

- **PxQ**: tariff × delivered quantity, per product and tariff version, in the product's unit.
- **Output**: a fixed price per trajectory (or per support profile × intensity), due at the
  trajectory's start, its end, or half at each (the arrangement says which); the price is the
  one valid on the day the trajectory started.
- **Task-based**: the year's lumpsum budget (after recalibrations) spread evenly over the months
  the arrangement runs in that year; the months of a period get their exact cumulative share, so
  twelve monthly settlements add up to the budget to the cent.
- **Availability**: places × fee per place per month, plus PxQ for occupied places (the
  arrangement's products); occupancy = occupied days ÷ (places × days) and a flag when it is
  under the agreed threshold (the region and provider then review merging or closing groups).
- **Hybrid**: a contract with arrangements of several models; each product is paid under one.
- **Ceilings**: a contract's ceiling per year caps what is payable, and so does a ceiling per
  support profile; what is due above them is reported and withheld.
- **Anti-stacking** (e.g. Amsterdam, seed 004): one profile tariff per family at a time, except
  where the region lets an intensity run alongside another profile, always (Amsterdam:
  Duurzaam) or for at most a number of days (Amsterdam: Acuut, 14 days). The stacked profile's
  pay (the later one; for a limited intensity, that one) is held until the family's case
  director consents; a profile switch likewise. With a recorded consent it is paid.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.ui.formatting import euro, format_date, money, percent
from core.ui.formatting import format_date as _d
from segments.codes import ParallelRule, Unit

from .codes import ArrangementModel, BudgetKind, OutputPayment
from .tariffs import HUNDRED, Validity, price_on

ZERO = Decimal("0")
#: the kinds of a case director's consent (``contracts.codes.ConsentKind`` holds their labels)
CONSENT_STACKING, CONSENT_SWITCH = "stapeling", "profielwissel"
#: a profile allocation that starts at most this many days after another ended is a switch
SWITCH_WINDOW_DAYS = 31

UNIT_WORDS = {
    Unit.MINUTE: ("minuut", "minuten"),
    Unit.HOUR: ("uur", "uur"),
    Unit.ETMAAL: ("etmaal", "etmalen"),
    Unit.DAGDEEL: ("dagdeel", "dagdelen"),
    Unit.PIECES_OUTPUT: ("stuk", "stuks"),
    Unit.EUROS: ("euro", "euro"),
    Unit.PIECES_EFFORT: ("stuk", "stuks"),
    Unit.KILOMETRE: ("kilometer", "kilometer"),
}


# --- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole calendar months within one calendar year: ``start`` a first, ``end`` a last day."""

    start: date
    end: date

    @classmethod
    def months(cls, year: int, first_month: int, last_month: int) -> Period:
        last_day = calendar.monthrange(year, last_month)[1]
        return cls(date(year, first_month, 1), date(year, last_month, last_day))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls.months(year, 1, 12)

    def validate(self) -> None:
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            raise SettlementError([_("Een afrekenperiode bestaat uit hele kalendermaanden.")])
        if self.start.year != self.end.year:
            raise SettlementError([_("Een afrekenperiode valt binnen één kalenderjaar.")])
        if self.end < self.start:
            raise SettlementError([_("Het einde van de periode ligt vóór het begin.")])

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def label(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period | None:
        """January up to the month before this period (for year-to-date ceilings)."""
        if self.start.month == 1:
            return None
        return Period.months(self.start.year, 1, self.start.month - 1)


@dataclass(frozen=True)
class ProductTerms:
    code: str
    name: str
    unit: str
    profile: int | None = None
    #: the intensity's name and the region's rule for running alongside another profile
    intensity: str = ""
    parallel: str = ParallelRule.EXCLUSIVE
    parallel_max_days: int | None = None
    contract_tariffs: tuple[Validity, ...] = ()
    regional_tariffs: tuple[Validity, ...] = ()

    def price_on(self, day: date) -> Decimal | None:
        """The contract's own tariff where it has one that day, else the regional tariff."""
        own = price_on(self.contract_tariffs, day)
        return own if own is not None else price_on(self.regional_tariffs, day)

    def unit_words(self, quantity: Decimal) -> str:
        one, many = UNIT_WORDS.get(self.unit, ("", ""))
        return one if quantity == 1 else many


@dataclass(frozen=True)
class ArrangementTerms:
    model: str
    valid_from: date
    valid_until: date | None = None
    product_codes: frozenset[str] = frozenset()
    name: str = ""
    output_payment: str = OutputPayment.AT_START
    places: int | None = None
    place_fee: Decimal | None = None
    occupancy_threshold_pct: Decimal | None = None
    id: int | None = None
    #: availability: the facility (group/location) whose places the arrangement keeps
    facility: str = ""

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def label(self) -> str:
        return self.name or str(ArrangementModel(self.model).label)


@dataclass(frozen=True)
class BudgetTerms:
    year: int
    kind: str
    amount: Decimal
    profile: int | None = None


@dataclass(frozen=True)
class ContractTerms:
    reference: str
    start: date
    end: date
    arrangements: tuple[ArrangementTerms, ...]
    products: dict[str, ProductTerms]
    budgets: tuple[BudgetTerms, ...] = ()
    provider: str = ""
    segment: str = ""
    id: int | None = None
    # The end the contract had before a termination: a lumpsum stays spread over the months
    # it was planned for, so a termination pays only the months up to it.
    planned_end: date | None = None

    def budget(self, year: int, kind: str, profile: int | None = None) -> BudgetTerms | None:
        for budget in self.budgets:
            if budget.year == year and budget.kind == kind and budget.profile == profile:
                return budget
        return None


@dataclass(frozen=True)
class Delivery:
    """Units delivered of one product in one month (a declaration line)."""

    product_code: str
    month: date
    quantity: Decimal
    unit: str
    line: int | None = None


@dataclass(frozen=True)
class Trajectory:
    """A trajectory, or ``count`` trajectories of one product that ended in the same month
    (``ended_on`` the last of their ends, or open) and started on the same day, or, for a product
    no output arrangement of the contract pays, in the same month (``started_on`` the first of
    their starts). Settlement pays a trajectory by its start day and the months of its start
    and end, and never pays one of those other products per trajectory, so a group settles (and
    a scenario prices it) exactly as its members one by one."""

    key: str
    product_code: str
    started_on: date
    ended_on: date | None = None
    line: int | None = None
    count: int = 1


@dataclass(frozen=True)
class Occupancy:
    """Days occupied in a month: of one facility (the arrangement it was imported for, or its
    facility name), or of the whole contract when neither is known."""

    month: date
    occupied_days: Decimal
    line: int | None = None
    facility: str = ""
    arrangement_id: int | None = None

    def belongs_to(self, arrangement: ArrangementTerms) -> bool:
        if self.arrangement_id is not None and arrangement.id is not None:
            return self.arrangement_id == arrangement.id
        if self.facility and arrangement.facility:
            return self.facility.casefold() == arrangement.facility.casefold()
        return True  # a line of the contract as a whole (one facility)


@dataclass(frozen=True)
class Allocation:
    """A profile allocation to a family (the family's pseudonym), for the anti-stacking rule."""

    family: str
    product_code: str
    start: date
    end: date | None = None
    line: int | None = None


@dataclass(frozen=True)
class Consent:
    """A case director's consent (seed 004) for a family's stacked profile ('stapeling') or
    profile switch ('profielwissel'): the products it concerns and the days it covers."""

    family: str
    kind: str  # ConsentKind: stapeling | profielwissel
    product_codes: frozenset[str]
    valid_from: date
    valid_until: date | None = None
    given_on: date | None = None
    case_director: str = ""

    def covers(self, start: date, end: date) -> bool:
        return self.valid_from <= start and (self.valid_until is None or end <= self.valid_until)


@dataclass(frozen=True)
class Production:
    deliveries: tuple[Delivery, ...] = ()
    trajectories: tuple[Trajectory, ...] = ()
    occupancy: tuple[Occupancy, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    #: the case director's consents for the contract's families (facts, like allocations)
    consents: tuple[Consent, ...] = ()


@dataclass(frozen=True)
class Prior:
    """What was payable earlier in the same year: overall and per support profile."""

    payable: Decimal = ZERO
    by_profile: dict[int, Decimal] = field(default_factory=dict)


# --- output ---------------------------------------------------------------------------------


class SettlementError(ValueError):
    """Production that cannot be settled; ``errors`` lists every problem with its line."""

    def __init__(self, errors: Sequence[str]):
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Line:
    model: str
    component: str
    description: str
    amount: Decimal
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    product_code: str = ""
    profile: int | None = None
    arrangement: str = ""


#: the signal's kind in words, shown before its message ("Geen bezettingsgegevens: …"); every
#: kind a settlement can give has one (tests/contracts/test_settlement_flag_labels.py)
FLAG_LABELS = {
    "ceiling": gettext_lazy("Budgetplafond overschreden"),
    "profile_ceiling": gettext_lazy("Plafond per profiel overschreden"),
    "stacking": gettext_lazy("Stapeling"),
    "occupancy": gettext_lazy("Bezetting onder de drempel"),
    "no_occupancy": gettext_lazy("Geen bezettingsgegevens"),
    "no_tariff": gettext_lazy("Geen tarief"),
    "no_budget": gettext_lazy("Geen budget"),
    "unmatched": gettext_lazy("Niet verrekend"),
    "switch": gettext_lazy("Profielwissel zonder instemming"),
    "stacking_consented": gettext_lazy("Stapeling met instemming regisseur"),
    "switch_consented": gettext_lazy("Profielwissel met instemming regisseur"),
}


def flag_label(kind: str) -> str:
    """A signal's kind in words; never the raw key (an unknown kind reads "Signaal")."""
    return str(FLAG_LABELS.get(kind) or _("Signaal"))


@dataclass(frozen=True)
class Flag:
    # one of FLAG_LABELS (the ones ending in _consented are notes)
    kind: str
    message: str
    amount: Decimal | None = None
    #: stacking and switch flags: the family and products concerned and their days (so that a
    #: page can offer to record the case director's consent for exactly these)
    family: str = ""
    product_codes: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    #: a stacking or switch without consent: the allocation whose output payment is held until
    #: the case director consents (the later profile; for a limited intensity, that one)
    held: Allocation | None = None


@dataclass(frozen=True)
class Settlement:
    contract: str
    period: Period
    lines: tuple[Line, ...]
    flags: tuple[Flag, ...]
    withheld: Decimal = ZERO
    payable_by_profile: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total_due(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def payable(self) -> Decimal:
        return self.total_due - self.withheld

    def by_model(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            totals[line.model] += line.amount
        return dict(totals)

    def flags_of(self, kind: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == kind]


# --- helpers --------------------------------------------------------------------------------


def _fmt_qty(quantity: Decimal) -> str:
    quantity = Decimal(quantity)
    if quantity < 0:
        return "-" + _fmt_qty(-quantity)
    text = f"{quantity.normalize():f}"
    if "." in text:
        whole, frac = text.split(".")
    else:
        whole, frac = text, ""
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def _active_months(
    arrangement: ArrangementTerms, terms: ContractTerms, year: int, end: date | None = None
) -> list[date]:
    """The months of ``year`` in which the arrangement and the contract run (any day of it)."""
    result = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        start = max(first, arrangement.valid_from, terms.start)
        until = min(last, arrangement.valid_until or date.max, end or terms.end)
        if start <= until:
            result.append(first)
    return result


def _arrangement_for(terms: ContractTerms, code: str, day: date) -> ArrangementTerms | None:
    for arrangement in terms.arrangements:
        if arrangement.model == ArrangementModel.TASK:
            continue
        if code in arrangement.product_codes and arrangement.covers(day):
            return arrangement
    return None


def _month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _arrangement_for_month(
    terms: ContractTerms, code: str, month: date
) -> tuple[ArrangementTerms | None, date]:
    """The arrangement under which a month's declarations of a product are paid: one that
    runs on any day of the month (the last one that does, when one follows another), and the
    day whose tariff applies (the month's first day, or the arrangement's first day in it)."""
    found = None
    if _month_end(month) < terms.start or month > terms.end:
        return None, month
    for arrangement in terms.arrangements:
        if arrangement.model == ArrangementModel.TASK or code not in arrangement.product_codes:
            continue
        if (
            arrangement.valid_from <= _month_end(month)
            and (arrangement.valid_until is None or arrangement.valid_until >= month)
            and (found is None or arrangement.valid_from > found.valid_from)
        ):
            found = arrangement
    day = max(month, found.valid_from, terms.start) if found else month
    return found, day


def _task_covers(terms: ContractTerms, code: str, day: date) -> bool:
    return any(
        a.model == ArrangementModel.TASK and code in a.product_codes and a.covers(day)
        for a in terms.arrangements
    )


# --- validation -----------------------------------------------------------------------------


def validate(terms: ContractTerms, production: Production) -> None:
    """Refuse production that cannot be right: negative quantities, a unit that does not fit the
    product, unknown products, a trajectory that ends before it starts. All problems at once."""
    errors = []

    def where(line, index, month=None, code=""):
        if line is not None:
            return _("regel %(n)s") % {"n": line}
        if month is not None:  # production summed per product and month: name those
            return _("%(code)s in %(month)s") % {"code": code, "month": month.strftime("%m-%Y")}
        return _("regel %(n)s") % {"n": index + 1}

    for i, d in enumerate(production.deliveries):
        product = terms.products.get(d.product_code)
        if product is None:
            errors.append(
                _("%(where)s: product %(code)s hoort niet bij dit contract.")
                % {"where": where(d.line, i, d.month, d.product_code), "code": d.product_code}
            )
            continue
        if d.quantity < 0:
            errors.append(
                _("%(where)s: aantal %(qty)s is negatief; een correctie is een eigen regel.")
                % {"where": where(d.line, i, d.month, d.product_code), "qty": _fmt_qty(d.quantity)}
            )
        if d.unit != product.unit:
            errors.append(
                _(
                    "%(where)s: product %(code)s wordt geleverd in eenheid %(expected)s, "
                    "niet in %(unit)s."
                )
                % {
                    "where": where(d.line, i, d.month, d.product_code),
                    "code": d.product_code,
                    "expected": Unit(product.unit).label,
                    "unit": Unit(d.unit).label if d.unit in Unit.values else d.unit,
                }
            )
    for i, t in enumerate(production.trajectories):
        if t.product_code not in terms.products:
            errors.append(
                _("%(where)s: product %(code)s hoort niet bij dit contract.")
                % {"where": where(t.line, i), "code": t.product_code}
            )
        if t.ended_on is not None and t.ended_on < t.started_on:
            errors.append(
                _("%(where)s: het traject eindigt vóór het begint.") % {"where": where(t.line, i)}
            )
    for i, o in enumerate(production.occupancy):
        if o.occupied_days < 0:
            errors.append(
                _("%(where)s: het aantal bezette dagen is negatief.") % {"where": where(o.line, i)}
            )
    for i, a in enumerate(production.allocations):
        if a.end is not None and a.end < a.start:
            errors.append(
                _("%(where)s: de toewijzing eindigt vóór ze begint.") % {"where": where(a.line, i)}
            )
    if errors:
        raise SettlementError(errors)


# --- the models -----------------------------------------------------------------------------


def _pxq_lines(terms, period, production, flags) -> list[Line]:
    groups: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for d in production.deliveries:
        if not period.contains(d.month):
            continue
        arrangement, day = _arrangement_for_month(terms, d.product_code, d.month)
        if arrangement is None:
            if not _task_covers(terms, d.product_code, d.month):
                flags.append(
                    Flag(
                        "unmatched",
                        _(
                            "%(qty)s %(unit)s %(code)s in %(month)s valt onder geen "
                            "bekostigingsafspraak van dit contract en is niet verrekend."
                        )
                        % {
                            "qty": _fmt_qty(d.quantity),
                            "unit": terms.products[d.product_code].unit_words(d.quantity),
                            "code": d.product_code,
                            "month": d.month.strftime("%m-%Y"),
                        },
                    )
                )
            continue
        if arrangement.model == ArrangementModel.OUTPUT:
            continue  # an output product is paid per trajectory, not per declared unit
        price = terms.products[d.product_code].price_on(day)
        if price is None:
            flags.append(
                Flag(
                    "no_tariff",
                    _("Geen tarief voor %(code)s op %(day)s; %(qty)s %(unit)s niet verrekend.")
                    % {
                        "code": d.product_code,
                        "day": _d(day),
                        "qty": _fmt_qty(d.quantity),
                        "unit": terms.products[d.product_code].unit_words(d.quantity),
                    },
                )
            )
            continue
        groups[(arrangement, d.product_code, price)] += d.quantity
    lines = []
    for (arrangement, code, price), quantity in sorted(
        groups.items(), key=lambda item: (item[0][1], item[0][2])
    ):
        product = terms.products[code]
        amount = money(quantity * price)
        component = "occupied" if arrangement.model == ArrangementModel.AVAILABILITY else "pxq"
        lines.append(
            Line(
                model=arrangement.model,
                component=component,
                description=_("%(code)s %(name)s: %(qty)s %(unit)s × %(price)s = %(amount)s")
                % {
                    "code": code,
                    "name": product.name,
                    "qty": _fmt_qty(quantity),
                    "unit": product.unit_words(quantity),
                    "price": euro(price),
                    "amount": euro(amount),
                },
                amount=amount,
                quantity=quantity,
                unit_price=price,
                product_code=code,
                profile=product.profile,
                arrangement=arrangement.label(),
            )
        )
    return lines


def _output_lines(terms, period, production, flags) -> list[Line]:
    groups: dict[tuple, int] = defaultdict(int)
    for t in production.trajectories:
        arrangement = _arrangement_for(terms, t.product_code, t.started_on)
        if arrangement is None or arrangement.model != ArrangementModel.OUTPUT:
            continue
        price = terms.products[t.product_code].price_on(t.started_on)
        if price is None:
            if period.contains(t.started_on) or period.contains(t.ended_on):
                flag = Flag(
                    "no_tariff",
                    _("Geen tarief voor %(code)s op %(day)s; traject niet verrekend.")
                    % {"code": t.product_code, "day": _d(t.started_on)},
                )
                flags.extend([flag] * t.count)  # one per trajectory, as before grouping
            continue
        payment = arrangement.output_payment
        if payment == OutputPayment.SPLIT:
            first_half = money(price / 2)
            shares = {"start": first_half, "end": price - first_half}
        elif payment == OutputPayment.AT_END:
            shares = {"end": price}
        else:
            shares = {"start": price}
        if "start" in shares and period.contains(t.started_on):
            groups[(arrangement, t.product_code, "start", shares["start"])] += t.count
        if "end" in shares and period.contains(t.ended_on):
            groups[(arrangement, t.product_code, "end", shares["end"])] += t.count
    lines = []
    for (arrangement, code, moment, share), count in sorted(
        groups.items(), key=lambda item: (item[0][1], item[0][2], item[0][3])
    ):
        product = terms.products[code]
        amount = money(share * count)
        if moment == "start":
            what = ngettext("%(n)s traject gestart", "%(n)s trajecten gestart", count)
        else:
            what = ngettext("%(n)s traject beëindigd", "%(n)s trajecten beëindigd", count)
        lines.append(
            Line(
                model=ArrangementModel.OUTPUT,
                component=f"output_{moment}",
                description=_("%(code)s %(name)s: %(what)s × %(price)s = %(amount)s")
                % {
                    "code": code,
                    "name": product.name,
                    "what": what % {"n": count},
                    "price": euro(share),
                    "amount": euro(amount),
                },
                amount=amount,
                quantity=Decimal(count),
                unit_price=share,
                product_code=code,
                profile=product.profile,
                arrangement=arrangement.label(),
            )
        )
    return lines


def _task_lines(terms, period, flags) -> list[Line]:
    """One lumpsum line per year, however many task-based arrangements follow each other."""
    tasks = [a for a in terms.arrangements if a.model == ArrangementModel.TASK]
    if not tasks:
        return []
    year = period.start.year
    planned = terms.planned_end or terms.end
    active = sorted({m for a in tasks for m in _active_months(a, terms, year, planned)})
    running = {m for a in tasks for m in _active_months(a, terms, year)}
    in_period = [m for m in active if period.start <= m <= period.end and m in running]
    if not in_period:
        return []
    budget = terms.budget(year, BudgetKind.LUMPSUM)
    if budget is None:
        flags.append(
            Flag(
                "no_budget",
                _("Geen taakgericht budget voor %(year)s vastgelegd; niets verrekend.")
                % {"year": year},
            )
        )
        return []
    n = len(active)
    first = active.index(in_period[0])
    last = active.index(in_period[-1]) + 1
    amount = money(budget.amount * last / n) - money(budget.amount * first / n)
    return [
        Line(
            model=ArrangementModel.TASK,
            component="lumpsum",
            description=_(
                "Taakgericht budget %(year)s %(budget)s over %(n)s maanden: "
                "maand %(first)s t/m %(last)s = %(amount)s"
            )
            % {
                "year": year,
                "budget": euro(budget.amount),
                "n": n,
                "first": first + 1,
                "last": last,
                "amount": euro(amount),
            },
            amount=amount,
            quantity=Decimal(last - first),
            arrangement=" / ".join(dict.fromkeys(a.label() for a in tasks)),
        )
    ]


def _availability_lines(terms, period, production, flags) -> list[Line]:
    """Per availability arrangement (one facility each): places × fee, and the occupancy of
    that facility's own lines judged against that arrangement's threshold."""
    lines = []
    facilities = {
        a.facility.casefold()
        for a in terms.arrangements
        if a.model == ArrangementModel.AVAILABILITY and a.facility
    }
    several = len(facilities) > 1  # then lines and flags name their facility
    for arrangement in terms.arrangements:
        if arrangement.model != ArrangementModel.AVAILABILITY:
            continue
        months = [
            m
            for m in _active_months(arrangement, terms, period.start.year)
            if period.start <= m <= period.end
        ]
        if not months:
            continue
        places, fee = arrangement.places, arrangement.place_fee
        amount = money(places * fee * len(months))
        lines.append(
            Line(
                model=ArrangementModel.AVAILABILITY,
                component="availability",
                description=(
                    _(
                        "Beschikbaarheid %(facility)s: %(places)s plaatsen × %(fee)s × "
                        "%(months)s maanden = %(amount)s"
                    )
                    if several
                    else _(
                        "Beschikbaarheid: %(places)s plaatsen × %(fee)s × %(months)s maanden "
                        "= %(amount)s"
                    )
                )
                % {
                    "places": places,
                    "fee": euro(fee),
                    "months": len(months),
                    "amount": euro(amount),
                    "facility": arrangement.facility,
                },
                amount=amount,
                quantity=Decimal(places * len(months)),
                unit_price=fee,
                arrangement=arrangement.label(),
            )
        )
        # Occupancy over the days the arrangement ran in the period.
        month_days = {}
        for m in months:
            last = date(m.year, m.month, calendar.monthrange(m.year, m.month)[1])
            start = max(m, arrangement.valid_from, terms.start)
            end = min(last, arrangement.valid_until or date.max, terms.end)
            month_days[m] = (end - start).days + 1
        recorded: dict[date, Decimal] = defaultdict(lambda: ZERO)
        for o in production.occupancy:
            if o.belongs_to(arrangement):
                recorded[o.month] += o.occupied_days
        occupied, capacity_days, missing = ZERO, 0, []
        for m in months:
            if m in recorded:
                days_occupied = recorded[m]
            else:  # no occupancy reported for the month: its declared etmalen count
                declared = [
                    d.quantity
                    for d in production.deliveries
                    if d.month == m
                    and d.product_code in arrangement.product_codes
                    and terms.products[d.product_code].unit == Unit.ETMAAL
                ]
                if not declared:
                    missing.append(m)
                    continue
                days_occupied = sum(declared, ZERO)
            occupied += days_occupied
            capacity_days += places * month_days[m]
        if missing:
            flags.append(
                Flag(
                    "no_occupancy",
                    (
                        _(
                            "Voorziening %(facility)s: geen bezettingsgegevens voor %(months)s; "
                            "die maanden tellen niet mee in de bezetting."
                        )
                        if several
                        else _(
                            "Geen bezettingsgegevens voor %(months)s; die maanden tellen niet "
                            "mee in de bezetting."
                        )
                    )
                    % {
                        "months": ", ".join(m.strftime("%m-%Y") for m in missing),
                        "facility": arrangement.facility,
                    },
                )
            )
        if not capacity_days:
            continue
        exact_rate = occupied * HUNDRED / capacity_days
        rate = exact_rate.quantize(Decimal("0.1"), rounding=ROUND_FLOOR)  # never shown above
        threshold = arrangement.occupancy_threshold_pct
        if threshold is not None and exact_rate < threshold:
            values = {
                "rate": percent(rate),
                "occupied": _fmt_qty(occupied),
                "capacity": _fmt_qty(Decimal(capacity_days)),
                "threshold": percent(threshold),
                "facility": arrangement.facility,
            }
            if several:
                message = _(
                    "Voorziening %(facility)s: bezetting %(rate)s (%(occupied)s van "
                    "%(capacity)s plaatsdagen) ligt onder de afgesproken drempel van "
                    "%(threshold)s: bespreek samen het samenvoegen of sluiten van groepen."
                )
            else:
                message = _(
                    "Bezetting %(rate)s (%(occupied)s van %(capacity)s plaatsdagen) ligt "
                    "onder de afgesproken drempel van %(threshold)s: bespreek samen het "
                    "samenvoegen of sluiten van groepen."
                )
            flags.append(Flag("occupancy", message % values, amount=rate))
    return lines


def _days(allocation: Allocation, period: Period) -> int:
    """How many days an allocation runs (an open one: until the end of the period)."""
    return ((allocation.end or period.end) - allocation.start).days + 1


def _consent_for(
    consents: Iterable[Consent], kind: str, family: str, codes: set[str], start: date, end: date
) -> Consent | None:
    """The (earliest given) consent of ``kind`` for ``family`` that names every product in
    ``codes`` and covers ``start`` … ``end``."""
    found = [
        c
        for c in consents
        if c.kind == kind
        and c.family == family
        and codes <= c.product_codes
        and c.covers(start, end)
    ]
    return min(found, key=lambda c: (c.given_on or c.valid_from, c.valid_from), default=None)


def _consent_words(consent: Consent) -> dict[str, str]:
    return {
        "given_on": _d(consent.given_on or consent.valid_from),
        "case_director": consent.case_director,
    }


def stacking_breaches(
    terms: ContractTerms,
    allocations: Iterable[Allocation],
    period: Period,
    consents: Iterable[Consent] = (),
) -> list[Flag]:
    """One profile tariff per family at a time (seed 004, 'Stapeling'), except where the
    region lets an intensity run alongside another profile: always, or for at most N days.

    A stacking the case director agreed to (a consent of kind 'stapeling' for the family that
    names both products and covers the overlap's days in the period) becomes a note
    (``stacking_consented``) instead of a breach."""
    consents = tuple(c for c in consents if c.kind == CONSENT_STACKING)
    by_family: dict[str, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        product = terms.products.get(allocation.product_code)
        if product is not None and product.profile is not None:
            by_family[allocation.family].append(allocation)
    flags = []
    for family, items in sorted(by_family.items()):
        items.sort(key=lambda a: (a.start, a.product_code))
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                start = max(first.start, second.start)
                end = min(first.end or date.max, second.end or date.max)
                if start > end:
                    continue
                # Only report what touches this period.
                if end < period.start or start > period.end:
                    continue
                pair = [(a, terms.products[a.product_code]) for a in (first, second)]
                if any(rule.parallel == ParallelRule.ALONGSIDE for _a, rule in pair):
                    continue
                limited = [(a, rule) for a, rule in pair if rule.parallel == ParallelRule.LIMITED]
                if any(_days(a, period) <= rule.parallel_max_days for a, rule in limited):
                    continue
                seen_from, seen_until = max(start, period.start), min(end, period.end)
                consent = _consent_for(
                    consents,
                    CONSENT_STACKING,
                    family,
                    {first.product_code, second.product_code},
                    seen_from,
                    seen_until,
                )
                facts = {
                    "family": family,
                    "product_codes": (first.product_code, second.product_code),
                    "start": seen_from,
                    "end": seen_until,
                }
                if consent is not None:
                    days = (seen_until - seen_from).days + 1
                    message = _(
                        "Gezin %(family)s: %(first)s en %(second)s lopen %(days)s dagen naast "
                        "elkaar (%(start)s tot en met %(until)s), met instemming regisseur d.d. "
                        "%(given_on)s (%(case_director)s); betaald."
                    ) % {
                        "family": family,
                        "first": first.product_code,
                        "second": second.product_code,
                        "days": days,
                        "start": _d(seen_from),
                        "until": _d(seen_until),
                        **_consent_words(consent),
                    }
                    flags.append(Flag("stacking_consented", message, **facts))
                    continue
                held = second
                if limited:
                    short, rule = limited[0]
                    held = short
                    message = _(
                        "Gezin %(family)s: %(intensity)s (%(short)s) loopt %(days)s dagen naast "
                        "%(other)s; naast een ander profiel mag %(intensity)s ten hoogste "
                        "%(max)s dagen."
                    ) % {
                        "family": family,
                        "intensity": rule.intensity,
                        "short": short.product_code,
                        "days": _days(short, period),
                        "other": (second if short is first else first).product_code,
                        "max": rule.parallel_max_days,
                    }
                else:
                    until = min(end, period.end)
                    days = (until - start).days + 1
                    message = _(
                        "Gezin %(family)s: %(first)s (vanaf %(first_start)s) en %(second)s "
                        "(vanaf %(second_start)s) overlappen van %(start)s tot en met %(until)s "
                        "(%(days)s dagen); één profieltarief per gezin tegelijk."
                    ) % {
                        "start": _d(start),
                        "until": _d(until),
                        "family": family,
                        "first": first.product_code,
                        "first_start": _d(first.start),
                        "second": second.product_code,
                        "second_start": _d(second.start),
                        "days": days,
                    }
                flags.append(Flag("stacking", message, held=held, **facts))
    return flags


def profile_switches(
    terms: ContractTerms,
    allocations: Iterable[Allocation],
    period: Period,
    consents: Iterable[Consent] = (),
) -> list[Flag]:
    """A switch to another profile-intensity combination (seed 004, 'De overstap maken naar een
    ander profiel') needs the consent of the family's case director; the burden of proof lies
    with the provider.

    A switch: a family's profile allocation that ends, and one of another product of the same
    contract that starts after it, at most ``SWITCH_WINDOW_DAYS`` days after its end. A product
    of an intensity that may run alongside for a limited number of days (Amsterdam: Acuut, the
    emergency procedure) neither makes nor ends a switch. Reported while the new allocation runs
    in the period: as a switch without consent (``switch``) until a consent of kind
    'profielwissel' for the family names the new product and covers the new allocation's start,
    then as a note (``switch_consented``)."""
    consents = tuple(c for c in consents if c.kind == CONSENT_SWITCH)
    by_family: dict[str, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        product = terms.products.get(allocation.product_code)
        if (
            product is not None
            and product.profile is not None
            and product.parallel != ParallelRule.LIMITED
        ):
            by_family[allocation.family].append(allocation)
    flags = []
    for family, items in sorted(by_family.items()):
        items.sort(key=lambda a: (a.start, a.product_code))
        for new in items:
            if (new.end is not None and new.end < period.start) or new.start > period.end:
                continue  # the new profile does not run in this period
            earlier = [
                old
                for old in items
                if old.product_code != new.product_code
                and old.end is not None
                and old.start < new.start
                and old.end < new.start
                and (new.start - old.end).days <= SWITCH_WINDOW_DAYS
            ]
            if not earlier:
                continue
            old = max(earlier, key=lambda a: (a.end, a.start))
            facts = {
                "family": family,
                "product_codes": (old.product_code, new.product_code),
                "start": new.start,
                "end": new.end,
            }
            values = {
                "family": family,
                "old": old.product_code,
                "old_end": _d(old.end),
                "new": new.product_code,
                "new_start": _d(new.start),
            }
            consent = _consent_for(
                consents, CONSENT_SWITCH, family, {new.product_code}, new.start, new.start
            )
            if consent is not None:
                message = _(
                    "Gezin %(family)s: profielwissel van %(old)s (tot en met %(old_end)s) naar "
                    "%(new)s (vanaf %(new_start)s), met instemming regisseur d.d. %(given_on)s "
                    "(%(case_director)s)."
                ) % {**values, **_consent_words(consent)}
                flags.append(Flag("switch_consented", message, **facts))
            else:
                message = (
                    _(
                        "Gezin %(family)s: profielwissel van %(old)s (tot en met %(old_end)s) naar "
                        "%(new)s (vanaf %(new_start)s) zonder vastgelegde instemming van de "
                        "regisseur; de aanbieder moet de wissel aantonen."
                    )
                    % values
                )
                flags.append(Flag("switch", message, held=new, **facts))
    return flags


def _output_shares(terms: ContractTerms, code: str, start: date) -> dict[str, Decimal]:
    """What one output trajectory of ``code`` started on ``start`` is paid: at its start, its
    end, or half at each (as ``_output_lines`` pays it); empty when no output arrangement or no
    tariff pays it."""
    arrangement = _arrangement_for(terms, code, start)
    if arrangement is None or arrangement.model != ArrangementModel.OUTPUT:
        return {}
    price = terms.products[code].price_on(start)
    if price is None:
        return {}
    payment = arrangement.output_payment
    if payment == OutputPayment.SPLIT:
        first_half = money(price / 2)
        return {"start": first_half, "end": price - first_half}
    if payment == OutputPayment.AT_END:
        return {"end": price}
    return {"start": price}


def _hold_unconsented(
    terms: ContractTerms, production: Production, period: Period, flags: list[Flag]
) -> dict[int | None, Decimal]:
    """Hold the pay of a stacked profile or a switched-to profile until the case director
    consents (seed 004: one profile tariff per family at a time; a switch needs the case
    director's approval and the provider carries the burden of proof).

    The pay held is what this period pays for the held allocation's own trajectory: one
    trajectory of its product that started on the allocation's first day (trajectories are
    counted per product and start day, so one of that group), its start share when it started in
    the period and its end share when the allocation ended in it. An allocation without such a
    trajectory holds nothing; an allocation is held once, however many flags name it. Each flag
    gets the amount and a sentence saying so. Returns the amounts held per support profile."""
    started: dict[tuple[str, date], int] = defaultdict(int)
    for t in production.trajectories:
        started[(t.product_code, t.started_on)] += t.count
    held_by_profile: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    seen: set[tuple[str, str, date]] = set()
    for i, flag in enumerate(flags):
        allocation = flag.held
        if flag.kind not in ("stacking", "switch") or allocation is None:
            continue
        key = (allocation.family, allocation.product_code, allocation.start)
        group = (allocation.product_code, allocation.start)
        if key in seen or started[group] < 1:
            continue
        shares = _output_shares(terms, allocation.product_code, allocation.start)
        amount = ZERO
        if "start" in shares and period.contains(allocation.start):
            amount += shares["start"]
        if "end" in shares and allocation.end is not None and period.contains(allocation.end):
            amount += shares["end"]
        if not amount:
            continue
        seen.add(key)
        started[group] -= 1
        held_by_profile[terms.products[allocation.product_code].profile] += amount
        flags[i] = replace(
            flag,
            amount=amount,
            message=flag.message
            + " "
            + _("%(amount)s voor %(code)s ingehouden tot de regisseur instemt.")
            % {"amount": euro(amount), "code": allocation.product_code},
        )
    return dict(held_by_profile)


def _apply_ceilings(
    terms, period, lines, prior, flags, held: dict[int | None, Decimal] | None = None
) -> tuple[Decimal, dict[int, Decimal]]:
    """Cap what is payable by the ceilings; ``held`` (per profile) is pay already held for a
    stacking or switch without consent, so it neither counts against a ceiling nor is held
    twice."""
    held = held or {}
    year = period.start.year
    withheld = sum(held.values(), ZERO)
    payable_by_profile: dict[int, Decimal] = {}
    due_by_profile: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.profile is not None:
            due_by_profile[line.profile] += line.amount
    for profile, amount in held.items():
        if profile is not None:
            due_by_profile[profile] -= amount
    for profile, due in sorted(due_by_profile.items()):
        ceiling = terms.budget(year, BudgetKind.CEILING, profile)
        earlier = prior.by_profile.get(profile, ZERO)
        payable = due
        if ceiling is not None:
            room = max(ZERO, ceiling.amount - earlier)
            over = max(ZERO, due - room)
            if over:
                payable = due - over
                withheld += over
                flags.append(
                    Flag(
                        "profile_ceiling",
                        _(
                            "Plafond profiel %(profile)s %(year)s (%(ceiling)s) overschreden: "
                            "eerder dit jaar %(earlier)s, nu %(due)s; %(over)s boven het "
                            "plafond is niet betaalbaar."
                        )
                        % {
                            "profile": profile,
                            "year": year,
                            "ceiling": euro(ceiling.amount),
                            "earlier": euro(earlier),
                            "due": euro(due),
                            "over": euro(over),
                        },
                        amount=over,
                    )
                )
        payable_by_profile[profile] = payable
    ceiling = terms.budget(year, BudgetKind.CEILING)
    if ceiling is not None:
        net = sum((line.amount for line in lines), ZERO) - withheld
        room = max(ZERO, ceiling.amount - prior.payable)
        over = max(ZERO, net - room)
        if over:
            withheld += over
            flags.append(
                Flag(
                    "ceiling",
                    _(
                        "Budgetplafond %(year)s (%(ceiling)s) overschreden: eerder dit jaar "
                        "%(earlier)s, nu %(due)s; %(over)s boven het plafond is niet betaalbaar."
                    )
                    % {
                        "year": year,
                        "ceiling": euro(ceiling.amount),
                        "earlier": euro(prior.payable),
                        "due": euro(net),
                        "over": euro(over),
                    },
                    amount=over,
                )
            )
    return withheld, payable_by_profile


# --- entry points ---------------------------------------------------------------------------


def settle(
    terms: ContractTerms,
    production: Production,
    period: Period,
    prior: Prior | None = None,
) -> Settlement:
    """What ``terms`` owe for ``production`` in ``period``; raises :class:`SettlementError`."""
    period.validate()
    validate(terms, production)
    flags: list[Flag] = []
    lines = [
        *_task_lines(terms, period, flags),
        *_availability_lines(terms, period, production, flags),
        *_pxq_lines(terms, period, production, flags),
        *_output_lines(terms, period, production, flags),
    ]
    flags.extend(stacking_breaches(terms, production.allocations, period, production.consents))
    flags.extend(profile_switches(terms, production.allocations, period, production.consents))
    held = _hold_unconsented(terms, production, period, flags)
    withheld, payable_by_profile = _apply_ceilings(
        terms, period, lines, prior or Prior(), flags, held
    )
    return Settlement(
        contract=terms.reference,
        period=period,
        lines=tuple(lines),
        flags=tuple(flags),
        withheld=withheld,
        payable_by_profile=payable_by_profile,
    )


def settle_year_to_date(terms: ContractTerms, production: Production, period: Period) -> Settlement:
    """Settle ``period`` with the ceilings counted from January (what was payable before)."""
    earlier = period.before()
    prior = Prior()
    if earlier is not None:
        before = settle(terms, production, earlier)
        prior = Prior(payable=before.payable, by_profile=before.payable_by_profile)
    return settle(terms, production, period, prior)


def decreasing_lumpsum(
    base: Decimal, base_year: int, pct: Decimal, years: int
) -> dict[int, Decimal]:
    """A lumpsum that falls by ``pct`` percent a year: each year's amount from the year before,
    rounded to cents, for ``years`` years from ``base_year`` (which gets ``base``)."""
    amounts = {base_year: money(base)}
    for year in range(base_year + 1, base_year + years):
        amounts[year] = money(amounts[year - 1] * (HUNDRED - pct) / HUNDRED)
    return amounts


# --- procurement effect ---------------------------------------------------------------------


def with_tariffs_on(terms: ContractTerms, day: date) -> ContractTerms:
    """The same contract with every product priced at the tariff valid on ``day``."""
    products = {}
    for code, product in terms.products.items():
        price = product.price_on(day)
        fixed = (Validity(date.min, None, price),) if price is not None else ()
        products[code] = replace(product, contract_tariffs=fixed, regional_tariffs=())
    return replace(terms, products=products)


def with_tariff_change(terms: ContractTerms, pct: Decimal) -> ContractTerms:
    """The same contract with every tariff version raised (or lowered) by ``pct`` percent."""

    def scaled(versions):
        return tuple(
            replace(v, amount=money(v.amount * (HUNDRED + pct) / HUNDRED)) for v in versions
        )

    products = {
        code: replace(
            p,
            contract_tariffs=scaled(p.contract_tariffs),
            regional_tariffs=scaled(p.regional_tariffs),
        )
        for code, p in terms.products.items()
    }
    return replace(terms, products=products)


def as_pxq(terms: ContractTerms) -> ContractTerms:
    """The same contract paid purely per unit delivered: one PxQ arrangement over every product
    that is not an output product, for the contract's whole term; no lumpsum, no availability."""
    codes = frozenset(code for code, p in terms.products.items() if p.unit != Unit.PIECES_OUTPUT)
    arrangement = ArrangementTerms(
        model=ArrangementModel.PXQ,
        valid_from=terms.start,
        valid_until=terms.end,
        product_codes=codes,
        name=str(ArrangementModel.PXQ.label),
    )
    output = tuple(a for a in terms.arrangements if a.model == ArrangementModel.OUTPUT)
    return replace(terms, arrangements=(arrangement, *output), budgets=())


class Difference:
    """Current against alternative (a dataclass's ``current`` and ``alternative``): the
    difference and its percentage of the current."""

    @property
    def difference(self) -> Decimal:
        return self.alternative - self.current

    @property
    def difference_pct(self) -> Decimal | None:
        if not self.current:
            return None
        return (self.difference * HUNDRED / self.current).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Effect(Difference):
    contract: str
    provider: str
    segment: str
    current: Decimal
    alternative: Decimal
    # Production left unpriced (no tariff, outside every arrangement) now or in the alternative:
    # without these the difference would look like a saving.
    warnings: tuple[str, ...] = ()


def procurement_effect(
    pairs: Iterable[tuple[ContractTerms, Production]], period: Period, scenario
) -> list[Effect]:
    """Price each contract's production in ``period`` now and under ``scenario`` (a function
    from terms to alternative terms); the difference is the procurement effect."""
    effects = []
    for terms, production in pairs:
        current = settle(terms, production, period)
        alternative = settle(scenario(terms), production, period)
        warnings = [
            *(_("Huidig: %(message)s") % {"message": f.message} for f in _unpriced(current)),
            *(
                _("Alternatief: %(message)s") % {"message": f.message}
                for f in _unpriced(alternative)
            ),
        ]
        effects.append(
            Effect(
                terms.reference,
                terms.provider,
                terms.segment,
                current.total_due,
                alternative.total_due,
                tuple(warnings),
            )
        )
    return effects


def _unpriced(settlement: Settlement) -> list[Flag]:
    return [f for f in settlement.flags if f.kind in ("no_tariff", "unmatched", "no_budget")]


def effect_totals(effects: Iterable[Effect], key: str) -> list[tuple[str, Decimal, Decimal]]:
    """Current and alternative totals per ``key`` ('segment' or 'provider'), sorted by name."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for effect in effects:
        pair = totals[getattr(effect, key)]
        pair[0] += effect.current
        pair[1] += effect.alternative
    return [(name, cur, alt) for name, (cur, alt) in sorted(totals.items())]
