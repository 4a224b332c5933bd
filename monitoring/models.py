"""Production data: what providers delivered under their contracts.

The first cut, used by settlement (contracts issue): declarations, trajectories, profile
allocations and occupancy, per contract and (except occupancy) per municipality. Clients appear
only as a pseudonym (``client_key``, a keyed hash made at import); no BSN and no name is stored.
The monitoring issue adds import, corrections, KPIs and rollups on top of these tables.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import CONTRACT_EDITORS, Contract
from core.scoping import ScopedModel
from segments.codes import Unit
from segments.models import Municipality, Product, Region


class EndReason(models.TextChoices):
    """CBS Beleidsinformatie Jeugd: reason for ending (03 and 04 count as drop-out)."""

    AS_PLANNED = "01", _("01 Volgens plan")
    EARLY_AGREED = "02", _("02 Voortijdig, in overeenstemming")
    BY_CLIENT = "03", _("03 Eenzijdig door cliënt")
    BY_PROVIDER = "04", _("04 Eenzijdig door aanbieder")
    EXTERNAL = "05", _("05 Externe omstandigheden")


class ProductionLine(ScopedModel):
    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    client_key = models.CharField(_("cliënt (pseudoniem)"), max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)


class Declaration(ProductionLine):
    """Units of a product delivered in a month (iJw JW323 declaration line)."""

    month = models.DateField(_("maand"))
    quantity = models.DecimalField(
        _("aantal"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("eenheid (iJw)"), max_length=2, choices=Unit.choices)
    amount = models.DecimalField(_("gedeclareerd bedrag (€)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = _("declaratieregel")
        verbose_name_plural = _("declaratieregels")
        indexes = [models.Index(fields=["contract", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="declaration_qty_not_negative"
            ),
        ]


class Trajectory(ProductionLine):
    """A trajectory of care: start, end and the CBS reason for ending."""

    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("einde"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden einde (CBS)"), max_length=2, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        indexes = [models.Index(fields=["contract", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="trajectory_end_after_start",
            ),
        ]


class Allocation(ProductionLine):
    """An allocation (toewijzing, iJw JW301) of a product to a family or youth, for a period."""

    start = models.DateField(_("ingang"))
    end = models.DateField(_("einde"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        indexes = [models.Index(fields=["contract", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="allocation_end_after_start",
            ),
        ]


class Occupancy(ScopedModel):
    """Places kept available and days occupied under an availability arrangement, per month."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    month = models.DateField(_("maand"))
    places = models.PositiveIntegerField(_("plaatsen"))
    occupied_days = models.DecimalField(_("bezette dagen"), max_digits=10, decimal_places=1)

    class Meta:
        ordering = ["month"]
        verbose_name = _("bezetting")
        verbose_name_plural = _("bezetting")
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="occupancy_unique_month"),
            models.CheckConstraint(
                condition=Q(occupied_days__gte=0), name="occupancy_not_negative"
            ),
        ]
