"""Monitoring demo on top of the generated production (monitoring/demo.py): the data every
dashboard, signal and dialogue needs.

- Zuid-Holland Zuid and West-Brabant Oost: a trajectory for every client of the declaration
  pools (start in the first declared month, end in or just after the last one; open when the
  client is still declared in October 2026) with a CBS end reason; some step-downs from crisis
  or residential care to ambulant help within 31 days, a few step-ups to crisis and re-entries
  after 2-11 months (new trajectories of the same client); an allocation per new trajectory.
  No new declaration lines: trajectories of effort-paid products are not priced by
  settlement, so the settlement figures of the demo do not change.
- All three regions: a referral before every trajectory start (wait times vary by contract, so
  some contracts are over the norm; crisis is referred the same day or just before), outcome
  measurements at the end of most ended trajectories (a couple of contracts noticeably worse)
  and some at the start.
- Segment norms for the main segments, risk weights, annual accounts of most contracted
  providers for 2024 and 2025 (margins mostly 0-4%, two between 5 and 15%, one above 15%, one
  loss; one executive pay above the WNT maximum), then the KPI rollups and signals.
- Steering: in West-Brabant Oost a performance dialogue held in 2026 (agenda from its signals,
  notes, three actions: done, open, overdue) and a planned follow-up; in Zuid-Holland Zuid an
  escalation (dialogue, then an improvement plan that is still open) with the provider whose
  availability contract has red occupancy signals.

ILLUSTRATIVE: every figure is generated or invented (notes say so). Deterministic: its own
random stream (seeded apart from the production's, which stays untouched) and fixed choices.
Repeatable: each part is skipped when the region already has it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max, Min

from contracts.codes import Direction, Kpi
from contracts.models import Contract
from core.demo_clock import (
    demo_date,
    demo_year,
    first_production_month,
    last_production_day,
    last_production_month,
    shift,
)
from monitoring.demo.batches import record_batch
from monitoring.imports.models import (
    DROPOUT_REASONS,
    Allocation,
    Declaration,
    EndReason,
    OutcomeMeasurement,
    OutcomeMoment,
    Referral,
    Referrer,
    Trajectory,
)
from monitoring.kpis.definitions import care_level
from monitoring.kpis.models import KpiRollup
from monitoring.steering.models import KpiNorm, RiskWeight
from providers.models import AnnualAccount
from segments.models import Product, Region, Segment

SEED = "jeugdinkoop-monitoring-2025-2026"


D = Decimal
ILLUSTRATIVE = "Illustratief: gegenereerd voor de demo, niet ontleend aan de bronstukken."

# CBS reason for ending, as in monitoring.demo.END_REASONS; drop-out (03, 04) is scaled per
# contract so that some contracts do better than others.
END_REASONS = [
    (EndReason.AS_PLANNED, 68),
    (EndReason.EARLY_AGREED, 14),
    (EndReason.BY_CLIENT, 8),
    (EndReason.BY_PROVIDER, 5),
    (EndReason.EXTERNAL, 5),
]
REFERRERS = [
    (Referrer.MUNICIPAL_ACCESS, 40),
    (Referrer.GP, 22),
    (Referrer.YOUTH_DOCTOR, 8),
    (Referrer.CERTIFIED_INSTITUTION, 10),
    (Referrer.MEDICAL_SPECIALIST, 12),
    (Referrer.NONE, 5),
    (Referrer.JUDGE, 3),
]
# Youth protection and probation (iJw 47, 48, 49) come by a court or a certified institution.
JUSTICE_CATEGORIES = {"47", "48", "49"}
JUSTICE_REFERRERS = [
    (Referrer.JUDGE, 55),
    (Referrer.CERTIFIED_INSTITUTION, 30),
    (Referrer.MUNICIPAL_ACCESS, 15),
]
AMBULANT_CATEGORIES = ("45", "54", "41")  # step-down targets, most preferred first
CRISIS_CATEGORY = "46"


def _days_in(month: date) -> int:
    nxt = (month + timedelta(days=32)).replace(day=1)
    return (nxt - month).days


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _tenth(value: float) -> Decimal:
    return D(str(value)).quantize(D("0.1"), ROUND_HALF_UP)


@dataclass
class Quality:
    """How a contract performs in the demo: wait time, drop-out and outcomes."""

    wait: float  # mean days from referral to start
    dropout: float  # factor on the drop-out weights of END_REASONS
    goal: float  # mean goal realisation (%)
    experience: float  # mean client experience (1-10)


def _qualities(rng: random.Random, contracts: list[Contract]) -> dict[int, Quality]:
    """Most contracts within the norms; about a quarter wait too long, two (one in a small
    region) have noticeably more drop-out and worse outcomes."""
    slow = {c.pk for c in rng.sample(contracts, max(1, len(contracts) // 4))}
    poor = {c.pk for c in rng.sample(contracts, 2 if len(contracts) >= 8 else 1)}
    result = {}
    for c in contracts:
        bad = c.pk in poor
        result[c.pk] = Quality(
            wait=rng.uniform(45, 62) if c.pk in slow else rng.uniform(12, 30),
            dropout=rng.uniform(1.7, 2.1) if bad else rng.uniform(0.45, 0.95),
            goal=rng.uniform(54, 61) if bad else rng.uniform(72, 85),
            experience=rng.uniform(6.2, 6.8) if bad else rng.uniform(7.4, 8.3),
        )
    return result


@dataclass
class Line:
    contract: Contract
    municipality_id: int
    client_key: str
    product: Product | None = None
    start: date | None = None
    end: date | None = None
    reason: str = ""


class Lines:
    """Trajectories, referrals and outcomes generated for one region."""

    def __init__(self, region: Region, rng: random.Random, contracts: list[Contract]):
        self.region, self.rng = region, rng
        self.contracts = {c.pk: c for c in contracts}
        self.quality = _qualities(rng, contracts)
        self.products = {p.pk: p for p in Product.objects.filter(region=region)}
        self.offered: dict[int, list[Product]] = defaultdict(list)
        for c in contracts:
            seen = set()
            for arrangement in c.arrangements.all():
                for p in arrangement.products.all():
                    if p.pk not in seen:
                        seen.add(p.pk)
                        self.offered[c.pk].append(p)
            self.offered[c.pk].sort(key=lambda p: p.code)
        self.trajectories: list[Line] = []
        self.referrals: list[tuple[Line, date, str]] = []
        self.outcomes: list[tuple[Line, str, date, Decimal | None, Decimal | None]] = []

    # ------------------------------------------------------------------ helpers

    def final(self, contract: Contract) -> date:
        return min(last_production_day(), contract.end_date or last_production_day())

    def level(self, product: Product) -> int:
        return care_level(product.category)

    def reason(self, contract: Contract) -> str:
        factor = self.quality[contract.pk].dropout
        weights = [(r, w * factor if r in DROPOUT_REASONS else w) for r, w in END_REASONS]
        return _pick(self.rng, weights)

    def duration(self, product: Product) -> int:
        return {3: (3, 21), 2: (90, 330), 1: (60, 240)}[self.level(product)]

    def add(self, line: Line) -> Line:
        self.trajectories.append(line)
        return line

    def follow_on(self, previous: Line, contract: Contract, product: Product, start: date):
        """A new trajectory of the same client from ``start``; ``None`` outside the window."""
        if start > self.final(contract) or start < contract.start_date:
            return None
        low, high = self.duration(product)
        end = start + timedelta(days=self.rng.randint(low, high))
        reason = ""
        if end > self.final(contract):
            end = None if self.final(contract) == last_production_day() else self.final(contract)
        if end is not None:
            reason = self.reason(contract)
        return self.add(
            Line(
                contract, previous.municipality_id, previous.client_key, product, start, end, reason
            )
        )

    # ------------------------------------------------------------------ trajectories

    def from_declarations(self) -> None:
        """One trajectory per client of the declaration pools, plus step-downs, step-ups and
        re-entries as new trajectories of the same client."""
        rows = list(
            Declaration.objects.filter(region=self.region, active=True)
            .values("contract_id", "client_key", "product_id", "municipality_id")
            .annotate(first=Min("month"), last=Max("month"))
            .order_by()
        )
        rows.sort(
            key=lambda r: (self.contracts[r["contract_id"]].reference, r["first"], r["client_key"])
        )
        # Which contracts deliver in which municipality (so new trajectories stay in the area).
        serves: dict[int, set[int]] = defaultdict(set)
        for r in rows:
            serves[r["municipality_id"]].add(r["contract_id"])
        rng = self.rng
        for r in rows:
            contract = self.contracts[r["contract_id"]]
            product = self.products[r["product_id"]]
            final = self.final(contract)
            first, last = r["first"], r["last"]
            start = max(
                first + timedelta(days=rng.randint(0, _days_in(first) - 1)),
                first_production_month(),
            )
            start = max(start, contract.start_date)
            end, reason = None, ""
            if last < last_production_month():
                month = last
                if rng.random() < 0.2 and _next_month(last) <= final:
                    month = _next_month(last)  # the last declaration was not the last contact
                low = start.day if month == first else 1
                end = min(month.replace(day=rng.randint(low, _days_in(month))), final)
                end = max(end, start)
                reason = self.reason(contract)
            line = self.add(
                Line(contract, r["municipality_id"], r["client_key"], product, start, end, reason)
            )
            self.sequel(line, serves[r["municipality_id"]])

    def sequel(self, line: Line, local: set[int]) -> None:
        rng = self.rng
        level = self.level(line.product)
        planned = line.end is not None and line.reason in ("01", "02")
        if planned and level >= 2 and rng.random() < 0.3:
            target = self.lighter(line.contract, local, line.end)
            if target is not None:
                start = line.end + timedelta(days=rng.randint(1, 28))
                if self.follow_on(line, *target, start) is not None:
                    return
        if line.end is not None and rng.random() < 0.07:
            start = line.end + timedelta(days=rng.randint(61, 330))
            self.follow_on(line, line.contract, line.product, start)
            return
        if level == 1 and rng.random() < 0.03:
            last = line.end or last_production_day()
            if (last - line.start).days > 14:
                day = line.start + timedelta(days=rng.randint(7, (last - line.start).days))
                crisis = self.heavier(local, day)
                if crisis is not None:
                    self.follow_on(line, *crisis, day)

    def lighter(self, contract: Contract, local: set[int], day: date):
        """An ambulant product for a step-down: of the same contract where it has one, else of
        another contract delivering in the client's municipality."""
        candidates = [contract] + sorted(
            (self.contracts[pk] for pk in local if pk != contract.pk), key=lambda c: c.reference
        )
        for category in AMBULANT_CATEGORIES:
            for c in candidates:
                if not (c.start_date <= day <= self.final(c)):
                    continue
                products = [p for p in self.offered[c.pk] if p.category == category]
                if products:
                    return c, self.rng.choice(products)
        return None

    def heavier(self, local: set[int], day: date):
        candidates = sorted((self.contracts[pk] for pk in local), key=lambda c: c.reference)
        options = [
            (c, p)
            for c in candidates
            if c.start_date <= day <= self.final(c)
            for p in self.offered[c.pk]
            if p.category == CRISIS_CATEGORY
        ]
        return self.rng.choice(options) if options else None

    def existing(self) -> list[Line]:
        """The region's trajectories already in the database (Amsterdam)."""
        lines = []
        for t in (
            Trajectory.objects.filter(region=self.region, active=True)
            .select_related("product")
            .order_by("pk")
        ):
            lines.append(
                Line(
                    self.contracts[t.contract_id],
                    t.municipality_id,
                    t.client_key,
                    t.product,
                    t.started_on,
                    t.ended_on,
                    t.end_reason,
                )
            )
        return lines

    # ------------------------------------------------------------------ referrals, outcomes

    def refer_and_measure(self, lines: list[Line]) -> None:
        rng = self.rng
        for line in lines:
            contract, quality = line.contract, self.quality[line.contract.pk]
            earliest = max(first_production_month(), contract.start_date)
            if line.product.category == CRISIS_CATEGORY:
                wait = rng.choice((0, 0, 0, 1, 1, 2))  # crisis: referred the same day
            else:
                wait = round(rng.gauss(quality.wait, quality.wait * 0.35))
                wait = min(80, max(5, wait))
            referred = line.start - timedelta(days=wait)
            if referred >= earliest:
                table = (
                    JUSTICE_REFERRERS if line.product.category in JUSTICE_CATEGORIES else REFERRERS
                )
                self.referrals.append((line, referred, _pick(rng, table)))
            final = self.final(contract)
            if rng.random() < 0.25:
                day = line.start + timedelta(days=rng.randint(0, 21))
                if day <= final:
                    grade = min(9.5, max(5.5, rng.gauss(quality.experience, 0.7)))
                    self.outcomes.append((line, OutcomeMoment.START, day, None, _tenth(grade)))
            if line.end is None:
                continue
            share = 0.5 if line.product.category == CRISIS_CATEGORY else 0.85
            if rng.random() >= share:
                continue
            day = min(line.end + timedelta(days=rng.randint(0, 14)), final)
            dropped = line.reason in DROPOUT_REASONS
            goal = min(100.0, max(40.0, rng.gauss(quality.goal - (15 if dropped else 0), 12)))
            grade = min(9.5, max(5.5, rng.gauss(quality.experience - (0.8 if dropped else 0), 0.7)))
            which = rng.random()
            goal_value = None if which < 0.07 else _tenth(goal)
            grade_value = None if 0.07 <= which < 0.12 else _tenth(grade)
            self.outcomes.append((line, OutcomeMoment.END, day, goal_value, grade_value))

    # ------------------------------------------------------------------ saving

    def save(self, new_trajectories: list[Line]) -> dict[str, int]:
        region = self.region
        counts = {}

        def common(line: Line, with_product: bool = True) -> dict:
            data = {
                "region_id": region.pk,
                "contract_id": line.contract.pk,
                "municipality_id": line.municipality_id,
                "client_key": line.client_key,
            }
            if with_product:
                data["product_id"] = line.product.pk
            return data

        def numbered(model, label: str, rows: list) -> list:
            offset = model.objects.filter(region=region).count()
            for n, row in enumerate(rows, start=offset + 1):
                row.reference = f"DEMO-{label}{n:07d}"
            record_batch(region, model, rows)
            model.objects.bulk_create(rows, batch_size=2000)
            return rows

        trajectories = [
            Trajectory(started_on=t.start, ended_on=t.end, end_reason=t.reason, **common(t))
            for t in new_trajectories
        ]
        allocations = [Allocation(start=t.start, end=t.end, **common(t)) for t in new_trajectories]
        referrals = [
            Referral(referred_on=day, referrer=who, **common(t, False))
            for t, day, who in self.referrals
        ]
        outcomes = [
            OutcomeMeasurement(
                moment=moment,
                measured_on=day,
                goal_realisation=goal,
                client_experience=grade,
                **common(t, False),
            )
            for t, moment, day, goal, grade in self.outcomes
        ]
        for model, label, rows, name in (
            (Trajectory, "T", trajectories, "trajecten"),
            (Allocation, "A", allocations, "toewijzingen"),
            (Referral, "R", referrals, "verwijzingen"),
            (OutcomeMeasurement, "O", outcomes, "uitkomstmetingen"),
        ):
            if rows:
                numbered(model, label, rows)
                counts[name] = len(rows)
        return counts


