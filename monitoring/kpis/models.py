"""KPI rollups: per month and per grain (region, segment, provider, contract, municipality, ...)
the additive measures the KPIs are computed from; every import refreshes the months it touched,
so dashboards read hundreds of rollup rows, never millions of lines."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.codes import Direction
from contracts.models import CONTRACT_EDITORS, Contract
from core.scoping import ScopedModel
from monitoring.imports.models import MONEY, MeasurementKind, OutcomeMoment
from providers.models import Provider
from segments.models import Municipality, Region, Segment, public_region_q


class Grain(models.TextChoices):
    """The level a rollup row adds up to. Unique youths are counted per grain (a youth with two
    providers is one youth of the segment), so coarser grains are never sums of finer ones."""

    REGION = "region", _("Regio")
    SEGMENT = "segment", _("Segment")
    PROVIDER = "provider", _("Aanbieder")
    CONTRACT = "contract", _("Contract")
    MUNICIPALITY = "municipality", _("Gemeente")
    SEGMENT_MUNICIPALITY = "segment_municipality", _("Segment × gemeente")
    PROVIDER_MUNICIPALITY = "provider_municipality", _("Aanbieder × gemeente")


class KpiRollup(ScopedModel):
    """Additive measures of one month at one grain; KPIs are ratios of them
    (monitoring.kpis.definitions).

    ``key`` names the grain's members ("p12", "s3-m7", ...) so (region, grain, key, month) is
    unique without nullable columns in the constraint."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    month = models.DateField(_("maand"))
    grain = models.CharField(_("niveau"), max_length=24, choices=Grain.choices)
    key = models.CharField(_("sleutel"), max_length=40)
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # volume
    youths = models.PositiveIntegerField(_("unieke jeugdigen"), default=0)
    youths_residential = models.PositiveIntegerField(_("jeugdigen in verblijf"), default=0)
    trajectories_active = models.PositiveIntegerField(_("lopende trajecten"), default=0)
    trajectories_started = models.PositiveIntegerField(_("gestarte trajecten"), default=0)
    trajectories_ended = models.PositiveIntegerField(_("beëindigde trajecten"), default=0)
    # money
    amount = models.DecimalField(_("gedeclareerd (€)"), default=0, **MONEY)
    declaration_lines = models.PositiveIntegerField(_("declaratieregels"), default=0)
    # flow and outcome
    dropouts = models.PositiveIntegerField(_("uitval (reden 03/04)"), default=0)
    duration_days = models.BigIntegerField(_("som trajectduur (dagen)"), default=0)
    wait_days = models.BigIntegerField(_("som wachttijd (dagen)"), default=0)
    wait_count = models.PositiveIntegerField(_("starts met verwijzing"), default=0)
    step_ups = models.PositiveIntegerField(_("opschalingen"), default=0)
    step_downs = models.PositiveIntegerField(_("afschalingen"), default=0)
    reentries = models.PositiveIntegerField(_("herinstroom binnen 12 maanden"), default=0)
    goal_sum = models.DecimalField(
        _("som doelrealisatie"), default=0, max_digits=12, decimal_places=1
    )
    goal_count = models.PositiveIntegerField(_("metingen doelrealisatie"), default=0)
    experience_sum = models.DecimalField(
        _("som cliëntervaring"), default=0, max_digits=12, decimal_places=1
    )
    experience_count = models.PositiveIntegerField(_("metingen cliëntervaring"), default=0)
    # capacity
    occupied_days = models.DecimalField(
        _("bezette dagen"), default=0, max_digits=12, decimal_places=1
    )
    place_days = models.PositiveIntegerField(_("beschikbare plaatsdagen"), default=0)

    class Meta:
        ordering = ["month", "grain", "key"]
        verbose_name = _("KPI-maandtelling")
        verbose_name_plural = _("KPI-maandtellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "grain", "key", "month"], name="kpi_rollup_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "grain", "month"], name="kpi_rollup_grain_month"),
            models.Index(fields=["provider", "grain", "month"], name="kpi_rollup_provider"),
        ]

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)

    @classmethod
    def scope_public_q(cls, scope):
        # The public pages read a provider's monthly measures, and publish them only through
        # monitoring.dashboards.public, which suppresses small cells.
        return public_region_q(scope) & Q(grain=Grain.PROVIDER)


