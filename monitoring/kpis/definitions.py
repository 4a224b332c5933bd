"""The KPIs of DOMAIN.md §9: what each one means and how it follows from the rollup measures.

Every KPI is a ratio of additive measures of ``KpiRollup`` (summing rows of one grain over months
keeps the definitions true), so this module is pure: it takes anything with the measure
attributes (a ``KpiRollup``, a dict wrapped in :class:`Measures`, ...) and returns a ``Decimal``
or ``None`` when the denominator is zero. The definitions are shown in the UI next to every
figure. Spend against budget needs the budget as well and has its own functions below.

Levels of care for step-up and step-down: crisis (iJw category 46) is heavier than residential
care (43, 44), which is heavier than everything else (ambulant, day treatment, ...).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contracts.codes import Direction, Kpi
from core.ui.formatting import euro, percent

RESIDENTIAL_CATEGORIES = frozenset({"43", "44"})
CRISIS_CATEGORIES = frozenset({"46"})
#: a new trajectory that starts within this many days after the previous one ended (or while
#: it still runs) continues it: a step-up or step-down when the level differs.
TRANSFER_DAYS = 31
#: a new start after more than TRANSFER_DAYS and at most this many days is a re-entry.
REENTRY_DAYS = 365

MEASURES = (
    "youths",
    "youths_residential",
    "trajectories_active",
    "trajectories_started",
    "trajectories_ended",
    "amount",
    "declaration_lines",
    "dropouts",
    "duration_days",
    "wait_days",
    "wait_count",
    "step_ups",
    "step_downs",
    "reentries",
    "goal_sum",
    "goal_count",
    "experience_sum",
    "experience_count",
    "occupied_days",
    "place_days",
)

HUNDRED = Decimal(100)


def care_level(category: str) -> int:
    """3 crisis, 2 residential, 1 everything else."""
    if category in CRISIS_CATEGORIES:
        return 3
    if category in RESIDENTIAL_CATEGORIES:
        return 2
    return 1


class Measures:
    """Measures from a mapping (e.g. a ``values()`` row or a sum over months)."""

    def __init__(self, data: dict[str, Any] | None = None, **kwargs):
        merged = {**(data or {}), **kwargs}
        for name in MEASURES:
            setattr(self, name, merged.get(name) or 0)
        #: region-defined KPIs: {topic: (numerator, denominator)} (monitoring.kpis.regional)
        self.custom: dict[str, tuple] = dict(merged.get("custom") or {})

    @classmethod
    def total(cls, rows) -> Measures:
        """The sum of the measures of several rows (months) of one grain."""
        sums = dict.fromkeys(MEASURES, 0)
        custom: dict[str, tuple] = {}
        for row in rows:
            for name in MEASURES:
                sums[name] += getattr(row, name) if not isinstance(row, dict) else row.get(name, 0)
            extra = getattr(row, "custom", None) or (
                row.get("custom") if isinstance(row, dict) else None
            )
            for topic, (num, den) in (extra or {}).items():
                old = custom.get(topic, (0, 0))
                custom[topic] = (old[0] + num, old[1] + den)
        return cls(sums, custom=custom)


def _ratio(numerator, denominator, scale=1, places="0.1") -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) * scale / Decimal(denominator)
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    unit: str  # "aantal", "euro", "dagen", "procent", "cijfer"
    direction: str | None  # the usual direction; None for volumes (no norm by default)
    definition: Any  # lazy Dutch text shown in the UI
    numerator: str
    denominator: str | None = None
    scale: int = 1
    places: str = "0.1"
    #: the measures a drill-down shows: which lines the figure is made of
    source: str = "declarations"
    regional: bool = False

    @property
    def label(self):
        return Kpi(self.code).label

    def value(self, m) -> Decimal | None:
        if self.code == Kpi.SPEND_VS_BUDGET:
            return None  # needs a budget: see spend_vs_budget()
        if self.code == Kpi.AMBULANT_SHARE:
            return _ratio(m.youths - m.youths_residential, m.youths, 100, self.places)
        if self.denominator is None:
            return Decimal(getattr(m, self.numerator))
        return _ratio(
            getattr(m, self.numerator), getattr(m, self.denominator), self.scale, self.places
        )


_DEFS = [
    KpiDefinition(
        Kpi.UNIQUE_YOUTHS,
        "aantal",
        None,
        _(
            "Aantal verschillende jeugdigen (pseudoniemen) met in de maand een geldende "
            "declaratieregel of een lopend traject. Een jeugdige bij twee aanbieders telt op "
            "segment- en regioniveau één keer."
        ),
        "youths",
        places="1",
    ),
    KpiDefinition(
        Kpi.TRAJECTORIES,
        "aantal",
        None,
        _(
            "Aantal trajecten dat in de maand liep: gestart op of voor het einde van de maand en "
            "niet beëindigd voor het begin ervan."
        ),
        "trajectories_active",
        places="1",
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.SPEND_VS_BUDGET,
        "procent",
        Direction.LOWER_IS_BETTER,
        _(
            "Gedeclareerd bedrag van 1 januari tot en met de maand, als percentage van het "
            "budget of plafond van het jaar. Bij het huidige tempo (gemiddelde per maand dit "
            "jaar) is het budget op in de getoonde maand."
        ),
        "amount",
    ),
    KpiDefinition(
        Kpi.COST_PER_CLIENT,
        "euro",
        Direction.LOWER_IS_BETTER,
        _(
            "Gedeclareerd bedrag in de maand gedeeld door het aantal unieke jeugdigen in die maand "
            "(over meer maanden: bedrag gedeeld door cliëntmaanden)."
        ),
        "amount",
        "youths",
        places="0.01",
    ),
    KpiDefinition(
        Kpi.DURATION,
        "dagen",
        Direction.LOWER_IS_BETTER,
        _(
            "Gemiddelde duur in dagen (einde − start + 1) van de trajecten die in de maand "
            "eindigden."
        ),
        "duration_days",
        "trajectories_ended",
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.WAIT_TIME,
        "dagen",
        Direction.LOWER_IS_BETTER,
        _(
            "Gemiddeld aantal dagen tussen de verwijzing en de start, over de trajecten die in de "
            "maand startten en een verwijzing naar hetzelfde contract hebben (de laatste "
            "verwijzing op of voor de start)."
        ),
        "wait_days",
        "wait_count",
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.STEP_UP,
        "procent",
        Direction.LOWER_IS_BETTER,
        _(
            "Aandeel van de in de maand gestarte trajecten dat een lichter traject van dezelfde "
            "jeugdige opvolgt (dat nog liep of ten hoogste 31 dagen eerder eindigde). Zwaarte: "
            "crisis (46) boven verblijf (43, 44) boven de overige hulp."
        ),
        "step_ups",
        "trajectories_started",
        100,
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.STEP_DOWN,
        "procent",
        Direction.HIGHER_IS_BETTER,
        _(
            "Aandeel van de in de maand gestarte trajecten dat een zwaarder traject van dezelfde "
            "jeugdige opvolgt (dat nog liep of ten hoogste 31 dagen eerder eindigde)."
        ),
        "step_downs",
        "trajectories_started",
        100,
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.REENTRY,
        "procent",
        Direction.LOWER_IS_BETTER,
        _(
            "Aandeel van de in de maand gestarte trajecten van jeugdigen die geen traject meer "
            "hadden, maar in de 12 maanden ervoor (meer dan 31 dagen eerder) een traject in de "
            "regio beëindigden."
        ),
        "reentries",
        "trajectories_started",
        100,
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.DROPOUT,
        "procent",
        Direction.LOWER_IS_BETTER,
        _(
            "Aandeel van de in de maand beëindigde trajecten met CBS-reden 03 (eenzijdig door "
            "cliënt) of 04 (eenzijdig door aanbieder)."
        ),
        "dropouts",
        "trajectories_ended",
        100,
        source="trajectories",
    ),
    KpiDefinition(
        Kpi.GOAL_REALISATION,
        "procent",
        Direction.HIGHER_IS_BETTER,
        _(
            "Gemiddeld percentage bereikte doelen in de uitkomstmetingen op het meetmoment "
            "'einde' die in de maand zijn gedaan."
        ),
        "goal_sum",
        "goal_count",
        source="outcomes",
    ),
    KpiDefinition(
        Kpi.CLIENT_EXPERIENCE,
        "cijfer",
        Direction.HIGHER_IS_BETTER,
        _(
            "Gemiddeld rapportcijfer (1-10) van jeugdigen en ouders in de uitkomstmetingen op het "
            "meetmoment 'einde' die in de maand zijn gedaan."
        ),
        "experience_sum",
        "experience_count",
        source="outcomes",
    ),
    KpiDefinition(
        Kpi.AMBULANT_SHARE,
        "procent",
        Direction.HIGHER_IS_BETTER,
        _(
            "Aandeel van de unieke jeugdigen van de maand dat geen verblijf (iJw-categorie 43 of "
            "44) kreeg."
        ),
        "youths",
        "youths",
    ),
    KpiDefinition(
        Kpi.OCCUPANCY,
        "procent",
        Direction.HIGHER_IS_BETTER,
        _(
            "Bezette dagen gedeeld door beschikbare plaatsdagen (plaatsen × dagen in de maand) "
            "van de beschikbaarheidsbekostigde capaciteit."
        ),
        "occupied_days",
        "place_days",
        100,
        source="occupancy",
    ),
]

DEFINITIONS: dict[str, KpiDefinition] = {d.code: d for d in _DEFS}
assert set(DEFINITIONS) == set(Kpi.values), "every KPI needs a definition"


def definition(kpi: str):
    """A built-in KPI's definition, or a region-defined KPI's (topic ``rk<pk>``); KeyError
    when there is none."""
    found = DEFINITIONS.get(kpi)
    if found is not None:
        return found
    from monitoring.kpis import regional  # the models' layer: only for region KPIs

    if regional.is_regional(kpi):
        found = regional.lookup(kpi)
        if found is not None:
            return found
    raise KeyError(kpi)


def value(kpi: str, measures) -> Decimal | None:
    return definition(kpi).value(measures)


def label(kpi: str) -> str:
    """The KPI's name (built-in or the region's own); the code itself when it is unknown."""
    try:
        return str(definition(kpi).label)
    except KeyError:
        return kpi


# --- spend against budget ------------------------------------------------------------------------


def spend_vs_budget(spent: Decimal, budget: Decimal | None) -> Decimal | None:
    """Spent as a percentage of the budget (one decimal), ``None`` without a budget."""
    if not budget:
        return None
    return _ratio(spent, budget, 100)


def run_out_month(budget: Decimal | None, spent: Decimal, through: date) -> date | None:
    """The first month in which the year's spending passes the budget at the year's average
    monthly rate through ``through`` (a first-of-month). ``None`` without budget or spending,
    or when the budget lasts the year."""
    if not budget or spent <= 0:
        return None
    months = through.month
    rate = Decimal(spent) / months
    needed = Decimal(budget) / rate  # months of spending the budget pays for
    if needed >= 12:
        return None
    # the month whose end first reaches the budget: exactly 10 months of spending → October
    month = int(needed) if needed == int(needed) else int(needed) + 1
    return date(through.year, max(1, month), 1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


# --- figures as text ---------------------------------------------------------------------------

#: the topics of steering's finance checks, next to the KPIs (signals and risk weights)
FINANCE_MARGIN = "finance_margin"
FINANCE_WNT = "finance_wnt"
TOPIC_UNITS = {FINANCE_MARGIN: "procent", FINANCE_WNT: "euro"}


def format_figure(topic: str, value: Decimal | None, *, empty: str = "—") -> str:
    """A KPI's (or a finance check's) figure in Dutch notation with its unit, as signals and
    agendas write it: ``12,3%``, ``48 dagen``, ``€ 1.250,00``; ``empty`` without a figure."""
    if value is None:
        return empty
    value = Decimal(value)
    try:
        unit = definition(topic).unit
    except KeyError:
        unit = TOPIC_UNITS.get(topic, "aantal")
    if unit == "euro":
        return euro(value)
    if unit == "procent":
        return percent(value)
    shown = f"{value.normalize():f}".replace(".", ",")
    if unit == "dagen":
        return gettext("%(n)s dagen") % {"n": shown}
    return shown
