"""Generated production for the demo contracts (contracts/demo.py), January 2025 to October 2026.

Per contract, following its funding arrangements:

- PxQ and task-based: monthly declaration lines per client, from a pool of clients who start,
  stay some months and leave, priced at the tariff valid that month. The volume follows the
  contract's money: a share of the year's ceiling, or of the lumpsum (for WBO the care
  registered at the reference tariffs: the realised production the region weighs when it
  recalibrates a budget, seed 002 ch. 11).
- Availability: occupancy per month and the declarations for the occupied days.
- Output (Amsterdam): trajectories with a CBS end reason and the matching profile allocation per
  family. No declaration lines: the trajectory is what is paid, and a declaration line of an
  output product would be priced a second time as PxQ by the settlement engine.

Special cases (named in contracts.demo): one ZHZ contract runs over its 2026 ceiling, one ZHZ
availability contract keeps places in two facilities and one of them falls under its occupancy
threshold in 2026 (occupancy per facility), one Amsterdam family has two ordinary profiles at
once (a stacking breach), and some Amsterdam families have an Acuut allocation of at most 14
days next to their profile (allowed).

Clients appear only as a random 64-hex pseudonym, never a BSN or a name or anything derived from
one. Municipalities that do not take part in a contract's segment get no production.
ILLUSTRATIVE: all volumes are generated. Deterministic (a fixed seed per region) and repeatable:
a region that already has production is skipped. Rows are bulk-inserted (production is not
audited).
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from contracts.codes import ArrangementModel, BudgetKind, OutputPayment
from contracts.demo import AMS_STACKING, ZHZ_LOW_FACILITY, ZHZ_LOW_OCCUPANCY, ZHZ_OVERRUN
from contracts.models import Contract, TariffVersion
from core.demo_clock import (
    demo_date,
    demo_year,
    first_production_month,
    last_production_day,
    last_production_month,
    production_years,
)
from core.ui.formatting import money
from monitoring.demo.batches import record_batch
from monitoring.demo.consent import load_consented_stacking
from monitoring.demo.steering import load_monitoring
from monitoring.imports.models import Allocation, Declaration, EndReason, Occupancy, Trajectory
from segments.codes import ParticipationLevel, Unit
from segments.models import Municipality, Participation, Region

SEED = "jeugdinkoop-productie-2025-2026"


D = Decimal
# The Amsterdam demo region's intensity codes (seed 004, segments/demo/seed_data.py).
PERSPECTIVE, INTENSIVE, ACUTE, LASTING = "perspectief", "intensief", "acuut", "duurzaam"
# A little less in the summer holidays and in December.
SEASON = {7: 0.88, 8: 0.82, 12: 0.92, 9: 1.05, 10: 1.06, 3: 1.04}
# Rough numbers of inhabitants (× 1,000), so that a large municipality gets more clients.
INHABITANTS = {
    # Zuid-Holland Zuid
    "GM0482": 20,
    "GM0505": 121,
    "GM0512": 38,
    "GM0523": 18,
    "GM0531": 32,
    "GM1963": 89,
    "GM1978": 45,
    "GM0590": 32,
    "GM0610": 26,
    "GM0642": 45,
    # West-Brabant Oost
    "GM1959": 57,
    "GM0758": 187,
    "GM1719": 28,
    "GM0779": 22,
    "GM0826": 57,
    # Amsterdam-Amstelland and Zaanstreek-Waterland
    "GM0358": 33,
    "GM0362": 92,
    "GM0363": 930,
    "GM0384": 32,
    "GM0437": 15,
    "GM0451": 31,
    "GM0370": 10,
    "GM0385": 37,
    "GM0415": 12,
    "GM0431": 10,
    "GM0439": 93,
    "GM0852": 18,
    "GM0880": 17,
    "GM0479": 160,
}
# CBS reason for ending (01 as planned ... 05 external), roughly as often as in practice.
END_REASONS = [
    (EndReason.AS_PLANNED, 68),
    (EndReason.EARLY_AGREED, 14),
    (EndReason.BY_CLIENT, 8),
    (EndReason.BY_PROVIDER, 5),
    (EndReason.EXTERNAL, 5),
]
#: how much more often an Amsterdam provider's main profile is chosen than the others
MAIN_PROFILE_WEIGHT = 30
PART_TIME_STAYS = {"43A02", "44A02", "44B02", "44C01", "44P02"}
INTENSIVE_HOURS = {"45C01"}
CRISIS_HOURS = {"46A01"}


def _months(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def _days_in(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _pseudonym(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


class PriceBook:
    """Tariff versions of a region: a contract's own version where it has one, else regional."""

    def __init__(self, region: Region):
        self.versions: dict[tuple[int, int | None], list] = defaultdict(list)
        for v in TariffVersion.objects.filter(region=region).order_by("valid_from"):
            self.versions[(v.product_id, v.contract_id)].append(
                (v.valid_from, v.valid_until, v.amount)
            )

    def price(self, product_id: int, contract_id: int, day: date) -> Decimal | None:
        for key in ((product_id, contract_id), (product_id, None)):
            for start, until, amount in self.versions.get(key, ()):
                if start <= day and (until is None or day <= until):
                    return amount
        return None


