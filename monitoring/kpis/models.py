"""KPI rollups: per month and per grain (region, segment, provider, contract, municipality, ...)
the additive measures the KPIs are computed from; every import refreshes the months it touched,
so dashboards read hundreds of rollup rows, never millions of lines."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import CONTRACT_EDITORS, Contract
from core.scoping import ScopedModel
from monitoring.imports.models import MONEY
from providers.models import Provider
from segments.models import Municipality, Region, Segment


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


# --- norms, signals, escalation -----------------------------------------------------------------
