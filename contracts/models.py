"""Contracts with providers, their events, KPI agreements, tariffs, funding and budgets.

A definitive award (or an admission) creates a contract; existing contracts can be entered
directly. History is kept, never overwritten: a contract changes through dated events, a tariff
through a new version, a budget through a revision with a reason.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.roles import PROVIDER_EDITORS
from core.scoping import ScopedModel
from core.ui.formatting import format_date
from procurement.codes import TenderState
from procurement.models import Lot, Submission
from providers.models import Provider
from segments.models import (
    Intensity,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
    SupportProfile,
    public_region_q,
)

from .codes import (
    ArrangementModel,
    BudgetKind,
    ConsentKind,
    ContractStatus,
    Direction,
    EventKind,
    Kpi,
    OutputPayment,
    ReportingFrequency,
    SegmentBudgetKind,
    TariffOrigin,
)

CONTRACT_EDITORS = PROVIDER_EDITORS


def _user(verbose_name):
    """Who recorded or performed something (kept when the user is removed: PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 2}


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
    reporting_frequency = models.CharField(
        _("rapportagefrequentie"),
        max_length=12,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTERLY,
    )
    #: the municipalities the contract applies to (a pilot "in 1 à 2 gemeenten"); none: every
    #: municipality of the region. Only ``contracts.scope.contract_set_municipality_scope``
    #: changes it (docs/contracts.md).
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="scoped_contracts",
        verbose_name=_("geldt voor gemeenten"),
        help_text=_("Leeg: alle gemeenten van de regio."),
    )
    # Derived from the start date, the term and the events (contracts.terms); stored so that
    # lists can filter and sort on them. Only contracts.services writes them.
    end_date = models.DateField(_("einddatum huidige looptijd"), null=True, editable=False)
    final_end_date = models.DateField(_("einddatum na alle opties"), null=True, editable=False)
    terminated_on = models.DateField(_("beëindigd per"), null=True, editable=False)
    extensions_used = models.PositiveSmallIntegerField(
        _("benutte verlengingen"), default=0, editable=False
    )

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
        return (
            Q(region__in=scope.municipality_region_ids)
            & ~Q(segment__in=excluded)
            & contract_scope_q(scope.municipality_ids)
        )

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)

    @classmethod
    def scope_public_q(cls, scope):
        # As in the OCDS package: every contract but one of a procedure still in draft.
        return (
            public_region_q(scope)
            & ~Q(lot__tender__state=TenderState.DRAFT)
            & ~Q(submission__tender__state=TenderState.DRAFT)
        )

    @property
    def term_label(self) -> str:
        return " + ".join(str(n) for n in [self.initial_term_years, *self.extension_options])

    def status_on(self, day) -> str:
        from .terms import status_on

        return status_on(
            start=self.start_date,
            end=self.end_date,
            terminated_on=self.terminated_on,
            extensions_used=self.extensions_used,
            day=day,
        )

    @property
    def status(self) -> str:
        from django.utils import timezone

        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return ContractStatus(self.status).label

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse(
            "contracts:contract-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    def clean(self):
        super().clean()
        if self.provider_id and self.region_id and self.provider.region_id != self.region_id:
            raise ValidationError({"provider": _("Deze aanbieder hoort bij een andere regio.")})


def contract_scope_q(municipality_ids, prefix: str = "") -> Q:
    """Contracts that apply to one of ``municipality_ids``: every contract without a
    municipality scope, and the scoped ones that name one of them (subqueries, no join)."""
    through = Contract.municipalities.through
    scoped = through.objects.values("contract_id")
    named = through.objects.filter(municipality__in=municipality_ids).values("contract_id")
    return ~Q(**{f"{prefix}pk__in": scoped}) | Q(**{f"{prefix}pk__in": named})


class ContractChild(ScopedModel):
    """Something that belongs to one contract and is seen by whoever sees the contract."""

    scope_region_lookup = "contract__region"
    scope_edit_roles = CONTRACT_EDITORS

    class Meta:
        abstract = True

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(contract__in=Contract.objects.filter(Contract.scope_municipal_q(scope)))

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(contract__provider__in=scope.provider_ids)


class ContractEvent(ContractChild):
    """A dated step in the life of a contract. Events are added, never changed."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="events", verbose_name=_("contract")
    )
    kind = models.CharField(_("soort"), max_length=12, choices=EventKind.choices)
    effective_on = models.DateField(_("per datum"))
    years = models.PositiveSmallIntegerField(_("jaren"), null=True, blank=True)
    reason = models.TextField(_("toelichting"), blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = _user(_("vastgelegd door"))
    # A reversal points at the event it corrects; that event itself is never changed.
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("draait terug"),
    )
    # An amendment's changes as {field: [old, new]} (None: recorded before they were kept),
    # so that reversing it can restore the old values.
    changes = models.JSONField(_("wijzigingen"), null=True, blank=True)

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("contractgebeurtenis")
        verbose_name_plural = _("contractgebeurtenissen")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="contract_event_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(kind="start"),
                name="contract_event_one_start",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="contract_event_reversal_points_back",
            ),
            models.CheckConstraint(
                condition=Q(kind="extension", years__gte=1) | (~Q(kind="extension")),
                name="contract_event_extension_years",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_date(self.effective_on)}"


class KpiAgreement(ContractChild):
    """A KPI agreed in the contract: a norm and the amber and red thresholds around it."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="kpi_agreements",
        verbose_name=_("contract"),
    )
    kpi = models.CharField(_("KPI"), max_length=24, choices=Kpi.choices)
    direction = models.CharField(
        _("richting"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    norm = models.DecimalField(_("norm"), max_digits=12, decimal_places=2)
    amber_threshold = models.DecimalField(_("drempel oranje"), max_digits=12, decimal_places=2)
    red_threshold = models.DecimalField(_("drempel rood"), max_digits=12, decimal_places=2)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["kpi"]
        verbose_name = _("KPI-afspraak")
        verbose_name_plural = _("KPI-afspraken")
        constraints = [
            models.UniqueConstraint(fields=["contract", "kpi"], name="kpi_agreement_unique"),
            models.CheckConstraint(
                condition=Q(
                    direction="higher",
                    norm__gte=models.F("amber_threshold"),
                    amber_threshold__gte=models.F("red_threshold"),
                )
                | Q(
                    direction="lower",
                    norm__lte=models.F("amber_threshold"),
                    amber_threshold__lte=models.F("red_threshold"),
                ),
                name="kpi_agreement_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kpi_display()}: {self.norm}"

    def clean(self):
        super().clean()
        if None in (self.norm, self.amber_threshold, self.red_threshold):
            return
        if self.direction == Direction.HIGHER_IS_BETTER:
            ok = self.norm >= self.amber_threshold >= self.red_threshold
            message = _("Bij 'hoger is beter' geldt: norm ≥ drempel oranje ≥ drempel rood.")
        else:
            ok = self.norm <= self.amber_threshold <= self.red_threshold
            message = _("Bij 'lager is beter' geldt: norm ≤ drempel oranje ≤ drempel rood.")
        if not ok:
            raise ValidationError({"amber_threshold": message})


class TariffIndexation(ScopedModel):
    """One yearly indexation: a percentage from a date, applied to every current tariff."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tariff_indexations", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tariff_indexations",
        verbose_name=_("contract"),
        help_text=_("Leeg: de regionale tarieven."),
    )
    percentage = models.DecimalField(_("percentage"), **PERCENT)
    valid_from = models.DateField(_("geldig vanaf"))
    note = models.TextField(_("toelichting"), blank=True)
    performed_at = models.DateTimeField(_("uitgevoerd op"), auto_now_add=True)
    performed_by = _user(_("uitgevoerd door"))

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("tariefindexatie")
        verbose_name_plural = _("tariefindexaties")

    def __str__(self):
        return f"{self.percentage}% per {format_date(self.valid_from)}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids, contract__isnull=True)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids, contract__isnull=True)


class TariffVersion(ScopedModel):
    """The price of one unit of a product for a period: regional, or agreed in one contract.

    A tariff is never edited: a change is a new version. The only change an existing version
    gets is its end date, set when the next version starts.
    """

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tariff_versions", verbose_name=_("regio")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="tariff_versions", verbose_name=_("product")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tariff_versions",
        verbose_name=_("contract"),
        help_text=_("Leeg: het regionale tarief, dat geldt voor elk contract zonder eigen tarief."),
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    amount = models.DecimalField(_("tarief (€ per eenheid)"), **MONEY)
    origin = models.CharField(
        _("herkomst"), max_length=12, choices=TariffOrigin.choices, default=TariffOrigin.SET
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("vorige versie"),
    )
    indexation = models.ForeignKey(
        TariffIndexation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("indexatie"),
    )
    # The build-up under the reasonable-price rule (Besluit Jeugdwet art. 2.3), per unit.
    staff_client_bound = models.DecimalField(
        _("personeelskosten cliëntgebonden"), null=True, blank=True, **MONEY
    )
    staff_not_client_bound = models.DecimalField(
        _("personeelskosten niet-cliëntgebonden"), null=True, blank=True, **MONEY
    )
    other_client_bound = models.DecimalField(
        _("overige cliëntgebonden kosten"), null=True, blank=True, **MONEY
    )
    overhead_pct = models.DecimalField(_("overhead (%)"), null=True, blank=True, **PERCENT)
    indexation_pct = models.DecimalField(
        _("indexatie in de opbouw (%)"), null=True, blank=True, **PERCENT
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    created_by = _user(_("vastgelegd door"))

    class Meta:
        ordering = ["product__code", "contract_id", "valid_from"]
        verbose_name = _("tariefversie")
        verbose_name_plural = _("tariefversies")
        indexes = [models.Index(fields=["product", "contract", "valid_from"])]
        constraints = [
            # One version per start date, regional and per contract (two partial indexes, as
            # NULLS NOT DISTINCT is not available on SQLite).
            models.UniqueConstraint(
                fields=["product", "valid_from"],
                condition=Q(contract__isnull=True),
                name="tariff_unique_regional_start",
            ),
            models.UniqueConstraint(
                fields=["product", "contract", "valid_from"],
                condition=Q(contract__isnull=False),
                name="tariff_unique_contract_start",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tariff_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="tariff_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=TariffOrigin.values), name="tariff_origin_valid"
            ),
        ]

    def __str__(self):
        return f"{self.product.code} € {self.amount} ({format_date(self.valid_from)})"

    @classmethod
    def scope_municipal_q(cls, scope):
        regional = Q(region__in=scope.municipality_region_ids, contract__isnull=True)
        contracts = Contract.objects.filter(Contract.scope_municipal_q(scope))
        return regional | Q(contract__in=contracts)

    @classmethod
    def scope_provider_q(cls, scope):
        regional = Q(region__in=scope.provider_region_ids, contract__isnull=True)
        return regional | Q(contract__provider__in=scope.provider_ids)

    @property
    def has_build_up(self) -> bool:
        return self.staff_client_bound is not None

    def build_up(self):
        from .tariffs import BuildUp

        if not self.has_build_up:
            return None
        return BuildUp(
            staff_client_bound=self.staff_client_bound,
            staff_not_client_bound=self.staff_not_client_bound or Decimal("0"),
            other_client_bound=self.other_client_bound or Decimal("0"),
            overhead_pct=self.overhead_pct or Decimal("0"),
            indexation_pct=self.indexation_pct or Decimal("0"),
        )


class FundingArrangement(ContractChild):
    """How (part of) a contract is paid: one funding model and the products it covers."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="arrangements", verbose_name=_("contract")
    )
    model = models.CharField(_("bekostigingsvorm"), max_length=12, choices=ArrangementModel.choices)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="arrangements",
        verbose_name=_("producten"),
        help_text=_(
            "PxQ en output: de producten die onder deze afspraak vallen. Beschikbaarheid: het "
            "product (in etmalen) waarmee bezette plaatsen worden vergoed."
        ),
    )
    # Output
    output_payment = models.CharField(
        _("betaalmoment output"),
        max_length=8,
        choices=OutputPayment.choices,
        default=OutputPayment.AT_START,
    )
    # Task-based: a decreasing lumpsum falls by this percentage every year.
    lumpsum_decrease_pct = models.DecimalField(
        _("jaarlijkse afname lumpsum (%)"), null=True, blank=True, **PERCENT
    )
    # Availability
    places = models.PositiveIntegerField(_("aantal plaatsen"), null=True, blank=True)
    place_fee = models.DecimalField(
        _("beschikbaarheidsvergoeding per plaats per maand"), null=True, blank=True, **MONEY
    )
    occupancy_threshold_pct = models.DecimalField(
        _("bezettingsdrempel (%)"), null=True, blank=True, **PERCENT
    )
    #: the group or location whose places this availability arrangement keeps available;
    #: occupancy is imported per facility (column ``voorziening``)
    facility = models.CharField(
        _("voorziening"),
        max_length=100,
        blank=True,
        help_text=_(
            "Beschikbaarheid: de groep of locatie waar de plaatsen zijn; de bezetting wordt "
            "per voorziening aangeleverd."
        ),
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        verbose_name = _("bekostigingsafspraak")
        verbose_name_plural = _("bekostigingsafspraken")
        constraints = [
            models.CheckConstraint(
                condition=Q(model__in=ArrangementModel.values), name="arrangement_model_valid"
            ),
            models.CheckConstraint(
                condition=~Q(model="availability")
                | Q(places__gte=1, place_fee__isnull=False, occupancy_threshold_pct__isnull=False),
                name="arrangement_availability_complete",
            ),
            models.CheckConstraint(
                condition=(Q(model="availability") & ~Q(facility=""))
                | (~Q(model="availability") & Q(facility="")),
                name="arrangement_facility_only_availability",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="arrangement_until_after_from",
            ),
        ]

    def __str__(self):
        return self.name or self.get_model_display()


class Budget(ContractChild):
    """A yearly amount on a contract: a task-based budget (lumpsum) or a ceiling.

    A ceiling may be set per support profile. Changes are revisions with a reason.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("contract")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    kind = models.CharField(_("soort"), max_length=8, choices=BudgetKind.choices)
    support_profile = models.ForeignKey(
        SupportProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
        verbose_name=_("ondersteuningsprofiel"),
    )
    amount = models.DecimalField(_("bedrag (€)"), **MONEY)
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["year", "kind", "support_profile__number"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year", "kind"],
                condition=Q(support_profile__isnull=True),
                name="budget_unique_contract_year",
            ),
            models.UniqueConstraint(
                fields=["contract", "year", "kind", "support_profile"],
                condition=Q(support_profile__isnull=False),
                name="budget_unique_profile_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=BudgetKind.values), name="budget_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="ceiling") | Q(support_profile__isnull=True),
                name="budget_profile_only_on_ceiling",
            ),
        ]

    def __str__(self):
        label = f"{self.get_kind_display()} {self.year}"
        return f"{label} – {self.support_profile}" if self.support_profile_id else label

    def amount_on(self, day) -> Decimal:
        """The amount after the revisions that took effect on or before ``day``."""
        revisions = [r for r in self.revisions.all() if r.effective_on <= day]
        return (
            max(revisions, key=lambda r: (r.effective_on, r.pk)).amount
            if revisions
            else (self.amount)
        )

    @property
    def current_amount(self) -> Decimal:
        revisions = list(self.revisions.all())
        return (
            max(revisions, key=lambda r: (r.effective_on, r.pk)).amount
            if revisions
            else (self.amount)
        )


class BudgetRevision(ScopedModel):
    """A recalibration of a budget or ceiling: the new amount, from a date, with a reason."""

    scope_region_lookup = "budget__contract__region"
    scope_edit_roles = CONTRACT_EDITORS

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("budget")
    )
    effective_on = models.DateField(_("per datum"))
    amount = models.DecimalField(_("nieuw bedrag (€)"), **MONEY)
    reason = models.TextField(_("reden"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = _user(_("vastgelegd door"))

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("herijking")
        verbose_name_plural = _("herijkingen")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_revision_not_negative"),
        ]

    def __str__(self):
        return f"€ {self.amount} per {format_date(self.effective_on)}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(budget__contract__in=Contract.objects.filter(Contract.scope_municipal_q(scope)))

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(budget__contract__provider__in=scope.provider_ids)


class EffectScenario(ScopedModel):
    """A saved procurement-effect scenario: a past period's production of a segment (with its
    sub-segments) or of some products, priced under another funding model. The parameters are
    rows (:class:`EffectScenarioPrice`); the result is computed when it is shown."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="effect_scenarios", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="effect_scenarios",
        verbose_name=_("segment"),
        help_text=_("Met de deelsegmenten eronder. Leeg: de gekozen producten."),
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="effect_scenarios", verbose_name=_("producten")
    )
    model = models.CharField(
        _("alternatieve bekostigingsvorm"), max_length=12, choices=ArrangementModel.choices
    )
    output_payment = models.CharField(
        _("betaalmoment output"),
        max_length=8,
        choices=OutputPayment.choices,
        default=OutputPayment.AT_START,
    )
    regional_amount = models.DecimalField(
        _("regionaal taakgericht budget per jaar"),
        null=True,
        blank=True,
        help_text=_(
            "Taakgericht: één regionaal bedrag, verdeeld over de aanbieders naar hun huidige "
            "kosten. Leeg: een bedrag per aanbieder."
        ),
        **MONEY,
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    first_month = models.PositiveSmallIntegerField(
        _("van maand"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    last_month = models.PositiveSmallIntegerField(
        _("tot en met maand"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    created_by = _user(_("gemaakt door"))
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("inkoopeffectscenario")
        verbose_name_plural = _("inkoopeffectscenario's")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="effect_scenario_unique_name"),
            models.CheckConstraint(
                condition=Q(model__in=ArrangementModel.values), name="effect_scenario_model_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    first_month__gte=1, last_month__lte=12, last_month__gte=F("first_month")
                ),
                name="effect_scenario_months_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse(
            "contracts:effect-scenario-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )


class EffectScenarioPrice(ScopedModel):
    """One parameter row of a scenario: a price for a product (per trajectory, per unit or per
    occupied day) or for a support profile × intensity (output), or a provider's amount (a
    yearly lumpsum, or places × a fee per place per month)."""

    scope_region_lookup = "scenario__region"
    scope_edit_roles = CONTRACT_EDITORS

    scenario = models.ForeignKey(
        EffectScenario, on_delete=models.CASCADE, related_name="prices", verbose_name=_("scenario")
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    support_profile = models.ForeignKey(
        SupportProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ondersteuningsprofiel"),
    )
    intensity = models.ForeignKey(
        Intensity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intensiteit"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanbieder"),
    )
    amount = models.DecimalField(_("bedrag"), **MONEY)
    places = models.PositiveIntegerField(_("plaatsen"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("scenarioprijs")
        verbose_name_plural = _("scenarioprijzen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, support_profile__isnull=True, provider__isnull=True)
                    | Q(product__isnull=True, support_profile__isnull=False, provider__isnull=True)
                    | Q(product__isnull=True, support_profile__isnull=True, provider__isnull=False)
                ),
                name="effect_price_one_subject",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="effect_price_not_negative"),
        ]

    def __str__(self):
        subject = self.product or self.provider or self.support_profile
        return f"{subject}: {self.amount}"


class ProfileConsent(ContractChild):
    """A case director's (regisseur's) consent for a family's stacked profile or profile switch
    (seed 004, §3.3): after it, settlement reports the stacking or switch as a note and pays it.

    The family is its pseudonym as settlement shows it (the first 12 characters of the client
    key of its allocations): never a BSN or a name. Revoking keeps the row (history)."""

    scope_region_lookup = "region"

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="profile_consents",
        verbose_name=_("contract"),
    )
    family = models.CharField(_("gezin (pseudoniem)"), max_length=12)
    kind = models.CharField(_("soort"), max_length=16, choices=ConsentKind.choices)
    products = models.ManyToManyField(Product, related_name="+", verbose_name=_("producten"))
    given_on = models.DateField(_("datum instemming"))
    case_director = models.CharField(_("regisseur (naam en functie)"), max_length=200)
    reason = models.TextField(_("reden"))
    valid_from = models.DateField(_("geldt vanaf"))
    valid_until = models.DateField(_("geldt tot en met"), null=True, blank=True)
    recorded_by = _user(_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = _user(_("ingetrokken door"))
    revoke_reason = models.TextField(_("reden intrekking"), blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("instemming regisseur")
        verbose_name_plural = _("instemmingen regisseur")
        indexes = [models.Index(fields=["contract", "family"], name="consent_contract_family")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="consent_until_after_from",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="consent_has_reason"),
        ]

    def __str__(self):
        return _("Instemming %(kind)s gezin %(family)s d.d. %(day)s") % {
            "kind": self.get_kind_display().split(" (")[0].lower(),
            "family": self.family,
            "day": format_date(self.given_on),
        }

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SegmentBudget(ScopedModel):
    """A segment's budget in a year outside its contracts: a free budget for exceptional
    families, or an amount reserved for new providers (seed 004, DOMAIN §6). The segment's
    budget of the year is what its contracts have plus these (docs/contracts.md)."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="segment_budgets", verbose_name=_("regio")
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="segment_budgets", verbose_name=_("segment")
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("soort"), max_length=8, choices=SegmentBudgetKind.choices)
    amount = models.DecimalField(_("bedrag (€)"), **MONEY)
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    created_by = _user(_("vastgelegd door"))

    class Meta:
        ordering = ["year", "segment__code", "kind"]
        verbose_name = _("segmentbudget")
        verbose_name_plural = _("segmentbudgetten")
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "year", "kind"], name="segment_budget_unique_kind_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="segment_budget_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SegmentBudgetKind.values), name="segment_budget_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.segment} {self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        url = reverse("contracts:segment-budgets", kwargs={"region": self.region.slug})
        return f"{url}?jaar={self.year}"


# Development assignments with status and progress (their own module; imported so Django
# finds them).
from .models_development import (  # noqa: E402, F401
    AssignmentStatus,
    DevelopmentAssignment,
    DevelopmentUpdate,
)