class SettlementRollup(ScopedModel):
    """The declared quantity (and amount, lines) of one contract, product, month and unit:
    the active declaration lines added up, which is all settlement reads of declarations
    (``monitoring.kpis.production``). Refreshed with the KPI rollups, by the same functions
    (``rollups.refresh_months``), so settlement reads a contract's few hundred rows instead
    of grouping its declaration lines."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="+", verbose_name=_("contract")
    )
    product = models.ForeignKey(
        "segments.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    month = models.DateField(_("maand"))
    unit = models.CharField(_("eenheid (iJw)"), max_length=2)
    quantity = models.DecimalField(_("aantal"), max_digits=16, decimal_places=2)
    amount = models.DecimalField(_("gedeclareerd (€)"), default=0, **MONEY)
    lines = models.PositiveIntegerField(_("declaratieregels"), default=0)

    class Meta:
        ordering = ["contract", "month", "product", "unit"]
        verbose_name = _("afrekeningstelling")
        verbose_name_plural = _("afrekeningstellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "month", "product", "unit"], name="settlement_rollup_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "month"], name="settlement_rollup_region"),
        ]

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(contract__provider__in=scope.provider_ids)


# --- region-defined KPIs ------------------------------------------------------------------------


class KpiUnit(models.TextChoices):
    PERCENT = "procent", _("procent")
    NUMBER = "aantal", _("aantal")
    DAYS = "dagen", _("dagen")
    GRADE = "cijfer", _("cijfer")
    EURO = "euro", _("euro")


class Computation(models.TextChoices):
    """How a region-defined KPI follows from the data (monitoring.kpis.regional)."""

    TRAJECTORY_SHARE = "trajectory_share", _("Aandeel trajecten dat aan voorwaarden voldoet")
    MEASUREMENT_AVERAGE = "measurement_average", _("Gemiddelde van een eigen soort meting")
    RATIO = "ratio", _("Verhouding van twee bestaande maten")


class Population(models.TextChoices):
    STARTED = "started", _("gestart in de maand")
    ENDED = "ended", _("beëindigd in de maand")


class LaterTrajectory(models.TextChoices):
    ANY = "", _("geen voorwaarde")
    WITH = "with", _("met een later traject")
    WITHOUT = "without", _("zonder later traject")


class RegionKpi(ScopedModel):
    """A KPI a region defines itself; its monthly figures are rolled up like the built-in
    KPIs' (``RegionKpiRollup``), and it has norms, signals, tiles and an API code like them.

    Inside the product it is known by :attr:`topic` (``rk<pk>``), never by its code, so a
    region's code can never clash with a built-in KPI or another region's."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="region_kpis", verbose_name=_("regio")
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Kleine letters, cijfers en koppeltekens.")
    )
    name = models.CharField(_("naam"), max_length=120)
    definition = models.TextField(
        _("definitie"), help_text=_("Wat de KPI meet, in woorden voor gebruikers en gemeenten.")
    )
    unit = models.CharField(_("eenheid"), max_length=8, choices=KpiUnit.choices)
    direction = models.CharField(_("richting"), max_length=6, choices=Direction.choices)
    computation = models.CharField(_("berekening"), max_length=20, choices=Computation.choices)
    # trajectory share
    population = models.CharField(
        _("trajecten"), max_length=8, choices=Population.choices, blank=True
    )
    population_categories = models.JSONField(
        _("alleen zorgvormen (iJw-categorie)"), default=list, blank=True
    )
    end_reasons = models.JSONField(_("beëindigd met reden"), default=list, blank=True)
    max_duration_days = models.PositiveIntegerField(
        _("duur hoogstens (dagen)"), null=True, blank=True
    )
    later = models.CharField(
        _("later traject"), max_length=8, choices=LaterTrajectory.choices, blank=True
    )
    later_months = models.PositiveSmallIntegerField(
        _("binnen (maanden na het einde)"), null=True, blank=True
    )
    later_categories = models.JSONField(
        _("later traject in zorgvorm (iJw-categorie)"), default=list, blank=True
    )
    # measurement average
    measurement_kind = models.ForeignKey(
        MeasurementKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("soort meting"),
    )
    moment = models.CharField(
        _("meetmoment"), max_length=5, choices=OutcomeMoment.choices, blank=True
    )
    # ratio
    numerator = models.CharField(_("teller"), max_length=24, blank=True)
    denominator = models.CharField(_("noemer"), max_length=24, blank=True)
    scale = models.PositiveIntegerField(_("vermenigvuldig met"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("eigen KPI")
        verbose_name_plural = _("eigen KPI's")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="region_kpi_code_unique"),
            models.CheckConstraint(
                condition=Q(computation__in=Computation.values), name="region_kpi_computation"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring:regionkpi-detail", args=[self.region.slug, self.pk])

    @property
    def topic(self) -> str:
        return f"rk{self.pk}"


class RegionKpiRollup(ScopedModel):
    """Numerator and denominator of a region-defined KPI in one month at one grain (members as
    in ``KpiRollup``). Ratio KPIs need none: they are ratios of ``KpiRollup`` measures."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    kpi = models.ForeignKey(RegionKpi, on_delete=models.CASCADE, related_name="rollups")
    month = models.DateField(_("maand"))
    grain = models.CharField(_("niveau"), max_length=24, choices=Grain.choices)
    key = models.CharField(_("sleutel"), max_length=40)
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    numerator = models.DecimalField(_("teller"), max_digits=16, decimal_places=2, default=0)
    denominator = models.DecimalField(_("noemer"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["month", "grain", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kpi", "grain", "key", "month"], name="region_kpi_rollup_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "grain", "month"], name="region_kpi_rollup_grain"),
        ]

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)


class SteeringKpi(ScopedModel):
    """A KPI a segment steers on (its tactical goals): its dashboard leads with these."""

    scope_region_lookup = "segment__region"
    scope_edit_roles = CONTRACT_EDITORS

    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="steering_kpis", verbose_name=_("segment")
    )
    kpi = models.CharField(_("KPI"), max_length=24)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["segment", "position", "pk"]
        verbose_name = _("sturings-KPI")
        verbose_name_plural = _("sturings-KPI's")
        constraints = [
            models.UniqueConstraint(fields=["segment", "kpi"], name="steering_kpi_unique"),
        ]


# --- norms, signals, escalation -----------------------------------------------------------------