@dataclass
class Client:
    key: str
    product: object
    municipality: object
    months_left: int
    first: bool = True


@dataclass
class Rows:
    declarations: list = field(default_factory=list)
    trajectories: list = field(default_factory=list)
    allocations: list = field(default_factory=list)
    occupancy: list = field(default_factory=list)


def _areas(region: Region):
    """A function giving, for a segment, the municipalities that take part in it (or in every
    segment above it) with their weight; a partial participant counts half."""
    municipalities = list(Municipality.objects.filter(region=region).order_by("cbs_code"))
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for p in Participation.objects.filter(segment__region=region):
        levels[p.segment_id][p.municipality_id] = p.level

    def area(segment) -> list[tuple[object, float]]:
        chain = []
        while segment is not None:
            chain.append(segment.pk)
            segment = segment.parent
        rows = []
        for m in municipalities:
            level = {levels[s].get(m.pk) for s in chain}
            if ParticipationLevel.NONE in level:
                continue
            weight = float(INHABITANTS.get(m.cbs_code, 10))
            rows.append((m, weight / 2 if ParticipationLevel.PARTIAL in level else weight))
        return rows

    return area


class ContractProduction:
    def __init__(self, contract, rng, book, area, rows):
        self.contract, self.rng, self.book, self.rows = contract, rng, book, rows
        self.arrangements = list(contract.arrangements.all())
        served = {m.pk for m in contract.provider.municipalities_served.all()}
        full = area(contract.segment)
        local = [(m, w) for m, w in full if m.pk in served]
        self.area = local or full
        # a contract for some municipalities only (a pilot) delivers in those, all of them
        scope = list(contract.municipalities.all())
        if scope:
            self.area = [(m, float(INHABITANTS.get(m.cbs_code, 10))) for m in scope]
        self.budgets = list(contract.budgets.all())

    # -------------------------------------------------------------- helpers

    def municipality(self):
        places, weights = zip(*self.area, strict=True)
        return self.rng.choices(places, weights)[0]

    def price(self, product, day: date) -> Decimal:
        price = self.book.price(product.pk, self.contract.pk, day)
        if price is None:
            raise RuntimeError(f"No tariff for {product.code} on {day} ({self.contract})")
        return price

    def covers(self, arrangement, month: date) -> bool:
        return arrangement.valid_from <= month and (
            arrangement.valid_until is None or month <= arrangement.valid_until
        )

    def runs(self, month: date) -> bool:
        # From the first whole month: settlement matches a month's lines on its first day.
        return self.contract.start_date <= month <= self.contract.end_date

    def active_months(self, year: int) -> int:
        first = max(self.contract.start_date, date(year, 1, 1))
        last = min(self.contract.end_date, date(year, 12, 31))
        return 0 if first > last else last.month - first.month + 1

    def budget(self, year: int, kind: str, profile: int | None = None):
        for b in self.budgets:
            number = b.support_profile.number if b.support_profile_id else None
            if b.year == year and b.kind == kind and number == profile:
                return b
        return None

    def declare(self, client: Client, month: date, quantity: Decimal) -> Decimal:
        amount = money(quantity * self.price(client.product, month))
        self.rows.declarations.append(
            Declaration(
                region_id=self.contract.region_id,
                contract_id=self.contract.pk,
                municipality_id=client.municipality.pk,
                product_id=client.product.pk,
                client_key=client.key,
                month=month,
                quantity=quantity,
                unit=client.product.unit,
                amount=amount,
            )
        )
        return amount

    # -------------------------------------------------------------- effort: PxQ, task, places

    def run(self) -> None:
        if any(a.model == ArrangementModel.OUTPUT for a in self.arrangements):
            self.output()
        else:
            self.effort()

    def utilisation(self, year: int) -> float:
        if any(a.model == ArrangementModel.TASK for a in self.arrangements):
            # The lumpsum also pays for the task beyond individual care (development
            # assignments, consultation of the local teams, triage), so the care registered at
            # the reference tariffs stays below it.
            return self.rng.uniform(0.7, 0.8)
        if self.contract.reference == ZHZ_OVERRUN and year == demo_year(2026):
            return 1.3  # demand grows while the ceiling falls: over it by October
        return self.rng.uniform(0.74, 0.86)

    def year_target(self, year: int, month: date) -> Decimal:
        lumpsum = self.budget(year, BudgetKind.LUMPSUM)
        if lumpsum is not None:
            return lumpsum.amount_on(month)
        ceiling = self.budget(year, BudgetKind.CEILING)
        if ceiling is not None:
            return ceiling.amount_on(date(year, 12, 31))
        return D("360000")

    def effort(self) -> None:
        places = [a for a in self.arrangements if a.model == ArrangementModel.AVAILABILITY]
        kept = {p.pk for a in places for p in a.products.all()}
        pxq = [
            (a, [p for p in a.products.all() if p.pk not in kept])
            for a in self.arrangements
            if a.model in (ArrangementModel.PXQ, ArrangementModel.TASK)
        ]
        residents = {a.pk: [] for a in places}
        rates = {a.pk: self.rng.uniform(0.7, 0.9) for a in places}
        pool: list[Client] = []
        started = False
        use = {}
        for month in _months(first_production_month(), last_production_month()):
            if not self.runs(month):
                continue
            year = month.year
            if year not in use:
                use[year] = self.utilisation(year)
            months = self.active_months(year) or 12
            target = (
                self.year_target(year, month)
                * D(str(use[year]))
                / months
                * D(str(SEASON.get(month.month, 1.0)))
            )
            spent = D(0)
            for arrangement in places:
                if not self.covers(arrangement, month):
                    continue
                spent += arrangement.places * arrangement.place_fee
                spent += self.occupancy(arrangement, month, residents[arrangement.pk], rates)
            products = [p for a, ps in pxq if self.covers(a, month) for p in ps]
            if not products:
                continue
            goal = max(target - spent, target * D("0.08"))
            if not started:
                pool = self.initial_pool(products, goal, month)
                started = True
            spent = D(0)
            staying = []
            for client in pool:
                spent += self.declare(client, month, self.quantity(client, month))
                client.first = False
                client.months_left -= 1
                if client.months_left > 0:
                    staying.append(client)
            pool = staying
            guard = 0
            while spent < goal and guard < 5000:
                guard += 1
                client = self.new_client(products)
                spent += self.declare(client, month, self.quantity(client, month))
                client.first = False
                client.months_left -= 1
                if client.months_left > 0:
                    pool.append(client)

    def initial_pool(self, products, goal: Decimal, month: date) -> list[Client]:
        """Clients already in care when the period starts (no partial first month)."""
        pool, expected = [], D(0)
        while expected < goal and len(pool) < 5000:
            client = self.new_client(products)
            client.first = False
            client.months_left = self.rng.randint(1, client.months_left)
            expected += self.typical(client, month)
            pool.append(client)
        return pool

    def new_client(self, products) -> Client:
        rng = self.rng
        weights = []
        for p in products:
            if p.unit == Unit.ETMAAL:
                weights.append(2 if p.code in PART_TIME_STAYS else 1.5)
            elif p.unit == Unit.PIECES_OUTPUT:
                weights.append(1)
            else:
                weights.append(3)
        product = rng.choices(products, weights)[0]
        if product.unit == Unit.PIECES_OUTPUT:
            months = 1
        elif product.unit == Unit.ETMAAL and product.code not in PART_TIME_STAYS:
            months = rng.randint(3, 18)
        elif product.code in CRISIS_HOURS:
            months = rng.randint(1, 2)
        else:
            months = rng.randint(2, 12)
        return Client(_pseudonym(rng), product, self.municipality(), months)

    def quantity(self, client: Client, month: date) -> Decimal:
        rng, product, days = self.rng, client.product, _days_in(month)
        share = rng.uniform(0.35, 1.0) if client.first else 1.0
        if product.unit == Unit.ETMAAL:
            value = rng.randint(3, 12) if product.code in PART_TIME_STAYS else days
            return D(max(1, round(value * share)))
        if product.unit == Unit.MINUTE:
            return D(max(15, round(rng.randrange(180, 1260, 15) * share / 15) * 15))
        if product.unit == Unit.HOUR:
            low, high = (12, 40) if product.code in INTENSIVE_HOURS else (3, 20)
            if product.code in CRISIS_HOURS:
                low, high = 3, 16
            return D(str(max(1.0, round(rng.uniform(low, high) * share * 4) / 4)))
        if product.unit == Unit.DAGDEEL:
            return D(max(1, round(rng.randint(4, 32) * share)))
        if product.unit == Unit.KILOMETRE:
            return D(rng.randint(50, 400))
        return D(1) if product.unit == Unit.PIECES_OUTPUT else D(rng.randint(1, 4))

    def typical(self, client: Client, month: date) -> Decimal:
        product = client.product
        amount = {
            Unit.ETMAAL: 8 if product.code in PART_TIME_STAYS else _days_in(month),
            Unit.MINUTE: 720,
            Unit.HOUR: 26 if product.code in INTENSIVE_HOURS else 11,
            Unit.DAGDEEL: 18,
        }.get(product.unit, 1)
        return D(amount) * self.price(product, month)

    def occupancy(self, arrangement, month: date, residents: list, rates: dict) -> Decimal:
        """Residents in the kept places this month: the occupancy row and their declarations."""
        rng, days = self.rng, _days_in(month)
        product = arrangement.products.all()[0]
        crisis = product.code.startswith("46")
        rate = rates[arrangement.pk]
        if (
            self.contract.reference == ZHZ_LOW_OCCUPANCY
            and month.year == demo_year(2026)
            and arrangement.facility in (ZHZ_LOW_FACILITY, "")
        ):
            rate = 0.33
        rate = min(1.0, rate * rng.uniform(0.92, 1.08))
        target = arrangement.places * days * rate
        capacity = arrangement.places * days
        stay = 0.3 if crisis else 0.9
        desired = max(1, round(arrangement.places * rate))
        if not residents and month == max(first_production_month(), arrangement.valid_from):
            # Places occupied from the first day (already, or as soon as they open).
            residents.extend(
                Client(_pseudonym(rng), product, self.municipality(), 0) for _ in range(desired)
            )
        occupied, amount, staying = 0, D(0), []
        for client in residents:
            if rng.random() < stay and len(staying) < desired:
                nights = days
                staying.append(client)
            else:
                nights = rng.randint(1, days - 1)
            occupied += nights
            amount += self.declare(client, month, D(nights))
        residents[:] = staying
        arrivals = 0
        while occupied < target - days / 8 and len(residents) < arrangement.places:
            arrivals += 1
            low, high = (3, 21) if crisis else (max(2, days // 4), days)
            nights = min(rng.randint(low, high), capacity - occupied)
            if nights < 1 or arrivals > 40:
                break
            client = Client(_pseudonym(rng), product, self.municipality(), 0)
            occupied += nights
            amount += self.declare(client, month, D(nights))
            if crisis and rng.random() < 0.6:
                continue  # a short crisis stay: came and left within the month
            residents.append(client)
        self.rows.occupancy.append(
            Occupancy(
                region_id=self.contract.region_id,
                contract_id=self.contract.pk,
                facility=arrangement.facility,
                arrangement_id=arrangement.pk,
                month=month,
                places=arrangement.places,
                occupied_days=D(occupied),
            )
        )
        return amount

    # -------------------------------------------------------------- output: Amsterdam

    def output(self) -> None:
        rng = self.rng
        arrangement = next(a for a in self.arrangements if a.model == ArrangementModel.OUTPUT)
        products = [
            p
            for p in arrangement.products.select_related("support_profile", "intensity")
            if p.support_profile_id
        ]
        by_code = {p.code: p for p in products}
        self.split = arrangement.output_payment
        self.due: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: D(0))
        acute = [p for p in products if p.intensity.code == ACUTE]
        ordinary = [p for p in products if p.intensity.code != ACUTE]
        intensity_weight = {
            PERSPECTIVE: 55,
            INTENSIVE: 25,
            LASTING: 12,
        }
        # Each provider mostly serves the families of one of the common profiles (1-5), the
        # one it is known for; so the public page has profile × intensity cells of ten youths
        # and more (docs/public.md).
        numbers = sorted({p.support_profile.number for p in ordinary})
        main = rng.choice([n for n in numbers if n <= 5] or numbers)
        weights = [
            intensity_weight[p.intensity.code]
            * (16 - p.support_profile.number)
            * (MAIN_PROFILE_WEIGHT if p.support_profile.number == main else 1)
            for p in ordinary
        ]
        if self.contract.reference == AMS_STACKING:
            # The stacking breach: one family, two ordinary profiles at the same time.
            family = _pseudonym(rng)
            for code, start, days in (
                ("P03-PER", demo_date(2026, 1, 12), 170),
                ("P06-INT", demo_date(2026, 2, 16), 165),
            ):
                self.fits(by_code[code], start, days)
                self.trajectory(family, by_code[code], start, days, EndReason.AS_PLANNED)
        for year in production_years():
            last = min(date(year, 12, 31), last_production_day())
            first = max(date(year, 1, 15), self.contract.start_date, first_production_month())
            span = (last - first).days
            if span < 0:
                continue
            count = rng.randint(40, 58) * span // 365
            for _ in range(count):
                start = first + timedelta(days=rng.randint(0, span))
                for _try in range(6):
                    product = rng.choices(ordinary, weights)[0]
                    days = self.duration(product)
                    if self.fits(product, start, days):
                        break
                else:
                    continue
                family = _pseudonym(rng)
                if acute and product.intensity.code != LASTING and rng.random() < 0.15:
                    crisis = next(
                        p for p in acute if p.support_profile_id == product.support_profile_id
                    )
                    crisis_days = rng.randint(3, 14)
                    crisis_start = start - timedelta(days=rng.randint(1, crisis_days - 1))
                    if self.fits(crisis, crisis_start, crisis_days):
                        self.trajectory(
                            family, crisis, crisis_start, crisis_days, EndReason.AS_PLANNED
                        )
                self.trajectory(family, product, start, days)

    def duration(self, product) -> int:
        low, high = {
            PERSPECTIVE: (90, 270),
            INTENSIVE: (120, 365),
            LASTING: (300, 365),
            ACUTE: (3, 14),
        }[product.intensity.code]
        return self.rng.randint(low, high)

    def shares(self, product, start: date) -> tuple[Decimal, Decimal]:
        price = self.price(product, start)
        if self.split == OutputPayment.SPLIT:
            half = money(price / 2)
            return half, price - half
        if self.split == OutputPayment.AT_END:
            return D(0), price
        return price, D(0)

    def fits(self, product, start: date, days: int) -> bool:
        """Whether the trajectory stays under 90% of every ceiling of the years it is paid in."""
        end = start + timedelta(days=days - 1)
        first, second = self.shares(product, start)
        profile = product.support_profile.number
        charges = [(start.year, first)]
        if end <= last_production_day():
            charges.append((end.year, second))
        for year, amount in charges:
            for key in ((year, None), (year, profile)):
                ceiling = self.budget(year, BudgetKind.CEILING, key[1])
                if ceiling is not None and self.due[key] + amount > ceiling.amount * D("0.9"):
                    return False
        for year, amount in charges:
            self.due[(year, None)] += amount
            self.due[(year, profile)] += amount
        return True

    def trajectory(self, family: str, product, start: date, days: int, reason: str = "") -> None:
        rng = self.rng
        planned_end = start + timedelta(days=days - 1)
        reason = reason or rng.choices(*zip(*END_REASONS, strict=True))[0]
        ended = planned_end
        if reason != EndReason.AS_PLANNED and product.intensity.code != ACUTE:
            ended = start + timedelta(days=max(1, int(days * rng.uniform(0.3, 0.8))))
        if ended > last_production_day():
            ended, reason = None, ""
        municipality = self.municipality()
        common = {
            "region_id": self.contract.region_id,
            "contract_id": self.contract.pk,
            "municipality_id": municipality.pk,
            "product_id": product.pk,
            "client_key": family,
        }
        self.rows.trajectories.append(
            Trajectory(started_on=start, ended_on=ended, end_reason=reason, **common)
        )
        self.rows.allocations.append(Allocation(start=start, end=ended or planned_end, **common))
        # What the provider declares for it (iJw: a declaration line per output payment): the
        # first share in the month it starts, the second in the month it ends. Settlement pays
        # the trajectory, not these lines (contracts.settlement); the dashboards' spending and
        # the municipal reports read them, as for every other funding model.
        first, second = self.shares(product, start)
        price = first + second
        payments = [(start, first)] + ([(ended, second)] if ended else [])
        for day, amount in payments:
            if amount:
                self.rows.declarations.append(
                    Declaration(
                        month=date(day.year, day.month, 1),
                        quantity=(amount / price).quantize(D("0.01")) if price else D(1),
                        unit=product.unit,
                        amount=amount,
                        **common,
                    )
                )


def _has_production(region: Region) -> bool:
    return any(
        model.objects.filter(region=region).exists()
        for model in (Declaration, Trajectory, Allocation, Occupancy)
    )


def load_production(region: Region) -> dict[str, int]:
    """Production for the region's demo contracts, then the monitoring data on top of it
    (monitoring.demo.steering: trajectories, referrals, outcomes, norms, annual accounts,
    rollups, signals, dialogues). Each part is skipped when the region already has it."""
    counts = _load_production(region)
    counts.update(load_monitoring(region))
    counts.update(load_consented_stacking(region))  # Amsterdam: a consented stacked profile
    return counts


def _load_production(region: Region) -> dict[str, int]:
    """Declarations, trajectories, allocations and occupancy; an empty dict when there are no
    contracts or the region already has production."""
    contracts = list(
        Contract.objects.filter(region=region, arrangements__isnull=False)
        .distinct()
        .select_related("provider", "segment__parent__parent")
        .prefetch_related(
            "arrangements__products__support_profile",
            "budgets__revisions",
            "budgets__support_profile",
            "provider__municipalities_served",
            "municipalities",
        )
        .order_by("reference")
    )
    if not contracts or _has_production(region):
        return {}
    rng = random.Random(f"{SEED}-{region.slug}")
    book, area, rows = PriceBook(region), _areas(region), Rows()
    for contract in contracts:
        ContractProduction(contract, rng, book, area, rows).run()
    for label, lines in (
        ("D", rows.declarations),
        ("T", rows.trajectories),
        ("A", rows.allocations),
        ("B", rows.occupancy),
    ):
        for n, line in enumerate(lines, start=1):
            line.reference = f"DEMO-{label}{n:07d}"
    with transaction.atomic():
        for model, lines in (
            (Declaration, rows.declarations),
            (Trajectory, rows.trajectories),
            (Allocation, rows.allocations),
            (Occupancy, rows.occupancy),
        ):
            record_batch(region, model, lines)
        Declaration.objects.bulk_create(rows.declarations, batch_size=2000)
        Trajectory.objects.bulk_create(rows.trajectories, batch_size=2000)
        Allocation.objects.bulk_create(rows.allocations, batch_size=2000)
        Occupancy.objects.bulk_create(rows.occupancy, batch_size=2000)
    counts = {
        "declaratieregels": len(rows.declarations),
        "trajecten": len(rows.trajectories),
        "toewijzingen": len(rows.allocations),
        "bezettingsregels": len(rows.occupancy),
    }
    return {label: n for label, n in counts.items() if n}