def _contracts(region: Region) -> list[Contract]:
    return list(
        Contract.objects.filter(region=region, arrangements__isnull=False)
        .distinct()
        .select_related("provider", "segment")
        .prefetch_related("arrangements__products")
        .order_by("reference")
    )


def load_lines(region: Region) -> dict[str, int]:
    """Trajectories (Zuid-Holland Zuid, West-Brabant Oost), referrals and outcomes (all).
    Skipped when the region has no production or already has referrals."""
    if Referral.objects.filter(region=region).exists():
        return {}
    has_declarations = Declaration.objects.filter(region=region).exists()
    has_trajectories = Trajectory.objects.filter(region=region).exists()
    if not (has_declarations or has_trajectories):
        return {}
    contracts = _contracts(region)
    rng = random.Random(f"{SEED}-{region.slug}")
    lines = Lines(region, rng, contracts)
    if has_trajectories:
        every = lines.existing()
        new = []
    else:
        lines.from_declarations()
        every = new = lines.trajectories
    lines.refer_and_measure(every)
    with transaction.atomic():
        return lines.save(new)


# ---------------------------------------------------------------- norms and risk weights

LOWER, HIGHER = Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER
WAIT = (Kpi.WAIT_TIME, LOWER, "28", "42", "56", "Dagen van verwijzing tot start.")
CRISIS_WAIT = (Kpi.WAIT_TIME, LOWER, "1", "2", "4", "Crisishulp start binnen een etmaal.")
DROPOUT = (Kpi.DROPOUT, LOWER, "10", "15", "20", "Aandeel beëindigd met reden 03 of 04.")
GOAL = (Kpi.GOAL_REALISATION, HIGHER, "75", "65", "55", "Gemiddelde doelrealisatie bij einde.")
EXPERIENCE = (Kpi.CLIENT_EXPERIENCE, HIGHER, "7.5", "7.0", "6.5", "Rapportcijfer bij einde.")
OCCUPANCY = (Kpi.OCCUPANCY, HIGHER, "85", "65", "50", "Bezette dagen / plaatsdagen.")
COST = (
    Kpi.COST_PER_CLIENT,
    LOWER,
    "4500",
    "5000",
    "5500",
    "Gedeclareerd bedrag per unieke jeugdige per maand.",
)
SEGMENT_NORMS = {
    "zhz": {
        "1": [WAIT, DROPOUT, GOAL, EXPERIENCE, COST],
        "2": [WAIT, DROPOUT, GOAL, EXPERIENCE, OCCUPANCY],
        "5": [CRISIS_WAIT, DROPOUT, OCCUPANCY],
        "6": [WAIT, DROPOUT],
    },
    "wbo": {"1": [WAIT, DROPOUT, GOAL, EXPERIENCE]},
    "ams": {"B": [WAIT, DROPOUT, GOAL, EXPERIENCE]},
}
RISK_WEIGHTS = {
    Kpi.WAIT_TIME: "2",
    Kpi.DROPOUT: "1.5",
    Kpi.GOAL_REALISATION: "1",
    Kpi.CLIENT_EXPERIENCE: "1",
    Kpi.COST_PER_CLIENT: "1",
    Kpi.OCCUPANCY: "1",
    "finance_margin": "2",
    "finance_wnt": "2",
}


