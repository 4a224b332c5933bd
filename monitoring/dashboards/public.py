"""Outcome figures per provider for a region's public pages (docs/public.md).

What the public page shows, for a chosen period (a month, a quarter or a year), per provider
with a published contract in the region:

- **jeugdigen**: the unique youths with a trajectory of the provider running in the period
  (counted from the trajectories, distinct pseudonyms: a youth in two months is one youth);
- **uitval**: the share of the trajectories ended in the period with CBS reason 03 or 04;
- **doelrealisatie** and **cliëntervaring**: the mean of the outcome measurements at the moment
  'einde' made in the period (from the monthly rollups);

and, where the region works with support profiles and intensities, the same four figures per
provider × profile × intensity: youths and drop-out from the trajectories and their products,
goal realisation and client experience from the measurements linked to those trajectories
(``linked_measurements``: same client pseudonym, same contract, the trajectory covering the
measurement date; a measurement that matches none, or trajectories of different products, counts
for the provider only).

**Small cells** (``min_cell``, the region's threshold, at least 5): no figure about fewer
youths is shown. A provider (or profile × intensity cell) with fewer youths shows no figure at
all; a count below the threshold is not shown; a ratio is shown only when its denominator
reaches the threshold and, for a share of a count (drop-outs), when neither the count nor the
rest of the denominator is 1 .. threshold-1 (3 drop-outs of 40 would give the 3 away). No totals
are published (a total less the shown rows would give a hidden row away), and where exactly one
profile × intensity cell of a provider is hidden, its smallest shown neighbour's count is hidden
too (the provider's count less the shown cells would give it away). The same holds per mean
(goal realisation, client experience): a mean of a cell needs as many measured youths as the
threshold, and where exactly one cell's mean of a provider is hidden while the provider's own is
shown, the mean of the cell with the fewest measurements that is shown is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DateField, Func, Min, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from contracts.codes import Kpi
from contracts.models import Contract
from core.ui.formatting import add_months, format_value, month_label
from monitoring.imports.models import (
    DROPOUT_REASONS,
    OutcomeMeasurement,
    OutcomeMoment,
    Trajectory,
)
from monitoring.kpis import definitions as kpis
from monitoring.kpis.definitions import Measures
from monitoring.kpis.models import Grain, KpiRollup
from segments.models import Intensity, SupportProfile

#: the KPIs a public page shows per provider, in this order
PUBLIC_KPIS = (Kpi.DROPOUT, Kpi.GOAL_REALISATION, Kpi.CLIENT_EXPERIENCE)
#: the measures each of them needs: (numerator, denominator, whether the numerator is a count)
_PARTS = {
    Kpi.DROPOUT: ("dropouts", "trajectories_ended", True),
    Kpi.GOAL_REALISATION: ("goal_sum", "goal_count", False),
    Kpi.CLIENT_EXPERIENCE: ("experience_sum", "experience_count", False),
}
TOO_FEW = _("te weinig jeugdigen")
#: the means shown per profile × intensity: (KPI, sum, count) of the linked measurements
_MEANS = (
    (Kpi.GOAL_REALISATION, "goal_realisation", "goal"),
    (Kpi.CLIENT_EXPERIENCE, "client_experience", "experience"),
)
#: an end measurement is made at or shortly after the end of a trajectory: a trajectory covers
#: the dates from its start up to this many days after its end (an open one: every later date)
END_MEASUREMENT_DAYS = 31


# --- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a calendar year: ``first`` and ``last`` are first-of-month dates."""

    kind: str  # "month", "quarter", "year"
    first: date
    last: date

    @property
    def param(self) -> str:
        if self.kind == "year":
            return f"{self.first.year}"
        if self.kind == "quarter":
            return f"{self.first.year}-K{(self.first.month - 1) // 3 + 1}"
        return f"{self.first:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.first.year)
        if self.kind == "quarter":
            quarter = (self.first.month - 1) // 3 + 1
            return _("%(quarter)se kwartaal %(year)s") % {
                "quarter": quarter,
                "year": self.first.year,
            }
        return month_label(self.first)

    @property
    def end_day(self) -> date:
        """The last day of the period."""
        return date.fromordinal(add_months(self.last, 1).toordinal() - 1)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = date(year, 3 * (quarter - 1) + 1, 1)
        return cls("quarter", first, add_months(first, 2))

    @classmethod
    def month(cls, month: date) -> Period:
        return cls("month", month, month)

    @classmethod
    def parse(cls, text: str | None) -> Period | None:
        """``2025``, ``2025-K2`` (or ``2025-Q2``) or ``2025-04``; ``None`` when it is neither."""
        text = (text or "").strip().upper()
        try:
            if len(text) == 4 and text.isdigit():
                return cls.year(int(text))
            if len(text) == 7 and text[4:6] in ("-K", "-Q") and text[6] in "1234":
                return cls.quarter(int(text[:4]), int(text[6]))
            if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
                return cls.month(date(int(text[:4]), int(text[5:]), 1))
        except ValueError:
            return None
        return None


