"""Contracts with providers. A definitive award (or an admission) creates them; existing
contracts can be entered directly. The contracts issue adds events, tariffs and funding."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import PROVIDER_EDITORS
from core.scoping import ScopedModel
from procurement.models import Lot, Submission
from providers.models import Provider
from segments.models import Participation, Region, Segment


class Contract(ScopedModel):
    scope_edit_roles = PROVIDER_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("regio")
    )
    reference = models.CharField(_("kenmerk"), max_length=60)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("aanbieder")
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("segment")
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("perceel"),
    )
    submission = models.OneToOneField(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("inschrijving"),
    )
    start_date = models.DateField(_("ingangsdatum"))
    initial_term_years = models.PositiveSmallIntegerField(
        _("initiële looptijd (jaren)"), validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    extension_options = models.JSONField(_("verlengingsopties (jaren)"), default=list, blank=True)
    is_strategic_partner = models.BooleanField(_("strategisch partner"), default=False)
    acceptance_obligation = models.BooleanField(_("acceptatieplicht"), default=False)
    development_assignments = models.TextField(_("ontwikkelopdrachten"), blank=True)

    class Meta:
        ordering = ["provider__name", "start_date"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.UniqueConstraint(fields=["region", "reference"], name="contract_unique_ref"),
        ]

    def __str__(self):
        return f"{self.reference} {self.provider}"

    @classmethod
    def scope_municipal_q(cls, scope):
        # Contracts in segments the municipality takes part in (no row = full participation).
        excluded = Participation.objects.filter(
            municipality__in=scope.municipality_ids, level="none"
        ).values("segment")
        return Q(region__in=scope.municipality_region_ids) & ~Q(segment__in=excluded)

    @property
    def term_label(self) -> str:
        return " + ".join(str(n) for n in [self.initial_term_years, *self.extension_options])

    def clean(self):
        super().clean()
        if self.provider_id and self.region_id and self.provider.region_id != self.region_id:
            raise ValidationError({"provider": _("Deze aanbieder hoort bij een andere regio.")})