def load_norms(region: Region) -> dict[str, int]:
    """Segment norms and risk weights; skipped when the region has either."""
    counts = {}
    specs = SEGMENT_NORMS.get(region.slug, {})
    if specs and not KpiNorm.objects.filter(segment__region=region).exists():
        segments = {s.code: s for s in Segment.objects.filter(region=region, code__in=specs)}
        norms = []
        for code, rows in specs.items():
            if code not in segments:
                continue
            for kpi, direction, norm, amber, red, note in rows:
                item = KpiNorm(
                    segment=segments[code],
                    kpi=kpi,
                    direction=direction,
                    norm=D(norm),
                    amber_threshold=D(amber),
                    red_threshold=D(red),
                    note=f"{note} Illustratieve norm voor de demo.",
                )
                item.full_clean()
                norms.append(item)
        KpiNorm.objects.bulk_create(norms)
        counts["segmentnormen"] = len(norms)
    if not RiskWeight.objects.filter(region=region).exists():
        RiskWeight.objects.bulk_create(
            RiskWeight(region=region, topic=topic, weight=D(weight))
            for topic, weight in RISK_WEIGHTS.items()
        )
        counts["risicowegingen"] = len(RISK_WEIGHTS)
    return counts


# ---------------------------------------------------------------- a region's own KPI