def public_rollups(scope, region):
    """The monthly measures per provider the public pages may read (``Scope.public``)."""
    return KpiRollup.objects.visible_to(scope).filter(region=region, grain=Grain.PROVIDER)


def public_periods(scope, region) -> list[Period]:
    """The periods with figures, newest first: per year the year, its quarters and months."""
    months = sorted(
        set(public_rollups(scope, region).values_list("month", flat=True).distinct()),
        reverse=True,
    )
    periods: list[Period] = []
    for year in sorted({m.year for m in months}, reverse=True):
        periods.append(Period.year(year))
        of_year = [m for m in months if m.year == year]
        quarters = sorted({(m.month - 1) // 3 + 1 for m in of_year}, reverse=True)
        periods.extend(Period.quarter(year, q) for q in quarters)
        periods.extend(Period.month(m) for m in of_year)
    return periods


# --- small cells ---------------------------------------------------------------------------------


@dataclass
class Cell:
    """One published figure: its text, or why it is not shown."""

    value: Decimal | int | None
    unit: str
    hidden: bool = False

    @property
    def text(self) -> str:
        if self.hidden:
            return str(TOO_FEW)
        if self.value is None:
            return "–"
        return format_value(self.value, self.unit)


def _few(count, min_cell: int) -> bool:
    return 0 < count < min_cell


def count_cell(count: int, min_cell: int) -> Cell:
    return Cell(None, "aantal", hidden=True) if count < min_cell else Cell(count, "aantal")


def ratio_cell(kpi: str, measures: Measures, youths: int, min_cell: int) -> Cell:
    """A KPI's figure, or hidden when it would be about fewer than ``min_cell`` youths."""
    numerator, denominator, is_count = _PARTS[kpi]
    num, den = getattr(measures, numerator), getattr(measures, denominator)
    definition = kpis.definition(kpi)
    if not den:
        return Cell(None, definition.unit, hidden=youths < min_cell)
    hidden = youths < min_cell or den < min_cell
    if is_count and (_few(num, min_cell) or _few(den - num, min_cell)):
        hidden = True
    if hidden:
        return Cell(None, definition.unit, hidden=True)
    return Cell(definition.value(measures), definition.unit)


# --- figures -------------------------------------------------------------------------------------


def mean_cell(kpi: str, measures: Measures, youths: int, measured: int, min_cell: int) -> Cell:
    """A mean of a profile × intensity cell: as ``ratio_cell``, and hidden too when fewer than
    ``min_cell`` distinct youths were ``measured`` (two measurements of one youth are one)."""
    cell = ratio_cell(kpi, measures, youths, min_cell)
    if not cell.hidden and _few(measured, min_cell):
        return Cell(None, cell.unit, hidden=True)
    return cell


@dataclass
class ProfileRow:
    profile: str
    intensity: str
    youths: Cell
    dropout: Cell
    count: int = 0  # not published: the basis of the secondary suppression
    goal: Cell = field(default_factory=lambda: Cell(None, "procent"))
    experience: Cell = field(default_factory=lambda: Cell(None, "cijfer"))
    #: not published: the number of measurements behind each mean (secondary suppression)
    measured: dict[str, int] = field(default_factory=dict)


@dataclass
class ProviderOutcome:
    provider_id: int
    name: str
    youths: Cell
    figures: list[Cell]
    profiles: list[ProfileRow] = field(default_factory=list)


def _trajectories(region, period: Period):
    """The region's trajectories running in the period. Read for aggregates only (counts of
    distinct pseudonyms, the link of a measurement to its product), never as rows: every figure
    made of them passes the small-cell rule of this module before it leaves it, so they have
    no public scope of their own (nor have the outcome measurements)."""
    # active lines only, as the KPIs read them: a corrected line is replaced by its correction
    return Trajectory.objects.filter(
        region=region, active=True, started_on__lte=period.end_day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.first))


class _MinusDays(Func):
    """``date - days`` as a date, on SQLite and PostgreSQL."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        self.days = int(days)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date - integer is a date
        return super().as_sql(compiler, connection, template=f"(%(expressions)s - {self.days})")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"date(%(expressions)s, '-{self.days} days')"
        )


def linked_measurements(region, period: Period):
    """The outcome measurements at the moment 'einde' made in the period (those of the provider
    figures), each linked to the product of the trajectory it belongs to, summed per provider ×
    product: rows of ``contract__provider``, ``product``, ``goal_sum``, ``goal_count``,
    ``goal_youths``, ``experience_sum``, ``experience_count``, ``experience_youths``. One query.

    A measurement belongs to the active trajectory of the same client pseudonym and the same
    contract that covers the measurement date (from its start up to ``END_MEASUREMENT_DAYS``
    after its end) and runs in the period (so it is one the cell's youths are counted from).
    A measurement that matches no such trajectory, or trajectories of more than one product
    (a step-down started before the end measurement), is left out: it counts in the
    provider's own figure only, never in a profile × intensity cell."""
    day = OuterRef("measured_on")
    matches = (
        _trajectories(region, period)
        .filter(
            active=True,
            contract=OuterRef("contract"),
            client_key=OuterRef("client_key"),
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=_MinusDays(day, END_MEASUREMENT_DAYS)))
        .order_by()
        .values("contract")
        .annotate(products=Count("product", distinct=True), one=Min("product"))
        .filter(products=1)
        .values("one")
    )
    sums = {}
    for _kpi, column, mean in _MEANS:
        given = Q(**{f"{column}__isnull": False})
        sums[f"{mean}_sum"] = Sum(column)
        sums[f"{mean}_count"] = Count(column)
        sums[f"{mean}_youths"] = Count("client_key", distinct=True, filter=given)
    return (
        OutcomeMeasurement.objects.filter(
            region=region,
            active=True,
            moment=OutcomeMoment.END,
            measured_on__gte=period.first,
            measured_on__lte=period.end_day,
        )
        .annotate(product=Subquery(matches))
        .filter(product__isnull=False)
        .order_by()
        .values("contract__provider", "product")
        .annotate(**sums)
    )


def public_outcomes(scope, region, period: Period) -> list[ProviderOutcome]:
    """The outcome figures per provider (with a published contract) for the period, small cells
    suppressed at the region's threshold. Seven queries, whatever the number of providers."""
    min_cell = region.public_min_cell
    providers = dict(
        Contract.objects.visible_to(scope)
        .filter(region=region)
        .order_by()
        .values_list("provider_id", "provider__name")
        .distinct()
    )
    sums = {
        row["provider"]: Measures(row)
        for row in public_rollups(scope, region)
        .filter(month__gte=period.first, month__lte=period.last)
        .order_by()
        .values("provider")
        .annotate(**{name: Sum(name) for part in _PARTS.values() for name in part[:2]})
    }
    lines = _trajectories(region, period)
    youths = dict(
        lines.order_by()
        .values("contract__provider")
        .annotate(n=Count("client_key", distinct=True))
        .values_list("contract__provider", "n")
    )
    ended = Q(ended_on__gte=period.first, ended_on__lte=period.end_day)
    cells = (
        lines.filter(product__support_profile__isnull=False)
        .order_by()
        # a product is one profile × intensity (segments.Product): grouping by it splits nothing
        .values("contract__provider", "product", "product__support_profile", "product__intensity")
        .annotate(
            youths=Count("client_key", distinct=True),
            ended=Count("pk", filter=ended),
            dropouts=Count("pk", filter=ended & Q(end_reason__in=list(DROPOUT_REASONS))),
        )
    )
    cells = list(cells)
    profile_names, intensity_names, means = {}, {}, {}
    if cells:
        means = {
            (row["contract__provider"], row["product"]): row
            for row in linked_measurements(region, period)
        }
        profile_names = {
            p.pk: str(p) for p in SupportProfile.objects.visible_to(scope).filter(region=region)
        }
        intensity_names = {
            i.pk: i.name for i in Intensity.objects.visible_to(scope).filter(region=region)
        }
    profile_rows: dict[int, list[ProfileRow]] = {}
    for cell in cells:
        measures = Measures(dropouts=cell["dropouts"], trajectories_ended=cell["ended"])
        measured = means.get((cell["contract__provider"], cell["product"]), {})
        row = ProfileRow(
            profile_names.get(cell["product__support_profile"], ""),
            intensity_names.get(cell["product__intensity"], "—"),
            count_cell(cell["youths"], min_cell),
            ratio_cell(Kpi.DROPOUT, measures, cell["youths"], min_cell),
            count=cell["youths"],
        )
        for kpi, _column, mean in _MEANS:
            count = measured.get(f"{mean}_count", 0)
            parts = Measures(
                **{f"{mean}_sum": measured.get(f"{mean}_sum", 0), f"{mean}_count": count}
            )
            row.measured[mean] = count
            youths_measured = measured.get(f"{mean}_youths", 0)
            setattr(row, mean, mean_cell(kpi, parts, cell["youths"], youths_measured, min_cell))
        profile_rows.setdefault(cell["contract__provider"], []).append(row)
    result = []
    for provider_id, name in sorted(providers.items(), key=lambda item: item[1].lower()):
        n = youths.get(provider_id, 0)
        measures = sums.get(provider_id, Measures())
        rows = sorted(profile_rows.get(provider_id, []), key=lambda r: (r.profile, r.intensity))
        if n >= min_cell:
            _hide_one_more(rows)
        figures = [ratio_cell(kpi, measures, n, min_cell) for kpi in PUBLIC_KPIS]
        for kpi, _column, mean in _MEANS:
            if figures[PUBLIC_KPIS.index(kpi)].value is not None:
                _hide_one_more_mean(rows, mean)
        result.append(
            ProviderOutcome(
                provider_id=provider_id,
                name=name,
                youths=count_cell(n, min_cell),
                figures=figures,
                profiles=rows,
            )
        )
    return result


def _hide_one_more(rows: list[ProfileRow]) -> None:
    """Secondary suppression: where the provider's own count is shown and exactly one of its
    cells is hidden, the smallest shown count is hidden too."""
    hidden = [r for r in rows if r.youths.hidden and r.count > 0]
    shown = [r for r in rows if not r.youths.hidden]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda r: r.count)
        smallest.youths = Cell(None, "aantal", hidden=True)


def _hide_one_more_mean(rows: list[ProfileRow], name: str) -> None:
    """Secondary suppression of a mean (``goal`` or ``experience``): where the provider's own
    mean is shown and exactly one cell's mean is hidden although it has measurements, the shown
    mean with the fewest measurements is hidden too (the provider's mean and the other cells'
    would otherwise bound the hidden one)."""
    hidden = [r for r in rows if getattr(r, name).hidden and r.measured.get(name, 0) > 0]
    shown = [r for r in rows if getattr(r, name).value is not None]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda r: r.measured.get(name, 0))
        setattr(smallest, name, Cell(None, getattr(smallest, name).unit, hidden=True))


def public_kpi_labels() -> list[tuple[str, str]]:
    """(label, definition) of the KPIs of the public page's table, in its column order."""
    return [(kpis.definition(k).label, kpis.definition(k).definition) for k in PUBLIC_KPIS]