#: per region: a KPI of its own (issue 17), the segment that steers on it and its norm
REGION_KPIS = {
    "wbo": {
        "kpi": {
            "code": "crisis-zonder-herhaling",
            "name": "Crisis zonder nieuwe crisis binnen 6 maanden",
            "definition": (
                "Aandeel van de in de maand beëindigde crisistrajecten (iJw-categorie 46) waarna "
                "dezelfde jeugdige binnen 6 maanden geen nieuw crisistraject in de regio start. "
                "Tactisch doel van de integrale opdracht: crisis voorkomen door op tijd de "
                "juiste hulp."
            ),
            "unit": "procent",
            "direction": Direction.HIGHER_IS_BETTER,
            "computation": "trajectory_share",
            "population": "ended",
            "population_categories": ["46"],
            "later": "without",
            "later_months": 6,
            "later_categories": ["46"],
        },
        "segment": "1",
        "norm": ("90", "85", "75", "Illustratieve norm voor de demo."),
        "steering": ["wait_time", "dropout"],
    },
}


def load_region_kpis(region: Region) -> dict[str, int]:
    """The region's own demo KPI, its segment norm and the segment's steering KPIs (through
    the services); skipped when the region has it."""
    from monitoring.kpis import services as kpi_services
    from monitoring.kpis.models import RegionKpi
    from monitoring.steering import services as steering_services

    spec = REGION_KPIS.get(region.slug)
    if spec is None or RegionKpi.objects.filter(region=region, code=spec["kpi"]["code"]).exists():
        return {}
    segment = Segment.objects.filter(region=region, code=spec["segment"]).first()
    if segment is None:
        return {}
    kpi = kpi_services.region_kpi_create(region=region, **spec["kpi"])
    norm, amber, red, note = spec["norm"]
    steering_services.norm_set(
        segment=segment,
        kpi=kpi.topic,
        direction=kpi.direction,
        norm=D(norm),
        amber_threshold=D(amber),
        red_threshold=D(red),
        note=note,
    )
    kpi_services.steering_kpis_set(segment=segment, kpis=[kpi.topic, *spec["steering"]])
    return {"eigen KPI's": 1}


# ---------------------------------------------------------------- annual accounts


def _yearly_volume(contract: Contract, year: int) -> Decimal:
    amounts = [b.current_amount for b in contract.budgets.all() if b.year == year]
    return sum(amounts, D(0)) or D("500000")


def load_accounts(region: Region) -> dict[str, int]:
    """Annual accounts 2024 and 2025 of most providers with a demo contract; skipped when the
    region's providers already have accounts."""
    if AnnualAccount.objects.filter(provider__region=region).exists():
        return {}
    contracts = list(
        Contract.objects.filter(region=region)
        .select_related("provider")
        .prefetch_related("budgets__revisions")
        .order_by("provider__name", "reference")
    )
    by_provider: dict[int, list[Contract]] = defaultdict(list)
    providers = {}
    for c in contracts:
        by_provider[c.provider_id].append(c)
        providers[c.provider_id] = c.provider
    if not providers:
        return {}
    rng = random.Random(f"{SEED}-finance-{region.slug}")
    order = sorted(providers, key=lambda pk: (providers[pk].name, pk))
    # "Most": about one in nine has not filed its accounts (yet).
    missing = set(rng.sample(order, len(order) // 9)) if len(order) >= 9 else set()
    filed = [pk for pk in order if pk not in missing]
    # 2025: one margin above 15%, two between 5 and 15% and one loss (a small region: only
    # the first); one executive paid above the WNT maximum.
    special = rng.sample(filed, min(5 if len(filed) >= 10 else 2, len(filed)))
    margins = (rng.uniform(16, 19), rng.uniform(5.5, 9), rng.uniform(9, 13), rng.uniform(-8, -6))
    margins_2025 = dict(zip(special[:-1], margins, strict=False))
    wnt_breach = special[-1]
    accounts = []
    for pk in filed:
        share = rng.uniform(0.3, 0.75)  # this region's contracts as a share of all revenue
        for year in (demo_year(2024), demo_year(2025)):
            volume = sum(
                (_yearly_volume(c, year) for c in by_provider[pk]), D(0)
            ) or _yearly_volume(by_provider[pk][0], demo_year(2025))
            revenue = (volume / D(str(share)) * D(str(rng.uniform(0.95, 1.05)))).quantize(D("1000"))
            pct = rng.uniform(0.2, 4.0)
            if year == demo_year(2025) and pk in margins_2025:
                pct = margins_2025[pk]
            elif year == demo_year(2024) and pk in margins_2025 and margins_2025[pk] > 15:
                pct = rng.uniform(8, 12)  # already high the year before
            result = (revenue * D(str(pct)) / 100).quantize(D("1"))
            pay = D(rng.randrange(138_000, 226_000, 500))
            if year == demo_year(2025) and pk == wnt_breach:
                pay = D("259500")
            account = AnnualAccount(
                provider_id=pk,
                year=year,
                revenue=revenue,
                result=result,
                executive_pay=pay,
                note=ILLUSTRATIVE,
            )
            account.full_clean()
            accounts.append(account)
    AnnualAccount.objects.bulk_create(accounts)
    return {"jaarrekeningen": len(accounts)}


# ---------------------------------------------------------------- rollups and signals


def refresh(region: Region, force: bool = False) -> dict[str, int]:
    """KPI rollups and signals of the region (monitoring.kpis.rollups /
    monitoring.steering.alerts); skipped when the region already has rollups
    and nothing new was loaded."""
    from monitoring.kpis import rollups
    from monitoring.steering import alerts

    if not force and KpiRollup.objects.filter(region=region).exists():
        return {}
    # All months at every grain, then the KPI signals; the finance signals (refresh_region
    # evaluates them too; again here is idempotent and keeps this independent of that).
    rows = rollups.refresh_region(region.pk)
    alerts.evaluate_finance(region.pk)
    return {"KPI-maandtellingen": rows} if rows else {}


# ---------------------------------------------------------------- dialogues and escalation

# As designed (core.demo_clock moves them): the dialogue was held after the last month of
# production, so its agenda holds only signals from before the meeting; the next one is
# planned in the month after the anchor's.
HELD_ON = date(2026, 11, 12)
PLANNED_ON = date(2027, 1, 14)
DIALOGUE_NOTES = (
    "Besproken: de wachttijd en de uitval van de afgelopen maanden (zie de agendapunten). De "
    "aanbieder herkent het beeld: door personeelsverloop in het voorjaar liepen intakes uit en "
    "stopten meer trajecten voortijdig. Er is een wervingsronde gestart en de intake is "
    "centraal georganiseerd. Afgesproken: de aanbieder levert een wachtlijstanalyse per "
    "locatie en een plan om de uitval terug te dringen; de regio deelt maandelijks de cijfers. "
    "(Illustratief verslag voor de demo.)"
)
ACTIONS = [
    # description, owner, due, closed on, follow-up
    (
        "Wachtlijstanalyse per locatie aanleveren, met de verwachte wachttijd per zorgvorm.",
        "Aanbieder, manager zorg",
        date(2026, 11, 27),
        date(2026, 11, 24),
        "Analyse ontvangen en besproken in het regio-overleg.",
    ),
    (
        "Plan van aanpak om de uitval (reden 03/04) terug te brengen onder de 10%.",
        "Aanbieder, bestuurder",
        date(2026, 11, 30),  # overdue on the day the demo is loaded
        None,
        "",
    ),
    (
        "Maandelijks de wachttijd- en uitvalcijfers met de aanbieder delen.",
        "Regio, contractmanager",
        date(2027, 3, 31),
        None,
        "",
    ),
]


def _user(username: str):
    from accounts.models import User

    return User.objects.filter(username=username).first()


def _signalled(region: Region, contract: str | None = None):
    """The provider to talk to: with red signals and, for a readable agenda, at most a dozen
    open KPI signals (the most of those); else the one with the most open signals."""
    from monitoring.steering.models import Level, Signal, SignalSource, SignalStatus
    from providers.models import Provider

    signals = Signal.objects.filter(
        region=region, source=SignalSource.KPI, status=SignalStatus.OPEN
    )
    if contract:
        signals = signals.filter(contract__reference=contract)
    counts: dict[int, int] = defaultdict(int)
    reds: set[int] = set()
    for provider_id, level in signals.values_list("provider_id", "level"):
        counts[provider_id] += 1
        if level == Level.RED:
            reds.add(provider_id)
    if not counts:
        return None
    readable = [pk for pk in sorted(counts) if pk in reds and 3 <= counts[pk] <= 12]
    best = max(readable or sorted(counts), key=lambda pk: counts[pk])
    return Provider.objects.get(pk=best)


def load_steering(region: Region) -> dict[str, int]:
    """West-Brabant Oost: a dialogue held in 2026 with a provider with red signals (see
    ``_signalled``). Zuid-Holland Zuid: an escalation (dialogue, then an improvement plan that
    is still open) with the provider of the low-occupancy contract, and a planned dialogue
    with it. Through the services of monitoring.steering.dialogues and monitoring.steering.services;
    skipped when     the region already has dialogues or escalations."""
    from contracts.demo import ZHZ_LOW_OCCUPANCY
    from monitoring.steering import dialogues, services
    from monitoring.steering.models import (
        ActionStatus,
        Escalation,
        EscalationStep,
        PerformanceDialogue,
    )

    if (
        PerformanceDialogue.objects.filter(region=region).exists()
        or Escalation.objects.filter(region=region).exists()
    ):
        return {}
    counts = {}
    if region.slug == "wbo":
        provider = _signalled(region)
        if provider is None:
            return {}
        user = _user("contractmanager")
        dialogue = dialogues.dialogue_create(
            provider=provider,
            scheduled_on=shift(HELD_ON),
            participants="Contractmanager regio, beleidsadviseur jeugd; bestuurder en manager "
            "zorg van de aanbieder",
            user=user,
        )
        dialogues.dialogue_record(
            dialogue=dialogue, notes=DIALOGUE_NOTES, participants=dialogue.participants, user=user
        )
        for description, owner, due, closed_on, follow_up in ACTIONS:
            action = dialogues.action_add(
                dialogue=dialogue,
                description=description,
                owner=owner,
                due_on=shift(due),
                user=user,
            )
            if closed_on is not None:
                dialogues.action_update(
                    action=action,
                    status=ActionStatus.DONE,
                    follow_up=follow_up,
                    user=user,
                    closed_on=shift(closed_on),
                )
        counts["prestatiedialogen"] = 1
    elif region.slug == "zhz":
        provider = _signalled(region, ZHZ_LOW_OCCUPANCY)
        if provider is None:
            return {}
        user = _user("inkoper")
        services.escalation_start(
            provider=provider,
            step=EscalationStep.DIALOGUE,
            started_on=demo_date(2026, 5, 12),
            reason="Bezetting van de beschikbaar gehouden plaatsen sinds januari "
            f"{demo_year(2026)} onder de "
            "drempel van 50% (rood). Gesprek over samenvoegen of afbouwen van plaatsen. "
            "(Illustratief.)",
            user=user,
            region=region,
        )
        services.escalation_start(
            provider=provider,
            step=EscalationStep.IMPROVEMENT_PLAN,
            started_on=demo_date(2026, 7, 1),
            reason="Na het gesprek van mei bleef de bezetting onder de drempel. De aanbieder "
            "stelt een verbeterplan op: minder plaatsen of een bredere doelgroep, met een "
            "evaluatie na drie maanden. (Illustratief.)",
            user=user,
            region=region,
        )
        dialogues.dialogue_create(
            provider=provider,
            scheduled_on=shift(PLANNED_ON),
            participants="Inkoper en contractmanager regio; directie van de aanbieder",
            user=user,
        )
        counts["escalatiestappen"] = 2
        counts["prestatiedialogen"] = 1
    return counts


# ---------------------------------------------------------------- entry point


def load_monitoring(region: Region) -> dict[str, int]:
    """Everything above for one region; repeatable (a second run adds nothing)."""
    counts = {}
    with transaction.atomic():
        counts.update(load_lines(region))
        counts.update(load_norms(region))
        counts.update(load_region_kpis(region))
        counts.update(load_accounts(region))
        counts.update(refresh(region, force=bool(counts)))
        counts.update(load_steering(region))
    return counts
